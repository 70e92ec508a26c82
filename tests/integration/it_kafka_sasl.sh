#!/usr/bin/env bash
# Kafka over SASL_SSL with SCRAM-SHA-512, against the harness broker's
# SASL_SSL listener, its certificate verified against the harness CA: the
# daemon ingests every event exactly once. With a wrong password, or a CA
# that did not sign the broker's certificate, it says so clearly, keeps
# retrying rather than exit, stores nothing, and stops cleanly on SIGTERM.
#
# librdkafka before 2.6.1 cannot log in with SCRAM to Kafka 4.x (the
# harness then runs Kafka 3.9 unless DISCLOSED_KAFKA_VERSION says
# otherwise): on such a pair the test checks the daemon says exactly that.
. "$(dirname "$0")/lib.sh"
it_services
: "${KAFKA_SASL_BOOTSTRAP:?the harness broker has no SASL_SSL listener}"

# sasl_config FILE PASSWORD CA: this test's config, over SASL_SSL only;
# PASSWORD "@PATH" puts it in [kafka_sasl] password_file PATH instead.
sasl_config() {
	local pw="sasl.password = $2"
	case $2 in @*) pw="[kafka_sasl]"$'\n'"password_file = ${2#@}"$'\n'"[kafka]" ;; esac
	KAFKA_BOOTSTRAP=$KAFKA_SASL_BOOTSTRAP it_config "$1" "[kafka]" \
		"security.protocol = SASL_SSL" "sasl.mechanisms = $KAFKA_SCRAM_MECHANISM" \
		"sasl.username = $KAFKA_SCRAM_USER" "$pw" "ssl.ca.location = $3"
}

rd=$("$DISCLOSED" --version | sed -n 's/^librdkafka \([0-9.]*\),.*/\1/p')
scram_ok=1
if ! deps_version_ge "$rd" 2.6.1 && deps_version_ge "${KAFKA_VERSION:-4}" 4; then scram_ok=""; fi
it_log "librdkafka $rd, Kafka ${KAFKA_VERSION:-?}: SCRAM login expected to $([ -n "$scram_ok" ] && echo work || echo fail)"

# The password in the configuration: shown masked.
sasl_config "$IT_WORK/inline.conf" "$KAFKA_SCRAM_PASSWORD" "$HARNESS_CA"
shown=$("$DISCLOSED" -c "$IT_WORK/inline.conf" --check-config 2>&1)
case $shown in *"$KAFKA_SCRAM_PASSWORD"*) it_fail "--check-config shows the SASL password" ;;
	*"sasl.password = ********"*) it_pass "--check-config masks the SASL password" ;;
	*) it_fail "--check-config does not list sasl.password: $shown" ;; esac
# The daemon reads it from a file only it can read.
printf '%s\n' "$KAFKA_SCRAM_PASSWORD" >"$IT_WORK/kafka.pw"
chmod 600 "$IT_WORK/kafka.pw"
sasl_config "$IT_WORK/d.conf" "@$IT_WORK/kafka.pw" "$HARNESS_CA"
"$DISCLOSED" -c "$IT_WORK/d.conf" migrate
it_produce -n 3000 --prefix sasl --binary-every 3
# Both at once is ambiguous: refused at start, naming both.
cat "$IT_WORK/d.conf" >"$IT_WORK/both.conf"
printf '[kafka]\nsasl.password = x\n' >>"$IT_WORK/both.conf"
out=$("$DISCLOSED" -c "$IT_WORK/both.conf" run 2>&1) && rc=0 || rc=$?
it_eq "sasl.password and password_file both set: exit 78 (EX_CONFIG)" 78 "$rc"
case $out in *"[kafka] sasl.password (line "*") and [kafka_sasl] password_file are both set"*)
	it_pass "and the message names both" ;; *) it_fail "unclear message: $out" ;; esac

it_start_daemon "$IT_WORK/d.conf" "$IT_WORK/d.log"; pid=$IT_PID
if [ -n "$scram_ok" ]; then
	it_wait_offsets "$IT_MSGS" 90 || true
	it_stop_daemon "$pid"
	it_check_expect "$IT_WORK/expect"
	it_eq "stored next offsets (sum over partitions)" "$IT_MSGS" "$(it_offsets_sum)"
	it_eq "authentication or TLS errors logged" 0 "$(grep -c -E 'kafka (authentication|TLS) failed' "$IT_WORK/d.log")"
	# The operator commands reach Kafka with the same settings.
	"$DISCLOSED" -c "$IT_WORK/d.conf" rewind --group "$IT_DB" --topic "${IT_TOPICS}receptions" \
		--to 2000-01-01T00:00:00Z >"$IT_WORK/rewind" 2>&1 && rc=0 || rc=$?
	it_eq "rewind over SASL_SSL with the password file: exit status" 0 "$rc"
	it_eq "rewind set every receptions partition to 0" 4 "$(grep -c -- '-> 0$' "$IT_WORK/rewind")"
else
	if it_wait_log "$IT_WORK/d.log" "predates 2.6.1, whose SCRAM login Kafka 4.x brokers reject" 30; then
		it_pass "the log names the librdkafka/Kafka 4.x SCRAM incompatibility"
	else
		it_fail "no incompatibility hint: $(grep -m2 -i kafka "$IT_WORK/d.log")"
	fi
	it_stop_daemon "$pid"
fi
rows=$(it_rows)

# A wrong password: refused by the broker, and said so.
sasl_config "$IT_WORK/pw.conf" "not-the-password" "$HARNESS_CA"
it_start_daemon "$IT_WORK/pw.conf" "$IT_WORK/pw.log"; pid=$IT_PID
if it_wait_log "$IT_WORK/pw.log" "kafka authentication failed (retrying): .*invalid credentials" 30; then
	it_pass "a wrong password: 'kafka authentication failed ... invalid credentials' logged"
else
	it_fail "no clear log line for a wrong password: $(grep -m2 -i kafka "$IT_WORK/pw.log")"
fi
sleep 2
if kill -0 "$pid" 2>/dev/null; then
	it_pass "with a wrong password the daemon keeps retrying"
else
	it_fail "the daemon exited on a wrong password"
fi
it_stop_daemon "$pid"
if grep -q "not-the-password" "$IT_WORK/pw.log"; then
	it_fail "the password reached the log"
else
	it_pass "the password is not in the log"
fi

# A broker certificate the configured CA did not sign: refused, and said so.
sasl_config "$IT_WORK/ca.conf" "$KAFKA_SCRAM_PASSWORD" "$(it_other_ca)"
it_start_daemon "$IT_WORK/ca.conf" "$IT_WORK/ca.log"; pid=$IT_PID
if it_wait_log "$IT_WORK/ca.log" "kafka TLS failed (retrying): .*certificate verify failed" 30; then
	it_pass "an unknown CA: 'kafka TLS failed ... certificate verify failed' logged"
else
	it_fail "no clear log line for an unknown CA: $(grep -m2 -i kafka "$IT_WORK/ca.log")"
fi
if kill -0 "$pid" 2>/dev/null; then
	it_pass "with an unknown CA the daemon keeps retrying"
else
	it_fail "the daemon exited on an unknown CA"
fi
it_stop_daemon "$pid"
it_eq "rows stored by the refused daemons" "$rows" "$(it_rows)"
it_done
