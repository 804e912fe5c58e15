# series.gp - shared by the charts against workers (wall, speedup, efficiency,
# cpu, memory, latency): selects one dataset, finds its series and sets up the
# log2 workers axis.
#   ARG4  second title line (what was measured)
#   ARG5  workload     ARG6  params     ARG7  tasks|work|work_unit
# The chart copies them (SUBTITLE W P TWU, see style.gp) and defines before
# loading this file:
#   y(_)     the value drawn;  y_ok(_)  whether a row has one to draw
#   mark_cores  1 to widen the axis to the core count and mark it
if (!exists("mark_cores")) { mark_cores = 0 }

in_dataset(_) = strcol("workload") eq W && params(_) eq P && \
               strcol("tasks")."|".strcol("work")."|".strcol("work_unit")."|".strcol("cpus")."|".strcol("interpreter") eq TWU

# One pass over the file collects, from the dataset's rows: the (model,
# processes) pairs with a value, the worker counts, the ranges; and which
# models have two rows at one worker count (hybrid at several process counts),
# which are then drawn as one series per process count. Assignments inside
# the `using` expression are gnuplot's way to fold over rows.
seen = ""; multi = ""; found = ""; xs = ""
xmin = NaN; xmax = NaN; ymin = NaN; ymax = NaN
fold(m, w, mw) = (multi = has(seen, mw) ? note(multi, m) : multi, seen = note(seen, mw), \
    !y_ok(_) ? 0 : (found = note(found, m.":".strcol("processes")), xs = note(xs, strcol("workers")), \
        xmin = lesser(xmin, w), xmax = greater(xmax, w), ymin = lesser(ymin, y(_)), ymax = greater(ymax, y(_)), 0))
stats 'summary.csv' using (in_dataset(_) && column("workers") > 0 ? \
    fold(strcol("model"), column("workers"), strcol("model")."/".strcol("workers")) : 0) nooutput

# Series i: model word(SM, i), process count word(SP, i) ("-" = any) and its
# number k = word(SK, i) among the model's series, smallest process count first.
SM = ""; SP = ""; SK = ""
do for [m in MODELS] {
    procs = ""
    do for [t in found] { if (strstrt(t, m.":") == 1) { procs = note(procs, t[strlen(m) + 2:]) } }
    if (words(procs) > 0 && has(multi, m)) {
        do for [k = 1:words(procs)] {
            do for [p in procs] { if (rank(procs, p + 0) == k - 1) { SM = SM." ".m; SP = SP." ".p; SK = SK." ".k } }
        }
    }
    if (words(procs) > 0 && !has(multi, m)) { SM = SM." ".m; SP = SP." -"; SK = SK." 1" }
}
N = words(SM)

in_series(i) = in_dataset(_) && strcol("model") eq word(SM, i) && \
               (word(SP, i) eq "-" || strcol("processes") eq word(SP, i))
# x of a row of series i, NaN (skipped) for every other row.
X(i) = in_series(i) && y_ok(_) ? column("workers") : NaN
s_colour(i) = colour(word(SM, i))
s_point(i) = point(word(SM, i), word(SK, i) + 0)
s_dash(i) = dash(word(SM, i), word(SK, i) + 0)
s_title(i) = word(SM, i).(word(SP, i) eq "-" ? "" : \
             sprintf(", %s process%s", word(SP, i), word(SP, i) eq "1" ? "" : "es"))

if (N > 0) {
    if (mark_cores && CORES > 0) {
        xmin = lesser(xmin, CORES); xmax = greater(xmax, CORES); xs = note(xs, sprintf("%d", CORES))
        set arrow 1 from CORES, graph 0 to CORES, graph 1 nohead dt 3 lw 1.5 lc rgb '#777777'
        set label 2 sprintf('%d cores', CORES) at CORES, graph 0.97 offset 0.6, 0 left tc rgb '#555555' font ',9'
    }
    set logscale x 2
    set xrange [xmin / 1.4 : xmax * 1.4]
    set xtics (0 + word(xs, 1))
    do for [w in xs] { set xtics add (0 + w) }
    set xlabel 'workers (threads, processes × threads, or async tasks in flight; log2 scale)'
}
