#!/usr/bin/env bash
# A batch that PostgreSQL rolls back to break a deadlock with another
# transaction (SQLSTATE 40P01, as two members' batches updating the same
# running counts can meet) is made again at once: no outage, no pause, no
# backoff, and every event stored exactly once. The deadlock is a real one:
# another session holds an identity the daemon's batch is storing, then
# waits for the daemon's offset rows; PostgreSQL ends the daemon's side.
. "$(dirname "$0")/lib.sh"
it_services
port=$(harness_free_port)
it_config "$IT_WORK/d.conf" "[metrics]" "listen = 127.0.0.1:$port"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate >/dev/null
it_produce -n 1000 --prefix lk1
first=$IT_MSGS
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$first" 60 || it_fail "the first events were not consumed"

# Every partition has its offset row by now (1000 events over 28), so the
# batch that stores lk2-0 holds rows the other session's UPDATE must wait for.
# The other session: holds lk2-0's identity (uncommitted), waits until the
# daemon's batch waits for it, then asks for the offset rows that batch
# holds. It checks for deadlocks only after 10 s, the daemon's session
# after PostgreSQL's default 1 s: the daemon's transaction is the one ended.
cat >"$IT_WORK/holder.sql" <<'SQL'
BEGIN;
SET LOCAL deadlock_timeout = '10s';
INSERT INTO disclosed.event_identity (source, event_id) VALUES ('/gen', 'lk2-0');
DO $$
BEGIN
    FOR i IN 1..3000 LOOP
        PERFORM pg_stat_clear_snapshot();
        EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity
                           WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid)));
        PERFORM pg_sleep(0.01);
    END LOOP;
END $$;
UPDATE disclosed.consumer_offset SET next_offset = next_offset;
ROLLBACK;
SQL
PGAPPNAME=holder psql -X -q -v ON_ERROR_STOP=1 "$IT_CONNINFO" -f "$IT_WORK/holder.sql" \
	>"$IT_WORK/holder.out" 2>&1 &
holder=$!
it_wait_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'holder'
	AND query LIKE 'DO%'" 1 30 || it_fail "the other session did not start waiting"
it_produce -n 200 --prefix lk2
if wait "$holder"; then
	it_pass "the other session went through once the daemon's batch gave way"
else
	it_fail "the other session failed: $(cat "$IT_WORK/holder.out")"
fi
it_wait_offsets "$((first + IT_MSGS))" 60 || it_fail "the second events were not consumed"
sleep 1.5 # one housekeeping round after the last commit
curl -sf "http://127.0.0.1:$port/metrics" >"$IT_WORK/metrics" || it_fail "GET /metrics"
it_stop_daemon "$pid"

it_eq "stored events" "$((first + IT_MSGS))" "$(it_rows)"
it_eq "events stored twice" 0 \
	"$(it_psql -c "SELECT count(*) - count(DISTINCT (source, event_id)) FROM disclosed.raw_event")"
it_eq "lk2-0 stored" 1 "$(it_psql -c "SELECT count(*) FROM disclosed.raw_event WHERE event_id = 'lk2-0'")"
if grep -q "trying it again at once (1 of 5): .*SQLSTATE 40P01" "$IT_WORK/d.log"; then
	it_pass "the deadlock is logged with its SQLSTATE and the batch made again at once"
else
	it_fail "no retry of the deadlocked batch in the log"
fi
it_eq "outage lines" 0 "$(grep -c "PostgreSQL unavailable" "$IT_WORK/d.log")"
# Once, or twice when the daemon's second attempt meets the other
# session's offset rows while that one still takes them: as many as logged.
it_eq "disclosed_batch_lock_retries_total, as logged" \
	"$(grep -c "trying it again at once" "$IT_WORK/d.log")" \
	"$(sed -n 's/^disclosed_batch_lock_retries_total \([0-9]*\)$/\1/p' "$IT_WORK/metrics")"
it_done
