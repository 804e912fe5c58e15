# experiment-crossover.gp - the crossover experiment: which model wins where.
# Top rows, one per language (Swift, then CPython): the map of winners, one
# panel per worker count; x = the CPU share of the task (computing / its
# whole time), y = the size of each task's result; each box is coloured by
# the fastest model (style.gp's colours), full where it wins by far, paler as
# its margin over the runner-up shrinks, and nearly white, its label in
# brackets, where there is no clear winner (the 95% interval of the margin
# covers 1, or its p-value does not survive Holm's correction over the map,
# or the two are equivalent: within --margin of each other).
# Bottom row: speedup over the language's serial against the CPU share, at
# the smallest result size, one panel per worker count; Swift solid, CPython
# dashed with open points, bars the 95% interval.
# The canvas is larger than the other charts' (WIDTH x HEIGHT below) and the
# SVG is drawn here, not by svg.gp: `replot` redraws only a multiplot's last
# panel, so the panels are drawn once per terminal.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: language,workers,cpu_share,result_bytes,model,speedup,speedup_ci_lo,speedup_ci_hi,winner,margin,verdict
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
load 'style.gp'

# --- what the file holds: languages, worker counts, shares, sizes, models ---
LANGS = ""; WIDTHS = ""; SHARES = ""; SIZES = ""; CM = ""
scan(_) = (LANGS = note(LANGS, strcol("language")), WIDTHS = note(WIDTHS, strcol("workers")), \
    SHARES = note(SHARES, strcol("cpu_share")), SIZES = note(SIZES, strcol("result_bytes")), \
    CM = note(CM, strcol("model")), 0)
stats 'experiment.csv' using (scan(_)) nooutput
NL = words(LANGS); NW = words(WIDTHS); NS = words(SHARES); NZ = words(SIZES)
if (NL == 0 || NW == 0) { exit }
# The models in the key's order (style.gp's), those of the file only.
KM = ""
do for [m in MODELS] { if (has(CM, m)) { KM = KM." ".m } }
do for [m in CM] { KM = note(KM, m) }
SMALLEST = word(SIZES, 1)

language_name(l) = l eq "python" ? "CPython" : (l eq "swift" ? "Swift" : l)
size_name(b) = (b + 0 >= 1048576 && (b + 0) % 1048576 == 0) ? sprintf("%d MiB", (b + 0) / 1048576) : \
    ((b + 0 >= 1024 && (b + 0) % 1024 == 0) ? sprintf("%d KiB", (b + 0) / 1024) : sprintf("%s B", b))
width_name(w) = CORES > 0 && (w + 0) % CORES == 0 ? \
    ((w + 0) == CORES ? sprintf("%s workers (the core count)", w) : sprintf("%s workers (%d x the cores)", w, (w + 0) / CORES)) : \
    sprintf("%s workers", w)

# --- the map ---------------------------------------------------------------
# A box per point: its winner's row (model = winner) of this language and width.
L = ""; W = ""
winner_row(_) = strcol("language") eq L && strcol("workers") eq W && strcol("model") eq strcol("winner")
bx(_) = pos(SHARES, strcol("cpu_share"))
by(_) = pos(SIZES, strcol("result_bytes"))
# How strongly the winner's colour shows: from 0.25 at a 1.0x margin to full
# from 2x up; 0.1 when it is no clear winner.
strength(_) = strcol("verdict") eq "clear" ? (s_m = column("margin"), s_m >= 2 ? 1 : 0.25 + 0.75 * (s_m - 1)) : 0.1
box_colour(_) = hex(pale(colour(strcol("model")), strength(_)))
# Short names: a box is about 80 pixels wide.
short(m) = base(m) eq "process-pool" ? "pool" : (base(m) eq "process-async" ? "proc-async" : base(m))
box_label(_) = (bl_t = sprintf("%s\n%.2fx", short(strcol("model")), column("margin")), \
    strcol("verdict") eq "clear" ? bl_t : "(".bl_t.")")

# --- speedup against CPU share -----------------------------------------------
M = ""
speed_row(_) = strcol("workers") eq W && strcol("result_bytes") eq SMALLEST && strcol("model") eq M && column("speedup") > 0
sx(_) = speed_row(_) ? column("cpu_share") : NaN
low(_) = (low_v = column("speedup_ci_lo"), low_v > 0 ? low_v : column("speedup"))
high(_) = (high_v = column("speedup_ci_hi"), ok(high_v) ? high_v : column("speedup"))
YMIN = NaN; YMAX = NaN
stats 'experiment.csv' using (column("result_bytes") == SMALLEST + 0 && column("speedup") > 0 ? \
    (YMIN = lesser(YMIN, low(_)), YMAX = greater(YMAX, high(_)), 0) : 0) nooutput

# --- layout ------------------------------------------------------------------
WIDTH = 1500; HEIGHT = 330 * (NL + 1) + 140
left0 = 0.06; right0 = 0.86                 # the panels; the key right of them
panel_w = (right0 - left0) / NW
row_h = (0.90 - 0.07) / (NL + 1)            # rows from the top (0.90) to the bottom (0.07)
row_top(r) = 0.90 - (r - 1) * row_h
header_style = "#FFFFFFFF"                  # a key line with no sample: a heading

do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size WIDTH, HEIGHT font ',10' noenhanced
        set output 'chart.png'
    } else {
        set terminal svg size WIDTH, HEIGHT font ',10' noenhanced dynamic background rgb 'white'
        set output 'chart.svg'
    }
    set multiplot
    set label 99 CORNER at screen 0.99, screen 0.01 right font ',8' tc rgb '#666666'
    set label 98 "crossover: the fastest model by CPU share and result size, in Swift and CPython" \
        at screen 0.46, screen 0.975 center font ',13'
    set label 97 "maps: x = the CPU share of each task, y = its result size; each box has the winner's colour, paler as its margin\n" \
        ."over the runner-up shrinks (full from 2x), nearly white, its label in brackets, where the margin's 95% interval covers 1" \
        at screen 0.46, screen 0.94 center font ',10' tc rgb '#444444'
    # --- the maps
    unset logscale
    set xrange [0.5 : NS + 0.5]
    set yrange [0.5 : NZ + 0.5]
    set xtics () scale 0
    do for [i = 1:NS] { set xtics add (word(SHARES, i)."%%" i) }
    set ytics () scale 0
    do for [i = 1:NZ] { set ytics add (size_name(word(SIZES, i)) i) }
    set grid noxtics noytics
    unset key
    do for [r = 1:NL] {
        L = word(LANGS, r)
        do for [p = 1:NW] {
            W = word(WIDTHS, p)
            set lmargin at screen left0 + (p - 1) * panel_w + 0.025
            set rmargin at screen left0 + p * panel_w - 0.01
            set tmargin at screen row_top(r) - 0.03
            set bmargin at screen row_top(r) - row_h + 0.035
            set title sprintf("%s, %s", language_name(L), width_name(W)) font ',11'
            unset xlabel
            if (p == 1) { set ylabel "result size" } else { unset ylabel }
            # A panel without verdicts (fewer than two samples per cell give none) says so instead.
            BOXES = 0
            stats [*:*][*:*] 'experiment.csv' using (winner_row(_) ? (BOXES = BOXES + 1, 0) : 0) nooutput
            if (BOXES == 0) {
                set label 1 "no verdicts: each needs two samples or more per cell" at graph 0.5, graph 0.5 center
                plot NaN notitle
                unset label 1
            } else {
                plot 'experiment.csv' using (winner_row(_) ? bx(_) : NaN):(by(_)):(0.5):(0.5):(box_colour(_)) \
                         with boxxyerror fs solid 1.0 noborder lc rgb variable notitle, \
                     '' using (winner_row(_) ? bx(_) : NaN):(by(_)):(box_label(_)) with labels font ',8' tc rgb '#222222' notitle
            }
            unset label 99; unset label 98; unset label 97
        }
    }
    # --- the speedup row
    set xrange [-5 : 105]
    set xtics () scale 1
    do for [i = 1:NS] { set xtics add (word(SHARES, i)."%%" word(SHARES, i) + 0) }
    set ytics auto scale 1
    set grid xtics ytics
    set logscale y 2
    set format y "%g"
    set yrange [YMIN / 1.25 : YMAX * 1.25]
    do for [p = 1:NW] {
        W = word(WIDTHS, p)
        set lmargin at screen left0 + (p - 1) * panel_w + 0.025
        set rmargin at screen left0 + p * panel_w - 0.01
        set tmargin at screen row_top(NL + 1) - 0.03
        set bmargin at screen row_top(NL + 1) - row_h + 0.035
        set title sprintf("speedup at %s, %s results", width_name(W), size_name(SMALLEST)) font ',11'
        set xlabel "CPU share of the task"
        if (p == 1) { set ylabel "speedup over serial (log scale)" } else { unset ylabel }
        if (p == NW) {
            set key at screen 0.87, screen row_top(1) - 0.03 top left Left reverse spacing 1.3 samplen 3.5
        } else {
            unset key
        }
        # The models with speedups in this panel (a failed cell has none).
        PM = ""
        stats [*:*][*:*] 'experiment.csv' using (strcol("workers") eq W && strcol("result_bytes") eq SMALLEST && column("speedup") > 0 ? \
            (PM = note(PM, strcol("model")), 0) : 0) nooutput
        PM = PM eq "" ? "-" : PM
        plot for [m in PM] 'experiment.csv' using (M = m, sx(_)):(column("speedup")) smooth unique with lines \
                 lc rgb colour(m) lw 2 dt dash(m, 1) notitle, \
             for [m in PM] '' using (M = m, sx(_)):(column("speedup")):(low(_)):(high(_)) with yerrorbars \
                 lc rgb colour(m) lw 2 pt point(m, 1) ps 1.2 notitle, \
             for [k in (p == NW ? "h" : "")] keyentry with lines lc rgb header_style title "models", \
             for [m in (p == NW ? KM : "")] keyentry with yerrorlines lc rgb colour(m) lw 2 pt point(m, 1) ps 1.2 \
                 dt dash(m, 1) title m
    }
    unset multiplot
    unset output
}
