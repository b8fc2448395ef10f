/*
 * The documents domain as the library sees it (document records, versions,
 * content, links, retention, search): listed once in the table of domains
 * (src/book/domains.c).
 */
#include "documents/documents.h"

unsigned bo__perms_documents[4];

static const char *const perms[] = {
    "documents.read",
    "documents.write",
    "documents.admin",
    "documents.confidential",
    NULL,
};

static const bo__domain_section sections[] = {
    { "documents", bo__cfg_section_documents },
    { NULL, NULL },
};

static const char *const events[] = {
    "document.created",
    "document.version",
    "document.disposed",
    NULL,
};

const bo__domain bo__domain_documents = {
    .name = "documents",
    .parts = bo__parts_documents,
    .tables = bo__tables_documents,
    .ntables = &bo__ntables_documents,
    .sections = sections,
    .cache = &bo__documents_cache,
    .perms = perms,
    .perm_bits = bo__perms_documents,
    .verify = &bo__verify_documents,
    .events = events,
    .seed = bo__doc_seed,
};
