/* SPDX-License-Identifier: MIT */
/* cmd_merge.c - placeholder replaced below */
#include <stdio.h>
#include "cli/commands.h"
int cmd_merge(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "pact merge: not built yet\n");
    return 2;
}
