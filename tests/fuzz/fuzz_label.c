/*
 * Shipping label input (bo_label_set and friends, the layout and the ZPL
 * writer of src/inventory/label*.c): the input is split at NUL bytes into
 * the label's size and dpi, then a value for each text field, the weight,
 * the package numbers and a COD amount. Properties:
 *  - every setter answers 0 or a refusal (a known code and a message); a
 *    refused field keeps its former value, so the label can still be laid
 *    out;
 *  - laying the label out and writing ZPL answers 0 or a refusal among
 *    BO_EINVAL and BO_ETOOLONG (never cut silently); written ZPL begins
 *    with ^XA and ends with ^XZ.
 */
#include "fuzz_util.h"
#include "inventory/labels.h"

#include <stdlib.h>
#include <string.h>

static const char *const FIELDS[] = {
    "tracking", "order", "carrier", "service", "sender_name", "sender_phone",
    "sender_address", "recipient_name", "recipient_phone", "recipient_address", "sscc",
};
#define NF ((int)(sizeof FIELDS / sizeof FIELDS[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 16384)
        return 0;
    int kind = data[0] % 4 + 1, dpi = data[1] & 1 ? 300 : 203;
    char *f[NF + 4], *buf = NULL;
    int n = fz_split(data + 2, size - 2, f, NF + 4, &buf);
    (void)n;
    bo_label *l = NULL;
    int rc = bo_label_new(&l, kind, dpi);
    if (rc) {
        fz_check_refusal(rc, "label_new");
        free(buf);
        return 0;
    }
    /* A valid label first, so each fuzzed field is tried against one that
     * could be written. */
    static const char *const good[] = {
        "JP1234567890", "WEB-1", "JNE", "REG", "Toko", "+62 21 555", "Jl. Sudirman 1\nJakarta",
        "Budi", "+62 812 555", "Jl. Thamrin 2\nJakarta", NULL,
    };
    for (int i = 0; i < NF; i++)
        if (good[i])
            FZ_ASSERT(bo_label_set(l, FIELDS[i], good[i]) == 0, "%s", bo_error_message());
    FZ_ASSERT(bo_label_set_weight(l, 1200) == 0, "%s", bo_error_message());
    for (int i = 0; i < NF; i++) {
        if (!f[i][0])
            continue;
        rc = bo_label_set(l, FIELDS[i], f[i]);
        if (rc)
            fz_check_refusal(rc, FIELDS[i]);
    }
    rc = bo_label_set_weight(l, strtoll(f[NF], NULL, 10));
    if (rc)
        fz_check_refusal(rc, "weight");
    rc = bo_label_set_package(l, atoi(f[NF + 1]), atoi(f[NF + 2]));
    if (rc)
        fz_check_refusal(rc, "package");
    if (f[NF + 3][0]) {
        rc = bo_label_set_cod(l, strtoll(f[NF + 3], NULL, 10), "IDR");
        if (rc)
            fz_check_refusal(rc, "cod");
    }
    bo__label_layout lay;
    rc = bo__label_layout_make(l, &lay);
    if (rc) {
        fz_check_refusal(rc, "layout");
        FZ_ASSERT(rc == BO_EINVAL || rc == BO_ETOOLONG || rc == BO_ENOMEM, "rc %d: %s", rc,
                  bo_error_message());
    } else {
        bo__buf out = BO__BUF_INIT;
        rc = bo__label_zpl(&lay, &out);
        if (rc) {
            fz_check_refusal(rc, "zpl");
        } else if (!out.failed) {
            FZ_ASSERT(out.len >= 6 && memcmp(out.ptr, "^XA", 3) == 0, "no ^XA");
            bo__buf_put(&out, "", 1);
            FZ_ASSERT(!out.failed && strstr(out.ptr, "^XZ") != NULL, "no ^XZ");
        }
        bo__buf_free(&out);
    }
    bo_label_free(l);
    free(buf);
    return 0;
}
