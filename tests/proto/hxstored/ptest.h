/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared helpers of the hxstored protocol tests: daemon control, raw messages, test guests. */
#ifndef HXSTORED_PTEST_H
#define HXSTORED_PTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <hx/xs.h>

extern int tap_failures;
extern const char *pt_daemon_bin;
extern char pt_dir[64];
extern char pt_sock[100];
extern pid_t pt_pid;

int pt_ok(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Starts the daemon (extra: NULL-terminated options) and waits for its socket. */
pid_t pt_daemon_start(const char *const *extra);
/* SIGTERM, wait; returns true when it exited with status 0 (no sanitizer report). */
bool pt_daemon_stop(void);
/* True while the daemon process is alive. */
bool pt_daemon_alive(void);

/* A privileged libhx handle on the daemon's socket (aborts the test run on failure). */
struct hx_xs *pt_open(void);

/* Raw socket helpers: a connected fd, one message out, one message in (timeout in ms). */
int pt_raw_connect(void);
int pt_raw_send(int fd, uint32_t type, uint32_t req, uint32_t tx, const void *body, uint32_t len);
/* Returns payload length (body NUL-terminated, up to 64 KiB), -1 on EOF/error, -2 on timeout. */
int pt_raw_recv(int fd, struct hx_xs_msg_hdr *h, char *body, int timeout_ms);
/* Sends a request and returns the reply type; reply payload in body. */
int pt_raw_call(int fd, uint32_t type, const void *body, uint32_t len, char *reply);

/* A test guest: a ring page in a memfd, two eventfds, a libhx handle on its ring. */
struct pt_guest {
	unsigned domid;
	int memfd, kick_fd, wait_fd;
	struct hx_xs_ring *ring;
	struct hx_xs *h;
};

/* Introduces domid with a fresh ring through admin; returns 0 or -errno. */
int pt_guest_new(struct hx_xs *admin, unsigned domid, struct pt_guest *g);
void pt_guest_close(struct pt_guest *g);

/* Suites. */
void pt_socket_tests(void);
void pt_malformed_tests(void);
void pt_ring_tests(void);
void pt_restart_tests(void);

#endif /* HXSTORED_PTEST_H */
