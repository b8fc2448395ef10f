/* ZPL II for Zebra-compatible printers: the printer's own scalable font
 * (^A0) and barcode commands (^BC), width and length in dots (^PW, ^LL).
 * GS1-128 is ^BC in no-mode with the invocation codes ">;" (start in
 * subset C) and ">8" (FNC1), then the application identifier 00 and the
 * SSCC: what the ZPL II programming guide gives for UCC/EAN-128. */
#include "inventory/labels.h"

#include <string.h>

/* Field data under ^FH_: the characters ZPL reads as commands or as the
 * escape itself go as _XX hex pairs; UTF-8 passes (^CI28). */
static int field_data(bo__buf *b, const char *text)
{
    int rc = bo__buf_puts(b, "^FH_^FD");
    for (const unsigned char *p = (const unsigned char *)text; !rc && *p; p++) {
        if (*p == '^' || *p == '~' || *p == '_' || *p == '\\')
            rc = bo__buf_printf(b, "_%02X", *p);
        else
            rc = bo__buf_put(b, p, 1);
    }
    return rc ? rc : bo__buf_puts(b, "^FS\n");
}

int bo__label_zpl(const bo__label_layout *lay, bo__buf *b)
{
    static const char align[] = { 'L', 'C', 'R' };
    int rc = bo__buf_printf(b, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", lay->width, lay->height);
    for (int i = 0; !rc && i < lay->n; i++) {
        const bo__label_item *it = &lay->item[i];
        switch (it->kind) {
        case BO__LI_TEXT:
            rc = bo__buf_printf(b, "^FO%d,%d^A0N,%d^FB%d,1,0,%c,0", it->x, it->y, it->h, it->w,
                                align[it->align]);
            if (!rc)
                rc = field_data(b, it->text);
            break;
        case BO__LI_RULE:
            rc = bo__buf_printf(b, "^FO%d,%d^GB%d,%d,%d^FS\n", it->x, it->y, it->w, it->h, it->h);
            break;
        case BO__LI_BAR:
            if (it->sym == BO__LB_GS1)
                rc = bo__buf_printf(b, "^FO%d,%d^BY%d,3,%d^BCN,%d,N,N,N,N^FD>;>800%s^FS\n", it->x,
                                    it->y, it->module, it->h, it->h, it->text);
            else
                rc = bo__buf_printf(b, "^FO%d,%d^BY%d,3,%d^BCN,%d,N,N,N,A^FD%s^FS\n", it->x,
                                    it->y, it->module, it->h, it->h, it->text);
            break;
        }
    }
    return rc ? rc : bo__buf_puts(b, "^PQ1\n^XZ\n");
}
