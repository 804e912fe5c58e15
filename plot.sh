#!/usr/bin/env bash
# plot.sh - gnuplot charts for one bench run folder.
#
# Usage: ./plot.sh [RUN_DIR]     RUN_DIR defaults to results/latest
#        ./plot.sh --help
#
# Reads only the run folder and writes RUN_DIR/plots/<chart>.png (pngcairo)
# and <chart>.svg, replacing the charts of an earlier call. A chart whose data
# the run lacks is skipped, never drawn empty. <w> is each workload found in
# summary.csv (with its task size appended when the run measured one workload
# at several sizes); every model found there gets its own line.
#
#   wall-<w>.png        median wall time against workers, one line per model,
#                       log2 x axis, bars from the fastest to the slowest run;
#                       serial's median as a dashed baseline
#   speedup-<w>.png     speedup against workers with its 95% interval, the
#                       ideal line and a marker at the core count
#                       (needs a serial cell of the same workload)
#   efficiency-<w>.png  efficiency (speedup / workers) against workers
#   cpu-<w>.png         CPU utilisation, (user + sys) / wall, against workers
#   memory-<w>.png      peak memory (sum of every process's peak RSS)
#   hybrid-<w>.png      the hybrid grid, processes x threads per process, as
#                       a heatmap of speedup (of median wall time when there is
#                       no serial cell); only when model=hybrid rows have
#                       several process counts or several thread counts
#   seed-400.png        the seed-400 experiment as grouped bars, one group per
#                       sink: the tutorial's figures beside the measured ones;
#                       only when the run folder has experiment.csv
#
# Inputs. Columns are found by name (extra columns are ignored); an empty
# field means "does not apply". RFC 4180 quoting is understood, but a field
# must not contain a line break.
#   summary.csv     required: the columns of DESIGN.md ("results/ and CSV")
#   raw.csv         optional: the DESIGN.md columns; gives the run id
#   meta.json       optional: host name, logical cores, status (read with sed)
#   experiment.csv  optional: seed-400, one row per sink x configuration x
#                   language, with these columns:
#     sink               where the printed numbers went: devnull, file, pipe, tty...
#     config             the configuration's short name, e.g. 1x400 or 4x400
#     language           language of the measured program, e.g. swift
#     processes,threads  the configuration's shape, e.g. 4 and 400
#     items              numbers printed in total, e.g. 100000
#     seed_s             the tutorial's published time for this configuration,
#                        seconds; empty when it published none
#     measured_median_s  median measured wall time, seconds; empty if not run
#     measured_min_s     fastest measured run, seconds (error bar; may be empty)
#     measured_max_s     slowest measured run, seconds (error bar; may be empty)
#     runs               number of measured runs
#
# Exit codes: 0 charts written; 1 data error (a missing, empty or malformed
# file, named with the line); 2 usage (unknown option, RUN_DIR not a folder);
# 3 gnuplot is not installed.

# $1, $2... in single quotes below are gnuplot's column numbers, not bash's.
# shellcheck disable=SC2016
set -euo pipefail

# The column contracts (DESIGN.md, and the experiment.csv proposal above).
readonly SUMMARY_COLUMNS=workload,kind,model,processes,threads,workers,tasks,work,work_unit,runs,wall_median_s,wall_min_s,wall_max_s,wall_mean_s,wall_stddev_s,wall_ci_lo_s,wall_ci_hi_s,speedup,speedup_ci_lo,speedup_ci_hi,efficiency,throughput_tps,cpu_util,user_s,sys_s,max_rss_kb,vcsw,ivcsw,outliers
readonly RAW_COLUMNS=run_id,order,workload,kind,model,processes,threads,workers,tasks,work,work_unit,repeat,wall_s,setup_s,user_s,sys_s,max_rss_kb,vcsw,ivcsw,checksum,ok
readonly EXPERIMENT_COLUMNS=sink,config,language,processes,threads,items,seed_s,measured_median_s,measured_min_s,measured_max_s,runs

# Known models keep their colour from run to run, so charts of different runs
# compare at a glance; models this list does not know follow in order of
# appearance. (Which charts and lines exist depends only on the CSV.)
readonly KNOWN_MODELS=serial,thread,process-pool,hybrid,async
# Okabe-Ito colours: told apart with the common colour-vision deficiencies.
readonly COLOURS='#0072B2 #D55E00 #009E73 #CC79A7 #E69F00 #56B4E9 #000000'

readonly INSTALL_HINT='apt-get install gnuplot-nox'
readonly TAB=$'\t'
# Separates the fields bash reads back: unlike a tab, it is not whitespace to
# `read`, so an empty field (e.g. the work of noop) stays a field.
readonly US=$'\x1f'

work=''        # temporary folder for .dat files and scripts, removed on exit
plots=''       # RUN_DIR/plots
corner=''      # run id, host and cores, printed in a corner of every chart
cores=''       # logical cores of the measuring host, empty when unknown
charts=0       # charts written
models=''      # every model of the run, in colour order (comma-separated)
ylog=''        # "log scale" when y_scale chose one for the current chart

usage() {
    # The comment block at the top of this file is the help text.
    sed -n '2,/^$/{/^#/{s/^# \{0,1\}//;p;};}' "$0"
}

# Prints `plot.sh: error: ...` and exits with $2 (default 1, a data error).
fail() {
    printf 'plot.sh: error: %s\n' "$1" >&2
    exit "${2:-1}"
}

# A gnuplot single-quoted string: only '' needs escaping there, and nothing
# inside is interpreted, so any workload or model name prints literally.
gq() {
    printf "'%s'" "${1//\'/\'\'}"
}

# A file-name-safe form of a name.
slug() {
    printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'
}

# ---------------------------------------------------------------------------
# Reading and validating the CSV
# ---------------------------------------------------------------------------

# load_csv FILE REQUIRED NONEMPTY INTEGERS NUMBERS > TSV
# Checks FILE against the comma-separated column names REQUIRED (present in
# the header, in any order), every row's field count against the header, that
# NONEMPTY fields hold something and that INTEGERS/NUMBERS fields, when not
# empty, are plain numbers. Writes the REQUIRED columns, in that order, as
# tab-separated lines after a header line. Errors name the file and the line.
load_csv() {
    local file=$1
    [[ -e $file ]] || fail "$file: missing — run bench to make a complete run folder, or pass another RUN_DIR"
    [[ -f $file && -r $file ]] || fail "$file: not a readable file"
    [[ -s $file ]] || fail "$file: empty (no header line) — the run did not finish writing it; rerun bench"
    CSV_FILE=$file awk -v required="$2" -v nonempty="$3" -v integers="$4" -v numbers="$5" '
        # One line into fields; RFC 4180 quotes ("" is a quote inside quotes).
        function split_csv(line, out,    n, i, c, field, quoted, len) {
            if (index(line, "\"") == 0) return split(line, out, ",")
            n = 0; field = ""; quoted = 0; len = length(line)
            for (i = 1; i <= len; i++) {
                c = substr(line, i, 1)
                if (quoted) {
                    if (c != "\"") field = field c
                    else if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
                    else quoted = 0
                } else if (c == "\"") quoted = 1
                else if (c == ",") { out[++n] = field; field = "" }
                else field = field c
            }
            if (quoted) return -1
            out[++n] = field
            return n
        }
        function complain(line, message) {
            printf "plot.sh: error: %s:%d: %s\n", file, line, message > "/dev/stderr"
            failed = 1
            exit 1
        }
        function set_of(list, set,    parts, n, i) {
            n = split(list, parts, ",")
            for (i = 1; i <= n; i++) set[parts[i]] = 1
        }
        BEGIN {
            file = ENVIRON["CSV_FILE"]
            nrequired = split(required, wanted, ",")
            set_of(nonempty, must_have); set_of(integers, is_integer); set_of(numbers, is_number)
        }
        { sub(/\r$/, "") }      # tolerate CRLF line ends
        NR == 1 {
            columns = split_csv($0, header)
            if (columns < 0) complain(1, "the header has an unterminated quote")
            for (i = 1; i <= columns; i++) where[header[i]] = i
            missing = ""
            for (i = 1; i <= nrequired; i++)
                if (!(wanted[i] in where)) missing = missing (missing == "" ? "" : ", ") wanted[i]
            if (missing != "")
                complain(1, "the header lacks " missing " — expected a header with the columns " required)
            line = wanted[1]
            for (i = 2; i <= nrequired; i++) line = line "\t" wanted[i]
            print line
            next
        }
        $0 == "" { next }       # a blank line carries no row
        {
            n = split_csv($0, field)
            if (n < 0) complain(NR, "a quoted field is not closed on this line")
            if (n != columns) complain(NR, n " fields, but the header has " columns " — the line is damaged; rerun bench or fix it")
            line = ""
            for (i = 1; i <= nrequired; i++) {
                name = wanted[i]; value = field[where[name]]
                if (value == "") {
                    if (name in must_have) complain(NR, "column " name " is empty, but every row needs it")
                } else if (name in is_integer) {
                    if (value !~ /^[0-9]+$/) complain(NR, "column " name " is \"" value "\", not a whole number")
                } else if (name in is_number) {
                    if (value !~ /^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/)
                        complain(NR, "column " name " is \"" value "\", not a number")
                }
                gsub(/\t/, " ", value)
                line = line (i == 1 ? "" : "\t") value
            }
            print line
            rows++
        }
        END {
            if (failed) exit 1
            if (rows == 0) {
                printf "plot.sh: error: %s:1: a header but no rows — the run measured nothing; rerun bench\n", file > "/dev/stderr"
                exit 1
            }
        }' "$file"
}

# Validates summary.csv into $work/summary.tsv, rows sorted by workers so
# every series is drawn left to right.
load_summary() {
    local run_dir=$1
    load_csv "$run_dir/summary.csv" "$SUMMARY_COLUMNS" \
        workload,model,processes,workers,tasks,wall_median_s \
        processes,threads,workers,tasks,runs,outliers \
        work,wall_median_s,wall_min_s,wall_max_s,wall_mean_s,wall_stddev_s,wall_ci_lo_s,wall_ci_hi_s,speedup,speedup_ci_lo,speedup_ci_hi,efficiency,throughput_tps,cpu_util,user_s,sys_s,max_rss_kb,vcsw,ivcsw \
        > "$work/summary.unsorted" || exit 1
    # workers is the 6th DESIGN column; -s keeps the file's order otherwise.
    { head -n 1 "$work/summary.unsorted"; tail -n +2 "$work/summary.unsorted" | sort -s -t "$TAB" -k6,6n; } > "$work/summary.tsv"
}

# The run id: from raw.csv when present (validated too), else meta.json, else
# the folder's name.
run_id_of() {
    local run_dir=$1 id=''
    if [[ -e $run_dir/raw.csv ]]; then
        load_csv "$run_dir/raw.csv" "$RAW_COLUMNS" run_id,workload,model,workers \
            order,processes,threads,workers,tasks,repeat,max_rss_kb,vcsw,ivcsw \
            work,wall_s,setup_s,user_s,sys_s > "$work/raw.tsv" || exit 1
        id=$(awk -F '\t' 'NR == 2 { print $1; exit }' "$work/raw.tsv")
    fi
    [[ -n $id ]] || id=$(meta_string "$run_dir" run_id)
    [[ -n $id ]] || id=$(basename "$(cd "$run_dir" && pwd -P)")
    printf '%s' "$id"
}

# meta_string RUN_DIR KEY: a string value of meta.json (pretty-printed by bench,
# one key per line), or nothing. No JSON parser is needed for these few keys.
meta_string() {
    [[ -f $1/meta.json ]] || return 0
    sed -n "/^[[:space:]]*\"$2\"[[:space:]]*:[[:space:]]*\"/{s/^[^:]*:[[:space:]]*\"\(.*\)\"[[:space:]]*,\{0,1\}[[:space:]]*$/\1/p;q;}" "$1/meta.json"
}

# meta_number RUN_DIR KEY: a numeric value of meta.json, or nothing.
meta_number() {
    [[ -f $1/meta.json ]] || return 0
    sed -n "/^[[:space:]]*\"$2\"[[:space:]]*:[[:space:]]*[0-9]/{s/^[^:]*:[[:space:]]*\([0-9.]*\).*/\1/p;q;}" "$1/meta.json"
}

# ---------------------------------------------------------------------------
# Splitting the data for gnuplot
# ---------------------------------------------------------------------------

# Every model of the run in colour order: the known ones first (whether
# present or not, so each keeps its colour), then the others as they appear.
model_order() {
    awk -F '\t' -v known="$KNOWN_MODELS" '
        BEGIN { order = known; n = split(known, k, ","); for (i = 1; i <= n; i++) seen[k[i]] = 1 }
        NR > 1 && !($3 in seen) { seen[$3] = 1; order = order "," $3 }
        END { print order }' "$work/summary.tsv"
}

# The datasets of the run: rows sharing workload, tasks and work can share a
# chart. Prints slug, workload, kind, tasks, work, work_unit (tab-separated);
# the slug is the workload, plus the size when the workload has several.
datasets() {
    awk -F '\t' '
        NR > 1 {
            key = $1 "\t" $2 "\t" $7 "\t" $8 "\t" $9
            if (!(key in seen)) { seen[key] = 1; keys[++n] = key; sizes[$1]++ }
        }
        END {
            for (i = 1; i <= n; i++) {
                split(keys[i], f, "\t")
                slug = f[1]
                if (sizes[f[1]] > 1) slug = slug "-" f[3] "tasks" (f[4] == "" ? "" : "-" f[4] f[5])
                gsub(/\t/, "\037", keys[i])
                print slug "\037" keys[i]
            }
        }' "$work/summary.tsv"
}

# series DIR YCOL LOCOL HICOL POSITIVE: writes one file per series of the
# current dataset ($ds_*) into DIR (lines: workers y low high) and a manifest
# DIR/series.tsv (file, title, colour, point type, dash type, model, points).
# A series is a model; a model with several rows at the same worker count
# (hybrid at several process counts) is split into one series per process
# count. Rows without a y value are left out; POSITIVE=1 also leaves out
# values a log axis cannot show. Missing bounds collapse onto y.
# DIR/stats gets: xmin xmax ymin ymax and the distinct worker counts.
series() {
    local dir=$1
    mkdir -p "$dir"
    DIR=$dir WORKLOAD=$ds_workload TASKS=$ds_tasks WORK=$ds_work UNIT=$ds_unit \
    awk -F '\t' -v ycol="$2" -v locol="$3" -v hicol="$4" -v positive="$5" \
        -v order="$models" -v colours="$COLOURS" '
        BEGIN {
            dir = ENVIRON["DIR"]
            ncolours = split(colours, colour, " ")
            nmodels = split(order, model_list, ",")
            for (i = 1; i <= nmodels; i++) rank[model_list[i]] = i
        }
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["workload"] != ENVIRON["WORKLOAD"] || $c["tasks"] != ENVIRON["TASKS"] ||
        $c["work"] != ENVIRON["WORK"] || $c["work_unit"] != ENVIRON["UNIT"] { next }
        {
            m = $c["model"]; w = $c["workers"]; p = $c["processes"]
            if (w + 0 <= 0) next    # a log2 axis cannot place it
            if ((m, w) in at) split_by_processes[m] = 1
            at[m, w] = 1
            y = $c[ycol]
            if (y == "" || (positive && y + 0 <= 0)) next
            lo = (locol == "" ? "" : $c[locol]); hi = (hicol == "" ? "" : $c[hicol])
            if (lo == "" || (positive && lo + 0 <= 0)) lo = y
            if (hi == "") hi = y
            n++; rm[n] = m; rp[n] = p; line[n] = w " " y " " lo " " hi
            if (xmin == "" || w + 0 < xmin + 0) xmin = w
            if (xmax == "" || w + 0 > xmax + 0) xmax = w
            if (ymin == "" || y + 0 < ymin + 0) ymin = y
            if (ymax == "" || y + 0 > ymax + 0) ymax = y
            if (!(w in xseen)) { xseen[w] = 1; xs = xs (xs == "" ? "" : ",") w }
        }
        END {
            if (n == 0) exit 0
            for (i = 1; i <= n; i++) {
                key = rm[i] (rm[i] in split_by_processes ? SUBSEP rp[i] : "")
                if (!(key in file)) {
                    keys++; file[key] = dir "/s" keys ".dat"; model_of[key] = rm[i]; proc_of[key] = rp[i]
                    key_at[keys] = key
                }
                print line[i] > file[key]
                points[key]++
            }
            # Manifest in colour order, then by process count within a model.
            for (r = 1; r <= nmodels; r++) {
                count = 0
                for (pass = 1; pass <= keys; pass++) {
                    # Smallest process count not yet listed for this model.
                    best = ""
                    for (j = 1; j <= keys; j++) {
                        key = key_at[j]
                        if (model_of[key] != model_list[r] || (key in listed)) continue
                        if (best == "" || proc_of[key] + 0 < proc_of[best] + 0) best = key
                    }
                    if (best == "") break
                    listed[best] = 1; count++
                    title = model_list[r]
                    if (best != model_list[r]) title = title ", " proc_of[best] " process" (proc_of[best] == 1 ? "" : "es")
                    printf "%s\t%s\t%s\t%d\t%d\t%s\t%d\n", file[best], title, colour[(r - 1) % ncolours + 1],
                        (count == 1 ? 7 : count == 2 ? 5 : count == 3 ? 9 : count + 3), count, model_list[r], points[best] > (dir "/series.tsv")
                }
            }
            print xmin, xmax, ymin, ymax, xs > (dir "/stats")
        }' "$work/summary.tsv"
}

# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------

# render NAME SCRIPT: draws the gnuplot SCRIPT twice, as plots/NAME.png and
# plots/NAME.svg. Anything gnuplot says is passed on: a clean chart says nothing.
render() {
    local name=$1 script=$2 log=$work/gnuplot.log
    if ! gnuplot > "$log" 2>&1 <<EOF
set terminal pngcairo size 1000,600 font ',10' noenhanced
set output $(gq "$plots/$name.png")
load $(gq "$script")
reset
set terminal svg size 1000,600 font ',10' noenhanced dynamic background rgb 'white'
set output $(gq "$plots/$name.svg")
load $(gq "$script")
unset output
EOF
    then
        sed 's/^/    /' "$log" >&2
        fail "gnuplot could not draw $name (above: what it said) — this is a bug in plot.sh; please report it with the run folder"
    fi
    if [[ -s $log ]]; then
        printf 'plot.sh: gnuplot on %s:\n' "$name" >&2
        sed 's/^/    /' "$log" >&2
    fi
    charts=$((charts + 1))
}

# The settings every chart shares, with the run id, host and cores in the
# bottom right corner.
common_settings() {
    cat <<EOF
set encoding utf8
set border 3 lc rgb '#444444'
set tics nomirror
set grid xtics ytics lc rgb '#e0e0e0' lt 1
set key outside right top vertical Left reverse noautotitle spacing 1.3
set bmargin 5
set title font ',12'
set label 99 $(gq "$corner") at screen 0.99, screen 0.02 right font ',8' tc rgb '#666666'
EOF
}

# x-axis settings for worker counts: log2, a tic at each measured count
# (and at the core count when it is marked).
workers_axis() {
    local xmin=$1 xmax=$2 tics=$3
    cat <<EOF
set logscale x 2
set xrange [$xmin / 1.4 : $xmax * 1.4]
set xtics ($tics)
set xlabel 'workers (threads, processes × threads, or async tasks in flight; log2 scale)'
EOF
}

# A dotted vertical line at the core count, labelled, when the count is known.
cores_marker() {
    [[ -n $cores ]] || return 0
    cat <<EOF
set arrow 1 from $cores, graph 0 to $cores, graph 1 nohead dt 3 lw 1.5 lc rgb '#777777'
set label 2 '$cores cores' at $cores, graph 0.97 offset 0.6, 0 left tc rgb '#555555' font ',9'
EOF
}

# The plot clauses of a series manifest: one line with error bars per series.
# USING maps the file's columns (workers y low high) onto the axes.
series_clauses() {
    local dir=$1 using=$2 style=$3 file title colour pt dt
    while IFS=$TAB read -r file title colour pt dt _; do
        printf "%s using %s with %s lc rgb '%s' lw 2 pt %s ps 1.3 dt %s title %s, \\\\\n" \
            "$(gq "$file")" "$using" "$style" "$colour" "$pt" "$dt" "$(gq "$title")"
    done < "$dir/series.tsv"
}

# Seconds shown in the unit that suits the largest value: prints "unit factor".
time_unit() {
    awk -v v="$1" 'BEGIN {
        if (v >= 1) print "s 1"; else if (v >= 0.001) print "ms 1000"; else print "µs 1000000" }'
}

# A log y axis when the values span more than a factor of 20 (else small
# values vanish against large ones), otherwise linear from 0. Sets ylog to
# "log scale" or empty, for the axis label.
y_scale() {
    local ymin=$1 ymax=$2
    if awk -v a="$ymin" -v b="$ymax" 'BEGIN { exit !(a > 0 && b / a > 20) }'; then
        ylog='log scale'
        printf 'set logscale y 10\nset format y "%%g"\n'
    else
        ylog=''
        printf 'set yrange [0:*]\n'
    fi
}

# set title: what the chart shows, and below it what was measured. Two lines
# keep long workload descriptions inside the picture.
chart_title() {
    printf 'set title %s."\\n".%s\n' "$(gq "$1")" "$(gq "$2")"
}

# The title's description of a dataset: "xor (cpu): 16 tasks x 1000000 iterations".
dataset_title() {
    local text="$ds_workload"
    [[ -n $ds_kind ]] && text+=" ($ds_kind)"
    text+=": $ds_tasks tasks"
    [[ -n $ds_work ]] && text+=" × $ds_work${ds_unit:+ $ds_unit}"
    printf '%s' "$text"
}

# Median wall time per model, with a bar from the fastest to the slowest run.
chart_wall() {
    local dir=$work/wall-$ds_slug xmin xmax ymin ymax xs unit factor script
    series "$dir" wall_median_s wall_min_s wall_max_s 1
    [[ -s $dir/series.tsv ]] || return 0
    read -r xmin xmax ymin ymax xs < "$dir/stats"
    read -r unit factor < <(time_unit "$ymax")
    script=$dir/chart.gp
    {
        common_settings
        workers_axis "$xmin" "$xmax" "$xs"
        echo "k = $factor"
        y_scale "$ymin" "$ymax"
        chart_title "Median wall time by model (lower is better)" "$(dataset_title)"
        echo "set ylabel $(gq "median wall time ($unit${ylog:+, $ylog}); bars: fastest to slowest run")"
        echo "plot \\"
        series_clauses "$dir" '1:($2*k):($3*k):($4*k)' yerrorlines
        # serial's median across the chart: the line every model has to beat.
        awk -F '\t' -v factor="$factor" -v q="'" '$6 == "serial" && $7 == 1 {
            getline value < $1; split(value, v, " ")
            printf "  %s with lines dt 2 lw 1.5 lc rgb %s%s%s title %sserial median%s, \\\n", v[2] * factor, q, $3, q, q, q }' "$dir/series.tsv"
        echo "  NaN notitle"
    } > "$script"
    render "wall-$ds_slug" "$script"
}

# Speedup over serial with its interval, the ideal line and the core count.
chart_speedup() {
    local dir=$work/speedup-$ds_slug xmin xmax ymin ymax xs script base=10
    series "$dir" speedup speedup_ci_lo speedup_ci_hi 1
    if [[ ! -s $dir/series.tsv ]]; then
        echo "plot.sh: no speedup or efficiency chart for $ds_slug: it has no serial cell to compare with"
        return 0
    fi
    read -r xmin xmax ymin ymax xs < "$dir/stats"
    widen_for_cores
    # Powers of 2 read well down to 1/16; below that decades are clearer.
    awk -v a="$ymin" 'BEGIN { exit !(a >= 0.0625) }' && base=2
    script=$dir/chart.gp
    {
        common_settings
        workers_axis "$xmin" "$xmax" "$xs"
        cores_marker
        printf 'set logscale y %s\nset format y "%%g"\n' "$base"
        chart_title "Speedup over serial (higher is better)" "$(dataset_title)"
        echo "set ylabel 'speedup (serial median / median; log scale); bars: 95% interval'"
        echo "plot \\"
        echo "  x with lines dt 2 lw 1.5 lc rgb '#999999' title 'ideal (speedup = workers)', \\"
        series_clauses "$dir" '1:2:3:4' yerrorlines
        echo "  NaN notitle"
    } > "$script"
    render "speedup-$ds_slug" "$script"
}

# Efficiency, speedup per worker: 1 is perfect scaling.
chart_efficiency() {
    local dir=$work/efficiency-$ds_slug xmin xmax ymin ymax xs script
    series "$dir" efficiency '' '' 0
    [[ -s $dir/series.tsv ]] || return 0
    read -r xmin xmax ymin ymax xs < "$dir/stats"
    widen_for_cores
    script=$dir/chart.gp
    {
        common_settings
        workers_axis "$xmin" "$xmax" "$xs"
        cores_marker
        echo "set yrange [0:*]"
        chart_title "Efficiency: speedup / workers (higher is better)" "$(dataset_title)"
        echo "set ylabel 'efficiency (1 = every worker fully used)'"
        echo "plot \\"
        echo "  1 with lines dt 2 lw 1.5 lc rgb '#999999' title 'ideal (efficiency = 1)', \\"
        series_clauses "$dir" '1:2' linespoints
        echo "  NaN notitle"
    } > "$script"
    render "efficiency-$ds_slug" "$script"
}

# CPU utilisation: how many cores the model kept busy.
chart_cpu() {
    local dir=$work/cpu-$ds_slug xmin xmax ymin ymax xs script
    series "$dir" cpu_util '' '' 0
    [[ -s $dir/series.tsv ]] || return 0
    read -r xmin xmax ymin ymax xs < "$dir/stats"
    script=$dir/chart.gp
    {
        common_settings
        workers_axis "$xmin" "$xmax" "$xs"
        echo "set yrange [0:*]"
        chart_title "CPU utilisation by model" "$(dataset_title)"
        echo "set ylabel 'CPU utilisation ((user + sys) / wall, in cores)'"
        echo "plot \\"
        [[ -z $cores ]] || echo "  $cores with lines dt 2 lw 1.5 lc rgb '#999999' title 'all $cores cores busy', \\"
        series_clauses "$dir" '1:2' linespoints
        echo "  NaN notitle"
    } > "$script"
    render "cpu-$ds_slug" "$script"
}

# Peak memory: the sum of the peak RSS of every process a run used.
chart_memory() {
    local dir=$work/memory-$ds_slug xmin xmax ymin ymax xs script
    series "$dir" max_rss_kb '' '' 1
    [[ -s $dir/series.tsv ]] || return 0
    read -r xmin xmax ymin ymax xs < "$dir/stats"
    script=$dir/chart.gp
    {
        common_settings
        workers_axis "$xmin" "$xmax" "$xs"
        y_scale "$ymin" "$ymax"
        chart_title "Peak memory by model" "$(dataset_title)"
        echo "set ylabel $(gq "peak memory (MiB${ylog:+, $ylog}; sum of the peak RSS of every process)")"
        echo "plot \\"
        series_clauses "$dir" '1:($2/1024)' linespoints
        echo "  NaN notitle"
    } > "$script"
    render "memory-$ds_slug" "$script"
}

# The x range of speedup and efficiency includes the core count, so its marker shows.
widen_for_cores() {
    [[ -n $cores ]] || return 0
    awk -v a="$xmin" -v c="$cores" 'BEGIN { exit !(c + 0 < a + 0) }' && xmin=$cores
    awk -v b="$xmax" -v c="$cores" 'BEGIN { exit !(c + 0 > b + 0) }' && xmax=$cores
    case ",$xs," in *",$cores,"*) ;; *) xs="$xs,$cores" ;; esac
}

# The hybrid grid as a heatmap: one cell per (processes, threads per process).
# Coloured by speedup when every cell has one, else by median wall time.
chart_hybrid() {
    local dir=$work/hybrid-$ds_slug script metric
    mkdir -p "$dir"
    WORKLOAD=$ds_workload TASKS=$ds_tasks WORK=$ds_work UNIT=$ds_unit DIR=$dir awk -F '\t' '
        # Sorted insertion of a number into a comma list of distinct numbers.
        function add(list, v,    parts, n, i, out, placed) {
            n = split(list, parts, ","); out = ""; placed = 0
            for (i = 1; i <= n; i++) {
                if (parts[i] + 0 == v + 0) return list
                if (!placed && v + 0 < parts[i] + 0) { out = out (out == "" ? "" : ",") v; placed = 1 }
                out = out (out == "" ? "" : ",") parts[i]
            }
            if (!placed) out = out (out == "" ? "" : ",") v
            return out
        }
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["model"] != "hybrid" || $c["threads"] == "" { next }
        $c["workload"] != ENVIRON["WORKLOAD"] || $c["tasks"] != ENVIRON["TASKS"] ||
        $c["work"] != ENVIRON["WORK"] || $c["work_unit"] != ENVIRON["UNIT"] { next }
        {
            n++; p[n] = $c["processes"]; t[n] = $c["threads"]
            s[n] = $c["speedup"]; w[n] = $c["wall_median_s"]
            if (s[n] == "") no_speedup = 1
            ps = add(ps, p[n]); ts = add(ts, t[n])
        }
        END {
            np = split(ps, pl, ","); nt = split(ts, tl, ",")
            if (n == 0 || (np < 2 && nt < 2)) exit 0
            for (i = 1; i <= np; i++) pi[pl[i]] = i - 1
            for (i = 1; i <= nt; i++) ti[tl[i]] = i - 1
            metric = no_speedup ? "wall" : "speedup"
            for (i = 1; i <= n; i++) {
                v = (metric == "speedup" ? s[i] : w[i])
                if (vmin == "" || v + 0 < vmin + 0) vmin = v
                if (vmax == "" || v + 0 > vmax + 0) vmax = v
            }
            # Wall time in the unit that suits the largest value.
            factor = 1; unit = "s"
            if (metric == "wall" && vmax < 1) { factor = 1000; unit = "ms" }
            if (metric == "wall" && vmax < 0.001) { factor = 1000000; unit = "µs" }
            for (i = 1; i <= n; i++) {
                v = (metric == "speedup" ? s[i] : w[i]) * factor
                label = (metric == "speedup" ? sprintf("%.2f×", v) : sprintf("%.3g %s", v, unit))
                # The palette is dark at its low end: white text there, black above.
                f = (vmax > vmin ? (v / factor - vmin) / (vmax - vmin) : 1)
                if (metric == "wall") f = 1 - f
                printf "%d %d %s \"%s\" %s\n", ti[t[i]], pi[p[i]], v, label, (f < 0.5 ? 16777215 : 0) > (ENVIRON["DIR"] "/cells.dat")
            }
            xt = ""; for (i = 1; i <= nt; i++) xt = xt (i > 1 ? ", " : "") "\"" tl[i] "\" " (i - 1)
            yt = ""; for (i = 1; i <= np; i++) yt = yt (i > 1 ? ", " : "") "\"" pl[i] "\" " (i - 1)
            printf "set xtics (%s)\nset ytics (%s)\n", xt, yt
            printf "set xrange [-0.5:%s]\nset yrange [-0.5:%s]\n", nt - 0.5, np - 0.5
            if (metric == "speedup") print "set cblabel \"speedup over serial\""
            else printf "set cblabel \"median wall time (%s)\"\nset palette negative\n", unit
            print "# metric " metric
        }' "$work/summary.tsv" > "$dir/axes.gp"
    [[ -s $dir/cells.dat ]] || return 0
    metric=$(sed -n 's/^# metric //p' "$dir/axes.gp")
    script=$dir/chart.gp
    {
        common_settings
        echo "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21908d', 0.75 '#5dc963', 1 '#fde725')"
        cat "$dir/axes.gp"
        echo "set xlabel 'threads per process'"
        echo "set ylabel 'processes'"
        echo "set tics scale 0"
        echo "set grid noxtics noytics"
        echo "set border 0"
        echo "unset key"
        if [[ $metric == speedup ]]; then
            chart_title "Hybrid: speedup by processes × threads per process (higher is better)" "$(dataset_title)"
        else
            chart_title "Hybrid: median wall time by processes × threads per process (lower is better)" "$(dataset_title)"
        fi
        echo "plot $(gq "$dir/cells.dat") using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder lc palette, \\"
        echo "  '' using 1:2:4:5 with labels tc rgb variable font ',11'"
    } > "$script"
    render "hybrid-$ds_slug" "$script"
}

# The seed-400 experiment: per sink, the tutorial's time beside the measured
# one for each configuration (1 process x 400 threads, 4 processes x 400 ...).
chart_seed() {
    local dir=$work/seed script ymin ymax items xmax base scale log=''
    [[ -s $work/experiment.tsv ]] || return 0
    mkdir -p "$dir"
    # Bars: for each configuration, its seed figure (when given) and one
    # measured bar per language. x = group * (bars + 1) + bar.
    DIR=$dir awk -F '\t' -v colours="$COLOURS" -v q="'" '
        NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        {
            sink = $c["sink"]; config = $c["config"]; lang = $c["language"]
            if (!(sink in group)) { group[sink] = ngroups++; sinks[ngroups] = sink }
            if (!(config in cfg)) { cfg[config] = ++nconfigs; configs[nconfigs] = config }
            if ($c["seed_s"] != "" && $c["seed_s"] > 0) has_seed[config] = 1
            if ($c["measured_median_s"] != "" && $c["measured_median_s"] > 0 && !((config, lang) in has_lang)) {
                has_lang[config, lang] = 1; langs[config] = langs[config] "\t" lang
            }
            if ($c["items"] != "") items = $c["items"]
            rows++; r_sink[rows] = sink; r_config[rows] = config; r_lang[rows] = lang
            r_seed[rows] = $c["seed_s"]; r_med[rows] = $c["measured_median_s"]
            r_min[rows] = $c["measured_min_s"]; r_max[rows] = $c["measured_max_s"]
        }
        END {
            ncolours = split(colours, colour, " ")
            for (k = 1; k <= nconfigs; k++) {
                config = configs[k]
                if (config in has_seed) { bars++; bar[config, "seed"] = bars
                    title[bars] = config " — tutorial seed"; kind[bars] = "seed"; col[bars] = colour[(k - 1) % ncolours + 1] }
                nl = split(substr(langs[config], 2), ls, "\t")
                for (j = 1; j <= nl; j++) { bars++; bar[config, "m" ls[j]] = bars
                    title[bars] = config " — measured" (ls[j] == "" ? "" : " (" ls[j] ")"); kind[bars] = (ls[j] == "python" ? "python" : "measured")
                    col[bars] = colour[(k - 1) % ncolours + 1] }
            }
            if (bars == 0) exit 0
            for (i = 1; i <= rows; i++) {
                x0 = group[r_sink[i]] * (bars + 1)
                if (r_seed[i] != "" && r_seed[i] > 0) {
                    b = bar[r_config[i], "seed"]; v = r_seed[i]
                    print x0 + b - 1, v, v, v > (ENVIRON["DIR"] "/b" b ".dat"); note(v)
                }
                if (r_med[i] != "" && r_med[i] > 0) {
                    b = bar[r_config[i], "m" r_lang[i]]; v = r_med[i]
                    lo = (r_min[i] != "" && r_min[i] > 0 ? r_min[i] : v); hi = (r_max[i] != "" ? r_max[i] : v)
                    print x0 + b - 1, v, lo, hi > (ENVIRON["DIR"] "/b" b ".dat"); note(lo); note(hi)
                }
            }
            for (b = 1; b <= bars; b++)
                printf "%s\t%s\t%s\t%s\n", ENVIRON["DIR"] "/b" b ".dat", title[b], col[b], kind[b] > (ENVIRON["DIR"] "/bars.tsv")
            xt = ""
            for (g = 1; g <= ngroups; g++)
                xt = xt (g > 1 ? ", " : "") q sinks[g] q " " ((g - 1) * (bars + 1) + (bars - 1) / 2)
            print ymin, ymax, items, bars, ngroups * (bars + 1) - 1 > (ENVIRON["DIR"] "/stats")
            print xt > (ENVIRON["DIR"] "/xtics")
        }
        function note(v) { if (ymin == "" || v + 0 < ymin + 0) ymin = v; if (ymax == "" || v + 0 > ymax + 0) ymax = v }
    ' "$work/experiment.tsv"
    [[ -s $dir/bars.tsv ]] || { echo "plot.sh: no seed-400 chart: experiment.csv has no positive seed or measured times"; return 0; }
    read -r ymin ymax items _ xmax < "$dir/stats"
    # Bars start at the bottom of the axis: 0 on a linear axis, below the
    # smallest value on a log one.
    if awk -v a="$ymin" -v b="$ymax" 'BEGIN { exit !(b / a > 20) }'; then
        base=$(awk -v a="$ymin" 'BEGIN { print a / 3 }')
        log=', log scale'
        scale="set logscale y 10
set format y '%g'
set yrange [$base:*]"
    else
        base=0
        scale='set yrange [0:*]'
    fi
    script=$dir/chart.gp
    {
        common_settings
        echo "$scale"
        echo "set xrange [-0.8:$xmax + 0.8]"
        echo "set xtics ($(cat "$dir/xtics")) scale 0"
        echo "set grid noxtics ytics"
        echo "set xlabel 'sink (where the printed numbers went)'"
        echo "set ylabel 'wall time (s$log); bars on measured: fastest to slowest run'"
        chart_title "seed-400: the tutorial's times beside the measured ones (lower is better)" "${items:-all} items printed, per sink"
        echo "plot \\"
        while IFS=$TAB read -r file title colour kind; do
            if [[ $kind == seed ]]; then
                echo "  $(gq "$file") using 1:2:(\$1-0.45):(\$1+0.45):($base):2 with boxxyerror fs pattern 4 border lc rgb '$colour' lc rgb '$colour' title $(gq "$title"), \\"
            elif [[ $kind == python ]]; then
                # The Python reference: the configuration's colour, pale and outlined, beside Swift's solid bar.
                echo "  $(gq "$file") using 1:2:(\$1-0.45):(\$1+0.45):($base):2 with boxxyerror fs transparent solid 0.3 border lc rgb '$colour' lc rgb '$colour' title $(gq "$title"), \\"
                echo "  $(gq "$file") using 1:2:3:4 with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb '#333333' notitle, \\"
            else
                echo "  $(gq "$file") using 1:2:(\$1-0.45):(\$1+0.45):($base):2 with boxxyerror fs solid 0.85 noborder lc rgb '$colour' title $(gq "$title"), \\"
                echo "  $(gq "$file") using 1:2:3:4 with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb '#333333' notitle, \\"
            fi
            echo "  $(gq "$file") using 1:4:(sprintf('%.2g s', \$2)) with labels offset 0, 0.8 font ',8' tc rgb '#333333' notitle, \\"
        done < "$dir/bars.tsv"
        echo "  NaN notitle"
    } > "$script"
    render seed-400 "$script"
}

# ---------------------------------------------------------------------------

main() {
    local run_dir=''
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

    work=$(mktemp -d "${TMPDIR:-/tmp}/plot.XXXXXX")
    trap 'rm -rf "$work"' EXIT

    load_summary "$run_dir"
    local id host status quota
    id=$(run_id_of "$run_dir")
    host=$(meta_string "$run_dir" host_name)
    status=$(meta_string "$run_dir" status)
    cores=$(meta_number "$run_dir" logical_cores)
    quota=$(meta_number "$run_dir" cgroup_cpu_quota)
    corner="run $id · host ${host:-unknown} · ${cores:-?} cores"
    [[ -z $quota ]] || corner+=" (cgroup quota $quota CPUs)"
    [[ -z $status || $status == complete ]] || corner+=" · run $status"
    models=$(model_order)
    if [[ -e $run_dir/experiment.csv ]]; then
        load_csv "$run_dir/experiment.csv" "$EXPERIMENT_COLUMNS" sink,config \
            processes,threads,items,runs seed_s,measured_median_s,measured_min_s,measured_max_s \
            > "$work/experiment.tsv" || exit 1
    fi

    # Only now, with every file known good, replace the charts of earlier calls.
    plots=$run_dir/plots
    mkdir -p "$plots"
    rm -f "$plots"/*.png "$plots"/*.svg

    local ds_slug ds_workload ds_kind ds_tasks ds_work ds_unit
    while IFS=$US read -r -u 3 ds_slug ds_workload ds_kind ds_tasks ds_work ds_unit; do
        ds_slug=$(slug "$ds_slug")
        chart_wall
        chart_speedup
        chart_efficiency
        chart_cpu
        chart_memory
        chart_hybrid
    done 3< <(datasets)
    chart_seed

    echo "plot.sh: $charts charts (.png and .svg) in $plots/"
}

main "$@"
