/* The "taxes" and "parties" sections of a book's YAML configuration. */
#include "core/config_plan.h"

int bo__cfg_section_taxes(bo_book *book, const bo__cfg_doc *doc,
                          const bo__cfg_node *node)
{
    (void)book;
    return bo__cfg_error(doc, node, BO_ECONFIG, "section 'taxes' is not supported yet");
}

int bo__cfg_section_parties(bo_book *book, const bo__cfg_doc *doc,
                            const bo__cfg_node *node)
{
    (void)book;
    return bo__cfg_error(doc, node, BO_ECONFIG, "section 'parties' is not supported yet");
}
