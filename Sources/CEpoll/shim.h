#ifndef BENCH_CEPOLL_SHIM_H
#define BENCH_CEPOLL_SHIM_H

// System interfaces that Glibc's Swift module leaves out (NOTES-swift-linux.md),
// reached here from the C library itself: no package involved.

// The Linux readiness and timer interfaces the HTTP server and async client are built on.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/syscall.h>
#include <signal.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <errno.h>

// accept4 (accept + O_NONBLOCK|O_CLOEXEC in one call) is declared only under _GNU_SOURCE,
// which the Glibc module is not built with; this is the C library's own prototype.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
// Likewise _GNU_SOURCE-only: names event-loop threads for top and perf.
#include <pthread.h>
extern int pthread_setname_np(pthread_t thread, const char *name);
// Likewise: a pipe whose ends are close-on-exec from birth (no window for another
// thread's posix_spawn to inherit them).
extern int pipe2(int fds[2], int flags);

// prctl is variadic, which Swift cannot call. The kernel sends `signal_number` to
// this process when the thread that created it ends (for a process spawned by a
// single-threaded parent or by its main thread, when the parent ends).
static inline int bench_set_parent_death_signal(int signal_number) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal_number, 0UL, 0UL, 0UL);
}

// mkostemp (mkstemp with O_CLOEXEC from birth) is _GNU_SOURCE-only too: the C library's prototype.
extern int mkostemp(char *template_path, int flags);

// Starts `path` the way posix_spawn would, plus what posix_spawn cannot ask
// for: the kernel's SIGKILL to the child when the calling thread ends
// (PR_SET_PDEATHSIG), so that a program bench runs as a task dies with bench
// (or with the pool worker that started it) even when that is SIGKILLed.
// The calling thread must outlive the child's useful life: it waits for it.
//
// In the child, before exec: every signal back to its default disposition
// (an ignored SIGINT, SIGTERM or SIGQUIT of a pool worker is inherited across
// exec otherwise), the signal mask set to `mask`, a process group of its own
// when `own_group`, standard input from /dev/null when `null_input`, then
// dup2(sources[i], targets[i]) in order. Returns the pid, or -1 with the
// errno (of vfork, of a step in the child, or of execve) in `*error`.
//
// vfork: the child borrows this thread's memory until it execs, so it makes
// only async-signal-safe calls, and every signal is blocked around it so that
// none of bench's handlers can run in the child. noinline: the function that
// calls vfork must not return while the child runs, and is never merged into
// Swift code.
__attribute__((noinline)) static pid_t bench_spawn_dying_with_parent(
    const char *path, char *const argv[], char *const envp[], int null_input, const int *sources,
    const int *targets, int count, int own_group, const sigset_t *mask, int *error) {
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pid_t parent = getpid();
    volatile int child_error = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        // The kernel's own call: the C library's sigaction refuses the two signals it
        // reserves for itself (32 and 33), which a parent may still have ignored.
        struct { void *handler; unsigned long flags; void *restorer; unsigned long mask; } action;
        memset(&action, 0, sizeof action);
        for (int number = 1; number <= 64; number++) {
            if (number != SIGKILL && number != SIGSTOP) syscall(SYS_rt_sigaction, number, &action, NULL, sizeof action.mask);
        }
        if (prctl(PR_SET_PDEATHSIG, (unsigned long)SIGKILL, 0UL, 0UL, 0UL) != 0) { child_error = errno; _exit(127); }
        // The parent was killed before the request took effect: nobody is left to wait for us.
        if (getppid() != parent) _exit(127);
        if (own_group && setpgid(0, 0) != 0) { child_error = errno; _exit(127); }
        if (null_input) {
            int null = open("/dev/null", O_RDONLY);
            if (null < 0) { child_error = errno; _exit(127); }
            if (null != 0) { dup2(null, 0); close(null); }
        }
        for (int index = 0; index < count; index++) {
            if (sources[index] == targets[index]) {
                // dup2 onto itself keeps close-on-exec: clear it, as posix_spawn's adddup2 does.
                if (fcntl(targets[index], F_SETFD, 0) != 0) { child_error = errno; _exit(127); }
            } else if (dup2(sources[index], targets[index]) < 0) {
                child_error = errno; _exit(127);
            }
        }
        sigprocmask(SIG_SETMASK, mask, NULL);
        execve(path, argv, envp);
        child_error = errno;
        _exit(127);
    }
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (pid < 0) { *error = saved; return -1; }
    if (child_error != 0) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        *error = child_error;
        return -1;
    }
    return pid;
}

// fork(2) is marked unavailable in Swift's module. Only the fork server calls it,
// from a process that has never started a thread (NOTES: never fork a threaded process).
static inline pid_t bench_fork(void) {
    return fork();
}

// Sends `length` bytes and `count` descriptors (SCM_RIGHTS) in one message on a
// Unix socket; the CMSG_* macros it needs are not importable into Swift.
static inline ssize_t bench_send_with_descriptors(int socket, const void *bytes, size_t length,
                                                  const int *descriptors, int count) {
    struct iovec vector = { (void *)bytes, length };
    union { char buffer[CMSG_SPACE(sizeof(int) * 8)]; struct cmsghdr align; } control;
    struct msghdr message;
    memset(&message, 0, sizeof message);
    memset(&control, 0, sizeof control);
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    if (count > 8) return -1;
    if (count > 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = CMSG_SPACE(sizeof(int) * count);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int) * count);
        memcpy(CMSG_DATA(header), descriptors, sizeof(int) * count);
    }
    return sendmsg(socket, &message, MSG_NOSIGNAL);
}

// Receives one message of at most `capacity` bytes and up to `maximum` descriptors
// (close-on-exec); `*received` gets how many descriptors came.
static inline ssize_t bench_receive_with_descriptors(int socket, void *bytes, size_t capacity,
                                                     int *descriptors, int maximum, int *received) {
    struct iovec vector = { bytes, capacity };
    union { char buffer[CMSG_SPACE(sizeof(int) * 8)]; struct cmsghdr align; } control;
    struct msghdr message;
    memset(&message, 0, sizeof message);
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control.buffer;
    message.msg_controllen = sizeof control.buffer;
    *received = 0;
    ssize_t count = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
    if (count < 0) return count;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header != NULL; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            int n = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            int *data = (int *)CMSG_DATA(header);
            for (int index = 0; index < n; index++) {
                if (*received < maximum) descriptors[(*received)++] = data[index];
                else close(data[index]);
            }
        }
    }
    return count;
}

// The CPUs this process may run on (sched_getaffinity), as a list; returns how many.
// Raw system calls on a plain bit mask: cpu_set_t and its macros are _GNU_SOURCE-only.
static inline int bench_allowed_cpus(int *cpus, int capacity) {
    unsigned long mask[16];
    memset(mask, 0, sizeof mask);
    long size = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    if (size < 0) return -1;
    int count = 0;
    for (int cpu = 0; cpu < (int)(size * 8) && count < capacity; cpu++) {
        if (mask[cpu / (8 * sizeof(unsigned long))] & (1UL << (cpu % (8 * sizeof(unsigned long))))) cpus[count++] = cpu;
    }
    return count;
}

// Pins thread (or single-threaded process) `tid` to the listed CPUs (0: the
// calling thread); threads and children created afterwards inherit it.
static inline int bench_set_allowed_cpus(int tid, const int *cpus, int count) {
    unsigned long mask[16];
    memset(mask, 0, sizeof mask);
    for (int index = 0; index < count; index++) {
        if (cpus[index] < 0 || cpus[index] >= (int)(sizeof mask * 8)) return -1;
        mask[cpus[index] / (8 * sizeof(unsigned long))] |= 1UL << (cpus[index] % (8 * sizeof(unsigned long)));
    }
    return (int)syscall(SYS_sched_setaffinity, tid, sizeof mask, mask);
}

// The calling thread's kernel id (gettid is _GNU_SOURCE-only): the name of its
// /proc/self/task/<tid> folder, where its scheduler statistics are.
static inline int bench_thread_id(void) {
    return (int)syscall(SYS_gettid);
}

// Opens one counter of `type`/`config` (PERF_TYPE_*, PERF_COUNT_*) on thread `tid`
// of this process, counting on any CPU, inherited by every thread and process
// that thread creates afterwards (their counts add up in this one), readable as
// three 64-bit values: the count, and the times the counter was enabled and
// running (they differ when the kernel multiplexes counters). perf_event_open
// has no C library wrapper, and its attribute holds bit fields Swift would
// rather not set. `user_only` leaves the kernel's share out, which a
// perf_event_paranoid of 2 demands of an unprivileged process. Returns the
// descriptor (close-on-exec), or -errno.
static inline int bench_open_counter(int tid, unsigned int type, unsigned long long config, int user_only) {
    struct perf_event_attr attribute;
    memset(&attribute, 0, sizeof attribute);
    attribute.size = sizeof attribute;
    attribute.type = type;
    attribute.config = config;
    attribute.inherit = 1;
    attribute.exclude_kernel = user_only ? 1 : 0;
    attribute.exclude_hv = 1;
    attribute.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    long fd = syscall(SYS_perf_event_open, &attribute, tid, -1, -1, PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -errno : (int)fd;
}

#endif
