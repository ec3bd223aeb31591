#ifndef CCSV_SHIM_H
#define CCSV_SHIM_H
// libcsv ships no pkg-config file; the header is all we need.
#include <stddef.h>
#include <csv.h>
#endif
