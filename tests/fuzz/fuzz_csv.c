/*
 * The CSV record reader of the onboarding imports (book/onboard.c,
 * internal: bo__csv_record, bo__csv_decimal) on arbitrary bytes, record
 * after record as bo_book_import_csv and bo_book_import_opening_csv read a
 * file. Properties:
 *  - each record returns 1..CSV_FIELDS fields, always moves forward, or a
 *    refusal among BO_EINVAL, BO_ELIMIT (naming "csv:LINE"), BO_ENOMEM;
 *  - every field is a NUL-terminated copy no longer than the input;
 *  - bo__csv_decimal on every field at 0..6 decimals returns 0, 1,
 *    BO_EINVAL or BO_EOVERFLOW;
 *  - no crash, leak or timeout.
 */
#include "fuzz_util.h"
#include "book/csv.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1u << 20)
        return 0;
    const char *p = (const char *)data, *end = p + size;
    int line = 1;
    while (p < end) {
        char *fields[CSV_FIELDS] = { 0 };
        int lines = 0;
        const char *before = p;
        bo__error_clear();
        int n = bo__csv_record("csv", line, &p, end, fields, &lines);
        if (n < 0) {
            FZ_ASSERT(n == BO_EINVAL || n == BO_ELIMIT || n == BO_ENOMEM, "rc %d", n);
            fz_check_refusal(n, "bo__csv_record");
            if (n != BO_ENOMEM)
                FZ_ASSERT(strncmp(bo_error_message(), "csv:", 4) == 0, "message '%s'",
                          bo_error_message());
            for (int i = 0; i < CSV_FIELDS; i++)
                bo__free(fields[i]);
            break;
        }
        FZ_ASSERT(n >= 1 && n <= CSV_FIELDS && p > before && p <= end && lines >= 1,
                  "n %d, moved %td, lines %d", n, p - before, lines);
        for (int i = 0; i < n; i++) {
            FZ_ASSERT(fields[i] && strlen(fields[i]) <= size, "field %d", i);
            for (int exp = 0; exp <= 6; exp++) {
                int64_t v = 0;
                int d = bo__csv_decimal(fields[i], exp, &v);
                FZ_ASSERT(d == 0 || d == 1 || d == BO_EINVAL || d == BO_EOVERFLOW,
                          "decimal %d", d);
            }
            bo__free(fields[i]);
        }
        line += lines;
    }
    bo__error_clear();
    return 0;
}
