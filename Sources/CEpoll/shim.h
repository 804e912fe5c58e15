#ifndef BENCH_CEPOLL_SHIM_H
#define BENCH_CEPOLL_SHIM_H

// The Linux readiness and timer interfaces the HTTP server and async client are built on.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>

// accept4 (accept + O_NONBLOCK|O_CLOEXEC in one call) is declared only under _GNU_SOURCE,
// which the Glibc module is not built with; this is the C library's own prototype.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);
// Likewise _GNU_SOURCE-only: names event-loop threads for top and perf.
#include <pthread.h>
extern int pthread_setname_np(pthread_t thread, const char *name);

#endif
