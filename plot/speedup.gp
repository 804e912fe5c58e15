# speedup.gp - speedup over serial (of the same language) against workers,
# with its 95% interval, the ideal line and a marker at the core count.
# Arguments: see style.gp and series.gp.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; TWU = ARG7
load 'style.gp'
y(_) = column("speedup")
y_ok(_) = y(_) > 0                   # log axis
low(_) = (low_v = column("speedup_ci_lo"), low_v > 0 ? low_v : y(_))
high(_) = (high_v = column("speedup_ci_hi"), ok(high_v) ? high_v : y(_))
mark_cores = 1
load 'series.gp'
if (N == 0) { exit }

# Powers of 2 read well down to 1/16; below that decades are clearer.
set logscale y (ymin >= 0.0625 ? 2 : 10)
set format y "%g"
set title "Speedup over serial (higher is better)\n".SUBTITLE
set ylabel 'speedup (serial median / median; log scale); bars: 95% interval'

# The scaling law bench fitted to each series (fits.csv, when the run has one):
# speedup(N) = N / (1 + sigma (N - 1) + kappa N (N - 1)), drawn dotted in the
# series' colour. Not for a model drawn as several series (hybrid at several
# process counts): its fit is of the best shape at each worker count.
array SIGMA[N > 0 ? N : 1]
array KAPPA[N > 0 ? N : 1]
FITTED = 0
# A fitted curve never rises above the task count: workers beyond it have nothing to do.
TASK_CAP = NaN
# TWU's last field: the dataset's interpreter (empty off the interpreter axis).
after_bar(s) = strstrt(s, "|") == 0 ? s : after_bar(s[strstrt(s, "|") + 1:])
if (N > 0) {
    TASKS = TWU[1:strstrt(TWU, "|") - 1]
    INTERPRETER = after_bar(TWU)
    TASK_CAP = real(TASKS)
    do for [i = 1:N] {
        SIGMA[i] = NaN; KAPPA[i] = NaN
        if (word(SK, i) eq "1" && !has(multi, word(SM, i))) {
            stats 'fits.csv' using (strcol("workload") eq W && strcol("params") eq P && strcol("tasks") eq TASKS && \
                strcol("model") eq word(SM, i) && strcol("interpreter") eq INTERPRETER ? \
                (SIGMA[i] = column("sigma"), KAPPA[i] = column("kappa"), 0) : 0) nooutput
            FITTED = FITTED + ok(SIGMA[i])
        }
    }
}
usl_raw(n, i) = n / (1 + SIGMA[i] * (n - 1) + KAPPA[i] * n * (n - 1))
usl(n, i) = ok(SIGMA[i]) ? (usl_raw(n, i) < TASK_CAP ? usl_raw(n, i) : TASK_CAP) : NaN
set samples 200

set output 'chart.png'
plot x with lines dt 2 lw 1.5 lc rgb '#999999' title 'ideal (speedup = workers)', \
     for [i = 1:(FITTED > 0 ? N : 0)] usl(x, i) with lines dt 3 lw 1.2 lc rgb s_colour(i) notitle, \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_)) smooth unique with lines \
         lc rgb s_colour(i) lw 2 dt s_dash(i) notitle, \
     for [i = 1:N] 'summary.csv' using (X(i)):(y(_)):(low(_)):(high(_)) with yerrorbars \
         lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 notitle, \
     for [i = 1:N] keyentry with yerrorlines lc rgb s_colour(i) lw 2 pt s_point(i) ps 1.3 dt s_dash(i) \
         title s_title(i), \
     for [i = 1:(FITTED > 0 ? 1 : 0)] keyentry with lines dt 3 lw 1.2 lc rgb '#666666' title 'scaling law fitted (USL)'
load 'svg.gp'
