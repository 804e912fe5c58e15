# latency.gp - one task's duration against workers: the median (p50) and the
# 99th percentile (p99) of each model, for io workloads that time their tasks.
# Arguments: see style.gp and series.gp.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7
load 'style.gp'
y(_) = column("task_p99_s")          # the ranges follow p99, the larger one
y_ok(_) = column("task_p50_s") > 0 && y(_) > 0
load 'series.gp'
if (N == 0) { exit }

k = time_factor(ymax)
# p50 lies below p99: its smallest value sets the bottom of the axis.
p50_min = NaN
stats 'summary.csv' using (in_dataset(_) && y_ok(_) ? (p50_min = lesser(p50_min, column("task_p50_s")), 0) : 0) nooutput
if (ymax / p50_min > 20) { set logscale y 10; set format y "%g"; scale = ", log scale" } \
else { set yrange [0:*]; scale = "" }
set title "Task latency by model: median and 99th percentile of one task (lower is better)\n".SUBTITLE
set ylabel sprintf("one task's duration (%s%s); circles p50, triangles p99", time_unit(ymax), scale)

# p50 in the model's style; p99 in its colour, thinner, dotted, with triangles.
set output 'chart.png'
plot for [i = 1:N] 'summary.csv' using (X(i)):(column("task_p50_s") * k) smooth unique with linespoints \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) title s_title(i).' p50', \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_) * k) smooth unique with linespoints \
         lc rgb s_colour(i) lw 1.5 pt (is_python(word(SM, i)) ? 8 : 9) ps 1.3 dt 3 title s_title(i).' p99'
load 'svg.gp'
