# memory.gp - memory against workers: PSS summed over every process a run
# used (solid; a page shared by several processes counts once, divided among
# them), beside the sum of their peak RSS (dotted; a shared page counts once
# per process that maps it). Runs from before pss_kb existed: RSS alone.
# Arguments: see style.gp and series.gp.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7
load 'style.gp'
y(_) = column("max_rss_kb") / 1024.0
y_ok(_) = y(_) > 0                   # the axis may be logarithmic
pss(_) = strcol("pss_kb") eq "" ? NaN : column("pss_kb") / 1024.0
load 'series.gp'
if (N == 0) { exit }

with_pss = 0
stats 'summary.csv' using (in_dataset(_) && strcol("pss_kb") ne "" ? (with_pss = with_pss + 1, 0) : 0) nooutput

if (ymin > 0 && ymax / ymin > 20) { set logscale y 10; set format y "%g"; scale = ", log scale" } \
else { set yrange [0:*]; scale = "" }
set output 'chart.png'
if (with_pss > 0) {
    set title "Memory by model: PSS (solid) beside summed peak RSS (dotted)\n".SUBTITLE
    set ylabel sprintf("memory (MiB%s; PSS divides a shared page among its processes)", scale)
    plot for [i = 1:N] 'summary.csv' using (X(i)):(pss(_)) smooth unique with linespoints \
             lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) title s_title(i), \
         for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with lines \
             lc rgb s_colour(i) lw 1 dt 3 notitle
} else {
    set title "Peak memory by model\n".SUBTITLE
    set ylabel sprintf("peak memory (MiB%s; sum of the peak RSS of every process)", scale)
    plot for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with linespoints \
             lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) title s_title(i)
}
load 'svg.gp'
