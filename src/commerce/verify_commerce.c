/* What the audit chain covers in the commerce tables (see
 * src/core/verify.h): tax rates, tax categories and parties are records of
 * their own, keyed by code; their states are stored with each change. The
 * tax lines of a posted entry are a record of the entry's ("entry-tax",
 * keyed by the entry's id): written once, with the entry, by the domain
 * that posts it (an invoice, a till sale, a return), which names the
 * document in its record, so bo__tax_lines_write() touches them. */
#include "core/verify.h"

static const bo__vpart rate_parts[] = {
    { "tax_rates", "t.code", NULL, "code", NULL, NULL, NULL, NULL, NULL, NULL },
};
static const bo__vpart category_parts[] = {
    { "tax_categories", "t.code", NULL, "code", NULL, NULL, NULL, NULL, NULL, NULL },
};
static const bo__vpart party_parts[] = {
    { "parties", "t.code", NULL, "code", NULL, NULL, NULL, NULL, NULL, NULL },
};

static const bo__vpart tax_line_parts[] = {
    { "tax_lines", "t.entry_id", NULL, "seq", NULL, NULL, NULL, NULL, NULL, NULL },
};

static const bo__vkind kinds[] = {
    { "tax_rate", 1, rate_parts, BO__VN(rate_parts) },
    { "tax_category", 1, category_parts, BO__VN(category_parts) },
    { "party", 1, party_parts, BO__VN(party_parts) },
    { "entry-tax", 0, tax_line_parts, BO__VN(tax_line_parts) },
};

static const bo__vaction actions[] = {
    { "commerce.tax_rate.add", "tax_rate", "tax_rate:", NULL },
    { "commerce.tax_category.add", "tax_category", "tax_category:", NULL },
    { "commerce.party.add", "party", "party:", NULL },
    { "commerce.party.set", "party", "party:", NULL },
};

/* The names written before 0.3 (books written by 0.1 and 0.2 keep them in
 * their chain; nothing writes them now), read as the actions they became. */
static const bo__valias aliases[] = {
    { "tax_rate.add", "commerce.tax_rate.add", NULL },
    { "tax_category.add", "commerce.tax_category.add", NULL },
    { "party.add", "commerce.party.add", NULL },
    { "party.set", "commerce.party.set", NULL },
};

const bo__vdomain bo__verify_commerce = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0,
    aliases, BO__VN(aliases),
};
