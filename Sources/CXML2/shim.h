#ifndef CXML2_SHIM_H
#define CXML2_SHIM_H
// xmlversion.h first, then hide ICU: Debian builds libxml2 with ICU, and ICU's UErrorCode
// clashes with Foundation's copy when both are visible to Swift (see STYLE.md).
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>

// xmlFree is a global mutable function pointer, which Swift 6 rejects: call it through here.
static inline void cxml2_free(void *p) { xmlFree(p); }

#endif
