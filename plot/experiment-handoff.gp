# experiment-handoff.gp - the handoff experiment: the median ns per hand-off
# of each mechanism, one bar each, with its 95% interval and its value, on a
# log scale; Swift's bars solid, Python's pale and outlined. Colours by kind:
# a plain call, a coroutine (generator, asyncio, async tasks), threads, processes.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: record,language,subject,metric,value,ci_lo,ci_hi
# cells: none
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
skip_summary = 1
load 'style.gp'

order = "call generator-send asyncio-tasks async-tasks thread-condition process-pipe"
kind_of(s) = s eq "call" ? 1 : (s eq "thread-condition" ? 3 : (s eq "process-pipe" ? 4 : 2))
kind_title(k) = word("call coroutine threads processes", k)
is_median(_) = strcol("record") eq "median" && strcol("metric") eq "ns_per_handoff" && column("value") > 0

# One pass: the (language, mechanism) bars present and the range of the values.
found = ""; ymin = NaN; ymax = NaN
fold(_) = (found = note(found, strcol("language").":".strcol("subject")), \
    ymin = lesser(ymin, column("value")), ymax = greater(ymax, column("value")), 0)
stats 'experiment.csv' using (is_median(0) ? fold(0) : 0) nooutput

# Bars: Swift's mechanisms in `order`, a gap, then Python's.
BARS = ""
do for [l in "swift python"] {
    do for [m in order] { if (has(found, l.":".m)) { BARS = BARS." ".l.":".m } }
    do for [t in found] { if (strstrt(t, l.":") == 1 && !has(BARS, t)) { BARS = BARS." ".t } }
}
NB = words(BARS)
if (NB == 0) { exit }
bar_language(b) = word(BARS, b)[1:strstrt(word(BARS, b), ":") - 1]
bar_subject(b) = word(BARS, b)[strstrt(word(BARS, b), ":") + 1:]
# A gap of one bar between the languages.
bar_at(b) = b - 1 + (bar_language(b) eq "python" && strstrt(BARS, "swift:") > 0 ? 1 : 0)
bar_colour(b) = colour_at(kind_of(bar_subject(b)))
bar_fill(b) = bar_language(b) eq "python" ? pale(bar_colour(b), 0.3) : pale(bar_colour(b), 0.85)
in_bar(b) = is_median(0) && strcol("language") eq bar_language(b) && strcol("subject") eq bar_subject(b)
X(b) = in_bar(b) ? bar_at(b) : NaN
low(_) = (low_v = column("ci_lo"), low_v > 0 ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), high_v > 0 ? high_v : column("value"))
label(v) = v >= 1000 ? sprintf("%.3g µs", v / 1000) : sprintf("%.3g ns", v)

set xrange [-0.7 : bar_at(NB) + 0.7]
set xtics () rotate by 30 right scale 0
do for [b = 1:NB] { set xtics add (bar_language(b)." ".bar_subject(b) bar_at(b)) }
set grid noxtics ytics
set logscale y 10
set format y '%.0s%c'
set yrange [ymin / 3 : ymax * 4]
set ylabel 'ns per hand-off (log scale); bars: 95% interval'
set title "handoff: control passed to another party and back (lower is better)\nSwift solid, Python pale; a round trip is two hand-offs"
set key inside top left
set bmargin 7

set output 'chart.png'
plot for [b = 1:NB] 'experiment.csv' using (X(b)):(column("value")):(X(b) - 0.4):(X(b) + 0.4):(ymin / 3):(column("value")) \
         with boxxyerror fs solid 1 border lc rgb bar_colour(b) lc rgb bar_fill(b) notitle, \
     for [b = 1:NB] 'experiment.csv' using (X(b)):(column("value")):(low(0)):(high(0)) \
         with yerrorbars pt -1 lw 1 lc rgb '#333333' notitle, \
     for [b = 1:NB] 'experiment.csv' using (X(b)):(high(0)):(label(column("value"))) \
         with labels offset 0, 0.8 font ',8' tc rgb '#333333' notitle, \
     for [k = 1:4] keyentry with boxes fs solid 1 lc rgb pale(colour_at(k), 0.85) title kind_title(k)
load 'svg.gp'
