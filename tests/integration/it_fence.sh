#!/usr/bin/env bash
# Fencing: when a partition's stored offset moves on behind a consumer's back
# (another member committed it), that consumer's batch is not committed; it
# re-reads from what PostgreSQL holds. Here the test plays the other member:
# it stores "offsets 0-4 of complaints[0] are done" while the daemon holds
# its first batch, so those five events must never be stored by the daemon.
. "$(dirname "$0")/lib.sh"
it_services
it_config "$IT_WORK/d.conf" "batch_size = 1000000" "flush_interval_ms = 4000"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 4000 --prefix fence
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_log "$IT_WORK/d.log" "assigned 28 partition" 30 || it_fail "no assignment within 30 s"
it_psql -c "INSERT INTO disclosed.consumer_offset (group_id, topic, kafka_partition, next_offset, prev_offset, member_id) VALUES ('$IT_DB', '${IT_TOPICS}complaints', 0, 5, -1, 'another member')"
it_wait_offsets "$IT_MSGS" 60 || true
it_stop_daemon "$pid"
it_eq "the stale batch was refused" 1 "$(grep -c "stored offset moved on" "$IT_WORK/d.log")"
it_eq "events at offsets 0-4 of complaints[0] (fenced off)" 0 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.raw_event WHERE topic = '${IT_TOPICS}complaints' AND kafka_partition = 0 AND kafka_offset < 5")"
it_eq "everything else stored once" "$((IT_MSGS - 5))" "$(it_rows)"
it_eq "complaints[0] resumed at the fenced offset" 5 \
	"$(it_psql -c "SELECT min(kafka_offset) FROM disclosed.raw_event WHERE topic = '${IT_TOPICS}complaints' AND kafka_partition = 0")"
it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
it_done
