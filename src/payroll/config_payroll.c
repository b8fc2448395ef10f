/* The "payroll" section of a book's YAML configuration. */
#include "core/config_plan.h"

int bo__cfg_section_payroll(bo_book *book, const bo__cfg_doc *doc,
                       const bo__cfg_node *node)
{
    (void)book;
    return bo__cfg_error(doc, node, BO_ECONFIG, "section 'payroll' is not supported yet");
}
