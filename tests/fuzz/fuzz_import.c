/*
 * The import of a book export (bo_book_import) from arbitrary bytes: the
 * input is written to a file and imported into a fresh in-memory SQLite
 * store. Properties: no crash, leak or hang; a refusal is a known negative
 * code with a message. The seed is a small real export, so mutations reach
 * the manifest and record checks past the zip reader.
 */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "/tmp/bo-fuzz-import-%ld.zip", (long)getpid());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024 * 1024)
        return 0;
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    size_t put = fwrite(data, 1, size, f);
    fclose(f);
    if (put != size)
        return 0;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    int rc = bo_book_import("sqlite::memory:", path, &o, NULL);
    /* An import that commits into memory cannot be reopened for its
     * verification (every open of sqlite::memory: is a new store), so even
     * a good file ends in a refusal here: it must be a well-formed one. */
    if (rc)
        fz_check_refusal(rc, "bo_book_import");
    unlink(path);
    return 0;
}
