#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
// PostgreSQL's client library, for the second store (issue 24). Nothing to wrap: libpq's API
// is plain C functions and opaque pointers, which Swift imports as they are.
#include <libpq-fe.h>
#endif
