#!/usr/bin/env bash
# The producers' examples in examples/ (kcat, Java with kafka-clients,
# Python with confluent-kafka), each in both CloudEvents modes, against the
# real broker: every event of every type is stored exactly once, keyed by
# its subject, in the mode it was sent, and nothing is set aside.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
EX=$IT_ROOT/examples
it_services
it_config "$IT_WORK/d.conf"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"
pid=$IT_PID
types=$("$DISCLOSED" types | awk '{print $1}' | sort)
ntypes=$(wc -l <<<"$types")

# run NAME ID_PREFIX COMMAND...: one producer run; its output kept.
runs=()
run() {
	local name=$1 prefix=$2
	shift 2
	if "$@" >"$IT_WORK/$prefix.out" 2>&1; then
		it_pass "$name ran"
		runs+=("$prefix")
	else
		it_fail "$name failed: $(tail -n 20 "$IT_WORK/$prefix.out")"
	fi
}

common=(--topic-prefix "$IT_TOPICS")
run "kcat, structured mode" kcat-s- "$EX/kcat/send-examples.sh" -b "$KAFKA_BOOTSTRAP" \
	"${common[@]}" --id-prefix kcat-s-
run "kcat, binary mode" kcat-b- "$EX/kcat/send-examples.sh" -b "$KAFKA_BOOTSTRAP" --binary \
	"${common[@]}" --id-prefix kcat-b-
# Debian's interpreter: python3-confluent-kafka is installed for it.
run "Python, structured mode" py-s- /usr/bin/python3 "$EX/python/produce.py" \
	-b "$KAFKA_BOOTSTRAP" "${common[@]}" --id-prefix py-s-
run "Python, binary mode" py-b- /usr/bin/python3 "$EX/python/produce.py" --binary \
	-b "$KAFKA_BOOTSTRAP" "${common[@]}" --id-prefix py-b-
# Maven resolves kafka-clients from Maven Central into ~/.m2 (cached there
# after the first run); the build goes to this test's folder.
if mvn -q -B -ntp -Dstyle.color=never -f "$EX/java/pom.xml" -Dexample.build="$IT_WORK/java" \
	package >"$IT_WORK/mvn.log" 2>&1; then
	it_pass "the Java example builds with Maven"
	jar=$IT_WORK/java/disclosed-producer-example.jar
	run "Java, structured mode" java-s- java -jar "$jar" -b "$KAFKA_BOOTSTRAP" "${common[@]}" \
		--id-prefix java-s-
	run "Java, binary mode" java-b- java -jar "$jar" --binary -b "$KAFKA_BOOTSTRAP" \
		"${common[@]}" --id-prefix java-b-
else
	it_fail "mvn package of examples/java: $(tail -n 30 "$IT_WORK/mvn.log")"
fi

# Every stored event, from the tables `disclosed types` names (raw_event
# need not have every type: migration 0009 defines it without corrections).
events=$("$DISCLOSED" types | awk '{ printf "%sSELECT \047%s\047 AS type, source, event_id, subject, kafka_key, binary_mode, topic FROM %s", (NR > 1 ? " UNION ALL " : ""), $1, $2 }')
want=$((${#runs[@]} * ntypes))
it_wait_sql "SELECT count(*) FROM ($events) e" "$want" 90 ||
	it_fail "expected $want stored events"
sleep 1 # anything beyond would show as an excess below
it_eq "events stored" "$want" "$(it_psql -c "SELECT count(*) FROM ($events) e")"
it_eq "events set aside" 0 "$(it_psql -c "SELECT count(*) FROM disclosed.quarantine")"
for p in "${runs[@]}"; do
	case $p in *-b-) binary=true ;; *) binary=false ;; esac
	it_eq "$p: one event of every type" "$types" "$(it_psql -c "SELECT type
		FROM ($events) e WHERE event_id LIKE '$p%' GROUP BY type HAVING count(*) = 1
		ORDER BY type" | sort)"
	it_eq "$p: rows keyed by subject, in the mode sent, on the type's topic" "$ntypes" \
		"$(it_psql -c "SELECT count(*) FROM ($events) e WHERE event_id LIKE '$p%'
			AND kafka_key = convert_to(subject, 'UTF8') AND binary_mode = $binary
			AND topic = '$IT_TOPICS' || (SELECT CASE split_part(t, '.', 2)
				WHEN 'newmedia' THEN 'newmedia' WHEN 'stats' THEN 'stats' WHEN 'opening' THEN 'stats'
				ELSE split_part(t, '.', 2) || 's' END
				FROM coalesce((SELECT c.target_type FROM disclosed.event_correction c
					WHERE c.source = e.source AND c.event_id = e.event_id),
					type) t)")"
done
it_eq "each correction names its own run's target, which it applies to" "${#runs[@]}" \
	"$(it_psql -c "SELECT count(*) FROM disclosed.effective_application_closed WHERE outcome = '3.1' AND correction_id = split_part(event_id, 'ap-', 1) || 'ap-2021-0009-c-fix1'")"
it_eq "the Chinese account name arrives intact (Python, binary)" 尧都阳光信访 \
	"$(it_psql -c "SELECT name FROM disclosed.newmedia_snapshot WHERE event_id LIKE 'py-b-%'")"
it_stop_daemon "$pid"
it_done
