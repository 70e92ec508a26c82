# shellcheck shell=bash
# Shared by the fault scenarios: the integration library, plus the peak
# memory of a daemon.
. "$(dirname "$0")/../integration/lib.sh"

# fault_rss_mb PID: peak resident memory (VmHWM) in MB; nothing when the
# process is gone.
fault_rss_mb() { awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$1/status" 2>/dev/null || true; }

# fault_check_rss PID LIMIT_MB WHAT. AddressSanitizer's shadow memory and
# quarantine multiply a process's footprint, so a sanitizer build gets four
# times the limit: still a bound, one that catches growth without limit.
fault_check_rss() {
	local mb limit=$2
	[ "${DISCLOSED_SANITIZE:-0}" = 1 ] && limit=$((limit * 4))
	set -- "$1" "$limit" "$3"
	mb=$(fault_rss_mb "$1")
	if [ -z "$mb" ]; then
		it_fail "$3: no memory figure (process $1 is gone)"
	elif [ "$mb" -le "$2" ]; then
		it_pass "$3: peak RSS ${mb} MB <= $2 MB"
	else
		it_fail "$3: peak RSS ${mb} MB > $2 MB"
	fi
}
