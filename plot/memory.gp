# memory.gp - peak memory against workers: the sum of the peak RSS of every
# process a run used.
# Arguments: see style.gp and series.gp.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7
load 'style.gp'
y(_) = column("max_rss_kb") / 1024.0
y_ok(_) = y(_) > 0                   # the axis may be logarithmic
load 'series.gp'
if (N == 0) { exit }

if (ymin > 0 && ymax / ymin > 20) { set logscale y 10; set format y "%g"; scale = ", log scale" } \
else { set yrange [0:*]; scale = "" }
set title "Peak memory by model\n".SUBTITLE
set ylabel sprintf("peak memory (MiB%s; sum of the peak RSS of every process)", scale)

set output 'chart.png'
plot for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with linespoints \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) title s_title(i)
load 'svg.gp'
