#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>

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

#endif
