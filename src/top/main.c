/* SPDX-License-Identifier: MIT */
/*
 * main.c - the pact-top program that `pact top` runs: a separate binary so
 * that ncurses is never loaded into a tracking pact (pact run, monitor).
 */
#include "cli/commands.h"

int main(int argc, char **argv)
{
    return cmd_top(argc, argv);
}
