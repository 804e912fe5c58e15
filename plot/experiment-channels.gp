# experiment-channels.gp - the channels experiment in two panels: the median
# round trip (left) and the median one-way throughput (right) of every
# channel, one bar per message size, with the 95% interval; Swift's channels
# solid, Python's pale and outlined. Log scales: the channels differ by
# orders of magnitude.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: record,language,subject,variant,size,metric,value,ci_lo,ci_hi
# cells: none
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
skip_summary = 1
load 'style.gp'

# Channels in this order when present (Swift's, then Python's); others after them.
order = "pipe socketpair thread-queue asyncstream mp-pipe mp-queue mp-simplequeue manager-queue queue-queue asyncio-queue"
is_median(m) = strcol("record") eq "median" && strcol("metric") eq m && strcol("variant") ne "2x2"

# One pass: the channels and sizes with a median, each channel's language,
# and the range of each panel's values.
found = ""; pythons = ""; SIZES = ""
rmin = NaN; rmax = NaN; tmin = NaN; tmax = NaN
fold(_) = (found = note(found, strcol("subject")), SIZES = note(SIZES, strcol("size")), \
    pythons = strcol("language") eq "python" ? note(pythons, strcol("subject")) : pythons, \
    strcol("metric") eq "rtt_p50_us" ? (rmin = lesser(rmin, column("value")), rmax = greater(rmax, column("value"))) : \
        (tmin = lesser(tmin, column("value")), tmax = greater(tmax, column("value"))), 0)
stats 'experiment.csv' using ((is_median("rtt_p50_us") || is_median("msgs_per_s")) && column("value") > 0 ? fold(0) : 0) nooutput

CH = ""
do for [c in order] { if (has(found, c)) { CH = CH." ".c } }
do for [c in found] { if (!has(CH, c)) { CH = CH." ".c } }
NC = words(CH); NS = words(SIZES)
if (NC == 0) { exit }

width = 0.8 / NS
size_label(s) = s + 0 >= 1048576 ? sprintf("%g MiB", (s + 0) / 1048576.0) : (s + 0 >= 1024 ? sprintf("%g KiB", (s + 0) / 1024.0) : s." B")
bar_x(s) = pos(CH, strcol("subject")) - 1 + (rank(SIZES, s + 0) - (NS - 1) / 2.0) * width
in_bar(m, s) = is_median(m) && strcol("size") eq s && column("value") > 0
X(m, s) = in_bar(m, s) ? bar_x(s) : NaN
low(_) = (low_v = column("ci_lo"), low_v > 0 ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), high_v > 0 ? high_v : column("value"))
size_colour(s) = colour_at(rank(SIZES, s + 0) + 1)
python_bar(_) = has(pythons, strcol("subject"))
fill(s) = python_bar(0) ? pale(size_colour(s), 0.3) : pale(size_colour(s), 0.85)
fill_value(s) = hex(fill(s))

set xrange [-0.7 : NC - 0.3]
set xtics () rotate by 30 right scale 0
do for [i = 1:NC] { set xtics add (word(CH, i) i - 1) }
set grid noxtics ytics
set logscale y 10
set format y '%.0s%c'
set key top left
set bmargin 6

do for [terminal in "png svg"] {
    if (terminal eq "png") { set terminal pngcairo size 1200,650 font ',10' noenhanced; set output 'chart.png' } \
    else { set terminal svg size 1200,650 font ',10' noenhanced dynamic background rgb 'white'; set output 'chart.svg' }
    set multiplot layout 1,2 title "channels: two parties passing messages (Swift solid, Python pale); bars: 95% interval\n"
    set title "round trip, median (lower is better)"
    set ylabel 'µs per round trip (log scale)'
    set yrange [rmin / 2 : rmax * 2]
    plot for [s in SIZES] 'experiment.csv' using (X("rtt_p50_us", s)):(column("value")):(X("rtt_p50_us", s) - width * 0.45):(X("rtt_p50_us", s) + width * 0.45):(rmin / 2):(column("value")):(fill_value(s)) \
             with boxxyerror fs solid 1 border lc rgb size_colour(s) lc rgb variable notitle, \
         for [s in SIZES] 'experiment.csv' using (X("rtt_p50_us", s)):(column("value")):(low(0)):(high(0)) \
             with yerrorbars pt -1 lw 1 lc rgb '#333333' notitle, \
         for [s in SIZES] keyentry with boxes fs solid 1 lc rgb pale(size_colour(s), 0.85) title size_label(s), \
         keyentry with boxes fs solid 1 lc rgb '#DDDDDD' title 'pale: Python'
    set title "one way, median throughput (higher is better)"
    set ylabel 'messages per second (log scale)'
    set yrange [tmin / 2 : tmax * 2]
    plot for [s in SIZES] 'experiment.csv' using (X("msgs_per_s", s)):(column("value")):(X("msgs_per_s", s) - width * 0.45):(X("msgs_per_s", s) + width * 0.45):(tmin / 2):(column("value")):(fill_value(s)) \
             with boxxyerror fs solid 1 border lc rgb size_colour(s) lc rgb variable notitle, \
         for [s in SIZES] 'experiment.csv' using (X("msgs_per_s", s)):(column("value")):(low(0)):(high(0)) \
             with yerrorbars pt -1 lw 1 lc rgb '#333333' notitle, \
         for [s in SIZES] keyentry with boxes fs solid 1 lc rgb pale(size_colour(s), 0.85) title size_label(s), \
         keyentry with boxes fs solid 1 lc rgb '#DDDDDD' title 'pale: Python'
    unset multiplot
    unset output
}
