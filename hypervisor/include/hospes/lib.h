/* SPDX-License-Identifier: GPL-2.0-only */
/* Freestanding string, memory and number-parsing helpers. */
#ifndef HOSPES_LIB_H
#define HOSPES_LIB_H

#include <stdarg.h>
#include <hospes/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (size > 0). Returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parses an unsigned number in base 10, or 16 with a 0x prefix, from s. On success stores the
 * value and the first unparsed character, and returns 0; returns -EINVAL when no digit was
 * found and -ERANGE on overflow.
 */
int parse_ulong(const char *s, const char **end, uint64_t *out);
/*
 * Parses a size with an optional K/M/G/T suffix (default unit: bytes). Same returns as
 * parse_ulong(); -ERANGE also when the suffix makes it overflow.
 */
int parse_size(const char *s, const char **end, uint64_t *out);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* HOSPES_LIB_H */
