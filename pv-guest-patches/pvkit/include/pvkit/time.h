/* SPDX-License-Identifier: MIT */
/* pvkit: time — the pvclock read of vcpu_time_info, wallclock, and one-shot timers. */
#ifndef PVKIT_TIME_H
#define PVKIT_TIME_H

#include "lib.h"
#include <public/xen.h>

/* System time in ns (the hypervisor's clock since its boot), from vcpu_info[0].time. */
uint64_t pv_time_now_ns(void);
/* The same computation on a given record and TSC value (exposed for tests). */
uint64_t pv_pvclock_scale(const struct vcpu_time_info *t, uint64_t tsc);
/* TSC frequency in kHz derived from tsc_to_system_mul/tsc_shift. */
uint64_t pv_tsc_khz(void);
/* Wallclock (UTC) now: shared_info wc_* plus system time. */
void pv_wallclock(uint64_t *sec, uint32_t *nsec);

/* set_timer_op(abs_ns): VIRQ_TIMER fires at that system time; 0 cancels. */
long pv_timer_set(uint64_t abs_ns);
/* VCPUOP_set_singleshot_timer on vCPU 0; flags VCPU_SSHOTTMR_future refuses the past. */
long pv_timer_singleshot(uint64_t abs_ns, uint32_t flags);
long pv_timer_stop_singleshot(void);
long pv_timer_stop_periodic(void);
/* Busy-wait for ns nanoseconds of system time. */
void pv_delay_ns(uint64_t ns);

#endif /* PVKIT_TIME_H */
