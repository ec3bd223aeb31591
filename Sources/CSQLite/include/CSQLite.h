#ifndef CSQLITE_H
#define CSQLITE_H
// SQLite's C API under its own names, over the SQLite that vapor/sqlite-nio vendors (its
// functions are prefixed `sqlite_nio_` there, so it never clashes with a system libsqlite3).
// Only what OrderStore calls is here; README.md beside this folder says why SQLite is built in.
#include <sqlite_nio_sqlite3.h>

static inline int sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs) {
    return sqlite_nio_sqlite3_open_v2(filename, db, flags, vfs);
}
static inline int sqlite3_close(sqlite3 *db) { return sqlite_nio_sqlite3_close(db); }
static inline int sqlite3_close_v2(sqlite3 *db) { return sqlite_nio_sqlite3_close_v2(db); }
static inline int sqlite3_busy_timeout(sqlite3 *db, int ms) { return sqlite_nio_sqlite3_busy_timeout(db, ms); }
static inline const char *sqlite3_errmsg(sqlite3 *db) { return sqlite_nio_sqlite3_errmsg(db); }
static inline int sqlite3_exec(sqlite3 *db, const char *sql, int (*callback)(void *, int, char **, char **), void *context,
                               char **errmsg) {
    return sqlite_nio_sqlite3_exec(db, sql, callback, context, errmsg);
}
static inline int sqlite3_get_autocommit(sqlite3 *db) { return sqlite_nio_sqlite3_get_autocommit(db); }
static inline int sqlite3_changes(sqlite3 *db) { return sqlite_nio_sqlite3_changes(db); }
static inline sqlite3_int64 sqlite3_last_insert_rowid(sqlite3 *db) { return sqlite_nio_sqlite3_last_insert_rowid(db); }

static inline int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int bytes, unsigned int flags, sqlite3_stmt **statement,
                                     const char **tail) {
    return sqlite_nio_sqlite3_prepare_v3(db, sql, bytes, flags, statement, tail);
}
static inline int sqlite3_finalize(sqlite3_stmt *s) { return sqlite_nio_sqlite3_finalize(s); }
static inline int sqlite3_step(sqlite3_stmt *s) { return sqlite_nio_sqlite3_step(s); }
static inline int sqlite3_reset(sqlite3_stmt *s) { return sqlite_nio_sqlite3_reset(s); }
static inline int sqlite3_clear_bindings(sqlite3_stmt *s) { return sqlite_nio_sqlite3_clear_bindings(s); }
static inline int sqlite3_bind_parameter_count(sqlite3_stmt *s) { return sqlite_nio_sqlite3_bind_parameter_count(s); }
static inline int sqlite3_bind_text(sqlite3_stmt *s, int i, const char *text, int bytes, void (*destructor)(void *)) {
    return sqlite_nio_sqlite3_bind_text(s, i, text, bytes, destructor);
}
static inline int sqlite3_bind_int64(sqlite3_stmt *s, int i, sqlite3_int64 value) { return sqlite_nio_sqlite3_bind_int64(s, i, value); }
static inline int sqlite3_bind_null(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_bind_null(s, i); }
static inline int sqlite3_column_type(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_type(s, i); }
static inline const unsigned char *sqlite3_column_text(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_text(s, i); }
static inline sqlite3_int64 sqlite3_column_int64(sqlite3_stmt *s, int i) { return sqlite_nio_sqlite3_column_int64(s, i); }

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot import.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

// sqlite3_config is variadic, which Swift cannot call. Before the first connection opens:
// no global memory statistics (their mutex is taken on every allocation), and connections
// that are each used by one thread at a time need no mutex of their own. Returns SQLITE_OK,
// or SQLITE_MISUSE when SQLite was initialized already (then its defaults stay).
static inline int csqlite_configure_for_single_thread_connections(void) {
    int rc = sqlite_nio_sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (rc != SQLITE_OK) return rc;
    return sqlite_nio_sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

#endif
