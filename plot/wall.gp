# wall.gp - median wall time against workers, one line per model, bars from
# the fastest to the slowest run; serial's median as a dashed baseline.
# Arguments: see style.gp and series.gp.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7
load 'style.gp'
y(_) = column("wall_median_s")
y_ok(_) = y(_) > 0                     # the axis may be logarithmic
low(_) = (low_v = column("wall_min_s"), low_v > 0 ? low_v : y(_))
high(_) = (high_v = column("wall_max_s"), ok(high_v) ? high_v : y(_))
load 'series.gp'
if (N == 0) { exit }

# The line every model has to beat: the serial median of each language.
serial = NaN; python_serial = NaN
first_wall(v, m) = (m eq "serial" && !ok(serial)) ? (serial = v, 0) : \
                   ((m eq "python-serial" && !ok(python_serial)) ? (python_serial = v, 0) : 0)
stats 'summary.csv' using (in_dataset(_) && y_ok(_) ? first_wall(y(_), strcol("model")) : 0) nooutput

k = time_factor(ymax)
if (ymin > 0 && ymax / ymin > 20) { set logscale y 10; set format y "%g"; scale = ", log scale" } \
else { set yrange [0:*]; scale = "" }
set title "Median wall time by model (lower is better)\n".SUBTITLE
set ylabel sprintf("median wall time (%s%s); bars: fastest to slowest run", time_unit(ymax), scale)

# Lines through the sorted points (a file need not be sorted by workers),
# bars and points on top, and the key drawn like gnuplot's yerrorlines.
set output 'chart.png'
plot for [i = 1:N] 'summary.csv' using (X(i)):(y(_) * k) smooth unique with lines \
         lc rgb s_colour(i) lw 2 dt s_dash(i) notitle, \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_) * k):(low(_) * k):(high(_) * k) with yerrorbars \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 notitle, \
     for [i = 1:N] keyentry with yerrorlines lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) \
         title s_title(i), \
     for [j = 1:ok(serial)] serial * k with lines dt 2 lw 1.5 lc rgb colour("serial") \
         title (ok(serial) ? 'serial median' : ''), \
     for [j = 1:ok(python_serial)] python_serial * k with lines dt 4 lw 1.5 lc rgb colour("python-serial") \
         title (ok(python_serial) ? 'python-serial median' : '')
load 'svg.gp'
