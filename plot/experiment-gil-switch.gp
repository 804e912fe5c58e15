# experiment-gil-switch.gp - the gil-switch experiment: one panel per IO
# kind (sleep, http), one bar per configuration - CPython's IO threads
# alone, beside a CPU-bound thread at each switch interval, beside a
# CPU-bound process; Swift's alone and beside a CPU-bound thread - the bar
# the median p50 of the IO's time with its 95% interval, a cross its p99,
# on a log scale. Python's bars pale, Swift's solid; the CPU-thread bars
# darker as the interval grows.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: record,language,subject,variant,size,metric,value,ci_lo,ci_hi
# cells: none
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
skip_summary = 1
load 'style.gp'

is_median(m) = strcol("record") eq "median" && strcol("metric") eq m && column("value") > 0
bar_of(_) = strcol("language").":".strcol("subject").":".strcol("size")

# One pass: the IO kinds, the bars, the python threads' intervals, the range.
KINDS = ""; BARS = ""; INTERVALS = ""
ymin = NaN; ymax = NaN
fold(_) = (KINDS = note(KINDS, strcol("variant")), BARS = note(BARS, bar_of(0)), \
    INTERVALS = strcol("language") eq "python" && strcol("subject") eq "threads" ? note(INTERVALS, strcol("size")) : INTERVALS, \
    ymin = lesser(ymin, column("value")), ymax = greater(ymax, column("value")), 0)
stats 'experiment.csv' using ((is_median("io_p50_us") || is_median("io_p99_us")) ? fold(0) : 0) nooutput
NK = words(KINDS)
if (NK == 0) { exit }
ORDERED = ""
do for [k in "sleep http"] { if (has(KINDS, k)) { ORDERED = ORDERED." ".k } }
do for [k in KINDS] { if (!has(ORDERED, k)) { ORDERED = ORDERED." ".k } }
KINDS = ORDERED

# Bars in a fixed order: Python alone, its threads by interval, its process; Swift alone, its thread.
ORDERED = ""
do for [b in "python:alone:5000"] { if (has(BARS, b)) { ORDERED = ORDERED." ".b } }
do for [i = 1:words(INTERVALS)] {
    lowest = ""
    do for [v in INTERVALS] { if (!has(ORDERED, "python:threads:".v) && (lowest eq "" || v + 0 < lowest + 0)) { lowest = v } }
    if (lowest ne "") { ORDERED = ORDERED." python:threads:".lowest }
}
do for [b in "python:processes:5000 swift:alone: swift:threads:"] { if (has(BARS, b)) { ORDERED = ORDERED." ".b } }
do for [b in BARS] { if (!has(ORDERED, b)) { ORDERED = ORDERED." ".b } }
BARS = ORDERED
NB = words(BARS)

part(b, i) = (part_s = word(BARS, b), i == 1 ? part_s[1:strstrt(part_s, ":") - 1] : \
    (part_r = part_s[strstrt(part_s, ":") + 1:], i == 2 ? part_r[1:strstrt(part_r, ":") - 1] : part_r[strstrt(part_r, ":") + 1:]))
bar_label(b) = part(b, 1)." ".(part(b, 2) eq "threads" ? (part(b, 1) eq "python" ? sprintf("CPU thread, %g s", part(b, 3) / 1e6) : "CPU thread (no GIL)") : \
    (part(b, 2) eq "processes" ? "CPU process" : "alone"))
bar_colour(b) = part(b, 2) eq "alone" ? colour_at(1) : (part(b, 2) eq "processes" ? colour_at(3) : \
    (part(b, 1) eq "swift" ? colour_at(2) : colour_at(4 + pos(INTERVALS, part(b, 3)))))
bar_fill(b) = part(b, 1) eq "python" ? pale(bar_colour(b), 0.35) : pale(bar_colour(b), 0.85)
K = ""
in_bar(b, m) = is_median(m) && strcol("variant") eq K && bar_of(0) eq word(BARS, b)
X(b, m) = in_bar(b, m) ? b - 1 : NaN
low(_) = (low_v = column("ci_lo"), low_v > 0 ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), high_v > 0 ? high_v : column("value"))
label(v) = v >= 1000 ? sprintf("%.3g ms", v / 1000) : sprintf("%.3g µs", v)

do for [terminal in "png svg"] {
    if (terminal eq "png") { set terminal pngcairo size 1300,650 font ',10' noenhanced; set output 'chart.png' } \
    else { set terminal svg size 1300,650 font ',10' noenhanced dynamic background rgb 'white'; set output 'chart.svg' }
    set multiplot layout 1, NK title "gil-switch: an IO thread's wait beside CPU-bound work (lower is better); Python pale, Swift solid\n"
    set label 99 CORNER at screen 0.99, screen 0.02 right font ',8' tc rgb '#666666'
    set logscale y 10
    set yrange [ymin / 2 : ymax * 4]
    set format y '%.0s%c'
    set xrange [-0.7 : NB - 0.3]
    set xtics () rotate by 35 right scale 0 font ',8'
    do for [b = 1:NB] { set xtics add (bar_label(b) b - 1) }
    set grid noxtics ytics
    set bmargin 9
    unset key
    do for [k = 1:NK] {
        K = word(KINDS, k)
        set title (K eq "sleep" ? "a 1 ms sleep" : "a GET to bench's server (1 ms)")."\nbar: p50 [95% CI]; x: p99"
        set ylabel (k == 1 ? 'µs per IO (log scale)' : '')
        plot for [b = 1:NB] 'experiment.csv' using (X(b, "io_p50_us")):(column("value")):(X(b, "io_p50_us") - 0.4):(X(b, "io_p50_us") + 0.4):(ymin / 2):(column("value")) \
                 with boxxyerror fs solid 1 border lc rgb bar_colour(b) lc rgb bar_fill(b) notitle, \
             for [b = 1:NB] 'experiment.csv' using (X(b, "io_p50_us")):(column("value")):(low(0)):(high(0)) \
                 with yerrorbars pt -1 lw 1 lc rgb '#333333' notitle, \
             for [b = 1:NB] 'experiment.csv' using (X(b, "io_p99_us")):(column("value")) with points pt 2 ps 1.2 lc rgb '#333333' notitle, \
             for [b = 1:NB] 'experiment.csv' using (X(b, "io_p50_us")):(ymin / 1.4):(label(column("value"))) \
                 with labels font ',8' tc rgb '#333333' notitle
    }
    unset multiplot
    unset output
}
