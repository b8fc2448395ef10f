/* GS1 element strings (GS1 General Specifications, section 3 and 7.8):
 * what a scanner reads from a GS1-128 or GS1 DataMatrix symbol, FNC1 sent
 * as GS (0x1D), optionally after a symbology identifier ("]C1", "]d2"),
 * or the human-readable form "(01)09506000134352(17)261231(10)L1". Each
 * application identifier (AI) from a table of the common ones: its data
 * length (fixed, or variable up to a maximum and then ended by FNC1), its
 * character set, and the checks it owes (GTIN check digit, dates). Also
 * the variable-measure EAN-13 codes of weighed goods (prefixes 20-29).
 * One pass over at most BO_GS1_TEXT_MAX bytes, no recursion. */
#include "inventory/gs1.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define GS 0x1d

/* One AI: prefix digits (2..4; for the 4-digit AIs with a decimal point
 * position the last digit is any: 310n), data length (fixed) or maximum,
 * the data kind. */
enum { NUM = 1, ALNUM = 2, DATE = 4, CHECK = 8, FIXED = 16, DEC = 32 };
typedef struct ai_def {
    const char *ai;
    int len;
    int flags;
} ai_def;

static const ai_def ais[] = {
    { "00", 18, NUM | FIXED | CHECK },   /* SSCC */
    { "01", 14, NUM | FIXED | CHECK },   /* GTIN */
    { "02", 14, NUM | FIXED | CHECK },   /* GTIN of contained items */
    { "10", 20, ALNUM },                 /* batch or lot */
    { "11", 6, NUM | FIXED | DATE },     /* production date */
    { "12", 6, NUM | FIXED | DATE },     /* due date */
    { "13", 6, NUM | FIXED | DATE },     /* packaging date */
    { "15", 6, NUM | FIXED | DATE },     /* best before */
    { "16", 6, NUM | FIXED | DATE },     /* sell by */
    { "17", 6, NUM | FIXED | DATE },     /* expiration date */
    { "20", 2, NUM | FIXED },            /* variant */
    { "21", 20, ALNUM },                 /* serial number */
    { "22", 20, ALNUM },                 /* consumer product variant */
    { "235", 28, ALNUM },
    { "240", 30, ALNUM },                /* additional product id */
    { "241", 30, ALNUM },                /* customer part number */
    { "250", 30, ALNUM },                /* secondary serial */
    { "251", 30, ALNUM },
    { "253", 30, ALNUM },                /* GDTI */
    { "254", 20, ALNUM },
    { "30", 8, NUM },                    /* variable count */
    { "310", 6, NUM | FIXED | DEC },     /* net weight, kg */
    { "311", 6, NUM | FIXED | DEC },     /* length, m */
    { "312", 6, NUM | FIXED | DEC },
    { "313", 6, NUM | FIXED | DEC },
    { "314", 6, NUM | FIXED | DEC },
    { "315", 6, NUM | FIXED | DEC },     /* net volume, l */
    { "316", 6, NUM | FIXED | DEC },
    { "320", 6, NUM | FIXED | DEC },     /* net weight, lb */
    { "330", 6, NUM | FIXED | DEC },     /* gross weight, kg */
    { "37", 8, NUM },                    /* count of trade items */
    { "390", 15, NUM | DEC },            /* amount payable, local currency */
    { "391", 18, NUM | DEC },            /* amount payable with ISO currency */
    { "392", 15, NUM | DEC },            /* amount payable, variable measure */
    { "393", 18, NUM | DEC },
    { "400", 30, ALNUM },                /* customer's order number */
    { "401", 30, ALNUM },
    { "402", 17, NUM | FIXED | CHECK },
    { "403", 30, ALNUM },
    { "410", 13, NUM | FIXED | CHECK },  /* ship to GLN */
    { "411", 13, NUM | FIXED | CHECK },
    { "412", 13, NUM | FIXED | CHECK },  /* purchased from GLN */
    { "413", 13, NUM | FIXED | CHECK },
    { "414", 13, NUM | FIXED | CHECK },  /* physical location GLN */
    { "415", 13, NUM | FIXED | CHECK },
    { "416", 13, NUM | FIXED | CHECK },
    { "420", 20, ALNUM },                /* ship to postal code */
    { "421", 12, ALNUM },
    { "422", 3, NUM | FIXED },           /* country of origin */
    { "7003", 10, NUM | FIXED },         /* expiration date and time */
    { "8005", 6, NUM | FIXED },          /* price per unit */
    { "8020", 25, ALNUM },
    { "90", 30, ALNUM },                 /* internal */
    { "91", 90, ALNUM }, { "92", 90, ALNUM }, { "93", 90, ALNUM }, { "94", 90, ALNUM },
    { "95", 90, ALNUM }, { "96", 90, ALNUM }, { "97", 90, ALNUM }, { "98", 90, ALNUM },
    { "99", 90, ALNUM },
};

/* The AI at s (n bytes left): its table entry and its full length. */
static const ai_def *ai_find(const char *s, size_t n, int *ailen)
{
    for (size_t i = 0; i < sizeof ais / sizeof *ais; i++) {
        size_t k = strlen(ais[i].ai);
        int dec = (ais[i].flags & DEC) != 0;
        if (n < k + (size_t)dec || memcmp(s, ais[i].ai, k) != 0)
            continue;
        if (dec && (s[k] < '0' || s[k] > '9'))
            continue;
        *ailen = (int)k + dec;
        return &ais[i];
    }
    return NULL;
}

/* GS1 AI encodable character set 82. */
static int cset82(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr("!\"%&'()*+,-./:;<=>?_", c) != NULL);
}

int bo__gs1_check_digit(const char *digits, size_t n)
{
    /* weights 3, 1, 3, ... from the right over the digits before the check */
    int sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (digits[n - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
    return (10 - sum % 10) % 10;
}

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* The century of a two-digit year (General Specifications 7.12): within
 * 49 years back and 50 years ahead of this year. */
static int full_year(int yy)
{
    int y = 0, mo = 0, d = 0;
    bo_date_to_ymd(bo_date_today(), &y, &mo, &d);
    int cur = y % 100, century = y - cur;
    int diff = yy - cur;
    if (diff >= 51)
        century -= 100;
    else if (diff <= -50)
        century += 100;
    return century + yy;
}

static int bad(size_t pos, const char *ai, const char *fmt, const char *what)
{
    if (ai)
        return bo__error_set(BO_EBARCODE, "gs1: position %zu: AI (%s) %s%s", pos, ai, fmt,
                             what ? what : "");
    return bo__error_set(BO_EBARCODE, "gs1: position %zu: %s%s", pos, fmt, what ? what : "");
}

static int element_check(const ai_def *def, bo__gs1_element *e, size_t pos)
{
    size_t n = strlen(e->value);
    char msg[96];
    if (n == 0)
        return bad(pos, e->ai, "has no data", NULL);
    if ((def->flags & FIXED) && (int)n != def->len) {
        snprintf(msg, sizeof msg, "needs %d characters, has %zu", def->len, n);
        return bad(pos, e->ai, msg, NULL);
    }
    if ((int)n > def->len) {
        snprintf(msg, sizeof msg, "takes at most %d characters, has %zu", def->len, n);
        return bad(pos, e->ai, msg, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)e->value[i];
        if ((def->flags & NUM) ? (c < '0' || c > '9') : !cset82(c)) {
            snprintf(msg, sizeof msg, "character %zu is not %s", i + 1,
                     (def->flags & NUM) ? "a digit" : "in the GS1 character set");
            return bad(pos + i, e->ai, msg, NULL);
        }
    }
    if (def->flags & CHECK) {
        int d = bo__gs1_check_digit(e->value, n - 1);
        if (d != e->value[n - 1] - '0')
            return bo__error_set(BO_ECHECKDIGIT, "gs1: position %zu: AI (%s) check digit"
                                 " %c is wrong, %d is right", pos + n - 1, e->ai,
                                 e->value[n - 1], d);
    }
    if (def->flags & DATE) {
        int yy = (e->value[0] - '0') * 10 + (e->value[1] - '0');
        int mm = (e->value[2] - '0') * 10 + (e->value[3] - '0');
        int dd = (e->value[4] - '0') * 10 + (e->value[5] - '0');
        int y = full_year(yy);
        if (mm < 1 || mm > 12 || dd > days_in(y, mm))
            return bad(pos, e->ai, "is not a date YYMMDD: ", e->value);
    }
    return 0;
}

int bo__gs1_parse(const char *text, size_t len, bo__gs1 *out)
{
    memset(out, 0, sizeof *out);
    if (len > BO_GS1_TEXT_MAX)
        return bo__error_set(BO_ELIMIT, "gs1: %zu bytes, at most %d", len, BO_GS1_TEXT_MAX);
    const char *nul = memchr(text, 0, len);
    if (nul)
        return bad((size_t)(nul - text) + 1, NULL, "a NUL byte", NULL);
    size_t i = 0;
    /* a symbology identifier: ]C1 (GS1-128), ]d2 (DataMatrix), ]Q3 (QR),
     * ]e0 (DataBar), ]J1 (DotCode) */
    if (len >= 3 && text[0] == ']') {
        static const char *const ids[] = { "]C1", "]d2", "]Q3", "]e0", "]J1" };
        int ok = 0;
        for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
            ok |= memcmp(text, ids[k], 3) == 0;
        if (!ok)
            return bad(1, NULL, "symbology identifier is not a GS1 one", NULL);
        i = 3;
    }
    int hri = i < len && text[i] == '(';
    if (!hri && i < len && text[i] == GS)
        i++; /* a leading FNC1 */
    if (i >= len)
        return bad(i + 1, NULL, "no element string", NULL);
    while (i < len) {
        size_t pos = i + 1;
        if (out->n == BO_GS1_ELEMENTS_MAX)
            return bo__error_set(BO_ELIMIT, "gs1: position %zu: more than %d elements", pos,
                                 BO_GS1_ELEMENTS_MAX);
        bo__gs1_element *e = &out->e[out->n];
        const ai_def *def;
        int ailen = 0;
        if (hri) {
            if (text[i] != '(')
                return bad(pos, NULL, "'(' expected", NULL);
            size_t c = i + 1;
            while (c < len && c - i <= 5 && text[c] >= '0' && text[c] <= '9')
                c++;
            if (c >= len || text[c] != ')')
                return bad(pos, NULL, "an AI of 2..4 digits in parentheses expected", NULL);
            def = ai_find(text + i + 1, c - i - 1, &ailen);
            if (!def || (size_t)ailen != c - i - 1) {
                char ai[8];
                snprintf(ai, sizeof ai, "%.*s", (int)(c - i - 1), text + i + 1);
                return bad(pos, NULL, "unknown AI ", ai);
            }
            memcpy(e->ai, text + i + 1, (size_t)ailen);
            e->ai[ailen] = 0;
            i = c + 1;
            size_t v = i, k = 0;
            /* "\(" is a "(" of the data (as the GS1 syntax engine writes it) */
            while (i < len && text[i] != '(') {
                if (text[i] == '\\' && i + 1 < len && text[i + 1] == '(')
                    i++;
                if (k == BO_GS1_VALUE_MAX)
                    return bad(v + 1, e->ai, "data too long", NULL);
                e->value[k++] = text[i++];
            }
            e->value[k] = 0;
            e->pos = v + 1;
        } else {
            def = ai_find(text + i, len - i, &ailen);
            if (!def) {
                char ai[8];
                size_t k = 0;
                while (k < 4 && i + k < len && text[i + k] >= '0' && text[i + k] <= '9')
                    k++;
                snprintf(ai, sizeof ai, "%.*s", (int)(k ? k : 1), k ? text + i : "?");
                return bad(pos, NULL, k ? "unknown AI " : "an AI (digits) expected, not ",
                           k ? ai : (text[i] == GS ? "FNC1" : "another character"));
            }
            memcpy(e->ai, text + i, (size_t)ailen);
            e->ai[ailen] = 0;
            i += (size_t)ailen;
            size_t v = i;
            if (def->flags & FIXED) {
                size_t want = (size_t)def->len;
                if (len - i < want) {
                    char msg[64];
                    snprintf(msg, sizeof msg, "needs %d characters, has %zu", def->len,
                             len - i);
                    return bad(v + 1, e->ai, msg, NULL);
                }
                i += want;
                if (memchr(text + v, GS, want)) {
                    char msg[64];
                    snprintf(msg, sizeof msg, "needs %d characters before FNC1", def->len);
                    return bad(v + 1, e->ai, msg, NULL);
                }
            } else {
                while (i < len && text[i] != GS && i - v <= (size_t)def->len)
                    i++;
            }
            if (i - v > BO_GS1_VALUE_MAX)
                return bad(v + 1, e->ai, "data too long", NULL);
            memcpy(e->value, text + v, i - v);
            e->value[i - v] = 0;
            e->pos = v + 1;
            if (i < len && text[i] == GS) {
                i++;
                if (i == len)
                    return bad(i, e->ai, "is followed by FNC1 and nothing", NULL);
            }
        }
        int rc = element_check(def, e, e->pos);
        if (rc)
            return rc;
        for (int k = 0; k < out->n; k++)
            if (strcmp(out->e[k].ai, e->ai) == 0 && strcmp(out->e[k].value, e->value) != 0)
                return bad(pos, e->ai, "appears twice with different data", NULL);
        out->n++;
    }
    return 0;
}

const char *bo__gs1_value(const bo__gs1 *g, const char *ai)
{
    for (int i = 0; i < g->n; i++)
        if (strcmp(g->e[i].ai, ai) == 0)
            return g->e[i].value;
    return NULL;
}

/* ---- public --------------------------------------------------------------- */

static int parse_arg(const char *text, bo__gs1 *g)
{
    if (!text)
        return bo__error_set(BO_EINVAL, "text: NULL");
    return bo__gs1_parse(text, strlen(text), g);
}

static int put(char *buf, size_t size, const char *s, const char *what)
{
    size_t n = strlen(s);
    if (!buf || n + 1 > size)
        return bo__error_set(BO_ETOOLONG, "%s: %zu bytes do not fit in %zu", what, n + 1,
                             size);
    memcpy(buf, s, n + 1);
    return 0;
}

int bo_gs1_normalize(const char *text, char *buf, size_t size)
{
    bo__error_clear();
    bo__gs1 g;
    int rc = parse_arg(text, &g);
    if (rc)
        return rc;
    /* each element adds "()" and may escape every byte of its data */
    char out[2 * BO_GS1_TEXT_MAX + 2 * BO_GS1_ELEMENTS_MAX + 1];
    size_t n = 0;
    for (int i = 0; i < g.n; i++) {
        n += (size_t)snprintf(out + n, sizeof out - n, "(%s)", g.e[i].ai);
        for (const char *p = g.e[i].value; *p; p++) {
            if (*p == '(') /* escaped: the next AI starts at a bare "(" */
                out[n++] = '\\';
            out[n++] = *p;
        }
        out[n] = 0;
    }
    return put(buf, size, out, "buf");
}

int bo_gs1_get(const char *text, const char *ai, char *buf, size_t size)
{
    bo__error_clear();
    if (!ai)
        return bo__error_set(BO_EINVAL, "ai: NULL");
    bo__gs1 g;
    int rc = parse_arg(text, &g);
    if (rc)
        return rc;
    const char *v = bo__gs1_value(&g, ai);
    if (!v) {
        char q[40];
        bo__quote(ai, 8, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "ai: (%s) is not in the element string", q);
    }
    return put(buf, size, v, "buf");
}

int bo_gs1_expiry(const char *text, bo_date *out)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    bo__gs1 g;
    int rc = parse_arg(text, &g);
    if (rc)
        return rc;
    const char *v = bo__gs1_value(&g, "17");
    if (!v)
        return bo__error_set(BO_ENOTFOUND, "ai: (17), the expiry date, is not in the"
                             " element string");
    int y = full_year((v[0] - '0') * 10 + (v[1] - '0'));
    int m = (v[2] - '0') * 10 + (v[3] - '0');
    int d = (v[4] - '0') * 10 + (v[5] - '0');
    if (d == 0) /* DD 00: the last day of the month */
        d = days_in(y, m);
    return bo_date_from_ymd(y, m, d, out);
}

int bo_gs1_net_weight(const char *text, int64_t *value, int *decimals)
{
    bo__error_clear();
    if (!value || !decimals)
        return bo__error_set(BO_EINVAL, "value/decimals: NULL");
    bo__gs1 g;
    int rc = parse_arg(text, &g);
    if (rc)
        return rc;
    for (int i = 0; i < g.n; i++) {
        if (strncmp(g.e[i].ai, "310", 3) != 0)
            continue;
        int64_t v = 0;
        for (const char *p = g.e[i].value; *p; p++)
            v = v * 10 + (*p - '0'); /* six digits: no overflow */
        *value = v;
        *decimals = g.e[i].ai[3] - '0';
        return 0;
    }
    return bo__error_set(BO_ENOTFOUND, "ai: (310n), the net weight in kg, is not in the"
                         " element string");
}

int bo_gs1_variable_measure(const char *ean13, const char *layout, char *item, size_t size,
                            int64_t *value)
{
    bo__error_clear();
    if (!ean13 || !value)
        return bo__error_set(BO_EINVAL, "ean13/value: NULL");
    if (!layout)
        layout = BO_GS1_VARIABLE_LAYOUT;
    if (strlen(layout) != 13 || layout[12] != 'C' || layout[0] != 'P' || layout[1] != 'P' ||
        strspn(layout, "PIVXC") != 13 || strchr(layout, 'C') != layout + 12 ||
        !strchr(layout, 'V') || strspn(layout + 2, "IVX") != 10 ||
        strchr(layout + 2, 'P'))
        return bo__error_set(BO_EINVAL, "layout: 13 letters PP, then I (item), V (value)"
                             " and X (price check) digits, then C (the check digit)");
    size_t n = strlen(ean13);
    if (n != 13 || strspn(ean13, "0123456789") != 13)
        return bo__error_set(BO_EBARCODE, "ean13: position %zu: 13 digits expected",
                             strspn(ean13, "0123456789") + 1);
    if (ean13[0] != '2')
        return bo__error_set(BO_EBARCODE, "ean13: position 1: prefix %.2s is not a variable"
                             " measure prefix (20-29)", ean13);
    int d = bo__gs1_check_digit(ean13, 12);
    if (d != ean13[12] - '0')
        return bo__error_set(BO_ECHECKDIGIT, "ean13: position 13: check digit %c is wrong,"
                             " %d is right", ean13[12], d);
    char it[14];
    size_t k = 0;
    int64_t v = 0;
    for (int i = 0; i < 12; i++) {
        if (layout[i] == 'P' || layout[i] == 'I')
            it[k++] = ean13[i];
        else if (layout[i] == 'V')
            v = v * 10 + (ean13[i] - '0');
    }
    it[k] = 0;
    int rc = put(item, size, it, "item");
    if (!rc)
        *value = v;
    return rc;
}
