/*
 * The "billing" section of a book's YAML configuration:
 *
 *   billing:
 *     settings:
 *       receivable_account: "1200"
 *       write_off_limit: "1.00"
 *     series:
 *       - {code: INV, prefix: "2026-", next: 1}
 *     rates:
 *       - {currency: EUR, date: 2026-01-01, rate: "1.0850"}
 *
 * Settings go through bo_billing_setting_set, series through
 * bo_billing_series_add, rates through bo_billing_rate_set: the same checks as
 * the API, with the YAML position in front of any message.
 */
#include "billing/billing.h"

#include <stdio.h>
#include <string.h>

static int settings(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *map)
{
    int rc = bo__cfg_kind(d, map, BO__CFG_MAP, "billing.settings");
    for (uint32_t k = 0; !rc && k < map->n; k += 2) {
        const bo__cfg_node *key = bo__cfg_node_at(d, map->kids[k]);
        const bo__cfg_node *val = bo__cfg_node_at(d, map->kids[k + 1]);
        const char *text;
        if ((rc = bo__cfg_text(d, val, key->text, &text)))
            break;
        if ((rc = bo_billing_setting_set(b, key->text, text)))
            rc = bo__cfg_apply_error(d, val, rc);
    }
    return rc;
}

static int series(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = { "code", "prefix", "next" };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "billing.series");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[3];
        char where[48];
        snprintf(where, sizeof where, "billing.series[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 3)))
            return rc;
        if (!v[0])
            return bo__cfg_missing(d, item, where, "code");
        const char *code, *prefix = "";
        int next = 1;
        if ((rc = bo__cfg_text(d, v[0], "code", &code)) ||
            (v[1] && (rc = bo__cfg_text(d, v[1], "prefix", &prefix))) ||
            (v[2] && (rc = bo__cfg_int(d, v[2], "next", 1, 2000000000, &next))))
            return rc;
        if (!v[1]) {
            static char dflt[BO_CODE_MAX + 2];
            snprintf(dflt, sizeof dflt, "%s-", code);
            prefix = dflt;
        }
        if ((rc = bo_billing_series_add(b, code, prefix, next)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

static int rates(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = { "currency", "date", "rate" };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "billing.rates");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[3];
        char where[48];
        snprintf(where, sizeof where, "billing.rates[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 3)))
            return rc;
        for (int k = 0; k < 3; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *cur, *date, *rate;
        bo_date day;
        if ((rc = bo__cfg_text(d, v[0], "currency", &cur)) ||
            (rc = bo__cfg_text(d, v[1], "date", &date)) ||
            (rc = bo__cfg_text(d, v[2], "rate", &rate)))
            return rc;
        if ((rc = bo_date_parse(date, &day)))
            return bo__cfg_checked(d, v[1], rc);
        if ((rc = bo_billing_rate_set(b, cur, day, rate)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

int bo__cfg_section_billing(bo_book *book, const bo__cfg_doc *doc,
                            const bo__cfg_node *node)
{
    static const char *const keys[] = { "settings", "series", "rates" };
    const bo__cfg_node *v[3];
    int rc;
    if ((rc = bo__cfg_kind(doc, node, BO__CFG_MAP, "billing")) ||
        (rc = bo__cfg_fields(doc, node, "billing", keys, v, 3)))
        return rc;
    if (v[0] && (rc = settings(book, doc, v[0])))
        return rc;
    if (v[1] && (rc = series(book, doc, v[1])))
        return rc;
    if (v[2] && (rc = rates(book, doc, v[2])))
        return rc;
    return 0;
}
