#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
// Only SHA-256 of input files, through OpenSSL's low-level SHA256_* calls. OpenSSL 3 deprecates
// them for the EVP API, whose provider set-up maps about 2 MB more of libcrypto into every
// process; both run the same hardware-accelerated code.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#endif
