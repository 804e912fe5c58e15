#!/usr/bin/env bash
# plot/selftest.sh - checks plot.sh against hostile and broken run folders.
#
# Usage: plot/selftest.sh            (from anywhere; needs gnuplot)
#
# Builds small run folders under a fresh temporary folder, has bench write
# each one's chart plan (bench plot --plan-only: bench checks the CSV files),
# runs plot.sh on it and checks the exit code and messages of the step that
# stopped (BENCH names the bench binary; default .build/debug/bench):
#   - valid runs (quoted fields, CRLF line ends, a run folder whose name holds
#     a newline, quotes, backquotes and $(...); a scan, a cores axis, an
#     experiment of probes) draw their charts with exit 0 and nothing on stderr;
#   - values that try to become gnuplot (or shell) commands - in a sink, a
#     model, a workload, params, a header, meta.json - are refused with exit 1
#     by bench with exit 1 and a message naming the file and line.
# Usage errors (exit 2), a missing gnuplot (exit 3), --help and the other data
# errors (a missing column or file, a short line, no rows) are checked in
# Tests/EndToEndTests/PlotTests.swift, which also runs this script.
# Every payload touches a /tmp/pwned* file; none may exist at the end.
# Prints one line per check and exits 0 when all pass, 1 otherwise. Nothing
# is interactive, so tests can call it.
set -uo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
plot_sh=$root/plot.sh
bench=${BENCH:-$root/.build/debug/bench}
canaries=(/tmp/pwned /tmp/pwned2 /tmp/pwned3 /tmp/pwned4 /tmp/pwned5 /tmp/pwned6 /tmp/pwned7)
failures=0
checks=0

command -v gnuplot > /dev/null 2>&1 || { echo "selftest: gnuplot is not installed (apt-get install gnuplot-nox)" >&2; exit 1; }
[[ -x $bench ]] || { echo "selftest: no bench binary at $bench — run swift build, or set BENCH" >&2; exit 1; }
# The canaries are this test's own files: a leftover from an earlier failed
# run would hide a new one.
rm -f -- "${canaries[@]}"
work=$(mktemp -d "${TMPDIR:-/tmp}/plot-selftest.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

pass() { checks=$((checks + 1)); printf 'ok    %s\n' "$1"; }
flunk() { checks=$((checks + 1)); failures=$((failures + 1)); printf 'FAIL  %s\n' "$1"; sed 's/^/      | /' "$work/err" "$work/out" 2> /dev/null | head -n 20; }

# expect CODE PATTERN DESCRIPTION -- DIR: writes DIR's plan with bench,
# then (when that worked) runs plot.sh DIR; checks the exit code and that
# stderr of the step that ended it matches PATTERN (grep -E; '^$' = empty).
expect() {
    local code=$1 pattern=$2 what=$3 got
    shift 4
    # From inside $work: a payload that writes a relative path lands there.
    (cd -- "$work" && "$bench" plot --plan-only "$@") > "$work/out" 2> "$work/err"
    got=$?
    if [[ $got -eq 0 ]]; then
        (cd -- "$work" && "$plot_sh" "$@") > "$work/out" 2> "$work/err"
        got=$?
    fi
    if [[ $got -ne $code ]]; then
        flunk "$what: exit $got, expected $code"
    elif [[ $pattern == '^$' ]] && [[ -s $work/err ]]; then
        flunk "$what: stderr is not empty"
    elif [[ $pattern != '^$' ]] && ! grep -Eq -- "$pattern" "$work/err"; then
        flunk "$what: stderr does not match /$pattern/"
    else
        pass "$what"
    fi
}

# A small valid run: xor and sleep, serial/thread/hybrid(several shapes)/
# python-thread, task latency for sleep, and the seed-400 experiment.
make_run() {
    local dir=$1
    mkdir -p -- "$dir"
    cat > "$dir/summary.csv" << 'EOF'
workload,kind,model,processes,threads,workers,tasks,work,work_unit,runs,wall_median_s,wall_min_s,wall_max_s,wall_mean_s,wall_stddev_s,wall_ci_lo_s,wall_ci_hi_s,speedup,speedup_ci_lo,speedup_ci_hi,efficiency,throughput_tps,cpu_util,user_s,sys_s,max_rss_kb,vcsw,ivcsw,outliers,task_p50_s,task_p99_s,params,queue_p50_s,queue_p99_s
xor,cpu,serial,1,1,1,8,1000,iterations,3,0.080,0.079,0.081,0.080,0.001,0.079,0.081,1.0000,0.99,1.01,1.0000,100,0.99,0.08,0.0,30000,1,1,0,,,iterations=1000,,
xor,cpu,thread,1,2,2,8,1000,iterations,3,0.041,0.040,0.043,0.041,0.001,0.040,0.043,1.9512,1.90,2.00,0.9756,195,1.95,0.08,0.0,31000,1,1,0,,,iterations=1000,,
xor,cpu,thread,1,4,4,8,1000,iterations,3,0.040,0.039,0.045,0.041,0.001,0.039,0.045,2.0000,1.90,2.05,0.5000,200,1.97,0.08,0.0,31500,1,1,0,,,iterations=1000,,
xor,cpu,hybrid,2,1,2,8,1000,iterations,3,0.045,0.044,0.047,0.045,0.001,0.044,0.047,1.7778,1.70,1.82,0.8889,177,1.90,0.08,0.01,60000,1,1,0,,,iterations=1000,,
xor,cpu,hybrid,2,2,4,8,1000,iterations,3,0.044,0.043,0.046,0.044,0.001,0.043,0.046,1.8182,1.74,1.86,0.4545,181,1.92,0.08,0.01,61000,1,1,0,,,iterations=1000,,
xor,cpu,hybrid,4,1,4,8,1000,iterations,3,0.050,0.048,0.052,0.050,0.001,0.048,0.052,1.6000,1.54,1.67,0.4000,160,1.88,0.08,0.01,90000,1,1,0,,,iterations=1000,,
"xor",cpu,"python-thread",1,2,2,8,1000,iterations,3,1.600,1.55,1.70,1.6,0.01,1.55,1.70,"",,,,5,0.99,1.6,0.0,40000,1,1,0,"","","iterations=1000",,
sleep,io,serial,1,1,1,8,10,ms,3,0.081,0.080,0.082,0.081,0.001,0.080,0.082,1.0000,0.99,1.01,1.0000,98,0.01,0.0,0.0,30000,8,0,0,0.0101,0.0105,sleep-ms=10,,
sleep,io,thread,1,4,4,8,10,ms,3,0.021,0.020,0.022,0.021,0.001,0.020,0.022,3.8571,3.70,4.00,0.9643,380,0.02,0.0,0.0,31000,8,0,0,0.0102,0.0121,sleep-ms=10,,
sleep,io,thread,1,8,8,8,10,ms,3,0.011,0.010,0.012,0.011,0.001,0.010,0.012,7.3636,7.00,7.90,0.9205,727,0.03,0.0,0.0,31500,8,0,0,0.0103,0.0140,sleep-ms=10,,
EOF
    cat > "$dir/raw.csv" << 'EOF'
run_id,order,workload,kind,model,processes,threads,workers,tasks,work,work_unit,repeat,wall_s,setup_s,user_s,sys_s,max_rss_kb,vcsw,ivcsw,checksum,ok,task_p50_s,task_p99_s,params,queue_p50_s,queue_p99_s
20990101T000000Z-selftest,1,xor,cpu,serial,1,1,1,8,1000,iterations,1,0.080,0.001,0.08,0.0,30000,1,1,0x1234,true,,,iterations=1000,,
EOF
    cat > "$dir/meta.json" << 'EOF'
{
  "experiment" : "seed-400",
  "host" : {
    "host_name" : "selftest-host",
    "logical_cores" : 2
  },
  "run_id" : "20990101T000000Z-selftest",
  "status" : "complete"
}
EOF
    cat > "$dir/experiment.csv" << 'EOF'
sink,config,language,processes,threads,items,seed_s,measured_median_s,measured_min_s,measured_max_s,runs
pipe,1x400,python,1,400,1000,17.000,3.0,2.9,4.2,3
pipe,1x400,swift,1,400,1000,17.000,0.36,0.33,1.26,3
pipe,4x1,swift,4,1,1000,,0.22,0.21,0.29,3
file,1x400,python,1,400,1000,17.000,3.02,2.93,5.33,3
file,1x400,swift,1,400,1000,17.000,0.22,0.22,0.23,3
file,4x1,swift,4,1,1000,,0.19,0.19,0.20,3
EOF
}

# copy_run NAME: a fresh copy of the valid run, for one broken variant.
copy_run() {
    rm -rf -- "${work:?}/$1"
    cp -R -- "$work/base" "$work/$1"
    printf '%s' "$work/$1"
}

make_run "$work/base"

# --- valid data ----------------------------------------------------------
expect 0 '^$' "valid run: charts drawn, gnuplot silent" -- "$work/base"
if [[ -f $work/base/plots/seed-400.png && -f $work/base/plots/hybrid-xor.svg && -f $work/base/plots/latency-sleep.png ]]; then
    pass "valid run: seed-400, hybrid and latency charts exist"
else
    flunk "valid run: seed-400, hybrid and latency charts exist"
fi

# A run folder whose name tries both gnuplot and the shell. A name cannot
# hold "/", so the payloads spell it: sprintf("%c", 47) in gnuplot, \057 in
# printf (octal: dash's printf, which gnuplot's ! runs, has no \x).
slash='sprintf("%c", 47)'
gnuplot_payload="'; system(\"touch \".$slash.\"tmp\".$slash.\"pwned3\") #"
shell_payload='`touch $(printf \\057tmp\\057pwned4)`$(touch $(printf \\057tmp\\057pwned5))'
# A line of its own starting with ! is a shell command to gnuplot.
bang_payload='!touch $(printf \\057tmp\\057pwned3)'
hostile_dir=$work/run$'\n'"$bang_payload"$'\n'"$gnuplot_payload$shell_payload'\""
cp -R -- "$work/base" "$hostile_dir"
rm -rf -- "$hostile_dir/plots"
expect 0 '^$' "run folder named with newline, quotes, backquotes" -- "$hostile_dir"
[[ -f $hostile_dir/plots/wall-xor.png ]] && pass "hostile folder: charts written inside it" || flunk "hostile folder: charts written inside it"
# Without meta.json and raw.csv the folder's name is the run id in the corner.
rm -f -- "$hostile_dir/meta.json" "$hostile_dir/raw.csv" "$hostile_dir/experiment.csv"
expect 0 '^$' "hostile folder name as the run id" -- "$hostile_dir"

# CRLF line ends and a blank last line are fine.
dir=$(copy_run crlf)
sed -i 's/$/\r/' "$dir/summary.csv"
printf '\r\n' >> "$dir/summary.csv"
expect 0 '^$' "CRLF line ends" -- "$dir"

# An experiment.csv with seed-400's columns and no name in meta.json.
dir=$(copy_run unnamed)
sed -i '/"experiment"/d' "$dir/meta.json"
expect 0 '^$' "unnamed experiment with seed-400 columns" -- "$dir"
[[ -f $dir/plots/seed-400.png ]] && pass "unnamed experiment: seed-400 chart drawn" || flunk "unnamed experiment: seed-400 chart drawn"

# The crossover experiment: its map of winners and speedup against CPU share.
make_crossover() {
    sed -i 's/"experiment" : "seed-400"/"experiment" : "crossover"/' "$1/meta.json"
    cat > "$1/experiment.csv" << 'EOF'
language,workers,cpu_share,cpu_us,wait_ms,result_bytes,model,wall_median_s,speedup,speedup_ci_lo,speedup_ci_hi,winner,margin,margin_ci_lo,margin_ci_hi,verdict
swift,2,0,0,2,8,thread,0.035,1.80,1.70,1.90,async,1.05,0.98,1.10,inconclusive
swift,2,0,0,2,8,async,0.033,1.90,1.80,2.00,async,1.05,0.98,1.10,inconclusive
swift,2,100,2000,0,8,thread,0.033,1.95,1.90,2.00,thread,1.40,1.30,1.50,clear
swift,2,100,2000,0,8,async,0.046,1.40,1.35,1.45,thread,1.40,1.30,1.50,clear
swift,2,0,0,2,1048576,thread,0.040,1.60,1.50,1.70,thread,2.50,2.20,2.80,clear
swift,2,100,2000,0,1048576,thread,0.040,1.80,1.70,1.90,thread,1.10,1.05,1.20,clear
python,2,0,0,2,8,python-async,0.035,1.90,1.80,2.00,python-async,1.30,1.20,1.40,clear
python,2,100,2000,0,8,python-process-pool,0.08,1.60,1.50,1.70,python-process-pool,1.70,1.60,1.80,clear
python,2,100,2000,0,1048576,python-thread,0.13,1.00,0.95,1.05,,,,,none
EOF
}
dir=$(copy_run crossover)
make_crossover "$dir"
expect 0 '^$' "crossover experiment: map and speedup drawn, gnuplot silent" -- "$dir"
[[ -f $dir/plots/crossover.png && -f $dir/plots/crossover.svg ]] && pass "crossover: chart exists" || flunk "crossover: chart exists"

# Speedup against one varied parameter (scan) and against the cores given
# (--cpus more than once): plot/scan.gp and plot/cores.gp.
dir=$(copy_run scan)
sed -n '/^"\{0,1\}xor/{s/,1000,iterations,/,2000,iterations,/; s/iterations=1000/iterations=2000/; p;}' "$dir/summary.csv" >> "$dir/summary.csv"
expect 0 '^$' "a scan over iterations, gnuplot silent" -- "$dir"
[[ -f $dir/plots/scan-xor-iterations.png && -f $dir/plots/scan-xor-iterations.svg ]] && pass "scan: chart exists" || flunk "scan: chart exists"
dir=$(copy_run cores)
awk 'NR == 1 { print $0 ",cpus"; next } { print $0 ",0" } /^"?xor/ { print $0 ",0+1" }' "$dir/summary.csv" > "$dir/s" && mv -- "$dir/s" "$dir/summary.csv"
expect 0 '^$' "a run on 1 and 2 cores, gnuplot silent" -- "$dir"
[[ -f $dir/plots/cores-xor.png && -f $dir/plots/cores-xor.svg ]] && pass "cores: chart exists" || flunk "cores: chart exists"

dir=$(copy_run crossovermodel)
make_crossover "$dir"
printf '%s\n' 'swift,2,0,0,2,8,"t\x27); system(""touch /tmp/pwned"") #",0.03,1.9,1.8,2.0,async,1.05,0.98,1.10,clear' >> "$dir/experiment.csv"
expect 1 'experiment\.csv:11: column model' "crossover: a model name with system()" -- "$dir"

# --- values that must stay data ------------------------------------------
dir=$(copy_run sink)
# RFC 4180 quoted: the field reads '); system("touch /tmp/pwned") #
printf '%s\n' "\"'); system(\"\"touch /tmp/pwned\"\") #\",4x1,swift,4,1,1000,,0.2,0.2,0.3,3" >> "$dir/experiment.csv"
expect 1 'experiment\.csv:8: column sink' "sink field with '); system(...) #" -- "$dir"

# The same, shaped to close a tic list as the charts before plot/ wrote it.
dir=$(copy_run sink2)
printf '%s\n' "\"x' 1); system(\"\"touch /tmp/pwned\"\") #\",4x1,swift,4,1,1000,,0.2,0.2,0.3,3" >> "$dir/experiment.csv"
expect 1 'experiment\.csv:8: column sink' "sink field with x' 1); system(...) #" -- "$dir"

dir=$(copy_run sinkquote)
printf '%s\n' "pi'pe,4x1,swift,4,1,1000,,0.2,0.2,0.3,3" >> "$dir/experiment.csv"
expect 1 'experiment\.csv:8: column sink' "sink field with a single quote" -- "$dir"

dir=$(copy_run model)
printf '%s\n' 'xor,cpu,`touch /tmp/pwned2`,1,2,2,8,1000,iterations,3,0.041,0.040,0.043,0.041,0.001,0.040,0.043,1.95,1.9,2.0,0.97,195,1.95,0.08,0.0,31000,1,1,0,,,iterations=1000,,' >> "$dir/summary.csv"
expect 1 'summary\.csv:12: column model' "model name with backquotes" -- "$dir"

dir=$(copy_run workload)
printf '%s\n' "xo'r\",cpu,serial,1,1,1,8,1000,iterations,3,0.08,0.08,0.08,0.08,0.0,0.08,0.08,1,1,1,1,100,1,0.08,0,30000,1,1,0,,,iterations=1000,," >> "$dir/summary.csv"
expect 1 'summary\.csv:12:' "workload with a quote" -- "$dir"

dir=$(copy_run params)
printf '%s\n' 'xor,cpu,thread,1,8,8,8,1000,iterations,3,0.04,0.04,0.04,0.04,0.0,0.04,0.04,2,2,2,0.25,200,2,0.08,0,31000,1,1,0,,,"iterations=1000;x=@ARG1 `touch /tmp/pwned6`",,' >> "$dir/summary.csv"
expect 1 'summary\.csv:12: column params' "params with a macro and backquotes" -- "$dir"

dir=$(copy_run linebreak)
printf '%s\n%s\n' 'xor,cpu,thread,1,8,8,8,1000,iterations,3,0.04,0.04,0.04,0.04,0.0,0.04,0.04,2,2,2,0.25,200,2,0.08,0,31000,1,1,0,,,"iterations=1000' '!touch /tmp/pwned7",,' >> "$dir/summary.csv"
expect 1 'summary\.csv:12: a quoted field is not closed' "a field with a line break" -- "$dir"

dir=$(copy_run header)
sed -i '1s/^workload,/workload,"a\x27b""c",/; 2,$s/^xor,/xor,x,/; 2,$s/^"xor",/"xor",x,/; 2,$s/^sleep,/sleep,x,/' "$dir/summary.csv"
expect 1 'summary\.csv:1: column 2 of the header' "a header column name with quotes" -- "$dir"

dir=$(copy_run host)
sed -i 's/"host_name" : "selftest-host"/"host_name" : "x\x27; system(\\"touch \/tmp\/pwned\\") #"/' "$dir/meta.json"
expect 1 'meta\.json:4: host_name' "host name with a quote and system()" -- "$dir"

dir=$(copy_run expname)
sed -i 's/"experiment" : "seed-400"/"experiment" : "..\/..\/seed-400"/' "$dir/meta.json"
expect 1 'meta\.json:2: experiment' "experiment name with a path" -- "$dir"

dir=$(copy_run unknownexp)
sed -i 's/"experiment" : "seed-400"/"experiment" : "no-such-experiment"/' "$dir/meta.json"
expect 0 '^$' "experiment without a chart file is skipped" -- "$dir"

dir=$(copy_run number)
sed -i '2s/,0\.080,0\.079,/,0.080;1,0.079,/' "$dir/summary.csv"
expect 1 'summary\.csv:2: column wall_median_s' "a number with a semicolon" -- "$dir"

# --- an experiment of probes ----------------------------------------------
# An experiment of probes (no cells): summary.csv and raw.csv a header alone,
# its chart drawn from experiment.csv, and nothing else.
dir=$(copy_run probes)
sed -i '2,$d' "$dir/summary.csv" "$dir/raw.csv"
sed -i 's/"seed-400"/"channels"/' "$dir/meta.json"
cat > "$dir/experiment.csv" << 'EOF'
record,language,subject,variant,size,size_unit,metric,sample,value,ci_lo,ci_hi,unit,claim_id,source,line,direction,verdict
median,swift,pipe,round-trip,8,B,rtt_p50_us,,5.3,5.1,5.6,us,,,,,
median,python,mp-pipe,round-trip,8,B,rtt_p50_us,,24.1,22.0,26.0,us,,,,,
median,swift,pipe,one-way,8,B,msgs_per_s,,1262340,1200000,1300000,msg/s,,,,,
median,python,mp-pipe,one-way,8,B,msgs_per_s,,290404,280000,300000,msg/s,,,,,
claim,swift,,,,,,,0.61,0.57,0.64,,threads-cheaper-pipe,004_95ac3f0aae6b03f9.txt,1,above,does-not-hold
EOF
expect 0 '^$' "experiment of probes: no cells, its chart only" -- "$dir"
if [[ -f $dir/plots/channels.png && $(ls "$dir/plots" | grep -cE '\.(png|svg)$') -eq 2 ]]; then
    pass "experiment of probes: channels chart exists, alone"
else
    flunk "experiment of probes: channels chart exists, alone"
fi

# --- nothing ran ---------------------------------------------------------
leaked=$(ls -d /tmp/pwned* 2> /dev/null; find "$work" -type f -name '*pwned*' 2> /dev/null)
if [[ -z $leaked ]]; then
    pass "no pwned file appeared (in /tmp or where plot.sh ran)"
else
    : > "$work/err"; : > "$work/out"
    flunk "a payload ran: ${leaked//$'\n'/ }"
fi

echo "selftest: $((checks - failures)) of $checks checks passed"
((failures == 0))
