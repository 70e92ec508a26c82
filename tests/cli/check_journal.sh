#!/usr/bin/env bash
# The journal's native protocol, end to end, without journald: in a private
# mount namespace a fake /run/systemd/journal/socket receives what the
# logger sends when stderr is the stream JOURNAL_STREAM names; the fields
# must be there, one entry, values escaped. Skips (77) without unshare -m.
set -uo pipefail
BUILD=${BUILD:-build}
T=$(cd "$BUILD" && pwd)/tests/unit/test_log
if [ "${IN_NS:-}" != 1 ]; then
	unshare -m true 2>/dev/null || { echo "skip: no mount namespaces here"; exit 77; }
	IN_NS=1 BUILD=$BUILD exec unshare -m bash "$0"
fi
pass=0 failed=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
no() { echo "FAIL: $*"; failed=$((failed + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! { mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal; }; then
	echo "skip: cannot mount over /run/systemd"
	exit 77
fi
# One datagram per entry, each written to its own file.
python3 - "$work" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/run/systemd/journal/socket")
open(sys.argv[1] + "/ready", "w").close()
s.settimeout(5)
n = 0
try:
    while True:
        d = s.recv(1 << 20)
        n += 1
        open("%s/entry%d" % (sys.argv[1], n), "wb").write(d)
except socket.timeout:
    pass
PY
rx=$!
for _ in $(seq 50); do [ -e "$work/ready" ] && break; sleep 0.1; done

# stderr is the journal stream: the entry goes to the socket, nothing to stderr.
: >"$work/stderr"
stream=$(stat -c '%d:%i' "$work/stderr")
JOURNAL_STREAM=$stream "$T" emit "line one
line two" 2>>"$work/stderr"
# stderr is something else (a child's inherited variable): text on stderr.
: >"$work/other"
JOURNAL_STREAM=$stream "$T" emit "to stderr" 2>>"$work/other"
wait "$rx"

if [ -s "$work/stderr" ]; then
	no "the journal path also wrote stderr: $(cat "$work/stderr")"
else
	ok "nothing on stderr when the journal took the entry"
fi
n=$(find "$work" -name 'entry*' | wc -l)
if [ "$n" = 1 ]; then
	ok "one journal entry (the second run logged as text)"
else
	no "$n journal entries, wanted 1"
fi
e=$work/entry1
for want in "PRIORITY=4" "SYSLOG_IDENTIFIER=test_log" "TOPIC=disclosure.receptions" "PARTITION=1" \
	"OFFSET=99" "REASON=bad_field" 'EVENT_ID=x\ny' \
	'MESSAGE=event quarantined topic=disclosure.receptions partition=1 offset=99 reason=bad_field: line one\nline two'; do
	if grep -qxF -- "$want" "$e" 2>/dev/null; then
		ok "field $want"
	else
		no "no line \"$want\" in: $(tr '\n' '|' <"$e" 2>/dev/null)"
	fi
done
if grep -q "warn event quarantined .*: to stderr$" "$work/other"; then
	ok "text line when stderr is not the journal"
else
	no "no text line: $(cat "$work/other")"
fi
echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
