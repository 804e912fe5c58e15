# scan.gp - speedup against the one parameter a workload's rows vary (e.g.
# iterations), one line per model and worker count.
# Arguments: see style.gp and speedup-by.gp; ARG6 is the parameter's name.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; PARAM = ARG6; T = ARG7
load 'style.gp'

# The value of PARAM in a row's "name=value;name=value" params.
after(s, i) = s[i:]
param_in(s) = (pp = ";".s.";", pi = strstrt(pp, ";".PARAM."="), pi == 0 ? NaN : \
              (pr = after(pp, pi + strlen(PARAM) + 2), pr[1:strstrt(pr, ";") - 1] + 0))
x(_) = param_in(params(_))
row_ok(_) = 1                        # every params value of the workload
TITLE = sprintf("Speedup by %s", PARAM)
x_label(scale) = sprintf("%s%s", PARAM, scale)
load 'speedup-by.gp'
