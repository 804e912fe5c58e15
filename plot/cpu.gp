# cpu.gp - CPU utilisation, (user + sys) / wall, against workers: how many
# cores each model kept busy.
# Arguments: see style.gp and series.gp.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7
load 'style.gp'
y(_) = column("cpu_util")
y_ok(_) = ok(y(_))
load 'series.gp'
if (N == 0) { exit }

set yrange [0:*]
set title "CPU utilisation by model\n".SUBTITLE
set ylabel 'CPU utilisation ((user + sys) / wall, in cores)'

set output 'chart.png'
plot for [j = 1:(CORES > 0)] CORES with lines dt 2 lw 1.5 lc rgb '#999999' \
         title sprintf('all %d cores busy', CORES), \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with linespoints \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) title s_title(i)
load 'svg.gp'
