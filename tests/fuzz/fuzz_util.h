/*
 * Shared helpers of the fuzz targets: an assertion that aborts (so libFuzzer
 * records the input), a reference UTF-8 validator written independently of
 * the library's, and input splitting.
 */
#ifndef BO_FUZZ_UTIL_H
#define BO_FUZZ_UTIL_H

#include <backoffice.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry points (declared for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Abort with a message: a failed property is a finding like a crash. */
void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((noreturn, format(printf, 4, 5)))
#endif
    ;
#define FZ_ASSERT(cond, ...) \
    do { if (!(cond)) fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); } while (0)

/* A refusal must be a known negative code, with a non-empty message that
 * bo_error_code_last() agrees with. */
void fz_check_refusal(int rc, const char *call);

/* Well-formed UTF-8 (no overlong forms, surrogates or code points beyond
 * U+10FFFF) by a table-free decoder that shares no code with the library. */
bool fz_utf8_valid(const unsigned char *s, size_t len);

/* Split size bytes at NUL bytes into at most max NUL-terminated fields
 * (the last takes the rest). Returns the number of fields; *buf is the
 * storage to free() afterwards. Missing fields are "". */
int fz_split(const uint8_t *data, size_t size, char **fields, int max,
             char **buf);

#endif
