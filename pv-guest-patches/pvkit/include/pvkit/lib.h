/* SPDX-License-Identifier: MIT */
/* pvkit: freestanding basics — types, barriers, bit operations, string functions, TSC. */
#ifndef PVKIT_LIB_H
#define PVKIT_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE	    4096UL
#define PAGE_SHIFT	    12
#define ARRAY_SIZE(a)	    (sizeof(a) / sizeof((a)[0]))
#define PV_ALIGNED(n)	    __attribute__((aligned(n)))
#define PV_NORETURN	    __attribute__((noreturn))
#define PV_PRINTF(f, a)	    __attribute__((format(printf, f, a)))
#define PV_READ_ONCE(x)	    (*(const volatile __typeof__(x) *)&(x))
#define PV_WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* Page-table entry bits a PV guest uses in update_va_mapping / mmu_update values. */
#define PTE_PRESENT  (1ULL << 0)
#define PTE_RW	     (1ULL << 1)
#define PTE_USER     (1ULL << 2)
#define PTE_ACCESSED (1ULL << 5)
#define PTE_DIRTY    (1ULL << 6)
#define PTE_NX	     (1ULL << 63)

static inline void pv_barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static inline void pv_mb(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

static inline void pv_rmb(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
}

static inline void pv_wmb(void)
{
	__asm__ __volatile__("sfence" ::: "memory");
}

static inline uint64_t pv_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void pv_cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/* Atomic bit operations on 64-bit words (bit may exceed 63: it indexes an array of words). */
static inline bool pv_test_and_clear_bit(unsigned int bit, volatile uint64_t *addr)
{
	bool old;

	__asm__ __volatile__("lock btrq %2, %1"
			     : "=@ccc"(old), "+m"(addr[bit / 64])
			     : "r"((uint64_t)(bit % 64))
			     : "memory");
	return old;
}

static inline bool pv_test_and_set_bit(unsigned int bit, volatile uint64_t *addr)
{
	bool old;

	__asm__ __volatile__("lock btsq %2, %1"
			     : "=@ccc"(old), "+m"(addr[bit / 64])
			     : "r"((uint64_t)(bit % 64))
			     : "memory");
	return old;
}

static inline void pv_set_bit(unsigned int bit, volatile uint64_t *addr)
{
	(void)pv_test_and_set_bit(bit, addr);
}

static inline void pv_clear_bit(unsigned int bit, volatile uint64_t *addr)
{
	(void)pv_test_and_clear_bit(bit, addr);
}

static inline bool pv_test_bit(unsigned int bit, const volatile uint64_t *addr)
{
	return (addr[bit / 64] >> (bit % 64)) & 1;
}

static inline uint64_t pv_xchg(volatile uint64_t *p, uint64_t v)
{
	__asm__ __volatile__("xchgq %0, %1" : "+r"(v), "+m"(*p) : : "memory");
	return v;
}

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);

/* Formatting (printf.c): %d %i %u %x %X %o %p %s %c %%, flags "-0", width, l/ll/z/h. */
int pv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int pv_snprintf(char *buf, size_t size, const char *fmt, ...) PV_PRINTF(3, 4);

#endif /* PVKIT_LIB_H */
