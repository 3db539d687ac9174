/* SPDX-License-Identifier: GPL-2.0-only */
/* Multiboot2 information parsing: every tag bounds-checked before anything is copied out. */
#include <hospes/errno.h>
#include <hospes/lib.h>
#include <hospes/multiboot2.h>

/* UEFI memory descriptor types (the UEFI specification's numbering). */
enum {
	EFI_RESERVED,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BS_CODE,
	EFI_BS_DATA,
	EFI_RT_CODE,
	EFI_RT_DATA,
	EFI_CONVENTIONAL,
	EFI_UNUSABLE,
	EFI_ACPI_RECLAIM,
	EFI_ACPI_NVS,
	EFI_MMIO,
	EFI_MMIO_PORT,
	EFI_PAL_CODE,
	EFI_PERSISTENT,
};

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

static __printf(2, 3) void mb2_warn(struct boot_info *bi, const char *fmt, ...)
{
	va_list ap;

	if (bi->nr_warnings >= BOOT_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(bi->warnings[bi->nr_warnings++], BOOT_WARNING_LEN, fmt, ap);
	va_end(ap);
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Copies a string that must be NUL-terminated within len bytes; false if it is not. */
static bool copy_string(char *dst, size_t dst_len, const uint8_t *src, size_t len)
{
	size_t n = strnlen((const char *)src, len);

	if (n == len)
		return false;
	strlcpy(dst, (const char *)src, dst_len);
	return true;
}

static void parse_module(struct boot_info *bi, const uint8_t *t, uint32_t size)
{
	struct boot_module *m;
	uint32_t start, end;

	if (size < 17) {
		mb2_warn(bi, "module tag of %u bytes is too short; module ignored", size);
		return;
	}
	if (bi->nr_modules >= BOOT_MAX_MODULES) {
		mb2_warn(bi, "more than %d modules; the rest are ignored", BOOT_MAX_MODULES);
		return;
	}
	start = rd32(t + 8);
	end = rd32(t + 12);
	if (end < start) {
		mb2_warn(bi, "module %u ends (0x%x) before it starts (0x%x); ignored",
			 bi->nr_modules, end, start);
		return;
	}
	m = &bi->modules[bi->nr_modules];
	if (!copy_string(m->cmdline, sizeof(m->cmdline), t + 16, size - 16)) {
		mb2_warn(bi, "module %u command line is not terminated; module ignored",
			 bi->nr_modules);
		return;
	}
	m->start = start;
	m->end = end;
	bi->nr_modules++;
}

/* Multiboot2 (e820) memory types: 1 RAM, 3 ACPI, 4 NVS, 5 defective; anything else reserved. */
static uint32_t e820_to_mem_type(uint32_t type)
{
	switch (type) {
	case 1:
		return MEM_RAM;
	case 3:
		return MEM_ACPI;
	case 4:
		return MEM_NVS;
	case 5:
		return MEM_UNUSABLE;
	default:
		return MEM_RESERVED;
	}
}

static void parse_mmap(struct boot_info *bi, const uint8_t *t, uint32_t size)
{
	uint32_t esize;

	if (size < 16 || (esize = rd32(t + 8)) < 24 || esize % 8) {
		mb2_warn(bi, "memory map tag malformed (size %u); ignored", size);
		return;
	}
	for (uint32_t off = 16; off + esize <= size; off += esize) {
		uint32_t type = e820_to_mem_type(rd32(t + off + 16));

		if (!memmap_add(&bi->mmap, rd64(t + off), rd64(t + off + 8), type)) {
			mb2_warn(bi, "memory map has more than %d entries; the rest are ignored",
				 MEMMAP_MAX);
			break;
		}
	}
	bi->has_mmap = bi->mmap.nr > 0;
}

static uint32_t efi_to_mem_type(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BS_CODE:
	case EFI_BS_DATA:
	case EFI_CONVENTIONAL:
	case EFI_PERSISTENT:
		return MEM_RAM;
	case EFI_ACPI_RECLAIM:
		return MEM_ACPI;
	case EFI_ACPI_NVS:
		return MEM_NVS;
	case EFI_UNUSABLE:
		return MEM_UNUSABLE;
	default:
		return MEM_RESERVED;
	}
}

/* Used only when no classic memory map tag came: GRUB normally passes both on UEFI. */
static void parse_efi_mmap(struct boot_info *bi, const uint8_t *t, uint32_t size)
{
	uint32_t dsize;

	if (size < 16 || (dsize = rd32(t + 8)) < 40 || dsize % 8) {
		mb2_warn(bi, "EFI memory map tag malformed (size %u); ignored", size);
		return;
	}
	if (bi->has_mmap)
		return;
	for (uint32_t off = 16; off + dsize <= size; off += dsize) {
		uint64_t pages = rd64(t + off + 24);

		if (pages > (MAX_PHYS_ADDR >> 12)) {
			mb2_warn(bi, "EFI memory descriptor of 0x%llx pages ignored",
				 (unsigned long long)pages);
			continue;
		}
		if (!memmap_add(&bi->mmap, rd64(t + off + 8), pages << 12,
				efi_to_mem_type(rd32(t + off))))
			break;
	}
}

static void parse_rsdp(struct boot_info *bi, const uint8_t *t, uint32_t size, bool v2)
{
	uint32_t len = size - 8;

	if (len < 20) {
		mb2_warn(bi, "ACPI RSDP tag too short (%u bytes); ignored", size);
		return;
	}
	/* Prefer the ACPI 2.0 RSDP (it carries the XSDT address) whichever tag comes first. */
	if (bi->rsdp_len >= 36 && !v2)
		return;
	len = MIN(len, (uint32_t)sizeof(bi->rsdp));
	memcpy(bi->rsdp, t + 8, len);
	bi->rsdp_len = len;
}

static void parse_tag(struct boot_info *bi, const uint8_t *t, uint32_t type, uint32_t size)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		if (!copy_string(bi->cmdline, sizeof(bi->cmdline), t + 8, size - 8))
			mb2_warn(bi, "command line tag is not terminated; ignored");
		break;
	case MB2_TAG_LOADER_NAME:
		if (!copy_string(bi->loader, sizeof(bi->loader), t + 8, size - 8))
			mb2_warn(bi, "boot loader name tag is not terminated; ignored");
		break;
	case MB2_TAG_MODULE:
		parse_module(bi, t, size);
		break;
	case MB2_TAG_MMAP:
		parse_mmap(bi, t, size);
		break;
	case MB2_TAG_EFI_MMAP:
		parse_efi_mmap(bi, t, size);
		break;
	case MB2_TAG_BASIC_MEM:
		if (size >= 16) {
			bi->basic_lower_kb = rd32(t + 8);
			bi->basic_upper_kb = rd32(t + 12);
			bi->has_basic = true;
		}
		break;
	case MB2_TAG_EFI64:
		bi->efi = true;
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		parse_rsdp(bi, t, size, type == MB2_TAG_ACPI_NEW);
		break;
	default:
		break; /* tags we do not use */
	}
}

/* Without any memory map the information is unusable; the basic tag is the last resort. */
static int mb2_finish(struct boot_info *bi)
{
	if (bi->mmap.nr)
		return 0;
	if (bi->has_basic) {
		mb2_warn(bi, "no memory map tag: using the basic lower/upper memory sizes");
		memmap_add(&bi->mmap, 0, (uint64_t)MIN(bi->basic_lower_kb, 640u) << 10, MEM_RAM);
		memmap_add(&bi->mmap, 1u << 20, (uint64_t)bi->basic_upper_kb << 10, MEM_RAM);
		return 0;
	}
	mb2_warn(bi, "no memory map in the boot information");
	return -EINVAL;
}

int mb2_parse(const void *info, size_t avail, paddr_t info_phys, struct boot_info *bi)
{
	const uint8_t *p = info;
	uint32_t total;
	uint32_t off;

	memset(bi, 0, sizeof(*bi));
	if (avail < 16) {
		mb2_warn(bi, "boot information too small");
		return -EINVAL;
	}
	total = rd32(p);
	if (total < 16 || total > MB2_INFO_MAX || total > avail || total % 8) {
		mb2_warn(bi, "boot information size %u is invalid", total);
		return -EINVAL;
	}
	bi->info_start = info_phys;
	bi->info_end = info_phys + total;
	for (off = 8; off + 8 <= total; off = ROUNDUP(off + rd32(p + off + 4), 8u)) {
		uint32_t type = rd32(p + off), size = rd32(p + off + 4);

		if (size < 8 || size > total - off) {
			mb2_warn(bi, "tag %u at offset %u has bad size %u; rest ignored", type, off,
				 size);
			return mb2_finish(bi);
		}
		if (type == MB2_TAG_END)
			return mb2_finish(bi);
		parse_tag(bi, p + off, type, size);
	}
	mb2_warn(bi, "no end tag in the boot information");
	return mb2_finish(bi);
}
