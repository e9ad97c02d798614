#define _GNU_SOURCE
#include <pthread.h>
#include <sys/socket.h>
#include "CSystemShims.h"

int pv_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

int pv_set_thread_name(pthread_t thread, const char *name) {
    return pthread_setname_np(thread, name);
}
