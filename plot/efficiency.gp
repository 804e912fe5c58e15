# efficiency.gp - speedup / workers against workers: 1 is perfect scaling.
# Arguments: see style.gp and series.gp.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7
load 'style.gp'
y(_) = column("efficiency")
y_ok(_) = ok(y(_))
mark_cores = 1
load 'series.gp'
if (N == 0) { exit }

set yrange [0:*]
set title "Efficiency: speedup / workers (higher is better)\n".SUBTITLE
set ylabel 'efficiency (1 = every worker fully used)'

set output 'chart.png'
plot 1 with lines dt 2 lw 1.5 lc rgb '#999999' title 'ideal (efficiency = 1)', \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with linespoints \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) title s_title(i)
load 'svg.gp'
