/* The "inventory" section of a book's YAML configuration. */
#include "core/config_plan.h"

int bo__cfg_section_inventory(bo_book *book, const bo__cfg_doc *doc,
                       const bo__cfg_node *node)
{
    (void)book;
    return bo__cfg_error(doc, node, BO_ECONFIG, "section 'inventory' is not supported yet");
}
