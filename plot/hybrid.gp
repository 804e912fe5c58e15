# hybrid.gp - a hybrid model's grid, processes x threads per process, as a
# heatmap of speedup, or of median wall time when a cell has no speedup (the
# run had no serial cell of that language).
# Arguments: see style.gp and series.gp, and
#   ARG8  the model: hybrid or python-hybrid
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7; HM = ARG8
load 'style.gp'
in_dataset(_) = strcol("workload") eq W && params(_) eq P && \
                strcol("tasks")."|".strcol("work")."|".strcol("work_unit")."|".strcol("cpus")."|".strcol("interpreter") eq TWU
in_grid(_) = in_dataset(_) && strcol("model") eq HM && strcol("threads") ne "" && column("wall_median_s") > 0

# One pass: the process and thread counts, whether every cell has a speedup,
# and the range of both metrics.
procs = ""; threads = ""; cells = 0; speedups = 0
smin = NaN; smax = NaN; wmin = NaN; wmax = NaN
fold(s, w) = (procs = note(procs, strcol("processes")), threads = note(threads, strcol("threads")), \
    cells = cells + 1, wmin = lesser(wmin, w), wmax = greater(wmax, w), \
    !ok(s) ? 0 : (speedups = speedups + 1, smin = lesser(smin, s), smax = greater(smax, s), 0))
stats 'summary.csv' using (in_grid(_) ? fold(column("speedup"), column("wall_median_s")) : 0) nooutput
if (cells == 0) { exit }

by_speedup = (speedups == cells)
k = by_speedup ? 1 : time_factor(wmax)
vmin = by_speedup ? smin : wmin
vmax = by_speedup ? smax : wmax
v(_) = by_speedup ? column("speedup") : column("wall_median_s") * k
label(_) = by_speedup ? sprintf("%.2f×", v(_)) : sprintf("%.3g %s", v(_), time_unit(wmax))
# The palette is dark at its good end (low speedup, high wall): white text
# there, black elsewhere.
share(_) = vmax > vmin ? (v(_) / k - vmin) / (vmax - vmin) : 1
text_colour(_) = (by_speedup ? share(_) : 1 - share(_)) < 0.5 ? 0xFFFFFF : 0x000000

set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21908d', 0.75 '#5dc963', 1 '#fde725')
# Cells sit at the place of their count among the sorted counts.
set xtics (word(threads, 1) rank(threads, word(threads, 1) + 0))
do for [t in threads] { set xtics add (t rank(threads, t + 0)) }
set ytics (word(procs, 1) rank(procs, word(procs, 1) + 0))
do for [p in procs] { set ytics add (p rank(procs, p + 0)) }
set xrange [-0.5 : words(threads) - 0.5]
set yrange [-0.5 : words(procs) - 0.5]
if (by_speedup) { set cblabel "speedup over serial" } \
else { set cblabel sprintf("median wall time (%s)", time_unit(wmax)); set palette negative }
set xlabel 'threads per process'
set ylabel 'processes'
set tics scale 0
set grid noxtics noytics
set border 0
unset key
who = (HM eq "hybrid") ? "Hybrid" : HM
set title sprintf("%s: %s by processes × threads per process (%s)\n%s", who, \
    by_speedup ? "speedup" : "median wall time", by_speedup ? "higher is better" : "lower is better", SUBTITLE)

cell_x(_) = in_grid(_) ? rank(threads, column("threads")) : NaN
cell_y(_) = rank(procs, column("processes"))
set output 'chart.png'
plot 'summary.csv' using (cell_x(_)):(cell_y(_)):(0.5):(0.5):(v(_)) with boxxyerror fs solid 1.0 noborder lc palette, \
     'summary.csv' using (cell_x(_)):(cell_y(_)):(label(_)):(text_colour(_)) with labels tc rgb variable font ',11'
load 'svg.gp'
