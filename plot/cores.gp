# cores.gp - speedup against the number of cores the samples were pinned to
# (bench's --cpus given more than once), one line per model and worker count:
# how each model uses the cores it is given.
# Arguments: see style.gp, and
#   ARG4  second title line    ARG5  workload    ARG6  params    ARG7  tasks
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; T = ARG7
load 'style.gp'

# The number of CPUs in a cpus field such as 0+1+3.
pluses(s, i) = i > strlen(s) ? 0 : (s[i:i] eq "+") + pluses(s, i + 1)
x(_) = strcol("cpus") eq "" ? NaN : pluses(strcol("cpus"), 1) + 1
y(_) = column("speedup")
# serial and python-serial are 1 by definition: they are the baseline (on the same cores).
in_scan(_) = strcol("workload") eq W && params(_) eq P && strcol("tasks") eq T && y(_) > 0 && \
             strcol("cpus") ne "" && strcol("model") ne "serial" && strcol("model") ne "python-serial"

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
set title sprintf("Speedup by the cores a sample may use (higher is better)\n%s", SUBTITLE)
set xlabel sprintf("cores (CPUs the samples were pinned to with --cpus%s)", xscale)
set ylabel sprintf("speedup (serial median / median; %sbars: 95%% interval)", yscale)

set output 'chart.png'
plot for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with lines \
         lc rgb s_colour(i) lw 2 dt s_dash(i) notitle, \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_)):(low(_)):(high(_)) with yerrorbars \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 notitle, \
     for [i = 1:N] keyentry with yerrorlines lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) \
         title s_title(i)
load 'svg.gp'
