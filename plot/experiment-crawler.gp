# experiment-crawler.gp - the crawler experiment: the crawl's speedup over
# serial (of the same language and pipeline) of every concurrent cell, a bar
# per pipeline (phased, the tutorial's, and overlapped) with its 95%
# interval; Swift's bars solid, Python's pale and outlined. Read from
# summary.csv (its crawl rows); experiment.csv holds the claim checks.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: claim_id,language,verdict
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
load 'style.gp'

pipeline(_) = strstrt(params(0), "pipeline=overlapped") > 0 ? "overlapped" : "phased"
PIPES = "phased overlapped"
is_bar(_) = strcol("workload") eq "crawl" && column("speedup") > 0 && strstrt(strcol("model"), "serial") == 0
category(_) = strcol("model").":".strcol("workers")

# One pass: the (model, workers) categories and the largest value.
found = ""; ymax = NaN
fold(_) = (found = note(found, category(0)), ymax = greater(ymax, column("speedup_ci_hi") > 0 ? column("speedup_ci_hi") : column("speedup")), 0)
stats 'summary.csv' using (is_bar(0) ? fold(0) : 0) nooutput

# Categories: Swift's models in the usual order, then Python's, by workers.
CATS = ""
do for [l in "swift python"] { do for [m in known_models] {
    name = l eq "python" ? "python-".m : m
    do for [w in "1 2 4 8 16 25 32 50 64 100 128 200 256 400"] { if (has(found, name.":".w)) { CATS = CATS." ".name.":".w } }
} }
do for [c in found] { if (!has(CATS, c)) { CATS = CATS." ".c } }
NC = words(CATS)
if (NC == 0) { exit }
cat_model(i) = word(CATS, i)[1:strstrt(word(CATS, i), ":") - 1]
cat_workers(i) = word(CATS, i)[strstrt(word(CATS, i), ":") + 1:]
cat_label(i) = cat_model(i) eq "hybrid" || cat_model(i) eq "python-hybrid" ? cat_model(i)." 2x".sprintf("%d", (cat_workers(i) + 0) / 2) : cat_model(i)." ".cat_workers(i)
# Python's categories after a gap.
first_python = 0
do for [i = 1:NC] { if (first_python == 0 && is_python(cat_model(i))) { first_python = i } }
cat_x(i) = i - 1 + (first_python > 1 && i >= first_python ? 1 : 0)

width = 0.38
X(i, p) = is_bar(0) && category(0) eq word(CATS, i) && pipeline(0) eq p ? cat_x(i) + (pos(PIPES, p) - 1.5) * width : NaN
fill(i, p) = is_python(cat_model(i)) ? pale(colour_at(pos(PIPES, p)), 0.3) : pale(colour_at(pos(PIPES, p)), 0.85)
low(_) = (low_v = column("speedup_ci_lo"), low_v > 0 ? low_v : column("speedup"))
high(_) = (high_v = column("speedup_ci_hi"), high_v > 0 ? high_v : column("speedup"))

set xrange [-0.7 : cat_x(NC) + 0.7]
set xtics () rotate by 30 right scale 0
do for [i = 1:NC] { set xtics add (cat_label(i) cat_x(i)) }
set grid noxtics ytics
set yrange [0 : ymax * 1.15]
set ylabel "speedup over serial (same language, pipeline); bars: 95% CI"
set title "crawler: the seed's wallpaper crawl, concurrent vs one thread (higher is better)\nSwift solid, Python pale; phased = every page read before the first download (the tutorial's)"
set key inside top left
set bmargin 7
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb '#777777'

set output 'chart.png'
plot for [i = 1:NC] for [p in PIPES] 'summary.csv' using (X(i, p)):(column("speedup")):(X(i, p) - width * 0.48):(X(i, p) + width * 0.48):(0):(column("speedup")) \
         with boxxyerror fs solid 1 border lc rgb colour_at(pos(PIPES, p)) lc rgb fill(i, p) notitle, \
     for [i = 1:NC] for [p in PIPES] 'summary.csv' using (X(i, p)):(column("speedup")):(low(0)):(high(0)) \
         with yerrorbars pt -1 lw 1 lc rgb '#333333' notitle, \
     for [p in PIPES] keyentry with boxes fs solid 1 lc rgb pale(colour_at(pos(PIPES, p)), 0.85) title p
load 'svg.gp'
