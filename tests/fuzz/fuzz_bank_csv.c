/*
 * The CSV statement reader (billing/bank_import.c, internal) with its YAML
 * column mapping, on what bo_billing_bank_import would hand it (NUL-
 * terminated, valid UTF-8, account currency USD). The first byte picks one
 * of four mappings (header names with a running balance; column numbers;
 * debit and credit columns, DD.MM.YYYY and a decimal comma; tab-separated,
 * MM/DD/YYYY, an opening balance), or, from 0xF0 up, takes the mapping
 * from the input itself (the part before the first NUL). Properties:
 *  - it returns 0 or a refusal among BO_EINVAL, BO_ECONFIG, BO_ELIMIT,
 *    BO_ETOOLONG, BO_EOVERFLOW, BO_EUTF8 with a message naming the line,
 *    the mapping's YAML position, or the statement's balance;
 *  - an accepted statement is consistent, checked independently: at most
 *    BO_BILLING_STATEMENT_LINES_MAX lines, each with a non-zero amount, a
 *    date, a line number within the input and in file order, text within
 *    BO_TEXT_MAX bytes of valid UTF-8; a line is a duplicate exactly when
 *    an earlier line has its bank reference; the opening balance plus the
 *    other lines (summed in 128 bits) is the closing balance.
 */
#include "fuzz_util.h"
#include "billing/bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mappings[] = {
    "header: true\ndelimiter: \";\"\ndate: Date\nreference: Ref\nmemo: Text\n"
    "amount: Amount\nbalance: Balance\n",
    "header: false\ndate: 1\namount: 2\nreference: 3\nmemo: 4\n",
    "header: false\ndelimiter: \";\"\ndecimal: \",\"\ndate_format: DD.MM.YYYY\n"
    "date: 1\ndebit: 2\ncredit: 3\nreference: 4\n",
    "header: false\ndelimiter: tab\ndate_format: MM/DD/YYYY\nopening: \"-12.34\"\n"
    "date: 1\namount: 2\nmemo: 3\nbalance: 4\n",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1u << 20)
        return 0;
    char *fields[2], *buf;
    const char *mapping, *csv;
    if (data[0] >= 0xF0) {
        fz_split(data + 1, size - 1, fields, 2, &buf);
        mapping = fields[0];
        csv = fields[1];
    } else {
        fz_split(data + 1, size - 1, fields, 1, &buf);
        mapping = mappings[data[0] % (sizeof mappings / sizeof mappings[0])];
        csv = fields[0];
    }
    size_t len = strlen(csv);
    if (!fz_utf8_valid((const unsigned char *)csv, len) ||
        !fz_utf8_valid((const unsigned char *)mapping, strlen(mapping))) {
        free(buf);
        return 0;
    }
    int lines = 1;
    for (size_t i = 0; i < len; i++) /* LF, CRLF or a lone CR */
        lines += csv[i] == '\n' || (csv[i] == '\r' && csv[i + 1] != '\n');

    bo__bank_file f;
    memset(&f, 0, sizeof f);
    bo__error_clear();
    int rc = bo__bank_parse_csv(csv, mapping, "USD", &f);
    if (rc) {
        FZ_ASSERT(rc == BO_EINVAL || rc == BO_ECONFIG || rc == BO_ELIMIT ||
                  rc == BO_ETOOLONG || rc == BO_EOVERFLOW || rc == BO_EUTF8,
                  "rc %d", rc);
        fz_check_refusal(rc, "bo__bank_parse_csv");
        const char *m = bo_error_message();
        int at = 0;
        unsigned yl, yc;
        FZ_ASSERT((sscanf(m, "line %d", &at) == 1 && at >= 1 && at <= lines + 1) ||
                  sscanf(m, "mapping:%u:%u: ", &yl, &yc) == 2 ||
                  strncmp(m, "mapping: ", 9) == 0 ||
                  strcmp(m, "closing balance overflows") == 0,
                  "message without a position: %s", m);
    } else {
        FZ_ASSERT(f.n <= BO_BILLING_STATEMENT_LINES_MAX, "%zu lines", f.n);
        __int128 sum = f.opening;
        int prev = 0;
        for (size_t i = 0; i < f.n; i++) {
            const bo__bank_line *l = &f.lines[i];
            FZ_ASSERT(l->amount != 0, "line %zu: zero amount", i);
            char d[16];
            FZ_ASSERT(bo_date_format(l->date, d, sizeof d) == 0, "line %zu: date", i);
            FZ_ASSERT(l->line_no >= 1 && l->line_no <= lines && l->line_no > prev,
                      "line %zu: line number %d after %d", i, l->line_no, prev);
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
    free(buf);
    return 0;
}
