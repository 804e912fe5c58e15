# experiment-seed-400.gp - the seed-400 experiment as grouped bars, one group
# per sink: for each configuration (1x400 = 1 process x 400 threads...) the
# tutorial's published time, hatched, beside the measured median of each
# language (Python pale and outlined, Swift solid), with bars from the
# fastest to the slowest run.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: sink,config,language,processes,threads,items,seed_s,measured_median_s,measured_min_s,measured_max_s,runs
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
load 'style.gp'

# One pass: sinks and configurations in order of appearance, which
# configurations have a tutorial figure, the (configuration, language) pairs
# measured, the item count and the range of every value drawn.
sinks = ""; configs = ""; seeded = ""; measured = ""; items = NaN; ymin = NaN; ymax = NaN
span(v) = (ymin = lesser(ymin, v), ymax = greater(ymax, v), 0)
lo_of(m, lo) = lo > 0 ? lo : m
hi_of(m, hi) = ok(hi) ? hi : m
fold(c, seed, m, lo, hi, n) = (sinks = note(sinks, strcol("sink")), configs = note(configs, c), \
    seeded = seed > 0 ? (span(seed), note(seeded, c)) : seeded, \
    measured = m > 0 ? (span(lo_of(m, lo)), span(hi_of(m, hi)), note(measured, c.":".strcol("language"))) : measured, \
    items = ok(n) ? n : items, 0)
stats 'experiment.csv' using (fold(strcol("config"), column("seed_s"), column("measured_median_s"), \
    column("measured_min_s"), column("measured_max_s"), column("items"))) nooutput

# Bars, in key order: per configuration its tutorial bar (config#seed) when
# it has one, then one bar per measured language (config:language).
BARS = ""
do for [c in configs] {
    if (has(seeded, c)) { BARS = BARS." ".c."#seed" }
    do for [t in measured] { if (strstrt(t, c.":") == 1) { BARS = BARS." ".t } }
}
NB = words(BARS)
if (NB == 0) { exit }

bar(b) = word(BARS, b)
is_seed(b) = strstrt(bar(b), "#") > 0
bar_config(b) = is_seed(b) ? bar(b)[1:strstrt(bar(b), "#") - 1] : bar(b)[1:strstrt(bar(b), ":") - 1]
bar_language(b) = is_seed(b) ? "" : bar(b)[strstrt(bar(b), ":") + 1:]
is_python_bar(b) = bar_language(b) eq "python"
bar_colour(b) = colour_at(pos(configs, bar_config(b)))
bar_title(b) = bar_config(b).(is_seed(b) ? " — tutorial seed" : \
               " — measured".(bar_language(b) eq "" ? "" : " (".bar_language(b).")"))
# Hatched, or solid: gnuplot's pattern 3 is a solid fill, so one plot clause
# (and one key entry per bar, in bar order) covers every kind. Python's pale
# fill and Swift's 0.85 fill are mixed with white by hand for the same reason.
bar_pattern(b) = is_seed(b) ? 4 : 3
bar_fill(b) = is_seed(b) ? bar_colour(b) : pale(bar_colour(b), is_python_bar(b) ? 0.3 : 0.85)
bar_border(b) = is_seed(b) || is_python_bar(b) ? bar_colour(b) : "#FFFFFFFF"    # Swift: none (fully transparent)

# Bar b of a sink's group at x = group * (NB + 1) + b - 1; NaN for other rows.
in_bar(b) = strcol("config") eq bar_config(b) && \
            (is_seed(b) ? column("seed_s") > 0 : strcol("language") eq bar_language(b) && column("measured_median_s") > 0)
bar_x(b) = in_bar(b) ? (pos(sinks, strcol("sink")) - 1) * (NB + 1) + b - 1 : NaN
bar_value(b) = is_seed(b) ? column("seed_s") : column("measured_median_s")
bar_low(b) = is_seed(b) ? bar_value(b) : lo_of(bar_value(b), column("measured_min_s"))
bar_high(b) = is_seed(b) ? bar_value(b) : hi_of(bar_value(b), column("measured_max_s"))
MEASURED_BARS = ""
do for [b = 1:NB] { if (!is_seed(b)) { MEASURED_BARS = MEASURED_BARS." ".b } }

# Bars start at the bottom of the axis: 0 on a linear axis, below the
# smallest value on a log one.
if (ymax / ymin > 20) { bottom = ymin / 3; set logscale y 10; set format y '%g'; set yrange [bottom:*]; scale = ", log scale" } \
else { bottom = 0; set yrange [0:*]; scale = "" }
set xrange [-0.8 : words(sinks) * (NB + 1) - 1 + 0.8]
set xtics (word(sinks, 1) (NB - 1) / 2.0) scale 0
do for [g = 1:words(sinks)] { set xtics add (word(sinks, g) (g - 1) * (NB + 1) + (NB - 1) / 2.0) }
set grid noxtics ytics
set xlabel 'sink (where the printed numbers went)'
set ylabel sprintf("wall time (s%s); bars on measured: fastest to slowest run", scale)
set title sprintf("seed-400: the tutorial's times beside the measured ones (lower is better)\n%s items printed, per sink", \
    ok(items) ? num(items) : "all")

set output 'chart.png'
plot for [b = 1:NB] 'experiment.csv' using (bar_x(b)):(bar_value(b)):(bar_x(b) - 0.45):(bar_x(b) + 0.45):(bottom):(bar_value(b)) \
         with boxxyerror fs pattern bar_pattern(b) border lc rgb bar_border(b) lc rgb bar_fill(b) title bar_title(b), \
     for [mb in MEASURED_BARS] 'experiment.csv' using (bar_x(mb + 0)):(bar_value(mb + 0)):(bar_low(mb + 0)):(bar_high(mb + 0)) \
         with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb '#333333' notitle, \
     for [b = 1:NB] 'experiment.csv' using (bar_x(b)):(bar_high(b)):(sprintf('%.2g s', bar_value(b))) \
         with labels offset 0, 0.8 font ',8' tc rgb '#333333' notitle
load 'svg.gp'
