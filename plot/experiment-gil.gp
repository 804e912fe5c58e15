# experiment-gil.gp - the gil experiment: speedup against workers, one panel
# per workload of summary.csv (xor, sleep, http), one line per model and
# language. Each language's speedup is over its own serial cell (python-*
# over python-serial, Swift over serial), with its 95% interval as bars.
# Models keep style.gp's colours; python-X shares X's hue, dashed with open
# points. Every panel has the ideal line (speedup = workers); CPU-bound
# panels (kind cpu) also mark the core count. Within a panel the series are
# nudged a few pixels apart sideways, so that their bars at one worker count
# do not hide each other. One key, right of the panels, serves them all.
# Under each panel: the claims of experiment.csv measured on it, each with
# what it predicts and, per language, the value and the verdict. A claim
# belongs to the panel whose workload ends its id
# ("coroutines-beat-threads-http"), else to the one claim_table below names;
# any other claim is listed under the last panel.
# The canvas is wider than the other charts' (WIDTH x HEIGHT below) and the
# SVG is drawn here, not by svg.gp: `replot` redraws only a multiplot's last
# panel, so the panels are drawn once per terminal.
# Arguments: see style.gp (only ARG1-3).
# plot.sh checks experiment.csv's header for the columns on the next line.
# columns: claim_id,source,language,value,ci_lo,ci_hi,line,direction,verdict
CORNER = ARG1; MODELS = ARG2; CORES = ARG3
load 'style.gp'

WIDTH = 1500; HEIGHT = 700
# What the claims of GILClaims.swift measure, as "id prefix|workload|value"
# entries separated by ";" (workload "-": the id ends with it). A claim not
# listed is shown with its id alone.
claim_table = "cpu-threads-no-faster|xor|thread speedup;processes-parallel|xor|process-pool speedup;" \
    ."gil-one-core|xor|thread's cores busy;io-threads-help|http|thread speedup;" \
    ."coroutines-beat-threads|-|thread wall / async wall"

# --- first value seen per key ---------------------------------------------
# MEM holds "key|value" words; keys are made of names, values have no space.
MEM = ""
mem_at(k, i) = i > words(MEM) ? 0 : (strstrt(word(MEM, i), k."|") == 1 ? i : mem_at(k, i + 1))
remember(k, v) = mem_at(k, 1) > 0 ? 0 : (MEM = MEM." ".k."|".v, 0)
recall(k) = (recall_i = mem_at(k, 1), recall_i > 0 ? word(MEM, recall_i)[strlen(k) + 2:] : "")

# --- summary.csv: the panels and their series ------------------------------
# A panel per workload with speedups, in order of appearance. Per (workload,
# model) the first parameter set and task count seen is the series (gil gives
# each model one); rows with another one are left out.
lang(m) = is_python(m) ? "python" : "swift"
row_ok(_) = column("workers") > 0 && column("speedup") > 0
# (With --python listing several interpreters, the first one's python-* cells;
# the claims below name every interpreter.)
cell_of(_) = strcol("model")."#".params(_)."#".strcol("tasks")."#".strcol("interpreter")
PANELS = ""
scan(w, m) = (PANELS = note(PANELS, w), remember("p|".w."|".m, cell_of(_)), \
    is_python(m) ? remember("first-interpreter", strcol("interpreter") eq "" ? "-" : strcol("interpreter")) : 0, \
    remember("k|".w, strcol("kind")), remember("t|".w, strcol("tasks")), \
    remember("u|".w, strcol("work_unit")), remember("w|".w."|".lang(m), strcol("work")), 0)
stats 'summary.csv' using (row_ok(_) ? scan(strcol("workload"), strcol("model")) : 0) nooutput
NP = words(PANELS)
if (NP == 0) { exit }

# Per panel: its series (SM: models in key order), the cells they draw (SEL),
# the axis ranges, its worker counts and its titles.
array P_SM[NP]; array P_SEL[NP]; array P_XS[NP]
array P_XMIN[NP]; array P_XMAX[NP]; array P_YMIN[NP]; array P_YMAX[NP]
array P_TITLE[NP]; array P_CPU[NP]; array P_CLAIMS[NP]
W = ""; SEL = ""
in_cell(_) = strcol("workload") eq W && row_ok(_) && has(SEL, cell_of(_))
low(_) = (low_v = column("speedup_ci_lo"), low_v > 0 ? low_v : column("speedup"))
high(_) = (high_v = column("speedup_ci_hi"), ok(high_v) ? high_v : column("speedup"))
span(_) = (xs = note(xs, strcol("workers")), xmin = lesser(xmin, column("workers")), \
    xmax = greater(xmax, column("workers")), ymin = lesser(ymin, low(_)), ymax = greater(ymax, high(_)), 0)
language_name(l) = l eq "python" ? "Python" : (l eq "swift" ? "Swift" : l)
do for [p = 1:NP] {
    W = word(PANELS, p)
    SM = ""; SEL = ""
    do for [m in MODELS] {
        v = recall("p|".W."|".m)
        if (v ne "") { SM = SM." ".m; SEL = SEL." ".v }
    }
    xs = ""; xmin = NaN; xmax = NaN; ymin = NaN; ymax = NaN
    stats 'summary.csv' using (in_cell(_) ? span(_) : 0) nooutput
    P_CPU[p] = recall("k|".W) eq "cpu"
    if (P_CPU[p] && CORES > 0) { xmin = lesser(xmin, CORES); xmax = greater(xmax, CORES); xs = note(xs, sprintf("%d", CORES)) }
    # The ideal line spans the axis too.
    ymin = lesser(ymin, xmin); ymax = greater(ymax, xmax)
    P_SM[p] = SM; P_SEL[p] = SEL; P_XS[p] = xs
    P_XMIN[p] = xmin; P_XMAX[p] = xmax; P_YMIN[p] = ymin; P_YMAX[p] = ymax
    # "xor (cpu): 16 tasks × 14400000 iterations (Swift), 900000 (Python)"
    ws = recall("w|".W."|swift"); wp = recall("w|".W."|python")
    unit = recall("u|".W)
    work = (ws eq "" || wp eq "" || ws eq wp) ? sprintf(" × %s %s", ws eq "" ? wp : ws, unit) \
         : sprintf(" × %s %s (Swift), %s (Python)", ws, unit, wp)
    work = (ws eq "" && wp eq "") ? "" : work
    P_TITLE[p] = sprintf("%s (%s)\n%s tasks%s", W, recall("k|".W), recall("t|".W), work)
    P_CLAIMS[p] = ""
}

# --- experiment.csv: the claims ----------------------------------------------
CLAIMS = ""; LANGS = ""
claim_scan(c, l) = (CLAIMS = note(CLAIMS, c), LANGS = note(LANGS, l), \
    remember("v|".c."|".l, strcol("verdict")), \
    ok(column("value")) ? remember("x|".c."|".l, sprintf("%.3g", column("value"))) : 0, \
    ok(column("line")) ? remember("l|".c, sprintf("%g", column("line"))) : 0, \
    remember("d|".c, strcol("direction")), 0)
stats 'experiment.csv' using (claim_scan(strcol("claim_id"), strcol("language"))) nooutput
ends_with(s, t) = strlen(s) >= strlen(t) && s[strlen(s) - strlen(t) + 1:] eq t
# (gnuplot 5.4 reads an empty last field as stale text, so an empty verdict,
# the last column, cannot be told apart; bench always writes one.)
verdict_text(v) = v eq "does-not-hold" ? "does not hold" : (v eq "" ? "not checked" : v)
direction_text(d) = d eq "below" ? "<" : (d eq "above" ? ">" : d)
OTHER = ""
do for [c in CLAIMS] {
    home = 0; about = ""
    do for [p = 1:NP] { if (ends_with(c, "-".word(PANELS, p))) { home = p } }
    rest = claim_table.";"
    while (strstrt(rest, ";") > 0) {
        entry = rest[1:strstrt(rest, ";") - 1]; rest = rest[strstrt(rest, ";") + 1:]
        bar = strstrt(entry, "|"); tail = entry[bar + 1:]
        if (strstrt(c, entry[1:bar - 1]) == 1) {
            about = tail[strstrt(tail, "|") + 1:]
            home = home > 0 ? home : pos(PANELS, tail[1:strstrt(tail, "|") - 1])
        }
    }
    # "cpu-threads-no-faster-2 (thread speedup < 1.25)"
    text = c.(recall("l|".c) eq "" ? "" : sprintf(" (%s %s %s)", about eq "" ? "value" : about, \
        direction_text(recall("d|".c)), recall("l|".c)))
    # Beyond two languages (several interpreters) one a line: they would not fit across a panel.
    if (words(LANGS) <= 2) { text = text."\n   " }
    do for [l in LANGS] {
        if (mem_at("v|".c."|".l, 1) > 0) {
            x = recall("x|".c."|".l)
            entry = sprintf("%s %s %s", language_name(l), x eq "" ? "—" : x, verdict_text(recall("v|".c."|".l)))
            text = words(LANGS) <= 2 ? text.entry."    " : text."\n   ".entry
        }
    }
    if (home > 0) { P_CLAIMS[home] = P_CLAIMS[home].text."\n" } else { OTHER = OTHER.text."\n" }
}
# Claims of no panel go under the last one's.
if (OTHER ne "") { P_CLAIMS[NP] = P_CLAIMS[NP].(P_CLAIMS[NP] eq "" ? "" : "\n")."other claims:\n".OTHER }

# --- layout -----------------------------------------------------------------
left0 = 0.03; right0 = 0.835          # the panels; the key right of them
panel_w = (right0 - left0) / NP
panel_gap(p) = p == 1 ? 0.04 : 0.025   # left of the plot area: tics (and the first one's ylabel)
ANY_CPU = 0
do for [p = 1:NP] { ANY_CPU = ANY_CPU || P_CPU[p] }
# The key: every model drawn in some panel, Swift's first, then Python's.
KEY_SWIFT = ""; KEY_PY = ""
do for [m in MODELS] {
    drawn = 0
    do for [p = 1:NP] { drawn = drawn || has(P_SM[p], m) }
    if (drawn && is_python(m)) { KEY_PY = KEY_PY." ".m }
    if (drawn && !is_python(m)) { KEY_SWIFT = KEY_SWIFT." ".m }
}
# The panels keep their height in pixels; the canvas grows under them when
# the claims need more lines than fit (several interpreters).
CLAIM_LINES = 0
do for [p = 1:NP] {
    lines = 2; rest = P_CLAIMS[p]
    while (strstrt(rest, "\n") > 0) { lines = lines + 1; rest = rest[strstrt(rest, "\n") + 1:] }
    CLAIM_LINES = greater(CLAIM_LINES, lines)
}
HEIGHT = greater(HEIGHT, 126 + 329 + 100 + 14 * CLAIM_LINES)
top = 1 - 126.0 / HEIGHT; bottom = top - 329.0 / HEIGHT
# Each series is nudged sideways by a few pixels (DODGE, in log2 units) so
# that bars at one worker count do not hide each other.
DODGE = 0
X(m) = in_cell(_) && strcol("model") eq m ? column("workers") * 2 ** ((pos(SM, m) - (words(SM) + 1) / 2.0) * DODGE) : NaN
y(_) = column("speedup")
header_style = "#FFFFFFFF"            # a key line with no sample: a heading

set grid xtics ytics
set format y "%g"
set logscale x 2
do for [term = 1:2] {
    if (term == 1) {
        set terminal pngcairo size WIDTH, HEIGHT font ',10' noenhanced
        set output 'chart.png'
    } else {
        # As svg.gp, at this chart's size.
        set terminal svg size WIDTH, HEIGHT font ',10' noenhanced dynamic background rgb 'white'
        set output 'chart.svg'
    }
    set multiplot
    do for [p = 1:NP] {
        W = word(PANELS, p); SEL = P_SEL[p]; SM = P_SM[p]
        set lmargin at screen left0 + (p - 1) * panel_w + panel_gap(p)
        set rmargin at screen left0 + p * panel_w - 0.012
        set tmargin at screen top
        set bmargin at screen bottom
        set title P_TITLE[p] font ',11'
        set xrange [P_XMIN[p] / 1.4 : P_XMAX[p] * 1.4]
        # 4.5 pixels between neighbouring series.
        DODGE = 4.5 * log(P_XMAX[p] * 1.96 / P_XMIN[p]) / log(2) / (WIDTH * (panel_w - panel_gap(p) - 0.012))
        set logscale y (P_YMIN[p] >= 0.0625 ? 2 : 10)
        set yrange [P_YMIN[p] / 1.25 : P_YMAX[p] * 1.25]
        xs = P_XS[p]
        set xtics (0 + word(xs, 1))
        do for [w in xs] { set xtics add (0 + w) }
        set xlabel (P_CPU[p] ? "workers: threads or processes (log2)" : "workers: threads or async tasks in flight (log2)")
        if (p == 1) { set ylabel 'speedup over serial (log scale)' } else { unset ylabel }
        if (P_CPU[p] && CORES > 0) {
            set arrow 1 from CORES, graph 0 to CORES, graph 1 nohead dt 3 lw 1.5 lc rgb '#777777'
            set label 2 sprintf('%d cores', CORES) at CORES, graph 0.97 offset 0.6, 0 left tc rgb '#555555' font ',9'
        } else {
            unset arrow 1; unset label 2
        }
        # Drawn once, with the first panel: the chart's title, the corner
        # label and every panel's claims.
        if (p == 1) {
            # style.gp's corner label again: the first terminal's pass unset it.
            set label 99 CORNER at screen 0.99, screen 0.02 right font ',8' tc rgb '#666666'
            set label 98 sprintf("gil: speedup against workers, CPython (%s) beside Swift — higher is better", \
                strstrt(LANGS, "nogil") > 0 ? "with and without the GIL" : "with its GIL") \
                at screen 0.5, screen 0.975 center font ',13'
            set label 97 "speedup = the same language's serial median / the cell's median; bars: 95% interval. " \
                ."Swift solid, CPython (python-*) dashed with open points; same hue = same model" \
                .(words(LANGS) > 2 ? sprintf("\nCPython lines: interpreter %s; the claims name every one", recall("first-interpreter")) : "") \
                at screen 0.5, screen 0.94 center font ',10' tc rgb '#444444'
            do for [q = 1:NP] {
                set label 10 + q P_CLAIMS[q] at screen left0 + (q - 1) * panel_w + 0.012, screen bottom - 82.0 / HEIGHT \
                    left front font ',9' tc rgb '#333333'
            }
            if (CLAIMS ne "") {
                set label 8 "claims checked (experiment.csv): what each predicts, then per language the value and the verdict" \
                    at screen left0 + 0.012, screen bottom - 68.0 / HEIGHT left font ',9' tc rgb '#666666'
            }
        } else {
            unset label 99; unset label 98; unset label 97; unset label 8
            do for [q = 1:NP] { unset label 10 + q }
        }
        # One key for every panel, in the last one: Swift's models, then
        # Python's, then the references.
        if (p == NP) {
            set key at screen 0.845, screen top top left Left reverse spacing 1.3 samplen 3.5
        } else {
            unset key
        }
        plot x with lines dt 2 lw 1.5 lc rgb '#999999' notitle, \
             for [m in SM] 'summary.csv' using (X(m)):(y(_)) smooth unique with lines \
                 lc rgb colour(m) lw 2 dt dash(m, 1) notitle, \
             for [m in SM] 'summary.csv' using (X(m)):(y(_)):(low(_)):(high(_)) with yerrorbars \
                 lc rgb colour(m) lw 2 pt point(m, 1) ps 1.3 notitle, \
             for [k in (p == NP && KEY_SWIFT ne "" ? "h" : "")] keyentry with lines lc rgb header_style title 'Swift (solid)', \
             for [m in (p == NP ? KEY_SWIFT : "")] keyentry with yerrorlines lc rgb colour(m) lw 2 pt point(m, 1) ps 1.3 \
                 dt dash(m, 1) title m, \
             for [k in (p == NP && KEY_PY ne "" ? "h" : "")] keyentry with lines lc rgb header_style title 'CPython (dashed, open)', \
             for [m in (p == NP ? KEY_PY : "")] keyentry with yerrorlines lc rgb colour(m) lw 2 pt point(m, 1) ps 1.3 \
                 dt dash(m, 1) title m, \
             for [k in (p == NP ? "ideal" : "")] keyentry with lines dt 2 lw 1.5 lc rgb '#999999' \
                 title 'ideal (speedup = workers)', \
             for [k in (p == NP && ANY_CPU && CORES > 0 ? "cores" : "")] keyentry with lines dt 3 lw 1.5 lc rgb '#777777' \
                 title sprintf('%d cores', CORES)
    }
    unset multiplot
    unset output
}
