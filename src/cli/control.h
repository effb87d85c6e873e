/* SPDX-License-Identifier: MIT */
/*
 * control.h - the local control socket of a running `pact run` or `pact
 * monitor`, for `pact top`: a Unix stream socket in a directory only its
 * user can enter ($XDG_RUNTIME_DIR/pact, else /tmp/pact-UID), named
 * <pid>.sock.  One request line per connection: "metrics" answers the
 * latest published snapshot in Prometheus text (never a device read);
 * "stop" asks the command to stop tracking cleanly.
 */
#ifndef PACT_CLI_CONTROL_H
#define PACT_CLI_CONTROL_H

#include <stddef.h>

struct pact__snapshot;
struct control;

/* The directory the sockets live in (created 0700 when create is 1).
 * Returns 0, or -1 with a one-line reason in why (wrong owner, a link). */
int control_dir(char *buf, size_t len, int create, char *why, size_t wlen);

/* Serve snap on DIR/<pid>.sock from a thread; on "stop" call
 * stop(user) from that thread.  Returns NULL (with a notice-worthy
 * reason in why) when the socket cannot be made: the run goes on. */
struct control *control_start(struct pact__snapshot *snap,
                              void (*stop)(void *), void *user, char *why,
                              size_t len);

/* control_start, and unless quiet one line on stderr when it fails (the
 * run goes on without the socket). */
struct control *control_start_or_say(struct pact__snapshot *snap,
                                     void (*stop)(void *), void *user,
                                     int quiet);

/* Close and unlink the socket, join the thread.  NULL is fine. */
void control_stop(struct control *c);

#endif
