#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
// Only the EVP digest API (SHA-256 of input files); the low-level SHA256_* calls are deprecated.
#include <openssl/evp.h>
#endif
