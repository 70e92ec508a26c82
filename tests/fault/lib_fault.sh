# Shared by the fault scenarios: the integration library, plus the peak
# memory of a daemon.
. "$(dirname "$0")/../integration/lib.sh"

# fault_rss_mb PID: peak resident memory (VmHWM) in MB.
fault_rss_mb() { awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$1/status" 2>/dev/null || echo 0; }

# fault_check_rss PID LIMIT_MB WHAT
fault_check_rss() {
	local mb
	mb=$(fault_rss_mb "$1")
	if [ "$mb" -le "$2" ]; then it_pass "$3: peak RSS ${mb} MB <= $2 MB"; else it_fail "$3: peak RSS ${mb} MB > $2 MB"; fi
}
