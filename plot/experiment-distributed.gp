# experiment-distributed.gp - the distributed experiment's per-task cost on
# noop: for each chunk size (1, and the default ceil(tasks / (4 x workers)))
# one bar per model: the process pool's pipes and the Redis broker, Swift
# solid and Python pale and outlined, µs per task on a log scale with the
# 95% interval. The scaling of sleep and xor is in the usual speedup-sleep
# and speedup-xor charts; a killed worker's cost is written under the title.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: row,model,language,workload,chunksize,workers,value,ci_lo,ci_hi,unit
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
load 'style.gp'

# One pass: chunk sizes and models of the overhead rows in order of
# appearance, the range of the values, the workers, and the killed worker's
# lost time and redeliveries when measured.
chunks = ""; bars = ""; ymin = NaN; ymax = NaN; workers = NaN; lost = NaN; lost_lo = NaN; lost_hi = NaN; redelivered = NaN
is_row(r) = strcol("row") eq r
span(v) = (ymin = v > 0 ? lesser(ymin, v) : ymin, ymax = v > 0 ? greater(ymax, v) : ymax, 0)
fold(_) = is_row("overhead") && column("value") > 0 ? (chunks = note(chunks, strcol("chunksize")), \
          bars = note(bars, strcol("model")), span(column("value")), span(column("ci_lo")), span(column("ci_hi")), \
          workers = column("workers"), 0) : \
          is_row("lost_time") ? (lost = column("value"), lost_lo = column("ci_lo"), lost_hi = column("ci_hi"), 0) : \
          is_row("redelivered_chunks") ? (redelivered = column("value"), 0) : 0
stats 'experiment.csv' using (fold(_)) nooutput
NB = words(bars)
NC = words(chunks)
if (NB == 0) { exit }

bar(b) = word(bars, b)
bar_fill(b) = pale(colour(bar(b)), is_python(bar(b)) ? 0.3 : 0.85)
bar_border(b) = is_python(bar(b)) ? colour(bar(b)) : "#FFFFFFFF"
# Bar b of a chunk size's group at x = group * (NB + 1) + b - 1; NaN for other rows.
in_bar(b) = is_row("overhead") && strcol("model") eq bar(b) && column("value") > 0
bar_x(b) = in_bar(b) ? (pos(chunks, strcol("chunksize")) - 1) * (NB + 1) + b - 1 : NaN
low(_) = (low_v = column("ci_lo"), low_v > 0 ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), high_v > 0 ? high_v : column("value"))

bottom = ymin / 3
set logscale y 10
set format y '%g'
set yrange [bottom:ymax * 3]
set xrange [-0.8 : NC * (NB + 1) - 1 + 0.8]
set xtics ("chunksize ".word(chunks, 1) (NB - 1) / 2.0) scale 0
do for [g = 1:NC] { set xtics add ("chunksize ".word(chunks, g) (g - 1) * (NB + 1) + (NB - 1) / 2.0) }
set grid noxtics ytics
set ylabel 'µs per task, (wall - setup) / tasks (log scale); bars: 95% interval'
killed = ok(lost) ? sprintf("\na worker killed mid-sample (sleep, 4 workers) cost %.2f s [%.2f, %.2f]; chunks redelivered: %s", \
    lost, ok(lost_lo) ? lost_lo : lost, ok(lost_hi) ? lost_hi : lost, ok(redelivered) ? num(redelivered) : "?") : ""
set title sprintf("distributed: one task's cost through the Redis broker vs the pool's pipes\nnoop, %s workers (lower is better)%s", \
    ok(workers) ? num(workers) : "?", killed)

set output 'chart.png'
plot for [b = 1:NB] 'experiment.csv' using (bar_x(b)):(column("value")):(bar_x(b) - 0.45):(bar_x(b) + 0.45):(bottom):(column("value")) \
         with boxxyerror fs solid border lc rgb bar_border(b) lc rgb bar_fill(b) title bar(b), \
     for [b = 1:NB] 'experiment.csv' using (bar_x(b)):(column("value")):(low(_)):(high(_)) \
         with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb '#333333' notitle, \
     for [b = 1:NB] 'experiment.csv' using (bar_x(b)):(high(_)):(sprintf('%.3g', column("value"))) \
         with labels offset 0, 0.8 font ',8' tc rgb '#333333' notitle
load 'svg.gp'
