# speedup-by.gp - shared by the charts of speedup against something other
# than workers (scan, cores): one line per model and worker count, with the
# 95% interval as bars.
#   ARG4  second title line    ARG5  workload    ARG7  tasks
# The chart copies them (SUBTITLE W T, see style.gp) and defines before
# loading this file:
#   x(_)       the x value of a row
#   row_ok(_)  whether a row of the workload and task count belongs on it
#   TITLE      the title's first line
#   x_label(scale)  the x axis label; scale is "" or ", log scale"
# and loads it last: with nothing to draw it stops early, and `exit` in a
# loaded file ends only that file.
y(_) = column("speedup")
# serial and python-serial are 1 by definition: they are the baseline.
in_scan(_) = strcol("workload") eq W && row_ok(_) && strcol("tasks") eq T && y(_) > 0 && \
             strcol("model") ne "serial" && strcol("model") ne "python-serial"

found = ""; xs = ""; xmin = NaN; xmax = NaN; ymin = NaN; ymax = NaN
fold(xv, yv) = (found = note(found, strcol("model")."/".strcol("workers")), xs = note(xs, num(xv)), \
    xmin = lesser(xmin, xv), xmax = greater(xmax, xv), ymin = lesser(ymin, yv), ymax = greater(ymax, yv), 0)
stats 'summary.csv' using (in_scan(_) ? fold(x(_), y(_)) : 0) nooutput

# Series: per model (in key order) its worker counts, fewest first; past 8
# lines only each model's largest worker count stays.
SM = ""; SW = ""; SK = ""; all_lines = words(found)
do for [m in MODELS] {
    ws = ""
    do for [t in found] { if (strstrt(t, m."/") == 1) { ws = note(ws, t[strlen(m) + 2:]) } }
    do for [k = 1:words(ws)] {
        do for [w in ws] {
            if (rank(ws, w + 0) == k - 1 && (all_lines <= 8 || k == words(ws))) {
                SM = SM." ".m; SW = SW." ".w; SK = SK." ".(all_lines <= 8 ? k : 1)
            }
        }
    }
}
N = words(SM)
if (N == 0) { exit }

X(i) = in_scan(_) && strcol("model") eq word(SM, i) && strcol("workers") eq word(SW, i) ? x(_) : NaN
low(_) = (low_v = column("speedup_ci_lo"), low_v > 0 ? low_v : y(_))
high(_) = (high_v = column("speedup_ci_hi"), ok(high_v) ? high_v : y(_))
s_colour(i) = colour(word(SM, i))
s_point(i) = point(word(SM, i), word(SK, i) + 0)
s_dash(i) = dash(word(SM, i), word(SK, i) + 0)
s_title(i) = sprintf("%s, %s worker%s", word(SM, i), word(SW, i), word(SW, i) eq "1" ? "" : "s")

if (xmax / xmin > 20) { set logscale x 10; set xrange [xmin / 1.4 : xmax * 1.4]; xscale = ", log scale" } \
else { pad = (xmax - xmin) * 0.08; set xrange [xmin - pad : xmax + pad]; xscale = "" }
set xtics (word(xs, 1) word(xs, 1) + 0)
do for [v in xs] { set xtics add (v v + 0) }
if (ymin > 0 && ymax / ymin > 20) { set logscale y 2; set format y "%g"; yscale = "log scale; " } \
else { set yrange [0:*]; yscale = "" }
set title sprintf("%s (higher is better)\n%s", TITLE, SUBTITLE)
set xlabel x_label(xscale)
set ylabel sprintf("speedup (serial median / median; %sbars: 95%% interval)", yscale)

set output 'chart.png'
plot for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with lines \
         lc rgb s_colour(i) lw 2 dt s_dash(i) notitle, \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_)):(low(_)):(high(_)) with yerrorbars \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 notitle, \
     for [i = 1:N] keyentry with yerrorlines lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) \
         title s_title(i)
load 'svg.gp'
