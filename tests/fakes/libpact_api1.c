/* SPDX-License-Identifier: MIT */
/*
 * libpact_api1.c - a stand-in for an installed libpact of API 1.x (as
 * found on a machine with an older release): it answers
 * pact_api_version() with 0x0100 and nothing else.  The Python tests load
 * it to see the wrapper refuse it at import, naming both versions.
 */
unsigned pact_api_version(void);

unsigned pact_api_version(void)
{
    return 0x0100;
}
