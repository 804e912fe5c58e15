#!/usr/bin/env bash
# plot.sh - gnuplot charts for one bench run folder.
#
# Usage: ./plot.sh [RUN_DIR]     RUN_DIR defaults to results/latest
#        ./plot.sh --help
#
# Writes RUN_DIR/plots/<chart>.png (pngcairo, 1000x600) and <chart>.svg,
# replacing the charts of an earlier call. The charts are drawn by the gnuplot
# files in plot/, one per chart kind; this script checks the run folder and
# decides which charts apply. A chart whose data the run lacks is skipped,
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
# Inputs. Columns are found by name; extra columns are ignored; an empty field
# means "does not apply". RFC 4180 quoting is understood, but a field must not
# hold a line break.
#   summary.csv     required: the columns of DESIGN.md ("results/ and CSV")
#                   that the charts read (SUMMARY_COLUMNS below); params,
#                   task_p50_s and task_p99_s are used when present; a header
#                   alone for an experiment whose chart file has the line
#                   "# cells: none" (probes, not cells: its chart is the only one)
#   raw.csv         optional: gives the run id when meta.json does not
#   fits.csv        optional: the Universal Scalability Law fitted per model
#                   (workload,params,tasks,model,sigma,kappa...,interpreter):
#                   drawn as a dotted curve on the speedup charts
#   meta.json       optional: run id, host name, logical cores, status,
#                   experiment (read with awk, one key per line)
#   experiment.csv  optional: the experiment's rows, with the columns named
#                   on the "# columns:" line of plot/experiment-<name>.gp;
#                   for seed-400, one row per sink x configuration x language:
#     sink               where the printed numbers went: devnull, file, pipe, tty...
#     config             the configuration's short name, e.g. 1x400 or 4x400
#     language           language of the measured program, e.g. swift, python
#     processes,threads  the configuration's shape, e.g. 4 and 400
#     items              numbers printed in total, e.g. 100000
#     seed_s             the tutorial's published time, seconds; empty if none
#     measured_median_s  median measured wall time, seconds; empty if not run
#     measured_min_s     fastest measured run, seconds (error bar; may be empty)
#     measured_max_s     slowest measured run, seconds (error bar; may be empty)
#     runs               number of measured runs
# Names (workload, model, kind, sink...) may hold only letters, digits and
# . _ + -, other text fields only those and = ; : / %. A file with anything
# else is refused as a data error (plot/plan.awk has the rules): no value from
# a file or a folder name ever becomes gnuplot command text.
#
# Exit codes: 0 charts written; 1 data error (a missing, empty or malformed
# file, named with the line); 2 usage (unknown option, RUN_DIR not a folder);
# 3 gnuplot is not installed; 4 some charts could not be written (a full
# disk, say): they are named, and no partial chart is left under a chart's name.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
readonly gp=$here/plot
readonly US=$'\x1f'           # plan.awk's field separator: keeps empty fields
readonly INSTALL_HINT='apt-get install gnuplot-nox'
# The columns the charts read; anything else in the header is ignored.
readonly SUMMARY_COLUMNS=workload,kind,model,processes,threads,workers,tasks,work,work_unit,wall_median_s,wall_min_s,wall_max_s,speedup,speedup_ci_lo,speedup_ci_hi,efficiency,cpu_util,max_rss_kb

run_dir=''
tmp=''
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

# check_csv FILE MODE REQUIRED NONEMPTY [PICK [COPY]]: plan.awk on FILE (see
# there), which also writes the copy gnuplot reads to COPY.
check_csv() {
    [[ -e $1 ]] || fail "$1: missing — run bench to make a complete run folder, or pass another RUN_DIR"
    [[ -f $1 && -r $1 ]] || fail "$1: not a readable file"
    [[ -s $1 ]] || fail "$1: empty (no header line) — the run did not finish writing it; rerun bench"
    CSV_FILE=$1 COPY_TO=${6:-} awk -v mode="$2" -v required="$3" -v nonempty="$4" -v pick="${5:-}" -v allow_empty="${ALLOW_EMPTY:-}" \
        -v known="$(sed -n 's/^known_models = "\(.*\)"$/\1/p' "$gp/style.gp")" -f "$gp/plan.awk" -- "$1"
}

# meta KEY: the value of the first "KEY" : ... line of meta.json (bench
# pretty-prints one key per line), empty when absent or null. A value with
# characters other than letters, digits and . _ + - is a data error.
meta() {
    [[ -f $run_dir/meta.json ]] || return 0
    CSV_FILE=$run_dir/meta.json awk -v key="$1" '
        {
            line = $0
            sub(/^[ \t]*/, "", line)
            if (index(line, "\"" key "\"") != 1) next
            v = substr(line, length(key) + 3)
            if (v !~ /^[ \t]*:/) next
            sub(/^[ \t]*:[ \t]*/, "", v); sub(/[ \t]*,?[ \t\r]*$/, "", v)
            if (v ~ /^".*"$/) v = substr(v, 2, length(v) - 2)
            if (v == "" || v == "null") exit
            if (v !~ /^[A-Za-z0-9._+-]+$/) {
                printf "plot.sh: error: %s:%d: %s has a character other than letters, digits and . _ + -\n", \
                    ENVIRON["CSV_FILE"], NR, key > "/dev/stderr"
                exit 1
            }
            print v
            exit
        }' "$run_dir/meta.json"
}

# The columns plot/experiment-NAME.gp needs, from its "# columns:" line.
experiment_columns() {
    sed -n 's/^# columns: //p' "$gp/experiment-$1.gp"
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

    # An experiment whose chart file says `# cells: none` (channels, handoff,
    # pool-calls) measures with probes of its own, not cells: its summary.csv
    # and raw.csv are a header alone.
    local no_cells='' named=''
    if [[ -e $run_dir/experiment.csv ]]; then
        named=$(meta experiment)
        if [[ -n $named && -f $gp/experiment-$named.gp ]] && grep -qx '# cells: none' "$gp/experiment-$named.gp"; then
            no_cells=1
        fi
    fi
    ALLOW_EMPTY=$no_cells check_csv "$run_dir/summary.csv" summary "$SUMMARY_COLUMNS" workload,model,processes,workers,tasks,wall_median_s \
        '' "$tmp/summary.csv" > "$tmp/plan"

    local id host status quota experiment=''
    id=$(meta run_id)
    host=$(meta host_name)
    status=$(meta status)
    cores=$(meta logical_cores)
    quota=$(meta cgroup_cpu_quota)
    [[ $cores =~ ^[0-9]+$ ]] || cores=''
    if [[ -e $run_dir/raw.csv ]]; then
        local raw_id
        raw_id=$(ALLOW_EMPTY=$no_cells check_csv "$run_dir/raw.csv" check run_id,workload,model,wall_s run_id run_id)
        id=${id:-$raw_id}
    fi
    if [[ -z $id ]]; then
        # The folder's name, shown only: anything but a plain word becomes _.
        id=$(cd -- "$run_dir" && pwd -P)
        id=${id##*/}
        id=${id//[^A-Za-z0-9._-]/_}
    fi
    corner="run $id · host ${host:-unknown} · ${cores:-?} cores"
    [[ -z $quota ]] || corner+=" (cgroup quota $quota CPUs)"
    [[ -z $status || $status == complete ]] || corner+=" · run $status"

    if [[ -e $run_dir/experiment.csv ]]; then
        experiment=$(meta experiment)
        # Runs from before meta.json named the experiment had only seed-400.
        experiment=${experiment:-seed-400}
        if [[ ! -f $gp/experiment-$experiment.gp ]]; then
            echo "plot.sh: no $experiment chart: plot/experiment-$experiment.gp does not exist"
            experiment=''
        else
            check_csv "$run_dir/experiment.csv" check "$(experiment_columns "$experiment")" '' '' "$tmp/experiment.csv"
        fi
    fi
    # The scaling fits bench wrote (fits.csv), drawn as curves on the speedup charts.
    # A run without fits (or with an empty file) gets a row that matches no
    # chart, so the charts need not test for the file.
    if [[ -e $run_dir/fits.csv ]] && (($(wc -l < "$run_dir/fits.csv") > 1)); then
        # (fits.csv from before the interpreter axis gets an empty interpreter column.)
        PAD_COLUMN=interpreter check_csv "$run_dir/fits.csv" check workload,params,tasks,model,sigma,kappa '' '' "$tmp/fits.csv"
    else
        printf 'workload,params,tasks,model,sigma,kappa,interpreter\n-,-,0,-,,,-\n' > "$tmp/fits.csv"
    fi
    cp -- "$gp"/*.gp "$tmp/" 2> /dev/null || fail "cannot copy the chart files to $tmp — free some space in ${TMPDIR:-/tmp}, or set TMPDIR"

    local kind name script subtitle workload params twu extra
    while IFS=$US read -r kind name script subtitle workload params twu extra; do
        case $kind in
            models) models=$name ;;
            note) echo "plot.sh: $name" ;;
            chart) render "$name" "$script" "$subtitle" "$workload" "$params" "$twu" "$extra" ;;
        esac
    done < "$tmp/plan"
    [[ -z $experiment ]] || render "$experiment" "experiment-$experiment.gp"

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
