/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC-32 (gzip, xz) and CRC-64/ECMA-182 (xz), reflected, table-light. */
#ifndef HOSPES_CRC_H
#define HOSPES_CRC_H

#include <hospes/types.h>

/*
 * Continues a CRC over len bytes: start with crc = 0, pass the previous result to go on.
 * crc32("123456789") = 0xcbf43926, crc64("123456789") = 0x995dc9bbdf1939fa.
 */
uint32_t crc32(uint32_t crc, const void *buf, size_t len);
uint64_t crc64(uint64_t crc, const void *buf, size_t len);

#endif /* HOSPES_CRC_H */
