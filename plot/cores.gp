# cores.gp - speedup against the number of cores the samples were pinned to
# (bench's --cpus given more than once), one line per model and worker count:
# how each model uses the cores it is given.
# Arguments: see style.gp and speedup-by.gp; ARG6 is the params drawn.
CORNER = ARG1; MODELS = ARG2; CORES = ARG3; SUBTITLE = ARG4; W = ARG5; P = ARG6; T = ARG7
load 'style.gp'

# The number of CPUs in a cpus field such as 0+1+3.
pluses(s, i) = i > strlen(s) ? 0 : (s[i:i] eq "+") + pluses(s, i + 1)
x(_) = strcol("cpus") eq "" ? NaN : pluses(strcol("cpus"), 1) + 1
# One params value, rows pinned to some CPUs; serial stays the baseline on the same cores.
row_ok(_) = params(_) eq P && strcol("cpus") ne ""
TITLE = "Speedup by the cores a sample may use"
x_label(scale) = sprintf("cores (CPUs the samples were pinned to with --cpus%s)", scale)
load 'speedup-by.gp'
