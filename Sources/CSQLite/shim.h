#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

// sqlite3_config is variadic, which Swift cannot call. Before the first connection opens:
// no global memory statistics (their mutex is taken on every allocation), and connections
// that are each used by one thread at a time need no mutex of their own. Returns SQLITE_OK,
// or SQLITE_MISUSE when SQLite was initialized already (then its defaults stay).
static inline int csqlite_configure_for_single_thread_connections(void) {
    int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

// A busy handler that tries again every few hundred microseconds until `timeout_ms` (its
// argument, cast to a pointer) has passed since the first try. SQLite's own (sqlite3_busy_timeout)
// sleeps 1, 2, 5 … 100 ms between tries: a writer waiting behind another connection that commits
// a short transaction every few milliseconds (the watcher's small files) rarely finds the lock
// free and sleeps most of the time it could have written.
static inline int csqlite_poll_when_busy(void *timeout_ms, int tries) {
    static __thread struct timespec first;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (tries == 0) first = now;
    long long waited_ms = (now.tv_sec - first.tv_sec) * 1000LL + (now.tv_nsec - first.tv_nsec) / 1000000LL;
    if (waited_ms >= (long long)(intptr_t)timeout_ms) return 0;
    struct timespec pause = { 0, tries < 10 ? 100000L : 500000L };
    nanosleep(&pause, NULL);
    return 1;
}

/// Makes `db` wait for another connection's lock by polling (csqlite_poll_when_busy) for up to
/// `timeout_ms`; 0: gives up at once.
static inline void csqlite_wait_when_busy(sqlite3 *db, int timeout_ms) {
    if (timeout_ms <= 0) sqlite3_busy_handler(db, NULL, NULL);
    else sqlite3_busy_handler(db, csqlite_poll_when_busy, (void *)(intptr_t)timeout_ms);
}

#endif
