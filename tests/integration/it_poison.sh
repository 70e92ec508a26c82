#!/usr/bin/env bash
# The poison corpus (tests/fixtures/poison, plus a 10 MB payload made here):
# each case sent between two good events on one partition; each bad one is
# quarantined with its specific reason and its bytes, every good neighbour is
# stored, and the valid case full of SQL and COPY metacharacters is stored
# byte for byte.
. "$(dirname "$0")/lib.sh"
IT_PARTITIONS=1
it_services
it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
T=${IT_TOPICS}receptions
corpus=$IT_ROOT/tests/fixtures/poison
cp "$corpus"/*.json "$corpus"/*.headers "$IT_WORK/" 2>/dev/null
# A 10 MB event: valid JSON, over the 1 MiB limit.
{ printf '{"specversion":"1.0","id":"p-07","pad":"'; head -c 10485700 /dev/zero | tr '\0' x; printf '"}'; } \
	>"$IT_WORK/07-too_large-10-megabytes.json"
good() { # n -> a good reception event
	printf '{"specversion":"1.0","id":"good-%s","source":"/poison","type":"disclosure.reception.held","time":"2021-05-02T09:00:00+08:00","subject":"G-%s","agency":"good-bureau","data":{"leader":"director","visitors":2}}' "$1" "$1" >"$IT_WORK/good.json"
}
k=0
: >"$IT_WORK/cases"
for f in "$IT_WORK"/[0-9][0-9]-*.json; do # the glob sorts them
	f=${f##*/}
	for g in a b; do
		good "$k$g"
		"$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "$T" "$IT_WORK/good.json" >/dev/null
	done
	h=()
	if [ -f "$IT_WORK/${f%.json}.headers" ]; then h=("$IT_WORK/${f%.json}.headers"); fi
	"$EVTOOL" file -b "$KAFKA_BOOTSTRAP" -t "$T" "$IT_WORK/$f" "${h[@]}" >/dev/null
	echo "$((3 * k + 2)) $f" >>"$IT_WORK/cases"
	k=$((k + 1))
done
msgs=$((3 * k))
it_log "sent $k poison cases between $((2 * k)) good events"
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
it_wait_offsets "$msgs" 120 || true
it_stop_daemon "$pid"
if [ "$k" -ge 40 ]; then
	it_pass "$k cases in the corpus"
else
	it_fail "only $k cases"
fi
it_eq "every good neighbour stored" "$((2 * k))" \
	"$(it_psql -c "SELECT count(*) FROM disclosed.reception_held WHERE agency = 'good-bureau'")"
while read -r off f; do
	want=$(echo "$f" | cut -d- -f2)
	if [ "$want" = stored ]; then
		got=$(it_psql -c "SELECT count(*) FROM disclosed.raw_event WHERE kafka_offset = $off AND topic = '$T'")
		it_eq "$f is stored" 1 "$got"
	else
		got=$(it_psql -c "SELECT reason_code FROM disclosed.quarantine WHERE topic = '$T' AND kafka_offset = $off")
		it_eq "$f" "$want" "$got"
	fi
done <"$IT_WORK/cases"
it_eq "quarantined rows keep the exact bytes (10 MB case)" "$(stat -c %s "$IT_WORK/07-too_large-10-megabytes.json")" \
	"$(it_psql -c "SELECT length(payload) FROM disclosed.quarantine WHERE reason_code = 'too_large'")"
it_eq "quarantined rows keep the exact bytes (NUL case)" \
	"$(md5sum <"$IT_WORK/04-bad_json-nul-byte.json" | cut -d' ' -f1)" \
	"$(it_psql -c "SELECT md5(payload) FROM disclosed.quarantine q JOIN (VALUES (1)) v(x) ON true WHERE topic = '$T' AND kafka_offset = $(awk '/04-bad_json/ { print $1 }' "$IT_WORK/cases")")"
it_eq "binary-mode cases keep their headers" 4 \
	"$(it_psql -c "SELECT count(*) FROM disclosed.quarantine WHERE headers::text LIKE '%ce_specversion%'")"
f45=$IT_WORK/45-stored-sql-metacharacters-in-every-string.json
it_eq "metacharacter event stored byte for byte" "$(md5sum <"$f45" | cut -d' ' -f1)" \
	"$(it_psql -c "SELECT md5(payload) FROM disclosed.publication_published WHERE agency = 'poison-bureau'")"
# Our decoder and COPY escaping against PostgreSQL's own JSON parser.
it_eq "its fields decoded exactly (as PostgreSQL parses the payload)" "t|t|t|t|t|t" \
	"$(it_psql -c "SELECT event_id = p->>'id', source = p->>'source', subject = p->>'subject',
	                      title = p->'data'->>'title', account = p->'data'->>'account',
	                      session = p->'data'->>'session'
	                 FROM (SELECT *, payload::jsonb AS p FROM disclosed.publication_published
	                        WHERE agency = 'poison-bureau') x")"
it_eq "the title kept its tab and newline" "t|t" \
	"$(it_psql -c "SELECT position(chr(9) in title) > 0, position(chr(10) in title) > 0 FROM disclosed.publication_published WHERE agency = 'poison-bureau'")"
it_done
