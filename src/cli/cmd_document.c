/* backoffice document SUBCOMMAND ... */
#include "cli.h"

int cmd_document(cli *c, const cli_command *cmd, int argc, char **argv)
{
    (void)c;
    (void)cmd;
    (void)argc;
    (void)argv;
    return cli_usage_error("document: not available yet");
}
