/*
 * Pay runs under four eyes (docs/architecture.md, "Approvals"): posting a
 * run is an approvable command ("payroll.run.post", no measure: a rule on
 * it applies to every run), and once a book has such a rule the run's own
 * approval step refuses the actor who calculated the run. Changes of an
 * employee's pay terms ("payroll.terms.set") and bank account
 * ("payroll.bank_account.set") are approvable commands too.
 */
#include "payroll/payroll.h"
#include "core/approval.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    int64_t run = bo__payload_int(&r);
    int rc = bo__payload_end(&r, "pay run");
    return rc ? rc : bo_payroll_run_post(b, run, id);
}

const bo__approval_kind bo__approval_payroll_post = {
    "payroll.run.post", BO__MEASURE_NONE, execute,
};

int bo__pay_post_approval(bo_book *b, int64_t run)
{
    int rc = bo__approval_wanted(b, "payroll.run.post");
    if (rc <= 0)
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field_int(&pl, run);
    bo__approval_ask ask = { "payroll.run.post", BO__P_PAYROLL_APPROVE, NULL, 0, NULL, 0,
                             NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}

int bo__pay_approve_check(bo_book *b, int64_t run)
{
    int rc = bo__approval_wanted(b, "payroll.run.post");
    if (rc <= 0 || !b->actor)
        return rc;
    char object[40], actor[BO_NAME_MAX + 1];
    int found = 0;
    snprintf(object, sizeof object, "payrun:%" PRId64, run);
    if ((rc = bo__approval_actor_of(b, "payroll.run.calculate", object, actor,
                                    sizeof actor, &found)))
        return rc;
    if (found && strcmp(actor, b->actor) == 0)
        return bo__error_set(BO_EDENIED, "run %" PRId64 ": actor '%s' calculated this "
                             "run and cannot approve it (separation of duties)", run,
                             b->actor);
    return 0;
}

/* ---- changes of pay terms ---------------------------------------------------------
 * "payroll.terms.set": every change of an employee's pay terms (no measure:
 * a rule on it applies to every change). */
static int terms_execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    char *number = bo__payload_text(&r);
    int64_t effective = bo__payload_int(&r);
    char *kind = bo__payload_text(&r);
    int64_t amount = bo__payload_int(&r), schedule = bo__payload_int(&r);
    int rc = bo__payload_end(&r, "pay terms");
    if (!rc && (schedule < INT32_MIN || schedule > INT32_MAX))
        rc = bo__error_set(BO_ECORRUPT, "approval: the stored pay terms are not readable");
    if (!rc)
        rc = bo_payroll_terms_set(b, number, (bo_date)effective, kind, amount,
                                  (int)schedule);
    bo__free(number);
    bo__free(kind);
    *id = 0;
    return rc;
}

const bo__approval_kind bo__approval_payroll_terms = {
    "payroll.terms.set", BO__MEASURE_NONE, terms_execute,
};

int bo__pay_terms_approval(bo_book *b, const char *number, bo_date effective,
                           const char *kind, int64_t amount, int schedule)
{
    int rc = bo__approval_wanted(b, "payroll.terms.set");
    if (rc <= 0)
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field(&pl, number);
    bo__buf_field_int(&pl, effective);
    bo__buf_field(&pl, kind);
    bo__buf_field_int(&pl, amount);
    bo__buf_field_int(&pl, schedule);
    bo__approval_ask ask = { "payroll.terms.set", BO__P_PAYROLL_WRITE, NULL, 0, NULL, 0,
                             NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}

/* ---- changes of bank accounts -----------------------------------------------------
 * "payroll.bank_account.set": every change of an employee's bank account
 * (bo_payroll_employee_set of field bank_account). The new account waits
 * sealed with the host's key, as the employee's row holds it, bound to the
 * command and the employee; the executing handle opens it with its key. */
static void bank_ad(const char *number, char out[160])
{
    snprintf(out, 160, "approval:payroll.bank_account.set:%s", number);
}

static int bank_execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    char *number = bo__payload_text(&r), *sealed = bo__payload_text(&r), *plain = NULL;
    int rc = bo__payload_end(&r, "bank account");
    if (!rc && sealed) {
        char ad[160];
        bank_ad(number, ad);
        rc = bo__unseal_text(b->key, "bank_account", ad, sealed, &plain);
    }
    if (!rc)
        rc = bo_payroll_employee_set(b, number, "bank_account", plain);
    if (plain) {
        sodium_memzero(plain, strlen(plain));
        bo__free(plain);
    }
    bo__free(number);
    bo__free(sealed);
    *id = 0;
    return rc;
}

const bo__approval_kind bo__approval_payroll_bank = {
    "payroll.bank_account.set", BO__MEASURE_NONE, bank_execute,
};

int bo__pay_bank_approval(bo_book *b, const char *number, const char *field,
                          const char *value)
{
    if (strcmp(field, "bank_account") != 0)
        return 0;
    int rc = bo__approval_wanted(b, "payroll.bank_account.set");
    if (rc <= 0)
        return rc;
    char *sealed = NULL;
    if (value) {
        char ad[160];
        bank_ad(number, ad);
        if ((rc = bo__seal_text(b->key, ad, value, &sealed)))
            return rc;
    }
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field(&pl, number);
    bo__buf_field(&pl, sealed);
    bo__free(sealed);
    bo__approval_ask ask = { "payroll.bank_account.set", BO__P_PAYROLL_WRITE, NULL, 0,
                             NULL, 0, NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}
