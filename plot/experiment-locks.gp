# experiment-locks.gp - the locks experiment in two panels. Left: the median
# ns per acquire + release of every lock against the parties contending for
# it (log-log), one line per mechanism with its 95% interval as bars; Swift
# solid with filled points, Python dashed with open ones. Right: the median
# Event wake-up (set -> waiter running) of each mechanism as a bar with its
# 95% interval, its p99 as a cross. The Semaphore(2) program's figures are
# in the terminal table and experiment.csv (variant hold).
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: record,language,subject,variant,size,metric,value,ci_lo,ci_hi
# cells: none
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
skip_summary = 1
load 'style.gp'

is_median(v, m) = strcol("record") eq "median" && strcol("variant") eq v && strcol("metric") eq m && column("value") > 0

# One pass: the lock series (language:subject), the events, and the ranges.
LOCKS = ""; EVENTS = ""
xmin = NaN; xmax = NaN; ymin = NaN; ymax = NaN; emin = NaN; emax = NaN
fold_lock(_) = (LOCKS = note(LOCKS, strcol("language").":".strcol("subject")), \
    xmin = lesser(xmin, column("size")), xmax = greater(xmax, column("size")), \
    ymin = lesser(ymin, column("value")), ymax = greater(ymax, column("value")), 0)
fold_event(_) = (EVENTS = note(EVENTS, strcol("language").":".strcol("subject")), \
    emin = lesser(emin, column("value")), emax = greater(emax, column("value")), 0)
stats 'experiment.csv' using (is_median("lock", "ns_per_acquire") ? fold_lock(0) : \
    ((is_median("event", "wake_p50_us") || is_median("event", "wake_p99_us")) ? fold_event(0) : 0)) nooutput
NL = words(LOCKS); NE = words(EVENTS)
if (NL + NE == 0) { exit }
# Swift's series first, then Python's, each in the order found.
ORDERED = ""
do for [w in LOCKS] { if (strstrt(w, "swift:") == 1) { ORDERED = ORDERED." ".w } }
do for [w in LOCKS] { if (strstrt(w, "swift:") != 1) { ORDERED = ORDERED." ".w } }
LOCKS = ORDERED
ORDERED = ""
do for [w in EVENTS] { if (strstrt(w, "swift:") == 1) { ORDERED = ORDERED." ".w } }
do for [w in EVENTS] { if (strstrt(w, "swift:") != 1) { ORDERED = ORDERED." ".w } }
EVENTS = ORDERED

series_language(s) = s[1:strstrt(s, ":") - 1]
series_subject(s) = s[strstrt(s, ":") + 1:]
is_py(s) = series_language(s) eq "python"
line_dash(s) = is_py(s) ? 2 : 1
line_point(s) = is_py(s) ? 6 : 7
# Swift's mechanisms take the first colours, Python's the next ones.
series_colour(s) = colour_at(pos(LOCKS, s))
in_lock(s) = is_median("lock", "ns_per_acquire") && strcol("language") eq series_language(s) && strcol("subject") eq series_subject(s)
LX(s) = in_lock(s) ? column("size") : NaN
low(_) = (low_v = column("ci_lo"), low_v > 0 ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), high_v > 0 ? high_v : column("value"))
in_event(b, m) = is_median("event", m) && strcol("language").":".strcol("subject") eq word(EVENTS, b)
EX(b, m) = in_event(b, m) ? b - 1 : NaN
event_fill(b) = is_py(word(EVENTS, b)) ? pale(colour_at(b), 0.3) : pale(colour_at(b), 0.85)

do for [terminal in "png svg"] {
    if (terminal eq "png") { set terminal pngcairo size 1300,650 font ',10' noenhanced; set output 'chart.png' } \
    else { set terminal svg size 1300,650 font ',10' noenhanced dynamic background rgb 'white'; set output 'chart.svg' }
    set multiplot title sprintf("locks: what the seeds' Lock, Semaphore and Event cost, Swift (solid) and Python (dashed, pale)%s\n", \
        CORES > 0 ? sprintf(" on %d cores", CORES) : "")
    set label 99 CORNER at screen 0.99, screen 0.02 right font ',8' tc rgb '#666666'
    if (NL > 0) {
        set lmargin at screen 0.06; set rmargin at screen 0.45; set tmargin at screen 0.88; set bmargin at screen 0.12
        set title "acquire + release, median (lower is better); bars: 95% interval"
        set logscale x 2; set logscale y 10
        set xrange [xmin / 1.3 : xmax * 1.3]
        set yrange [ymin / 2 : ymax * 3]
        set format y '%.0s%c'
        set xlabel 'parties contending (threads, tasks or processes; log2)'
        set ylabel 'ns per acquire + release (log scale)'
        set key at screen 0.46, screen 0.88 top left vertical Left reverse spacing 1.1 font ',8'
        if (CORES > 0) {
            set arrow 1 from CORES, graph 0 to CORES, graph 1 nohead dt 3 lw 1.5 lc rgb '#777777'
            set label 2 sprintf('%d cores', CORES) at CORES, graph 0.97 offset 0.6, 0 left tc rgb '#555555' font ',9'
        }
        plot for [s in LOCKS] 'experiment.csv' using (LX(s)):(column("value")) smooth unique with lines \
                 lc rgb series_colour(s) lw 2 dt line_dash(s) notitle, \
             for [s in LOCKS] 'experiment.csv' using (LX(s)):(column("value")):(low(0)):(high(0)) with yerrorbars \
                 lc rgb series_colour(s) pt line_point(s) ps 0.9 notitle, \
             for [s in LOCKS] keyentry with linespoints lc rgb series_colour(s) lw 2 dt line_dash(s) pt line_point(s) \
                 title series_language(s)." ".series_subject(s)
        unset arrow 1; unset label 2
        unset logscale x; unset logscale y
    }
    if (NE > 0) {
        set lmargin at screen 0.68; set rmargin at screen 0.98; set tmargin at screen 0.88; set bmargin at screen 0.22
        set title "Event, set() -> waiter running (µs)\nbar: p50 [95% CI]; x: p99"
        set logscale y 10
        set xrange [-0.7 : NE - 0.3]
        set yrange [emin / 2 : emax * 3]
        set format y '%.0s%c'
        set xlabel ''
        set ylabel 'µs (log scale)'
        set xtics () rotate by 30 right scale 0
        do for [b = 1:NE] { set xtics add (series_language(word(EVENTS, b))." ".series_subject(word(EVENTS, b)) b - 1) }
        set grid noxtics ytics
        unset key
        plot for [b = 1:NE] 'experiment.csv' using (EX(b, "wake_p50_us")):(column("value")):(EX(b, "wake_p50_us") - 0.4):(EX(b, "wake_p50_us") + 0.4):(emin / 2):(column("value")) \
                 with boxxyerror fs solid 1 border lc rgb colour_at(b) lc rgb event_fill(b) notitle, \
             for [b = 1:NE] 'experiment.csv' using (EX(b, "wake_p50_us")):(column("value")):(low(0)):(high(0)) \
                 with yerrorbars pt -1 lw 1 lc rgb '#333333' notitle, \
             for [b = 1:NE] 'experiment.csv' using (EX(b, "wake_p99_us")):(column("value")) with points pt 2 ps 1.2 lc rgb '#333333' notitle
    }
    unset multiplot
    unset output
}
