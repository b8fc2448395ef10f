/*
 * The "payroll" section of a book's YAML configuration:
 *
 *   payroll:
 *     packs:                          # loaded in order
 *       - file: payroll/generic.yaml  # relative to this file's folder
 *       - source: |                   # or the pack itself
 *           pack: small
 *           ...
 *     employees:
 *       - number: E-001
 *         name: Ann Lee
 *         start: 2024-01-01
 *         cost_center: SHOP           # any field of bo_payroll_employee_set
 *         terms:
 *           - {effective: 2024-01-01, kind: salary, amount: "2500.00",
 *              schedule: monthly}
 *
 * Everything goes through the public calls (bo_payroll_pack_load,
 * bo_payroll_employee_add/_set, bo_payroll_terms_set): the same checks as the API,
 * with the YAML position in front of any message. Amounts are decimals of
 * the book's base currency. A pack file's own errors keep its own
 * FILE:LINE:COLUMN after the position of the "file:" key. Relative pack
 * paths of a configuration given as a string ("<string>") are relative to
 * the working folder.
 */
#include "core/config_check.h"
#include "payroll.h"

#include <stdio.h>
#include <string.h>

/* The folder of the configuration file, joined with a relative path. */
static int pack_path(const bo__cfg_doc *d, const bo__cfg_node *at, const char *rel,
                     char *out, size_t size)
{
    const char *slash = strrchr(d->file, '/');
    int n = rel[0] == '/' || slash == NULL
                ? snprintf(out, size, "%s", rel)
                : snprintf(out, size, "%.*s/%s", (int)(slash - d->file), d->file, rel);
    if (n < 0 || (size_t)n >= size)
        return bo__cfg_error(d, at, BO_ECONFIG, "file: path too long");
    return 0;
}

static int load_pack(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *item,
                     const char *where)
{
    static const char *const keys[] = {"file", "source"};
    const bo__cfg_node *v[2];
    int rc;
    if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
        (rc = bo__cfg_fields(d, item, where, keys, v, 2)))
        return rc;
    if ((v[0] == NULL) == (v[1] == NULL))
        return bo__cfg_error(d, item, BO_ECONFIG, "%s: give either file or source", where);
    const char *text;
    if (v[1]) {
        if ((rc = bo__cfg_text(d, v[1], "source", &text)))
            return rc;
        rc = bo_payroll_pack_load(b, text, strlen(text), where);
        return rc ? bo__cfg_apply_error(d, v[1], rc) : 0;
    }
    char path[4096];
    char *data = NULL;
    size_t len = 0;
    if ((rc = bo__cfg_text(d, v[0], "file", &text)) ||
        (rc = pack_path(d, v[0], text, path, sizeof path)))
        return rc;
    if ((rc = bo__cfg_read_file(path, &data, &len)))
        return bo__cfg_apply_error(d, v[0], rc);
    rc = bo_payroll_pack_load(b, data, len, text);
    bo__free(data);
    return rc ? bo__cfg_apply_error(d, v[0], rc) : 0;
}

static int date_of(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                   bo_date *out)
{
    const char *text;
    int rc = bo__cfg_text(d, v, field, &text);
    if (!rc && (rc = bo_date_parse(text, out)) < 0)
        return bo__cfg_checked(d, v, rc);
    return rc;
}

static int terms(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq,
                 const char *number, const char *where)
{
    static const char *const keys[] = {"effective", "kind", "amount", "schedule"};
    enum { K_EFF, K_KIND, K_AMOUNT, K_SCHED, K_N };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "terms");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[K_N];
        char at[80];
        snprintf(at, sizeof at, "%s.terms[%u]", where, (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, at)) ||
            (rc = bo__cfg_fields(d, item, at, keys, v, K_N)))
            return rc;
        for (int k = K_EFF; k <= K_AMOUNT; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, at, keys[k]);
        const char *kind, *amount_text, *sched = "monthly";
        bo_date eff;
        int64_t amount;
        if ((rc = date_of(d, v[K_EFF], "effective", &eff)) ||
            (rc = bo__cfg_text(d, v[K_KIND], "kind", &kind)) ||
            (rc = bo__cfg_text(d, v[K_AMOUNT], "amount", &amount_text)) ||
            (v[K_SCHED] && (rc = bo__cfg_text(d, v[K_SCHED], "schedule", &sched))))
            return rc;
        int schedule = bo_payroll_schedule_parse(sched);
        if (schedule < 0)
            return bo__cfg_checked(d, v[K_SCHED], schedule);
        if ((rc = bo_money_parse(amount_text, bo_book_base_currency(b), &amount)))
            return bo__cfg_checked(d, v[K_AMOUNT], rc);
        if ((rc = bo_payroll_terms_set(b, number, eff, kind, amount, schedule)))
            return bo__cfg_apply_error(d, rc == BO_EINVAL ? v[K_KIND] : item, rc);
    }
    return rc;
}

/* The optional employee fields, set with bo_payroll_employee_set (the
 * identifiers need the host's key, which a configuration never has: they
 * are refused with BO_EKEY at their position). */
static const char *const EMP_KEYS[] = {
    "number", "name", "start", "terms",
    "contact", "tax_id", "social_id", "bank_account", "end_date", "department",
    "cost_center", "pay_group", "tax_status", "risk_class", "recipient",
};
enum { E_NUMBER, E_NAME, E_START, E_TERMS, E_FIELDS, E_N = 15 };

static int employee(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *item,
                    const char *where)
{
    const bo__cfg_node *v[E_N];
    int rc;
    if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
        (rc = bo__cfg_fields(d, item, where, EMP_KEYS, v, E_N)))
        return rc;
    for (int k = E_NUMBER; k <= E_START; k++)
        if (!v[k])
            return bo__cfg_missing(d, item, where, EMP_KEYS[k]);
    const char *number, *name;
    bo_date start;
    if ((rc = bo__cfg_text(d, v[E_NUMBER], "number", &number)) ||
        (rc = bo__cfg_text(d, v[E_NAME], "name", &name)) ||
        (rc = date_of(d, v[E_START], "start", &start)))
        return rc;
    if ((rc = bo_payroll_employee_add(b, number, name, start)))
        return bo__cfg_apply_error(d, rc == BO_EEXISTS ? v[E_NUMBER] : item, rc);
    for (int k = E_FIELDS; k < E_N; k++) {
        const char *text;
        if (!v[k])
            continue;
        if ((rc = bo__cfg_text(d, v[k], EMP_KEYS[k], &text)))
            return rc;
        if ((rc = bo_payroll_employee_set(b, number, EMP_KEYS[k], text)))
            return bo__cfg_apply_error(d, v[k], rc);
    }
    return v[E_TERMS] ? terms(b, d, v[E_TERMS], number, where) : 0;
}

int bo__cfg_section_payroll(bo_book *book, const bo__cfg_doc *doc,
                            const bo__cfg_node *node)
{
    static const char *const keys[] = {"packs", "employees"};
    const bo__cfg_node *v[2];
    int rc;
    if ((rc = bo__cfg_kind(doc, node, BO__CFG_MAP, "payroll")) ||
        (rc = bo__cfg_fields(doc, node, "payroll", keys, v, 2)))
        return rc;
    if (v[0] && (rc = bo__cfg_kind(doc, v[0], BO__CFG_SEQ, "payroll.packs")))
        return rc;
    for (uint32_t i = 0; !rc && v[0] && i < v[0]->n; i++) {
        char where[48];
        snprintf(where, sizeof where, "payroll.packs[%u]", (unsigned)i);
        rc = load_pack(book, doc, bo__cfg_node_at(doc, v[0]->kids[i]), where);
    }
    if (!rc && v[1] && (rc = bo__cfg_kind(doc, v[1], BO__CFG_SEQ, "payroll.employees")))
        return rc;
    for (uint32_t i = 0; !rc && v[1] && i < v[1]->n; i++) {
        char where[48];
        snprintf(where, sizeof where, "payroll.employees[%u]", (unsigned)i);
        rc = employee(book, doc, bo__cfg_node_at(doc, v[1]->kids[i]), where);
    }
    return rc;
}
