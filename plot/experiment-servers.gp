# experiment-servers.gp - the servers experiment: one panel per handler with
# the p99 latency of each server model against the offered load (% of that
# model's own saturation, bench's open-loop generator, log scale), and a
# panel of saturation req/s (wrk) as bars, a group per model, a bar per
# handler, with the 95% interval. Swift's models solid, Python's dashed.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: record,language,subject,variant,size,size_unit,metric,value,ci_lo,ci_hi
# cells: none
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
skip_summary = 1
load 'style.gp'

handler_order = "cpu io mixed"
is_median(m) = strcol("record") eq "median" && strcol("metric") eq m
is_level(_) = is_median("p99_ms") && strcol("size_unit") eq "%" && column("value") > 0
is_rate(_) = is_median("wrk_rps") && strcol("size") eq "" && column("value") > 0

# One pass: the models and handlers measured, in the order first met.
SERVERS = ""; HANDLERS = ""; ymin = NaN; ymax = NaN; rmax = NaN
fold(_) = (SERVERS = note(SERVERS, strcol("subject")), HANDLERS = note(HANDLERS, strcol("variant")), \
    ymin = is_level(0) ? lesser(ymin, column("value")) : ymin, ymax = is_level(0) ? greater(ymax, column("value")) : ymax, \
    rmax = is_rate(0) ? greater(rmax, column("value")) : rmax, 0)
stats 'experiment.csv' using ((is_level(0) || is_rate(0)) ? fold(0) : 0) nooutput
if (words(SERVERS) == 0) { exit }
# The registry's order (ServerModelRegistry), then any model it does not list.
server_order = "thread-per-connection thread-pool prefork prefork-reuseport prefork-threads epoll epoll-per-core async python-threading python-prefork python-prefork-threads python-asyncio"
FOUND = SERVERS; SERVERS = ""
do for [m in server_order] { if (has(FOUND, m)) { SERVERS = SERVERS." ".m } }
do for [m in FOUND] { if (!has(SERVERS, m)) { SERVERS = SERVERS." ".m } }
NM = words(SERVERS)
ORDERED = ""
do for [h in handler_order] { if (has(HANDLERS, h)) { ORDERED = ORDERED." ".h } }
do for [h in HANDLERS] { if (!has(ORDERED, h)) { ORDERED = ORDERED." ".h } }
NH = words(ORDERED)

server_colour(m) = colour_at(pos(SERVERS, m))
server_dash(m) = is_python(m) ? 2 : 1
server_point(m) = is_python(m) ? 6 : 7
X(m, h) = is_level(0) && strcol("subject") eq m && strcol("variant") eq h ? column("size") : NaN
# Bars: model i's group at i, handler j's bar offset within it.
width = 0.8 / NH
bar_x(i, j) = i + (j - (NH + 1) / 2.0) * width
B(i, j) = is_rate(0) && strcol("subject") eq word(SERVERS, i) && strcol("variant") eq word(ORDERED, j) ? bar_x(i, j) : NaN
low(_) = (low_v = column("ci_lo"), low_v > 0 ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), high_v > 0 ? high_v : column("value"))

do for [terminal in "png svg"] {
    if (terminal eq "png") { set terminal pngcairo size 1400,900 font ',10' noenhanced; set output 'chart.png' } \
    else { set terminal svg size 1400,900 font ',10' noenhanced dynamic background rgb 'white'; set output 'chart.svg' }
    set multiplot layout 2, 2 title "servers: p99 latency under open-loop load (timed from each request's intended send), and saturation req/s (wrk)\n"
    do for [k = 1:NH] {
        h = word(ORDERED, k)
        set title sprintf("handler %s: p99 latency against offered load", h)
        set logscale y 10
        unset logscale x
        set xrange [0 : 100]
        set yrange [ymin / 2 : ymax * 2]
        set xtics 25 nomirror
        set format y '%g'
        set xlabel "offered load (% of the model's own wrk saturation)"
        set ylabel 'p99 latency, ms (log scale)'
        if (k == 1) { set key inside top left vertical Left reverse noautotitle font ',8' } else { unset key }
        plot for [m in SERVERS] 'experiment.csv' using (X(m, h)):(column("value")) smooth unique with linespoints \
                 lc rgb server_colour(m) lw 2 dt server_dash(m) pt server_point(m) ps 1 notitle, \
             for [m in SERVERS] keyentry with linespoints lc rgb server_colour(m) lw 2 dt server_dash(m) pt server_point(m) title m
    }
    if (NH < 4) {
        set title 'saturation req/s (wrk), median; bars: 95% interval'
        set logscale y 10
        set autoscale y
        set yrange [* : rmax * 3]
        set xrange [0.4 : NM + 0.6]
        set xtics () rotate by 30 right scale 0
        do for [i = 1:NM] { set xtics add (word(SERVERS, i) i) }
        set xlabel ''
        set grid noxtics ytics
        set ylabel 'requests per second (log scale)'
        set key inside top right vertical Left reverse noautotitle font ',8'
        plot for [j = 1:NH] for [i = 1:NM] 'experiment.csv' using (B(i, j)):(column("value")):(B(i, j) - width / 2):(B(i, j) + width / 2):(1):(column("value")) \
                 with boxxyerror fs solid 0.8 border lc rgb colour_at(j) lc rgb colour_at(j) notitle, \
             for [j = 1:NH] for [i = 1:NM] 'experiment.csv' using (B(i, j)):(column("value")):(low(0)):(high(0)) with yerrorbars pt -1 lc rgb '#333333' notitle, \
             for [j = 1:NH] keyentry with boxes fs solid 0.8 lc rgb colour_at(j) title 'handler '.word(ORDERED, j)
    }
    unset multiplot
    unset output
}
