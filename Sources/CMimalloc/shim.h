#ifndef CMIMALLOC_SHIM_H
#define CMIMALLOC_SHIM_H
// mimalloc replaces malloc and free for the whole process once linked (its shared library
// exports them ahead of libc's); see the pra-ingest target in Package.swift.
#include <mimalloc.h>
#endif
