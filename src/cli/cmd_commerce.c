/*
 * backoffice commerce VERB: tax rates and categories, parties: tax-rates,
 * tax-rate-add, tax-categories, tax-category-add, tax, parties, party,
 * party-add, party-set (each also a top-level command, as in 0.2; tax-rates
 * and tax-categories are table entries in cmd_query.c).
 */
#include "cli.h"

#include <string.h>

/* "yes" or "no" (absent: no). */
static int yes_no(const cli_args *a, const char *name, int *out)
{
    const char *v = cli_opt_get(a, name);
    *out = 0;
    if (v == NULL || strcmp(v, "no") == 0)
        return 0;
    if (strcmp(v, "yes") == 0) {
        *out = 1;
        return 0;
    }
    return cli_usage_error("--%s: expected yes or no", name);
}

static int tax_rate_add(cli *c, const cli_args *a)
{
    int64_t ppm;
    int compound, status;
    if (bo_tax_rate_parse(a->pos[2], &ppm) != 0)
        return cli_usage_error("%s", bo_error_message());
    if ((status = yes_no(a, "compound", &compound)) != 0 || (status = cli_open(c)) != 0)
        return status;
    return cli_check(c, bo_tax_rate_add(c->book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = a->pos[0],
            .name = a->pos[1], .rate_ppm = ppm, .sales_account = a->pos[3],
            .purchase_account = cli_opt_get(a, "purchase-account"),
            .flags = compound ? BO_TAX_COMPOUND : 0 }));
}

static int tax_category_add(cli *c, const cli_args *a)
{
    char rates[1024] = "";
    size_t used = 0;
    for (int i = 2; i < a->npos; i++) {
        size_t n = strlen(a->pos[i]);
        if (used + n + 2 > sizeof rates)
            return cli_usage_error("tax-category-add: too many rates");
        if (used)
            rates[used++] = ' ';
        memcpy(rates + used, a->pos[i], n + 1);
        used += n;
    }
    int status = cli_open(c);
    if (status != 0)
        return status;
    return cli_check(c, bo_tax_category_add(c->book, a->pos[0], a->pos[1], rates));
}

static int tax(cli *c, const cli_args *a)
{
    int inclusive, status;
    if ((status = yes_no(a, "inclusive", &inclusive)) != 0 || (status = cli_open(c)) != 0)
        return status;
    const char *currency = bo_book_base_currency(c->book);
    int64_t amount, net, taxed;
    int rc = bo_money_parse(a->pos[1], currency, &amount);
    if (rc == 0)
        rc = bo_tax_compute(c->book, a->pos[0], amount, inclusive, &net, &taxed);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"category", BO_TYPE_TEXT, 0, a->pos[0]},
        {"net", BO_TYPE_INT, net, NULL},
        {"tax", BO_TYPE_INT, taxed, NULL},
        {"gross", BO_TYPE_INT, net + taxed, NULL},
        {"currency", BO_TYPE_TEXT, 0, currency},
    };
    return cli_render_record(c, f, 5, currency);
}

/* "customer", "vendor", "customer,vendor"; NULL is every party (0). */
static int roles_arg(const char *text, int *roles)
{
    *roles = 0;
    if (text == NULL)
        return 0;
    if (strstr(text, "customer"))
        *roles |= BO_PARTY_CUSTOMER;
    if (strstr(text, "vendor"))
        *roles |= BO_PARTY_VENDOR;
    if (*roles == 0)
        return cli_usage_error("roles: expected customer, vendor or customer,vendor");
    return 0;
}

static int parties(cli *c, const cli_args *a)
{
    int roles, status;
    if ((status = roles_arg(cli_opt_get(a, "roles"), &roles)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_parties(c->book, roles, &cur); /* before cur is read */
    return cli_show(c, rc, cur);
}

static int party(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_party_get(c->book, a->pos[0], &cur);
    return cli_show(c, rc, cur);
}

static int party_add(cli *c, const cli_args *a)
{
    int roles, status;
    if ((status = roles_arg(a->pos[2], &roles)) != 0 || (status = cli_open(c)) != 0)
        return status;
    return cli_check(c, bo_party_add(c->book, a->pos[0], a->pos[1], roles,
                                     cli_opt_get(a, "currency")));
}

static int party_set(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
#define M(m, k) { #m, offsetof(bo_party_changes, m), k }
    static const cli_member members[] = {
        M(name, 't'), M(roles, 'i'), M(currency, 't'), M(tax_id, 't'), M(email, 't'),
        M(phone, 't'), M(address, 't'), M(terms_days, 'i'), M(receivable_account, 't'),
        M(payable_account, 't'), M(revenue_account, 't'), M(expense_account, 't'),
        M(active, 'f'),
    };
#undef M
    bo_party_changes ch = BO_PARTY_CHANGES_INIT;
    if (!strcmp(a->pos[1], "roles") && a->npos > 2 && (a->pos[2][0] < '0' || a->pos[2][0] > '9'))
        status = roles_arg(a->pos[2], &ch.roles); /* "customer,vendor" */
    else
        status = cli_change(&ch, members, sizeof members / sizeof members[0], "a party",
                             a->pos[1], a->npos > 2 ? a->pos[2] : NULL);
    if (status)
        return status;
    return cli_check(c, bo_party_update(c->book, a->pos[0], &ch));
}

static const cli_sub verbs[] = {
    {{"tax-rates", "",
      "List the tax rates: code, name, rate in millionths, accounts, compound.\n",
      NULL}, {0}, 0, 0, cli_query},
    {{"tax-rate-add", "CODE NAME PERCENT ACCOUNT [--purchase-account A] [--compound yes]",
      "Define a tax rate (\"6.25%\"): tax on sales is credited to ACCOUNT, tax\n"
      "on purchases debited to --purchase-account (default ACCOUNT). A compound\n"
      "rate is charged on the net plus the taxes listed before it.\n",
      NULL}, {"purchase-account", "compound"}, 4, 4, tax_rate_add},
    {{"tax-categories", "",
      "List the tax categories and their rates, in the order they apply.\n",
      NULL}, {0}, 0, 0, cli_query},
    {{"tax-category-add", "CODE NAME [RATE...]",
      "Define a tax category charging the listed rates, in order (none: exempt).\n",
      NULL}, {0}, 2, -1, tax_category_add},
    {{"tax", "CATEGORY AMOUNT [--inclusive yes]",
      "The tax on AMOUNT (base currency) in CATEGORY: net, tax and gross. With\n"
      "--inclusive yes, AMOUNT includes the tax.\n",
      NULL}, {"inclusive"}, 2, 2, tax},
    {{"parties", "[--roles customer|vendor]", "List customers and vendors.\n", NULL},
     {"roles"}, 0, 0, parties},
    {{"party", "CODE", "Show one party with every field.\n", NULL}, {0}, 1, 1, party},
    {{"party-add", "CODE NAME ROLES [--currency C]",
      "Add a party. ROLES: customer, vendor or customer,vendor.\n", NULL},
     {"currency"}, 3, 3, party_add},
    {{"party-set", "CODE FIELD [VALUE]",
      "Set a field of a party (name, roles, currency, tax_id, email, phone,\n"
      "address, terms_days, receivable_account, payable_account,\n"
      "revenue_account, expense_account, active); no VALUE clears it.\n",
      NULL}, {0}, 2, 3, party_set},
};

const cli_domain cli_commerce_domain = {
    "commerce", NULL, "tax rates and categories, parties (customers and vendors)",
    verbs, sizeof verbs / sizeof *verbs, NULL, CLI_ALIASES,
};
