#!/usr/bin/env bash
# plot.sh - gnuplot charts for one bench run folder.
#
# Usage: ./plot.sh [RUN_DIR]     RUN_DIR defaults to results/latest
#        ./plot.sh --help
#
# Writes RUN_DIR/plots/<chart>.png (pngcairo, 1000x600) and <chart>.svg,
# replacing the charts of an earlier call. The charts are drawn by the gnuplot
# files in plot/, one per chart kind; bench decides which charts apply (the
# plan, below) and this script draws them. A chart whose data the run lacks is skipped,
# never drawn empty. <w> is each workload of summary.csv; when the run measured
# it with several parameter sets or task counts, what differs is appended,
# e.g. wall-xor-iterations_1000000. Every model gets its own line, in a colour
# it keeps from run to run; python-* models are dashed with open points.
#
#   wall-<w>        median wall time against workers (log2), one line per
#                   model, bars from the fastest to the slowest run; serial's
#                   median as a dashed baseline
#   speedup-<w>     speedup with its 95% interval, the ideal line and a marker
#                   at the core count (needs a serial cell)
#   efficiency-<w>  speedup / workers
#   cpu-<w>         CPU utilisation, (user + sys) / wall
#   memory-<w>      memory: the sum of every process's PSS, beside the sum
#                   of their peak RSS (RSS alone for runs without pss_kb)
#   latency-<w>     one task's duration, p50 and p99 (io workloads whose
#                   task_p50_s / task_p99_s have values)
#   hybrid-<w>      the hybrid grid, processes x threads per process, as a
#                   heatmap of speedup (of median wall time without a serial
#                   cell), when it has more than one shape; python-hybrid-<w>
#                   likewise
#   scan-<workload>-<param>  speedup against the one numeric parameter the
#                   workload's rows vary, one line per model and worker count
#   <experiment>    e.g. seed-400.png: when the folder has experiment.csv, the
#                   chart of the experiment meta.json names, drawn by
#                   plot/experiment-<name>.gp (no name: seed-400, as before
#                   meta.json named experiments); crossover.png, for one, is
#                   the map of winners by CPU share and result size
#
# Inputs. bench plans the charts (Sources/Harness/Charts/ChartPlan.swift)
# and writes the plan into every run folder it writes:
#   plots/plan.tsv  one entry a line, tab-separated: corner, cores, models,
#                   data, note, chart, experiment, then "end N" (N = the
#                   lines above, so a plan cut short is refused)
#   plots/data/     the files gnuplot reads, checked field by field by bench
#                   and written without quotes: each chart's rows (its
#                   dataset's, or its workload's), every row for an
#                   experiment (summary-all.csv), fits.csv, experiment.csv;
#                   a chart reads the file its plan line names as summary.csv
# This script parses no CSV: it checks that the plan is whole and that each
# entry is fit to draw (chart names plain words, chart files of plot/, no
# control characters), then draws. For a folder without a plan (written
# before bench planned charts) it names the command that writes one:
#     bench plot RUN_DIR
# Values reach gnuplot only as argument strings or data, never as command
# text.
#
# Exit codes: 0 charts written; 1 data error (a missing or damaged plan or
# data file, named with the line); 2 usage (unknown option, RUN_DIR not a folder);
# 3 gnuplot is not installed; 4 some charts could not be written (a full
# disk, say): they are named, and no partial chart is left under a chart's name.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
readonly gp=$here/plot
readonly US=$'\x1f'           # a plan line's tabs become this: keeps empty fields
readonly INSTALL_HINT='apt-get install gnuplot-nox'
run_dir=''
tmp=''
plan=''
entries=()
corner=''; models=''; cores=''
charts=0
failed=()            # charts that could not be written (a full disk)
first_failure=''     # what the first of them failed with
chart_mode=644       # a chart's permissions: 0666 less the umask

usage() {
    # The comment block at the top of this file is the help text.
    sed -n '2,/^$/{/^#/{s/^# \{0,1\}//;p;};}' "$0"
}

# Prints `plot.sh: error: ...` and exits with $2 (default 1, a data error).
fail() {
    printf 'plot.sh: error: %s\n' "$1" >&2
    exit "${2:-1}"
}

# bad_plan LINE WHAT: a damaged plan is a data error that names the line.
bad_plan() {
    fail "$plan:$1: $2 — the plan is damaged; write it again with: bench plot $run_dir"
}

# read_plan: checks $plan whole before anything is drawn and fills $entries
# (one plan line each, fields separated by $US); copies the data files into
# the private folder under their names.
read_plan() {
    local line number=0 kind name script ended=''
    local -a fields data=()
    entries=()
    while IFS= read -r line || [[ -n $line ]]; do
        number=$((number + 1))
        [[ -z $ended ]] || bad_plan "$number" "a line after the end line"
        [[ ${line//$'\t'/} != *[[:cntrl:]]* ]] || bad_plan "$number" "a control character"
        IFS=$US read -r -a fields <<< "${line//$'\t'/$US}$US"
        kind=${fields[0]:-}
        case $kind:${#fields[@]} in
            corner:2 | cores:2 | models:2 | note:2) ;;
            data:2)
                name=${fields[1]}
                [[ $name =~ ^[A-Za-z0-9._+-]+\.csv$ ]] || bad_plan "$number" "data file '$name' is not a plain name"
                [[ -f $run_dir/plots/data/$name ]] || bad_plan "$number" "plots/data/$name is missing"
                # gnuplot 5.4 misreads quotes and CRs; bench writes neither.
                ! grep -q $'["\r]' -- "$run_dir/plots/data/$name" || bad_plan "$number" "plots/data/$name holds a quote or CR"
                data+=("$name")
                cp -- "$run_dir/plots/data/$name" "$tmp/$name" || fail "cannot copy plots/data/$name to $tmp — free some space in ${TMPDIR:-/tmp}, or set TMPDIR"
                ;;
            chart:9 | experiment:4)
                name=${fields[1]} script=${fields[2]}
                [[ $name =~ ^[A-Za-z0-9._+-]+$ ]] || bad_plan "$number" "chart name '$name' is not a plain name"
                [[ $script =~ ^[a-z0-9-]+\.gp$ && -f $gp/$script ]] || bad_plan "$number" "'$script' is not a chart file of plot/"
                [[ " ${data[*]} " == *" ${fields[3]} "* ]] || bad_plan "$number" "data file '${fields[3]}' is not on a data line above"
                ;;
            end:2)
                [[ ${fields[1]} == $((number - 1)) ]] || bad_plan "$number" "the end line says ${fields[1]} lines, the plan has $((number - 1))"
                ended=1
                continue
                ;;
            *) bad_plan "$number" "'${kind}' with ${#fields[@]} fields is not a plan entry" ;;
        esac
        entries+=("${line//$'\t'/$US}")
    done < "$plan"
    [[ -n $ended ]] || bad_plan "$number" "no end line (cut short?)"
}

# render NAME SCRIPT [ARG4...]: runs one chart in the private folder, where
# the CSV files are copies under fixed names; every value goes to gnuplot as
# an argument string (ARG1...), never as command text. A chart that finds
# nothing to draw writes no file and is skipped.
render() {
    local name=$1 script=$2 log=$tmp/gnuplot.log
    shift 2
    rm -f -- "$tmp/chart.png" "$tmp/chart.svg"
    if ! (cd -- "$tmp" && exec gnuplot -c "$script" "$corner" "$models" "$cores" "$@") > "$log" 2>&1; then
        sed 's/^/    /' "$log" >&2
        fail "gnuplot could not draw $name (above: what it said) — this is a bug in plot/$script; please report it with the run folder"
    fi
    if [[ -s $log ]]; then
        printf 'plot.sh: gnuplot on %s:\n' "$name" >&2
        sed 's/^/    /' "$log" >&2
    fi
    [[ -f $tmp/chart.png ]] || return 0
    # gnuplot says nothing when it cannot write its output: an empty file is a chart that failed.
    if [[ ! -s $tmp/chart.png || ! -s $tmp/chart.svg ]]; then
        failed+=("$name.png" "$name.svg")
        first_failure=${first_failure:-"gnuplot wrote an empty file in ${TMPDIR:-/tmp} (is it full?)"}
        return 0
    fi
    mv -- "$tmp/chart.png" "$tmp/out/$name.png"
    mv -- "$tmp/chart.svg" "$tmp/out/$name.svg"
    charts=$((charts + 1))
}

# install FILE PLOTS: copies a drawn chart into PLOTS under its name, through
# a temporary file there (mktemp) and a rename, so that a chart is whole or
# absent; one that cannot be written is added to $failed, its copy removed.
install_chart() {
    local file=$1 plots=$2 name=${1##*/} part error
    if ! part=$(mktemp -- "$plots/.$name.XXXXXX" 2>&1); then
        failed+=("$name")
        first_failure=${first_failure:-$part}
        return 0
    fi
    if error=$(cp -- "$file" "$part" 2>&1 && chmod -- "$chart_mode" "$part" 2>&1 && mv -f -- "$part" "$plots/$name" 2>&1); then
        return 0
    fi
    rm -f -- "$part"
    failed+=("$name")
    first_failure=${first_failure:-$error}
}

main() {
    while (($# > 0)); do
        case $1 in
            -h | --help) usage; exit 0 ;;
            --) shift; [[ $# -eq 0 ]] || { run_dir=$1; shift; }; [[ $# -eq 0 ]] || fail "too many arguments — usage: ./plot.sh [RUN_DIR]" 2; break ;;
            -*) fail "unknown option '$1' — usage: ./plot.sh [RUN_DIR] (see ./plot.sh --help)" 2 ;;
            *) [[ -z $run_dir ]] || fail "too many arguments — usage: ./plot.sh [RUN_DIR]" 2; run_dir=$1 ;;
        esac
        shift
    done
    run_dir=${run_dir:-results/latest}

    command -v gnuplot > /dev/null 2>&1 || fail "gnuplot is not installed — install it with: $INSTALL_HINT (then rerun ./plot.sh)" 3
    [[ -d $run_dir ]] || fail "$run_dir is not a run folder — pass a folder under results/ holding summary.csv (default: results/latest)" 2

    tmp=$(mktemp -d "${TMPDIR:-/tmp}/plot.XXXXXX")
    trap 'rm -rf -- "$tmp"' EXIT
    mkdir -- "$tmp/out"

    plan=$run_dir/plots/plan.tsv
    [[ -f $plan ]] || fail "$plan: missing (a folder from before bench planned its charts) — write it with: bench plot $run_dir"
    read_plan
    cp -- "$gp"/*.gp "$tmp/" 2> /dev/null || fail "cannot copy the chart files to $tmp — free some space in ${TMPDIR:-/tmp}, or set TMPDIR"

    local entry kind name script data subtitle workload params twu extra
    for entry in "${entries[@]}"; do
        IFS=$US read -r kind name script data subtitle workload params twu extra <<< "$entry"
        # The chart files read their rows as summary.csv: this chart's.
        if [[ $kind == chart || $kind == experiment ]]; then
            cp -- "$tmp/$data" "$tmp/summary.csv" || fail "cannot copy $data in $tmp — free some space in ${TMPDIR:-/tmp}, or set TMPDIR"
        fi
        case $kind in
            corner) corner=$name ;;
            cores) cores=$name ;;
            models) models=$name ;;
            note) echo "plot.sh: $name" ;;
            chart) render "$name" "$script" "$subtitle" "$workload" "$params" "$twu" "$extra" ;;
            experiment) render "$name" "$script" ;;
        esac
    done

    # Only now, with every chart drawn, replace the charts of earlier calls.
    local plots=$run_dir/plots file
    chart_mode=$(printf '%o' $((0666 & ~0$(umask))))
    mkdir -p -- "$plots"
    rm -f -- "$plots"/*.png "$plots"/*.svg
    for file in "$tmp"/out/*; do
        [[ -e $file ]] && install_chart "$file" "$plots"
    done
    if ((${#failed[@]} > 0)); then
        fail "${#failed[@]} chart files could not be written in $plots and were left out (${failed[*]}): ${first_failure##*$'\n'} — free some space and rerun ./plot.sh $run_dir" 4
    fi
    echo "plot.sh: $charts charts in $plots"
}

main "$@"
