/* SPDX-License-Identifier: GPL-2.0-only */
/* Multiboot2 boot information: validated and copied into struct boot_info at entry. */
#ifndef HOSPES_MULTIBOOT2_H
#define HOSPES_MULTIBOOT2_H

#include <hospes/memmap.h>
#include <hospes/types.h>

#define MB2_BOOT_MAGIC 0x36d76289
#define MB2_INFO_MAX   (1u << 20) /* refuse boot information larger than 1 MiB */

/* Tag types (the multiboot2 specification's numbering). */
#define MB2_TAG_END	    0
#define MB2_TAG_CMDLINE	    1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE	    3
#define MB2_TAG_BASIC_MEM   4
#define MB2_TAG_BOOTDEV	    5
#define MB2_TAG_MMAP	    6
#define MB2_TAG_EFI64	    12
#define MB2_TAG_ACPI_OLD    14
#define MB2_TAG_ACPI_NEW    15
#define MB2_TAG_EFI_MMAP    17
#define MB2_TAG_EFI_BS	    18
#define MB2_TAG_LOAD_BASE   21

#define BOOT_MAX_MODULES    16
#define BOOT_STR_MAX	    1024
#define BOOT_MAX_WARNINGS   8
#define BOOT_WARNING_LEN    96

struct boot_module {
	paddr_t start;
	paddr_t end; /* exclusive */
	char cmdline[BOOT_STR_MAX];
};

struct boot_info {
	char cmdline[BOOT_STR_MAX];
	char loader[64];
	bool efi; /* booted through UEFI (an EFI system table tag was passed) */
	bool has_mmap;
	bool has_basic; /* basic memory information tag seen */
	uint32_t basic_lower_kb;
	uint32_t basic_upper_kb;
	paddr_t info_start; /* the boot information itself, to keep it out of the allocator */
	paddr_t info_end;
	uint8_t rsdp[36]; /* copy of the ACPI RSDP (v2 size), valid when rsdp_len != 0 */
	uint32_t rsdp_len;
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	struct memmap mmap; /* raw: the caller sanitises it */
	unsigned int nr_warnings;
	char warnings[BOOT_MAX_WARNINGS][BOOT_WARNING_LEN];
};

/*
 * Parses the multiboot2 information at info (readable for avail bytes, loaded at physical
 * address info_phys) into bi. Every tag is bounds-checked; a malformed tag is skipped with a
 * warning, and parsing stops at the first tag that breaks the framing. Returns 0, or -EINVAL
 * when the information as a whole is unusable (bad size, no memory map of any kind);
 * bi->warnings says why.
 */
int mb2_parse(const void *info, size_t avail, paddr_t info_phys, struct boot_info *bi);

#endif /* HOSPES_MULTIBOOT2_H */
