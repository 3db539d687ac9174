/* SPDX-License-Identifier: GPL-2.0-only */
/* vCPU timers (set_timer_op, singleshot, periodic, poll timeouts) on the local APIC one-shot. */
#ifndef HOSPES_TIMER_H
#define HOSPES_TIMER_H

#include <hospes/types.h>

struct domain;
struct vcpu;

#define TIMER_DEFAULT_PERIOD_NS 10000000ULL /* Xen's default periodic VIRQ_TIMER: 10 ms */
#define TIMER_MIN_PERIOD_NS	1000000ULL  /* shorter periods are refused, as on Xen */

/* Boot CPU, once: interrupt handlers, and the wallclock from the RTC. */
void timer_init(void);

/* Writes the wallclock (UTC at system time 0) into d's shared_info. */
void timer_domain_init(struct domain *d);

/*
 * platform_op settime: the wallclock reads secs.nsecs at system time system_time (ns since
 * boot); every domain's shared_info gets it (the wc_version protocol keeps readers whole).
 */
void timer_set_wallclock(uint64_t secs, uint32_t nsecs, uint64_t system_time);

/* A new vCPU: the default periodic timer, no deadline. */
void timer_vcpu_init(struct vcpu *v);

/*
 * Arms v's one-shot VIRQ_TIMER at deadline_ns of system time (0 cancels); a deadline in the
 * past fires at once. v is the current vCPU.
 */
void timer_set_singleshot(struct vcpu *v, uint64_t deadline_ns);
/* Sets v's periodic timer (0 stops it); it runs while v is on a CPU. */
void timer_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Wakes the current vCPU from SCHEDOP_poll at deadline_ns (0: none). */
void timer_set_poll(struct vcpu *v, uint64_t deadline_ns);

/* The scheduler put v on this CPU (v is already current): starts its periodic timer. */
void timer_vcpu_switch_in(struct vcpu *v);
/* Programs this CPU's APIC timer for the earliest deadline of its vCPUs. */
void timer_reprogram(void);

/* Refreshes v's pvclock records (vcpu_info and the secondary area); v is current. */
void timer_refresh_vcpu_time(struct vcpu *v);

#endif /* HOSPES_TIMER_H */
