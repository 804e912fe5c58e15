# style.gp - loaded first by every chart: how the CSV is read, the terminal,
# the shared look, the model styles and small list helpers.
#
# Every chart is run by plot.sh as
#     gnuplot -c <chart>.gp CORNER MODELS CORES [chart arguments...]
# from a private folder holding copies of the run's CSV files under fixed
# names, so no path and no value ever reaches gnuplot as command text: the
# arguments arrive as string variables (ARG1...) and are only ever used as
# strings. Never write @ARGn, eval, system or backquotes in these files
# (grep plot/*.gp for @, eval, system and the backquote: only comments).
#   ARG1  corner label: run id, host, cores
#   ARG2  every model of the run, space-separated, in key order
#   ARG3  logical cores of the measuring host, or empty
# `load` clears ARG1..., so each chart first copies its arguments, e.g.
#     CORNER = ARG1; MODELS = ARG2; CORES = ARG3; ...
#     load 'style.gp'

CORES = (CORES eq "") ? 0 : CORES + 0

# gnuplot functions need an argument; those that read the current row take
# this dummy one: y(_), in_dataset(_)...
_ = 0

# RFC 4180 CSV, columns found by name. A filtered-out row evaluates to NaN,
# and `missing NaN` makes gnuplot skip it without breaking the line through
# the rows of one series (rows of several models are interleaved in a file).
set datafile separator comma
set datafile columnheaders
set datafile missing NaN

set encoding utf8
# noenhanced: _ ^ { } @ in names print literally.
set terminal pngcairo size 1000,600 font ',10' noenhanced
# `set output 'chart.png'` comes in each chart right before `plot`, so a chart
# that finds nothing to draw leaves no file behind; svg.gp then writes the SVG.

set border 3 lc rgb '#444444'
set tics nomirror
set grid xtics ytics lc rgb '#e0e0e0' lt 1
set key outside right top vertical Left reverse noautotitle spacing 1.3
set bmargin 5
set title font ',12'
set label 99 CORNER at screen 0.99, screen 0.02 right font ',8' tc rgb '#666666'

# --- word lists (names never hold spaces: plot.sh rejects them) -------------
has(list, w) = strstrt(" ".list." ", " ".w." ") > 0
note(list, w) = has(list, w) ? list : list." ".w
pos_from(list, w, i) = i > words(list) ? 0 : (word(list, i) eq w ? i : pos_from(list, w, i + 1))
pos(list, w) = pos_from(list, w, 1)
# How many numbers of the list are smaller than v: its 0-based place in the
# sorted list, so no sorting is needed.
below_from(list, v, i) = i > words(list) ? 0 : (word(list, i) + 0 < v) + below_from(list, v, i + 1)
rank(list, v) = below_from(list, v, 1)

ok(x) = x == x                                   # not NaN (empty field)
lesser(a, b) = (!ok(a) || b < a) ? b : a         # NaN-safe min / max
greater(a, b) = (!ok(a) || b > a) ? b : a
# Integers without exponent (1e+06 reads badly on a tic).
num(v) = (v == int(v) && abs(v) < 1e15) ? sprintf("%.0f", v) : sprintf("%g", v)
# Seconds in the unit that suits the largest value shown.
time_unit(v) = v >= 1 ? "s" : (v >= 0.001 ? "ms" : "µs")
time_factor(v) = v >= 1 ? 1 : (v >= 0.001 ? 1000 : 1000000)

# --- model styles ----------------------------------------------------------
# Known models keep their colour from run to run, so charts of different runs
# compare at a glance; python-X shares X's hue, with dashed lines and open
# points. (The key's order is bench's: ChartPlan orders it by the model catalog.)
known_models = "serial thread process-pool hybrid async process-async distributed"
# Okabe-Ito first (told apart with the common colour-vision deficiencies),
# then Tol's muted colours for models this file does not know.
colours = "#0072B2 #D55E00 #009E73 #CC79A7 #E69F00 #56B4E9 #000000 #882255 #44AA99 #999933 #332288 #AA4499 #661100"

is_python(m) = strlen(m) > 7 && m[1:7] eq "python-"
base(m) = is_python(m) ? m[8:] : m
unknown = ""
do for [m in MODELS] { if (!has(known_models, base(m))) { unknown = note(unknown, base(m)) } }
colour_at(i) = word(colours, (i - 1) % words(colours) + 1)
colour(m) = has(known_models, base(m)) ? colour_at(pos(known_models, base(m))) \
          : colour_at(words(known_models) + pos(unknown, base(m)))
# k numbers the series of one model (hybrid split by process count).
point(m, k) = word("7 5 9 11 13", (k - 1) % 5 + 1) - is_python(m)   # even = open
dash(m, k) = is_python(m) ? word("2 4 5", (k - 1) % 3 + 1) + 0 : (k - 1) % 5 + 1   # gnuplot has 5 dash types

# A colour mixed with white: what `fs solid a` looks like on a white page.
hex(s) = int(("0x".s[2:]) + 0)
whiten(v, a) = int(255 - (255 - v) * a + 0.5)
pale(s, a) = (pale_c = hex(s), sprintf("#%02X%02X%02X", whiten((pale_c >> 16) & 255, a), \
             whiten((pale_c >> 8) & 255, a), whiten(pale_c & 255, a)))

# --- summary.csv -----------------------------------------------------------
# Runs older than CSV contract v2 have no params column: read it as empty.
# The charts of experiments without cells (their summary.csv is a header
# alone) set skip_summary = 1 before loading this file.
have_params = 0
if (!exists("skip_summary")) {
    stats 'summary.csv' using (0) nooutput
    has_column_from(n, i) = i > |STATS_column_header| ? 0 : (STATS_column_header[i] eq n ? 1 : has_column_from(n, i + 1))
    have_params = has_column_from("params", 1)
}
params(_) = have_params ? strcol("params") : ""
