# What the benchmark scripts share: logging, free ports, starting and stopping processes by PID, CPU and
# memory from /proc, and timing the measured window. Sourced, never run:
#
#   source "$(dirname "$0")/lib.sh"
#
# Defines functions only, and ROOT (the repository) and CLK_TCK; the caller decides everything else.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLK_TCK=$(getconf CLK_TCK)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Builds the jars of the Maven modules $1 (comma-separated) and what they need; never installs.
build_jars() { mvn -B -q -ntp -pl "$1" -am package -DskipTests; }

# Installs the locked npm dependencies of directory $1.
npm_install() { (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); }

free_port() {
    node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Waits up to 30 s for a listener on port $2 of process $1; fails when the process exits first.
await_port() {
    local pid=$1 port=$2 deadline=$((SECONDS + 30))
    until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then return 1; fi
        sleep 0.2
    done
}

# Stops process $1: TERM, then KILL after 10 s.
stop_pid() {
    local pid=$1 deadline=$((SECONDS + 10))
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Stops the server SERVER_PID names, if any, and forgets it.
stop_server() {
    [[ -n ${SERVER_PID:-} ]] || return 0
    local pid=$SERVER_PID
    SERVER_PID=
    stop_pid "$pid"
}

# Stops the load generator LOADGEN_PID names, if it still runs (for an EXIT trap).
stop_loadgen() {
    if [[ -n ${LOADGEN_PID:-} ]] && kill -0 "$LOADGEN_PID" 2>/dev/null; then kill -TERM "$LOADGEN_PID" 2>/dev/null || true; fi
}

# Stops what the caller started, by PID, whatever way it ends: the load generator, then what the caller's
# function $1 stops. Ctrl-C ends the caller with status 130.
stop_on_exit() {
    # shellcheck disable=SC2064 # $1 is expanded now, on purpose
    trap "stop_loadgen; $1" EXIT
    trap 'exit 130' INT TERM
}

# Whether this shell may run a process at niceness $1 (a negative one needs root).
can_nice() { (($1 >= 0)) || [[ $(nice -n "$1" nice 2>/dev/null) == "$1" ]]; }

# utime + stime of process $1, in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the comm).
# Each prints -1 when the process is gone.
cpu_ticks() { local stat; stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -1; return 0; }; sed 's/^.*) //' <<<"$stat" | awk '{print $12 + $13}'; }
proc_status_kb() { local status; status=$(cat "/proc/$1/status" 2>/dev/null) || { echo -1; return 0; }; awk -v k="$2:" '$1 == k {print $2}' <<<"$status"; }
# Busy ticks of the whole machine (user, nice, system, irq, softirq, steal), to see what else ran meanwhile.
machine_busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
rss_kb() { proc_status_kb "$1" VmRSS; }
hwm_kb() { proc_status_kb "$1" VmHWM; }
now_ns() { date +%s%N; }

sleep_until_ns() {
    local target=$1 now
    now=$(now_ns)
    ((target > now)) && sleep "$(awk -v d=$((target - now)) 'BEGIN { printf "%.3f", d / 1e9 }')"
    return 0
}

# Waits until the generator's stderr ($2) has a line matching $3; echoes the line, or nothing if the
# generator ($1) exited or $4 seconds (default 180) passed.
await_line() {
    local pid=$1 err=$2 pattern=$3 line deadline=$((SECONDS + ${4:-180}))
    while ((SECONDS < deadline)); do
        line=$(grep -m1 -E "$pattern" "$err" 2>/dev/null || true)
        if [[ -n $line ]]; then echo "$line"; return 0; fi
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
}

# The generator's first progress line of publishing ($1) says how long ago publishing started; echoes
# when, in now_ns time, the measured window starts: a warm-up of $2 seconds after that.
window_start_ns() {
    local seen t_ms
    seen=$(now_ns)
    # Milliseconds in awk (small numbers), nanoseconds in bash: awk's integers may be 32-bit.
    t_ms=$(awk -v l="$1" 'BEGIN { match(l, /t= *[0-9.]+s/); printf "%d", substr(l, RSTART + 2, RLENGTH - 3) * 1000 }')
    echo $((seen - t_ms * 1000000 + $2 * 1000000000))
}

# Keeps the generator's result, the last JSON line of its stdout ($1), as $2; logs when there is none (see $3).
keep_result() {
    local out=$1 json=$2 err=$3 label=$4
    grep '^{' "$out" | tail -1 >"$json" || true
    [[ -s $json ]] || { log "$label: no result (see $err)"; rm -f "$json"; }
}

# Waits, at most $1 seconds, for a second in which the machine is busy on at most $2 cores; echoes the
# busy cores of the last second. Called when nothing of the caller's is at work.
await_quiet() {
    local deadline=$((SECONDS + $1)) m0 m1 busy
    while :; do
        m0=$(machine_busy_ticks); sleep 1; m1=$(machine_busy_ticks)
        busy=$(awk -v a="$m0" -v b="$m1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')
        if awk -v b="$busy" -v q="$2" 'BEGIN { exit !(b <= q) }' || ((SECONDS >= deadline)); then echo "$busy"; return 0; fi
    done
}

# The first lines of a run's machine.txt: date, cores, CPU model, kernel.
machine_lines() {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    echo "kernel: $(uname -sr)"
}

# The commit measured, marked when the working tree has changes.
commit_line() {
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
}
