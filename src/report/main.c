/* SPDX-License-Identifier: MIT */
/*
 * main.c - the pact-report program that `pact report` runs: a separate
 * binary so that cairo and fontconfig are never loaded into a tracking
 * pact (they would double its resident memory).
 */
#include "cli/commands.h"

int main(int argc, char **argv)
{
    return cmd_report(argc, argv);
}
