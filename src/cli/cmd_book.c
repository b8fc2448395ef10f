/*
 * Commands about the book as a whole: init, version.
 */
#include "cli.h"

static int init(cli *c, const cli_args *a)
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = c->actor; /* NULL: the library's default owner, "admin" */
    opts.create = 1;
    const char *uri = c->book_uri != NULL && c->book_uri[0] != '\0' ? c->book_uri
                                                                    : NULL;
    int rc = bo_book_create_from_yaml(&c->book, a->pos[0], uri, &opts);
    if (rc < 0) {
        c->book = NULL;
        return cli_lib_error(c, rc);
    }
    const char *actor = bo_book_actor(c->book);
    cli_field f[] = {
        {"book", BO_TYPE_TEXT, 0, bo_book_name(c->book)},
        {"uri", BO_TYPE_TEXT, 0, bo_book_uri(c->book)},
        {"currency", BO_TYPE_TEXT, 0, bo_book_base_currency(c->book)},
        {"owner", actor != NULL ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, actor},
        {"schema", BO_TYPE_INT, bo_book_schema_version(), NULL},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

int cmd_init(cli *c, const cli_command *cmd, int argc, char **argv)
{
    return cli_run(c, cmd, argc, argv, NULL, 1, 1, init);
}

static int version(cli *c, const cli_args *a)
{
    (void)a;
#define CLI_STR2(x) #x
#define CLI_STR(x) CLI_STR2(x)
    cli_field f[] = {
        {"program", BO_TYPE_TEXT, 0,
         CLI_STR(BO_VERSION_MAJOR) "." CLI_STR(BO_VERSION_MINOR) "."
         CLI_STR(BO_VERSION_PATCH)},
        {"library", BO_TYPE_TEXT, 0, bo_version()},
        {"schema", BO_TYPE_INT, bo_book_schema_version(), NULL},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

int cmd_version(cli *c, const cli_command *cmd, int argc, char **argv)
{
    return cli_run(c, cmd, argc, argv, NULL, 0, 0, version);
}
