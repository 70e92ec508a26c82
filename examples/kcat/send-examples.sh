#!/usr/bin/env bash
# Send structured-mode events (one JSON per line, e.g. docs/examples.jsonl)
# to disclosed's topics with kcat, in either CloudEvents mode: the
# one-liners of README.md in a loop. Needs kcat and jq.
#
#   send-examples.sh [-b BROKERS] [--binary] [--topic-prefix P] [--id-prefix P] [FILE]
#
# The topic follows the type: disclosure.complaint.* to PREFIXcomplaints,
# reception to receptions, and so on (newmedia and stats as they are;
# opening balances to PREFIXstats); a disclosure.event.corrected follows
# its target_type.
set -euo pipefail

brokers=${KAFKA_BOOTSTRAP:-localhost:9092}
binary=false
topic_prefix=disclosure.
id_prefix=
file=$(cd "$(dirname "$0")/../.." && pwd)/docs/examples.jsonl
while [ $# -gt 0 ]; do
	case $1 in
	-b) brokers=$2; shift 2 ;;
	--binary) binary=true; shift ;;
	--topic-prefix) topic_prefix=$2; shift 2 ;;
	--id-prefix) id_prefix=$2; shift 2 ;;
	-h | --help)
		sed -n '2,10s/^# \{0,1\}//p' "$0"
		exit 0 ;;
	-*) echo "send-examples.sh: unknown option $1 (try --help)" >&2; exit 64 ;;
	*) file=$1; shift ;;
	esac
done
[ -r "$file" ] || { echo "send-examples.sh: cannot read $file" >&2; exit 66; }

# Idempotent, acknowledged by every in-sync replica.
kcat_p=(kcat -P -b "$brokers" -X enable.idempotence=true -X acks=all)
n=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	# A correction names its target by id: prefixed alike.
	event=$(jq -c --arg p "$id_prefix" '.id = $p + .id
		| if .data.target_id then .data.target_id = $p + .data.target_id else . end' <<<"$line")
	# A correction goes where the event it corrects went.
	kind=$(jq -r '.data.target_type // .type | split(".")[1]' <<<"$event")
	case $kind in newmedia | stats) ;; opening) kind=stats ;; *) kind=${kind}s ;; esac
	subject=$(jq -r .subject <<<"$event")
	if $binary; then
		# Attributes as ce_* headers, the data object as the value.
		mapfile -t headers < <(jq -r 'to_entries[]
			| select(.key != "data" and .key != "datacontenttype")
			| "-H", "ce_\(.key)=\(.value)"' <<<"$event")
		jq -c .data <<<"$event" | "${kcat_p[@]}" -t "$topic_prefix$kind" -k "$subject" \
			"${headers[@]}" -H content-type=application/json
	else
		"${kcat_p[@]}" -t "$topic_prefix$kind" -k "$subject" <<<"$event"
	fi
	n=$((n + 1))
done <"$file"
echo "send-examples.sh: $n events sent ($($binary && echo binary || echo structured) mode)"
