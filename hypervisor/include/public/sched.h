/* SPDX-License-Identifier: MIT */
/* Guest ABI: sched_op (#29) commands and shutdown reasons (Xen 4.17). */
#ifndef HOSPES_PUBLIC_SCHED_H
#define HOSPES_PUBLIC_SCHED_H

#include "event_channel.h"

/* sched_op(cmd, h arg). Returns 0 or -XEN_E* unless the command says otherwise. */
#define SCHEDOP_yield		0 /* arg NULL: give up the CPU, stay runnable */
#define SCHEDOP_block		1 /* arg NULL: clear the upcall mask, sleep until an event */
#define SCHEDOP_shutdown	2 /* arg struct sched_shutdown: stop the whole domain */
#define SCHEDOP_poll		3 /* arg struct sched_poll: sleep until a port is pending */
#define SCHEDOP_remote_shutdown 4 /* arg struct sched_remote_shutdown (privileged) */
#define SCHEDOP_shutdown_code	5 /* arg struct sched_shutdown: record the reason, no stop */
#define SCHEDOP_watchdog	6 /* arg struct sched_watchdog: returns the id when creating */
#define SCHEDOP_pin_override	7 /* arg struct sched_pin_override (dom0 only) */

/* shutdown / shutdown_code: IN reason (SHUTDOWN_*). shutdown does not return on success. */
struct sched_shutdown {
	uint32_t reason;
};
_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown size");

/*
 * poll: IN ports (VA of an evtchn_port_t array), nr_ports, timeout (absolute system time in ns,
 * 0 = none). Returns 0 when a port is pending or the timeout passed.
 */
struct sched_poll {
	xen_guest_handle_t ports;
	uint32_t nr_ports;
	uint32_t _pad0;
	uint64_t timeout;
};
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll size");
_Static_assert(offsetof(struct sched_poll, nr_ports) == 8, "sched_poll.nr_ports");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "sched_poll.timeout");

/* remote_shutdown: IN domain_id, reason. */
struct sched_remote_shutdown {
	domid_t domain_id;
	uint16_t _pad0;
	uint32_t reason;
};
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown size");
_Static_assert(offsetof(struct sched_remote_shutdown, reason) == 4, "remote_shutdown.reason");

/* watchdog: IN id (0 = create), timeout in seconds (0 = destroy). */
struct sched_watchdog {
	uint32_t id;
	uint32_t timeout;
};
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog size");

/* pin_override: IN pcpu (-1 to end the override). */
struct sched_pin_override {
	int32_t pcpu;
};
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override size");

#define SHUTDOWN_poweroff   0 /* exited normally */
#define SHUTDOWN_reboot	    1 /* restart me */
#define SHUTDOWN_suspend    2 /* save me */
#define SHUTDOWN_crash	    3 /* I crashed */
#define SHUTDOWN_watchdog   4 /* the watchdog expired */
#define SHUTDOWN_soft_reset 5 /* reset my state, keep my memory */
#define SHUTDOWN_MAX	    5

#endif /* HOSPES_PUBLIC_SCHED_H */
