# experiment-sharing.gp - the sharing experiment in two panels. Left: memory
# against workers for a block every task reads, one colour per model: PSS
# (what the processes hold between them, a shared page counted once) solid
# with filled points and its 95% interval, the sum of their peak RSS (a
# shared page counted once per process) dotted with open points. Right: the
# updates each counter variant lost, as a share of its increments (median
# of the samples), Swift's bars solid and Python's pale; a variant that
# lost none shows an empty slot with "0".
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: record,language,subject,variant,size,metric,value,ci_lo,ci_hi
# cells: none
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
skip_summary = 1
load 'style.gp'

is_median(v, m) = strcol("record") eq "median" && strcol("variant") eq v && strcol("metric") eq m

# One pass: the memory models, the counter variants, the ranges.
MODELS_SEEN = ""; COUNTERS = ""
xmin = NaN; xmax = NaN; ymax = NaN
fold_memory(_) = (MODELS_SEEN = note(MODELS_SEEN, strcol("subject")), \
    xmin = lesser(xmin, column("size")), xmax = greater(xmax, column("size")), ymax = greater(ymax, column("value")), 0)
fold_counter(_) = (COUNTERS = note(COUNTERS, strcol("language").":".strcol("subject")), 0)
stats 'experiment.csv' using ((is_median("memory", "pss_mib") || is_median("memory", "rss_sum_mib")) ? fold_memory(0) : \
    (is_median("counter", "lost_fraction") ? fold_counter(0) : 0)) nooutput
NM = words(MODELS_SEEN); NC = words(COUNTERS)
if (NM + NC == 0) { exit }
ORDERED = ""
do for [w in COUNTERS] { if (strstrt(w, "swift:") == 1) { ORDERED = ORDERED." ".w } }
do for [w in COUNTERS] { if (strstrt(w, "swift:") != 1) { ORDERED = ORDERED." ".w } }
COUNTERS = ORDERED
# The memory models in the experiment's order when present; others after them.
memory_order = "thread process-pool-spawn process-pool-forkserver python-thread python-process-pool-fork python-process-pool-spawn"
ORDERED = ""
do for [m in memory_order] { if (has(MODELS_SEEN, m)) { ORDERED = ORDERED." ".m } }
do for [m in MODELS_SEEN] { if (!has(ORDERED, m)) { ORDERED = ORDERED." ".m } }
MODELS_SEEN = ORDERED

in_memory(m, metric) = is_median("memory", metric) && strcol("subject") eq m
MX(m, metric) = in_memory(m, metric) ? column("size") : NaN
low(_) = (low_v = column("ci_lo"), ok(low_v) ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), ok(high_v) ? high_v : column("value"))
model_colour(m) = colour_at(pos(MODELS_SEEN, m))
in_counter(b) = is_median("counter", "lost_fraction") && strcol("language").":".strcol("subject") eq word(COUNTERS, b)
CX(b) = in_counter(b) ? b - 1 : NaN
series_language(s) = s[1:strstrt(s, ":") - 1]
series_subject(s) = s[strstrt(s, ":") + 1:]
counter_fill(b) = series_language(word(COUNTERS, b)) eq "python" ? pale(colour_at(b), 0.3) : pale(colour_at(b), 0.85)
percent(v) = v > 0 ? sprintf("%.1f%%", v * 100) : "0"

do for [terminal in "png svg"] {
    if (terminal eq "png") { set terminal pngcairo size 1300,650 font ',10' noenhanced; set output 'chart.png' } \
    else { set terminal svg size 1300,650 font ',10' noenhanced dynamic background rgb 'white'; set output 'chart.svg' }
    set multiplot title "sharing: one copy or one per process, and what an unguarded counter loses (Swift solid, Python pale)\n"
    set label 99 CORNER at screen 0.99, screen 0.02 right font ',8' tc rgb '#666666'
    if (NM > 0) {
        set lmargin at screen 0.06; set rmargin at screen 0.42; set tmargin at screen 0.88; set bmargin at screen 0.12
        set title "a block every task reads: PSS solid, summed RSS dotted"
        set logscale x 2
        set xrange [xmin / 1.3 : xmax * 1.3]
        set yrange [0 : ymax * 1.1]
        set xlabel 'workers (log2)'
        set ylabel 'MiB'
        set key at screen 0.43, screen 0.88 top left vertical Left reverse spacing 1.1 font ',8'
        plot for [m in MODELS_SEEN] 'experiment.csv' using (MX(m, "pss_mib")):(column("value")) smooth unique with lines \
                 lc rgb model_colour(m) lw 2 notitle, \
             for [m in MODELS_SEEN] 'experiment.csv' using (MX(m, "pss_mib")):(column("value")):(low(0)):(high(0)) with yerrorbars \
                 lc rgb model_colour(m) pt 7 ps 0.9 notitle, \
             for [m in MODELS_SEEN] 'experiment.csv' using (MX(m, "rss_sum_mib")):(column("value")) smooth unique with lines \
                 lc rgb model_colour(m) lw 1.5 dt 3 notitle, \
             for [m in MODELS_SEEN] 'experiment.csv' using (MX(m, "rss_sum_mib")):(column("value")) with points \
                 lc rgb model_colour(m) pt 6 ps 0.9 notitle, \
             for [m in MODELS_SEEN] keyentry with linespoints lc rgb model_colour(m) lw 2 pt 7 title m
        unset logscale x
    }
    if (NC > 0) {
        set lmargin at screen 0.62; set rmargin at screen 0.98; set tmargin at screen 0.88; set bmargin at screen 0.30
        set title "a shared counter: updates lost (median share)"
        set xrange [-0.7 : NC - 0.3]
        set yrange [0 : 1.1]
        set format y '%.0f%%'
        set ytics ('0%%' 0, '25%%' 0.25, '50%%' 0.5, '75%%' 0.75, '100%%' 1)
        set xlabel ''
        set ylabel 'updates lost'
        set xtics () rotate by 40 right scale 0 font ',8'
        do for [b = 1:NC] { set xtics add (series_language(word(COUNTERS, b))." ".series_subject(word(COUNTERS, b)) b - 1) }
        set grid noxtics ytics
        unset key
        plot for [b = 1:NC] 'experiment.csv' using (CX(b)):(column("value")):(CX(b) - 0.4):(CX(b) + 0.4):(0):(column("value")) \
                 with boxxyerror fs solid 1 border lc rgb colour_at(b) lc rgb counter_fill(b) notitle, \
             for [b = 1:NC] 'experiment.csv' using (CX(b)):(column("value")):(percent(column("value"))) \
                 with labels offset 0, 0.7 font ',8' tc rgb '#333333' notitle
    }
    unset multiplot
    unset output
}
