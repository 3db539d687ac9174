/* SPDX-License-Identifier: GPL-2.0-only */
/* Basic types and attributes shared by all hypervisor code (freestanding). */
#ifndef HOSPES_TYPES_H
#define HOSPES_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;
typedef uint64_t pfn_t;
typedef int64_t ssize_t;

#define __noreturn		      __attribute__((noreturn))
#define __packed		      __attribute__((packed))
#define __aligned(n)		      __attribute__((aligned(n)))
#define __section(s)		      __attribute__((section(s)))
#define __used			      __attribute__((used))
#define __unused		      __attribute__((unused))
#define __printf(a, b)		      __attribute__((format(printf, a, b)))
#define __must_check		      __attribute__((warn_unused_result))
#define likely(x)		      __builtin_expect(!!(x), 1)
#define unlikely(x)		      __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a)		      (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)		      ((a) < (b) ? (a) : (b))
#define MAX(a, b)		      ((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a)		      (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ROUNDDOWN(x, a)		      ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a)	      (((x) & ((__typeof__(x))(a)-1)) == 0)
#define container_of(p, type, member) ((type *)((char *)(p)-offsetof(type, member)))

#define KiB(x)			      ((uint64_t)(x) << 10)
#define MiB(x)			      ((uint64_t)(x) << 20)
#define GiB(x)			      ((uint64_t)(x) << 30)

#endif /* HOSPES_TYPES_H */
