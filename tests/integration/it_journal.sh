#!/usr/bin/env bash
# The daemon under systemd logs through the journal's native protocol, with
# fields journalctl can select on: REASON=bad_field for an event the decoder
# set aside, SQLSTATE=23514 (with AGENCY and EVENT_ID) for a row PostgreSQL
# refused, TOPIC/PARTITION/OFFSET for both. No journald runs here, so a
# private mount namespace puts a fake /run/systemd/journal/socket in place;
# the daemon's stderr is the stream JOURNAL_STREAM names, as systemd sets it.
if [ "${IT_IN_NS:-}" != 1 ]; then
	unshare -m true 2>/dev/null || { echo "skip: no mount namespaces here"; exit 77; }
	IT_IN_NS=1 exec unshare -m bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2034 # read by it_services
IT_PARTITIONS=1
it_services
mkdir -p /run/systemd
mount -t tmpfs tmpfs /run/systemd
mkdir /run/systemd/journal
python3 - "$IT_WORK" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/run/systemd/journal/socket")
open(sys.argv[1] + "/ready", "w").close()
n = 0
while True:
    d = s.recv(1 << 20)
    n += 1
    open("%s/entry%05d" % (sys.argv[1], n), "wb").write(d)
PY
rx=$!
for _ in $(seq 50); do [ -e "$IT_WORK/ready" ] && break; sleep 0.1; done

it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate >/dev/null
it_psql -c "ALTER TABLE disclosed.reception_held ADD CONSTRAINT visitors_small CHECK (visitors < 8)"
T=${IT_TOPICS}receptions
good='{"specversion":"1.0","id":"j-1","source":"/journal","type":"disclosure.reception.held","time":"2021-05-01T09:00:00+08:00","subject":"RC-1","agency":"journal-bureau","data":{"leader":"director","visitors":2}}'
echo "$good" >"$IT_WORK/0.json"
cp "$IT_ROOT/tests/fixtures/poison/09-bad_field-visitors-is-a-string.json" "$IT_WORK/1.json"
refused=${good/\"visitors\":2/\"visitors\":9}
echo "${refused/\"j-1\"/\"j-refused\"}" >"$IT_WORK/2.json"
for i in 0 1 2; do "$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "$T" "$IT_WORK/$i.json" >/dev/null; done

: >"$IT_WORK/d.log"
JOURNAL_STREAM=$(stat -c '%d:%i' "$IT_WORK/d.log") it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"
pid=$IT_PID
it_wait_offsets 3 60 || true
it_stop_daemon "$pid"
sleep 0.3
kill "$rx" 2>/dev/null || true

# An entry with a field NAME=VALUE: its file.
entry() { grep -lxF -- "$1" "$IT_WORK"/entry* 2>/dev/null | head -1; }
field() { sed -n "s/^$1=//p" "$2"; }
e=$(entry REASON=bad_field)
if [ -n "$e" ]; then
	it_pass "an entry with REASON=bad_field"
	it_eq "its TOPIC" "$T" "$(field TOPIC "$e")"
	it_eq "its PARTITION" 0 "$(field PARTITION "$e")"
	it_eq "its OFFSET" 1 "$(field OFFSET "$e")"
	it_eq "its PRIORITY (warning)" 4 "$(field PRIORITY "$e")"
	it_eq "its MESSAGE, as on stderr" "event quarantined topic=$T partition=0 offset=1 reason=bad_field:" \
		"$(field MESSAGE "$e" | cut -d' ' -f1-6)"
else
	it_fail "no entry with REASON=bad_field among $(find "$IT_WORK" -name 'entry*' | wc -l)"
fi
e=$(entry SQLSTATE=23514)
if [ -n "$e" ]; then
	it_pass "an entry with SQLSTATE=23514 (the CHECK refused the row)"
	it_eq "its REASON" db_rejected "$(field REASON "$e")"
	it_eq "its AGENCY" journal-bureau "$(field AGENCY "$e")"
	it_eq "its EVENT_ID" j-refused "$(field EVENT_ID "$e")"
	it_eq "its OFFSET" 2 "$(field OFFSET "$e")"
else
	it_fail "no entry with SQLSTATE=23514"
fi
if [ -n "$(entry 'SYSLOG_IDENTIFIER=disclosed')" ]; then
	it_pass "entries name the program"
else
	it_fail "no SYSLOG_IDENTIFIER=disclosed"
fi
if grep -q "event quarantined" "$IT_WORK/d.log"; then
	it_fail "quarantine logged to stderr too"
else
	it_pass "nothing logged twice on stderr"
fi
it_eq "rows stored" 1 "$(it_psql -c "SELECT count(*) FROM disclosed.reception_held")"
it_done
