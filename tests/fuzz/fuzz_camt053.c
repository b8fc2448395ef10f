/*
 * The camt.053 statement reader (billing/camt053.c, internal) on what
 * bo_billing_bank_import would hand it: NUL-terminated, valid UTF-8, account
 * currency USD. Properties:
 *  - it returns 0 or a refusal among BO_EINVAL, BO_ELIMIT, BO_ETOOLONG,
 *    BO_ECURRENCY, BO_EOVERFLOW, BO_EUTF8 with a message naming the line
 *    ("line N") or the statement as a whole;
 *  - an accepted statement is consistent, checked independently: at most
 *    BO_BILLING_STATEMENT_LINES_MAX lines, each with a non-zero amount, a
 *    date, a line number within the input and in file order, text within
 *    BO_TEXT_MAX bytes of valid UTF-8; a line is a duplicate exactly when
 *    an earlier line has its bank reference; the opening balance plus the
 *    other lines (summed in 128 bits) is the closing balance;
 *  - a refusal leaves nothing to leak (bo__bank_free on what is left).
 */
#include "fuzz_util.h"
#include "billing/bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1u << 20 || memchr(data, '\0', size) ||
        !fz_utf8_valid((const unsigned char *)data, size))
        return 0;
    char *xml = malloc(size + 1);
    if (!xml)
        abort();
    memcpy(xml, data, size);
    xml[size] = '\0';
    int lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += xml[i] == '\n';

    bo__bank_file f;
    memset(&f, 0, sizeof f);
    bo__error_clear();
    int rc = bo__bank_parse_camt053(xml, "USD", &f);
    if (rc) {
        FZ_ASSERT(rc == BO_EINVAL || rc == BO_ELIMIT || rc == BO_ETOOLONG ||
                  rc == BO_ECURRENCY || rc == BO_EOVERFLOW || rc == BO_EUTF8,
                  "rc %d", rc);
        fz_check_refusal(rc, "bo__bank_parse_camt053");
        const char *m = bo_error_message();
        int at = 0;
        FZ_ASSERT((sscanf(m, "line %d", &at) == 1 && at >= 1 && at <= lines) ||
                  strncmp(m, "statement: ", 11) == 0,
                  "message without a line: %s", m);
    } else {
        FZ_ASSERT(f.n <= BO_BILLING_STATEMENT_LINES_MAX, "%zu lines", f.n);
        __int128 sum = f.opening;
        int prev = 0;
        for (size_t i = 0; i < f.n; i++) {
            const bo__bank_line *l = &f.lines[i];
            FZ_ASSERT(l->amount != 0, "line %zu: zero amount", i);
            char d[16];
            FZ_ASSERT(bo_date_format(l->date, d, sizeof d) == 0, "line %zu: date", i);
            FZ_ASSERT(l->line_no >= 1 && l->line_no <= lines && l->line_no >= prev,
                      "line %zu: line number %d", i, l->line_no);
            prev = l->line_no;
            FZ_ASSERT(l->memo && strlen(l->memo) <= BO_TEXT_MAX &&
                      fz_utf8_valid((const unsigned char *)l->memo, strlen(l->memo)),
                      "line %zu: memo", i);
            FZ_ASSERT(!l->reference || (l->reference[0] &&
                      strlen(l->reference) <= BO_TEXT_MAX &&
                      fz_utf8_valid((const unsigned char *)l->reference,
                                    strlen(l->reference))), "line %zu: reference", i);
            if (f.n <= 4096) { /* quadratic, independent of the reader's table */
                int dup = 0;
                for (size_t k = 0; k < i && l->reference && !dup; k++)
                    dup = f.lines[k].reference &&
                          !strcmp(f.lines[k].reference, l->reference);
                FZ_ASSERT(dup == !!l->dup, "line %zu: duplicate %d, expected %d", i,
                          l->dup, dup);
            }
            if (!l->dup)
                sum += l->amount;
        }
        FZ_ASSERT(sum == f.closing, "opening + lines != closing");
    }
    bo__bank_free(&f);
    free(xml);
    return 0;
}
