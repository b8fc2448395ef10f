/* Reads of protected pay data: each is audited, and what it returns comes
 * as a one-row cursor. */
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>

struct audit_ctx {
    const char *action, *object;
};

static int audit_tx(bo_book *b, void *p)
{
    struct audit_ctx *c = p;
    return bo__audit_append(b, c->action, c->object, "");
}

int bo__pay_audit_read(bo_book *book, const char *action, const char *object)
{
    struct audit_ctx c = { action, object };
    return bo__write(book, audit_tx, &c);
}

int bo__pay_audit_read_id(bo_book *book, const char *action, const char *kind,
                          int64_t id)
{
    char object[48];
    snprintf(object, sizeof object, "%s:%" PRId64, kind, id);
    return bo__pay_audit_read(book, action, object);
}

static const char SQL_DOCUMENT[] = "SELECT ? AS document";
static const bo__col DOC_COLS[] = { { "document", BO_TYPE_TEXT } };

int bo__pay_document_cursor(bo_book *book, const char *text, bo_cursor **out)
{
    return bo__listing(book, 0, NULL, SQL_DOCUMENT, DOC_COLS, 1, out, "t", text);
}
