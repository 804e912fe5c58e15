# experiment-pool-calls.gp - the pool-calls experiment, one panel per task
# size: the median wall time per task against the chunk size for Python's
# map, imap and imap_unordered (dashed, open points) and Swift's process-pool
# (solid), with the 95% interval; the calls without a chunk size (apply in a
# loop, apply_async, Swift's lockstep) as horizontal lines. Log scales.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: record,language,subject,variant,size,metric,value,ci_lo,ci_hi
# cells: none
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
skip_summary = 1
load 'style.gp'

is_median(_) = strcol("record") eq "median" && strcol("metric") eq "us_per_task" && column("value") > 0
chunked = "map imap imap_unordered process-pool"
flat = "apply apply_async lockstep"
chunk_of(v) = v[strstrt(v, "=") + 1:] + 0

# One pass: task sizes, chunk sizes, the styles present and the value range.
SIZES = ""; CHUNKS = ""; styles = ""; ymin = NaN; ymax = NaN
fold(_) = (SIZES = note(SIZES, strcol("size")), styles = note(styles, strcol("subject")), \
    CHUNKS = strstrt(strcol("variant"), "chunksize=") == 1 ? note(CHUNKS, sprintf("%d", chunk_of(strcol("variant")))) : CHUNKS, \
    ymin = lesser(ymin, column("value")), ymax = greater(ymax, column("value")), 0)
stats 'experiment.csv' using (is_median(0) && strcol("subject") ne "map-lazy" && strcol("subject") ne "imap-lazy" ? fold(0) : 0) nooutput
NS = words(SIZES)
if (NS == 0) { exit }
# Task sizes in rising order.
SORTED = ""
do for [k = 0:NS - 1] { do for [s in SIZES] { if (rank(SIZES, s + 0) == k) { SORTED = SORTED." ".s } } }

S_CHUNKED = ""; S_FLAT = ""
do for [s in chunked] { if (has(styles, s)) { S_CHUNKED = S_CHUNKED." ".s } }
do for [s in flat] { if (has(styles, s)) { S_FLAT = S_FLAT." ".s } }
language_of(s) = (s eq "process-pool" || s eq "lockstep") ? "swift" : "python"
style_colour(s) = colour_at(pos(chunked." ".flat, s))
style_dash(s) = language_of(s) eq "python" ? 2 : 1
style_point(s) = language_of(s) eq "python" ? 6 : 7
style_title(s) = s.(language_of(s) eq "python" ? " (Python)" : " (Swift)")
in_row(s, size) = is_median(0) && strcol("subject") eq s && strcol("size") eq size
X(s, size) = in_row(s, size) ? chunk_of(strcol("variant")) : NaN
low(_) = (low_v = column("ci_lo"), low_v > 0 ? low_v : column("value"))
high(_) = (high_v = column("ci_hi"), high_v > 0 ? high_v : column("value"))
size_title(size) = size + 0 >= 1000 ? sprintf("tasks of %g ms", (size + 0) / 1000.0) : sprintf("tasks of %s µs", size)

xlo = 1; xhi = 256
do for [c in CHUNKS] { xlo = (c + 0 < xlo) ? c + 0 : xlo; xhi = (c + 0 > xhi) ? c + 0 : xhi }
set logscale x 2
set logscale y 10
set format y '%.0s%c'
set xrange [xlo / 1.5 : xhi * 1.5]
set xtics () nomirror
do for [c in CHUNKS] { set xtics add (c c + 0) }
set autoscale y
set xlabel 'chunksize (tasks per message)'

do for [terminal in "png svg"] {
    if (terminal eq "png") { set terminal pngcairo size 1300,620 font ',10' noenhanced; set output 'chart.png' } \
    else { set terminal svg size 1300,620 font ',10' noenhanced dynamic background rgb 'white'; set output 'chart.svg' }
    set multiplot layout 1, NS title "pool-calls: 2 workers, median wall time per task (lower is better); bars: 95% interval\n"
    do for [i = 1:NS] {
        size = word(SORTED, i)
        set title size_title(size)
        set ylabel (i == 1 ? 'µs of wall time per task (log scale)' : '')
        if (i == 1) { set key inside top right vertical Left reverse noautotitle font ',9' } else { unset key }
        plot for [s in S_CHUNKED] 'experiment.csv' using (X(s, size)):(column("value")) smooth unique with lines \
                 lc rgb style_colour(s) lw 2 dt style_dash(s) notitle, \
             for [s in S_CHUNKED] 'experiment.csv' using (X(s, size)):(column("value")):(low(0)):(high(0)) with yerrorbars \
                 lc rgb style_colour(s) lw 1.5 pt style_point(s) ps 1.1 notitle, \
             for [f in S_FLAT] 'experiment.csv' using (in_row(f, size) ? xlo / 1.5 : NaN):(column("value")):(xhi * 1.5 - xlo / 1.5):(0) \
                 with vectors nohead lc rgb style_colour(f) lw 2 dt style_dash(f) notitle, \
             for [s in S_CHUNKED." ".S_FLAT] keyentry with linespoints lc rgb style_colour(s) lw 2 dt style_dash(s) \
                 pt (has(flat, s) ? -1 : style_point(s)) title style_title(s)
    }
    unset multiplot
    unset output
}
