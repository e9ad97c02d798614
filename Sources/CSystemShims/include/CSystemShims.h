#ifndef PAGEVIEWS_CSYSTEMSHIMS_H
#define PAGEVIEWS_CSYSTEMSHIMS_H

// Declarations that Swift's Glibc module leaves out because they need
// _GNU_SOURCE or live in headers it does not import.
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// accept4(2) with the flags argument; returns the new descriptor or -1 with errno set.
int pv_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// pthread_setname_np(3): names `thread` for ps, top and debuggers; at most 15 bytes,
/// returns 0 or an error number (ERANGE when the name is longer).
int pv_set_thread_name(pthread_t thread, const char *name);

#endif
