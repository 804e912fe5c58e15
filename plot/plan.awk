# plan.awk - checks one CSV file of a bench run and, for summary.csv, lists
# the charts the run supports. Run by plot.sh; plain POSIX awk, so Debian's
# default mawk runs it (no gawk-only features such as FPAT).
#
#   CSV_FILE=<name shown in messages> [COPY_TO=<file>] awk -v mode=check|summary \
#       -v required=a,b -v nonempty=a,b [-v pick=column] [-v known="..."] [-v allow_empty=1] -f plan.awk FILE
#
# A file with a header and no row is an error, unless allow_empty is set.
#
# check    the header has the required columns (extra ones are fine), every
#          line has as many fields as the header, and every field is a plain
#          value (below); the first problem is printed as
#          "plot.sh: error: FILE:LINE: ..." and awk exits 1. With pick, prints
#          that column of the first row. With COPY_TO, writes the file
#          there without quotes, CRs or blank lines: gnuplot 5.4 misreads a
#          quoted empty field ("" reads as the rest of the line) and takes a
#          blank line for the end of a data block. The checks below leave no
#          comma or quote inside a field, so the copy means the same.
# summary  the same checks on summary.csv, then the plan on stdout, fields
#          separated by \037:
#            models <the run's models, space-separated, in key order>
#            chart  <name> <script> <subtitle> <workload> <params> <tasks|work|work_unit> <extra>
#            note   <text for the user>
#
# Fields are checked by column name, so that nothing but plain words and
# numbers ever reaches gnuplot, even as data: names (workload, model...) may
# hold only letters, digits and . _ + -; counts are whole numbers; the
# columns ending in _s and the other measures are decimal numbers; any other
# column (params, checksum...) letters, digits and . _ = ; : + / -. Values
# with other characters are refused, not quoted.
# The only data read here are the key columns that decide which charts apply;
# the charts themselves read the CSV in gnuplot.

function fail(line, message) {
    printf "plot.sh: error: %s:%d: %s\n", ENVIRON["CSV_FILE"], line, message > "/dev/stderr"
    failed = 1
    exit 1
}
# A value fit for an error message: printable ASCII, not too long.
function shown(v) {
    gsub(/[^ -~]/, "?", v)
    return length(v) > 40 ? substr(v, 1, 40) "..." : v
}
# One line into fields; RFC 4180 quotes ("" is a quote inside quotes).
# Returns the field count, or -1 when a quote is left open.
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
function set_of(list, set,    parts, n, i) {
    n = split(list, parts, /[, ]/)
    for (i = 1; i <= n; i++) set[parts[i]] = 1
}
# Adds a word to a space-separated list unless it is there.
function add(list, w) {
    return index(" " list " ", " " w " ") ? list : (list == "" ? w : list " " w)
}
function words(list,    parts) { return split(list, parts, " ") }
function safe_name(v) { gsub(/[^A-Za-z0-9._-]/, "_", v); return v }
function copy(f, n,    i, line) {
    line = f[1]
    for (i = 2; i <= n; i++) line = line "," f[i]
    # summary.csv from before the cores axis: an empty cpus column, so that the
    # charts can name the column whatever the run's age.
    if (mode == "summary" && !("cpus" in col)) line = line "," (NR == 1 ? "cpus" : "")
    # Likewise pss_kb, from before it existed: memory.gp then draws RSS alone.
    if (mode == "summary" && !("pss_kb" in col)) line = line "," (NR == 1 ? "pss_kb" : "")
    # And interpreter, from before the interpreter axis (one interpreter, no
    # name); PAD_COLUMN names it for the other files that have it (fits.csv).
    pad = mode == "summary" ? "interpreter" : ENVIRON["PAD_COLUMN"]
    if (pad != "" && !(pad in col)) line = line "," (NR == 1 ? pad : "")
    # gnuplot 5.4 misreads an empty last field (it takes the rest of the line
    # for it): a last column that is never empty keeps every real one readable.
    line = line "," (NR == 1 ? "end_of_row" : "-")
    print line > copy_to
}
function column(name) { return (name in col) ? field[col[name]] : "" }
function out(kind, a, b, c, d, e, f, g) {
    print kind S a S b S c S d S e S f S g
}

BEGIN {
    S = "\037"
    NAME = "^[A-Za-z0-9._+-]+$"
    COUNT = "^[0-9]+$"
    NUMBER = "^-?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$"
    TEXT = "^[A-Za-z0-9._=;:+/%-]*$"
    set_of("workload kind model work_unit sink config language", is_name)
    set_of("order processes threads workers tasks repeat runs outliers items", is_count)
    set_of("work speedup speedup_ci_lo speedup_ci_hi efficiency throughput_tps cpu_util max_rss_kb vcsw ivcsw pss_kb uss_kb migrations cycles instructions cache_misses", is_number)
    set_of(nonempty, must_have)
}
{ sub(/\r$/, "") }                      # tolerate CRLF line ends
NR == 1 {
    columns = split_csv($0, header)
    if (columns < 0) fail(1, "the header has an unterminated quote")
    for (i = 1; i <= columns; i++) {
        if (header[i] !~ TEXT || header[i] == "") fail(1, "column " i " of the header is \"" shown(header[i]) "\", not a column name")
        col[header[i]] = i
    }
    copy_to = ENVIRON["COPY_TO"]
    n = split(required, wanted, ",")
    missing = ""
    for (i = 1; i <= n; i++) if (!(wanted[i] in col)) missing = missing (missing == "" ? "" : ", ") wanted[i]
    if (missing != "") fail(1, "the header lacks " missing " — expected a header with the columns " required)
    if (copy_to != "") copy(header, columns)
    next
}
$0 == "" { next }                       # a blank line carries no row
{
    n = split_csv($0, field)
    if (n < 0) fail(NR, "a quoted field is not closed on this line (a field cannot hold a line break)")
    if (n != columns) fail(NR, n " fields, but the header has " columns " — the line is damaged; rerun bench or fix it")
    for (i = 1; i <= n; i++) {
        name = header[i]; v = field[i]
        if (v == "") {
            if (name in must_have) fail(NR, "column " name " is empty, but every row needs it")
        } else if (name in is_name) {
            if (v !~ NAME) fail(NR, "column " name " is \"" shown(v) "\"; a name may hold only letters, digits and . _ + -")
        } else if (name in is_count) {
            if (v !~ COUNT) fail(NR, "column " name " is \"" shown(v) "\", not a whole number")
        } else if (name in is_number || name ~ /_s$/) {
            if (v !~ NUMBER) fail(NR, "column " name " is \"" shown(v) "\", not a number")
        } else if (v !~ TEXT) {
            fail(NR, "column " name " is \"" shown(v) "\"; it may hold only letters, digits and . _ = ; : + / -")
        }
    }
    if (copy_to != "") copy(field, n)
    rows++
    if (pick != "" && rows == 1) print column(pick)
    if (mode == "summary") plan_row()
}

# A dataset is what one chart of each kind shows: the rows of one workload
# with one parameter set and task count (work and work_unit too, for runs
# older than the params column).
function plan_row(    w, d, i, m) {
    if (column("workers") + 0 < 1) fail(NR, "column workers is " column("workers") "; a cell has at least 1 worker")
    w = column("workload"); m = column("model")
    d = w S column("params") S column("tasks") S column("work") S column("work_unit") S column("cpus") S column("interpreter")
    if (!(d in dataset)) {
        dataset[d] = ++datasets
        ds_workload[datasets] = w; ds_kind[datasets] = column("kind"); ds_params[datasets] = column("params")
        ds_tasks[datasets] = column("tasks"); ds_work[datasets] = column("work"); ds_unit[datasets] = column("work_unit")
        ds_cpus[datasets] = column("cpus"); ds_interpreter[datasets] = column("interpreter")
        if (column("interpreter") != "") { interpreters[w] = add(interpreters[w], column("interpreter")) }
        if (column("cpus") != "") { cpu_sets[w] = add(cpu_sets[w], column("cpus")) }
        if (!(w in sets)) workload_list[++workloads] = w
        sets[w]++
    }
    i = dataset[d]
    if (column("speedup") != "") { has_speedup[i] = 1; workload_speedup[w] = 1 }
    if (column("task_p50_s") != "" || column("task_p99_s") != "") has_latency[i] = 1
    if (!(m in model_seen)) { model_seen[m] = 1; model_list[++models] = m }
    if ((m == "hybrid" || m == "python-hybrid") && column("threads") != "") {
        grid_procs[i, m] = add(grid_procs[i, m], column("processes"))
        grid_threads[i, m] = add(grid_threads[i, m], column("threads"))
    }
}

# The (name, value) pairs that tell the datasets of a workload apart:
# its params, else (older runs) work_unit=work; and tasks.
function pairs_of(i, names, values,    list, n, parts, j, eq) {
    list = ds_params[i]
    if (list == "" && ds_work[i] != "") list = ds_unit[i] "=" ds_work[i]
    n = (list == "") ? 0 : split(list, parts, ";")
    for (j = 1; j <= n; j++) {
        eq = index(parts[j], "=")
        names[j] = eq ? substr(parts[j], 1, eq - 1) : parts[j]
        values[j] = eq ? substr(parts[j], eq + 1) : ""
    }
    names[++n] = "tasks"; values[n] = ds_tasks[i]
    if (ds_cpus[i] != "") { names[++n] = "cpus"; values[n] = ds_cpus[i] }
    if (ds_interpreter[i] != "") { names[++n] = "interpreter"; values[n] = ds_interpreter[i] }
    return n
}

END {
    if (failed) exit 1
    if (rows == 0 && allow_empty == "") fail(1, "a header but no rows — the run measured nothing; rerun bench")
    if (mode != "summary") exit 0

    # Key order: each known model followed by its Python version, then the
    # others as they appear. (Colours are style.gp's business.)
    n = split(known, known_list, " ")
    for (i = 1; i <= n; i++) {
        if (known_list[i] in model_seen) { order = add(order, known_list[i]) }
        if (("python-" known_list[i]) in model_seen) { order = add(order, "python-" known_list[i]) }
    }
    for (i = 1; i <= models; i++) order = add(order, model_list[i])
    out("models", order)

    for (k = 1; k <= workloads; k++) {
        w = workload_list[k]
        # Which pair names vary between the workload's datasets.
        varying = ""; delete value_of; delete names_of
        for (i = 1; i <= datasets; i++) {
            if (ds_workload[i] != w) continue
            delete pn; delete pv
            np = pairs_of(i, pn, pv)
            for (j = 1; j <= np; j++) { value_of[i, pn[j]] = pv[j]; names_of[pn[j]] = 1; all_names = add(all_names, pn[j]) }
        }
        na = split(all_names, name_list, " "); all_names = ""
        for (j = 1; j <= na; j++) {
            first = ""; started = 0
            for (i = 1; i <= datasets; i++) {
                if (ds_workload[i] != w) continue
                v = ((i, name_list[j]) in value_of) ? value_of[i, name_list[j]] : "\001"
                if (!started) { first = v; started = 1 } else if (v != first) { varying = add(varying, name_list[j]); break }
            }
        }
        nv = split(varying, vary, " ")

        for (i = 1; i <= datasets; i++) {
            if (ds_workload[i] != w) continue
            slug = w; extra = ""
            for (j = 1; j <= nv; j++) {
                v = ((i, vary[j]) in value_of) ? value_of[i, vary[j]] : ""
                # The Swift cells beside an interpreter axis have none: their charts keep the plain name.
                if (vary[j] == "interpreter" && v == "") continue
                slug = slug "-" vary[j] "_" v
                # Said in the subtitle unless the task count or the work says it.
                if (vary[j] != "tasks" && v != ds_work[i]) extra = extra (extra == "" ? " · " : "; ") vary[j] "=" v
            }
            slug = safe_name(slug)
            if (slug in used) slug = slug "-" i
            used[slug] = 1
            sub_title = w (ds_kind[i] == "" ? "" : " (" ds_kind[i] ")") ": " ds_tasks[i] " tasks"
            if (ds_work[i] != "") sub_title = sub_title " × " ds_work[i] (ds_unit[i] == "" ? "" : " " ds_unit[i])
            sub_title = sub_title extra
            twu = ds_tasks[i] "|" ds_work[i] "|" ds_unit[i] "|" ds_cpus[i] "|" ds_interpreter[i]
            out("chart", "wall-" slug, "wall.gp", sub_title, w, ds_params[i], twu, "")
            if (i in has_speedup) {
                out("chart", "speedup-" slug, "speedup.gp", sub_title, w, ds_params[i], twu, "")
                out("chart", "efficiency-" slug, "efficiency.gp", sub_title, w, ds_params[i], twu, "")
            } else out("note", "no speedup or efficiency chart for " slug ": it has no serial cell to compare with")
            out("chart", "cpu-" slug, "cpu.gp", sub_title, w, ds_params[i], twu, "")
            out("chart", "memory-" slug, "memory.gp", sub_title, w, ds_params[i], twu, "")
            if ((i in has_latency) && ds_kind[i] == "io")
                out("chart", "latency-" slug, "latency.gp", sub_title, w, ds_params[i], twu, "")
            for (h = 1; h <= 2; h++) {
                m = (h == 1) ? "hybrid" : "python-hybrid"
                if (words(grid_procs[i, m]) > 1 || words(grid_threads[i, m]) > 1)
                    out("chart", m "-" slug, "hybrid.gp", sub_title, w, ds_params[i], twu, m)
            }
        }

        # The cores axis (--cpus given more than once): speedup against the number of cores,
        # one line per model, which an interpreter axis would mix.
        if (words(cpu_sets[w]) > 1 && (w in workload_speedup) && words(interpreters[w]) > 1)
            out("note", "no cores chart for " w ": it has several interpreters (--python LIST), which one line per model would mix")
        if (words(cpu_sets[w]) > 1 && (w in workload_speedup) && words(interpreters[w]) <= 1) {
            for (i = 1; i <= datasets; i++) if (ds_workload[i] == w) break
            out("chart", "cores-" safe_name(w), "cores.gp",
                w (ds_kind[i] == "" ? "" : " (" ds_kind[i] ")") ": " ds_tasks[i] " tasks; one line per model and worker count",
                w, ds_params[i], ds_tasks[i], "")
        }

        # The scan: datasets that differ in one numeric parameter only.
        if (nv != 1 || vary[1] == "tasks" || !("params" in col) || !(w in workload_speedup)) continue
        numeric = 1
        for (i = 1; i <= datasets; i++)
            if (ds_workload[i] == w && !(((i, vary[1]) in value_of) && value_of[i, vary[1]] ~ NUMBER)) numeric = 0
        if (!numeric) continue
        for (i = 1; i <= datasets; i++) if (ds_workload[i] == w) break
        out("chart", "scan-" safe_name(w "-" vary[1]), "scan.gp",
            w (ds_kind[i] == "" ? "" : " (" ds_kind[i] ")") ": " ds_tasks[i] " tasks; one line per model and worker count",
            w, vary[1], ds_tasks[i], "")
    }
}
