/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC: identification, EOI, IPIs and the one-shot timer. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <hospes/types.h>

/* Enables this CPU's local APIC (software-enabled, spurious vector set, LINT masked). */
void apic_init_cpu(void);
uint32_t apic_read_id(void);
void apic_eoi(void);

/* Sends a fixed IPI with vector to one APIC ID, or to every other CPU (all_but_self). */
void apic_send_ipi(uint32_t apic_id, uint8_t vector);
void apic_send_ipi_all_but_self(uint8_t vector);
void apic_send_nmi_all_but_self(void);

/* INIT and STARTUP IPIs for bringing up an application processor at trampoline page. */
void apic_send_init(uint32_t apic_id);
void apic_send_startup(uint32_t apic_id, paddr_t trampoline);
/* Waits for the last IPI to be accepted; false on timeout. */
bool apic_wait_icr_idle(void);

/* APIC timer: ticks counted by the timer in one millisecond, measured against the TSC. */
uint64_t apic_timer_calibrate(uint64_t tsc_khz);
/* Arms a one-shot interrupt on VEC_APIC_TIMER after ticks APIC timer ticks. */
void apic_timer_oneshot(uint32_t ticks);
/* Cancels the one-shot. */
void apic_timer_stop(void);

#endif /* ASM_APIC_H */
