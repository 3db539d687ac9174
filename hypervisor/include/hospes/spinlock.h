/* SPDX-License-Identifier: GPL-2.0-only */
/* Ticket spinlocks: fair, FIFO; interrupts are the caller's business (spin_lock_irqsave). */
#ifndef HOSPES_SPINLOCK_H
#define HOSPES_SPINLOCK_H

#include <hospes/types.h>

typedef struct {
	volatile uint16_t head; /* ticket being served */
	volatile uint16_t tail; /* next ticket to hand out */
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__asm__ volatile("pause" ::: "memory");
#endif
}

static inline void spin_lock_init(spinlock_t *l)
{
	l->head = 0;
	l->tail = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me)
		cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
	uint16_t expect = head;

	return __atomic_compare_exchange_n(&l->tail, &expect, (uint16_t)(head + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->head, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->tail, __ATOMIC_RELAXED);
}

#endif /* HOSPES_SPINLOCK_H */
