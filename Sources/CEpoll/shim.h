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
