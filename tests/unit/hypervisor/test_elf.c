/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/elf.c: crafted kernels, Xen notes, refusals, random mutation. */
#include <stdlib.h>
#include <string.h>
#include <hospes/elf.h>
#include <hospes/errno.h>
#include "../harness.h"

#define IMG_SIZE   0x4000
#define NOTE_START 0x600
#define NOTE_END   0x1000
#define TEXT_OFF   0x1000
#define TEXT_LEN   0x2000
#define DATA_OFF   0x3000
#define DATA_FILE  0x800
#define DATA_MEM   0x3000
#define KBASE	   0xffffffff80000000ULL
#define KPADDR	   0x1000000ULL
#define KSTART	   (KBASE + KPADDR)
#define ENTRY	   (KSTART + 0x100)
#define HCALL	   (KSTART + 0x1000)

/* An ELF image under construction in a fixed buffer. */
struct eb {
	uint8_t b[IMG_SIZE];
	unsigned int nph;
	size_t note_len;
};

static struct eb e;
static struct elf_image_info info;
static char msg[ELF_MSG_LEN];

static void put(uint8_t *p, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void eb_init(struct eb *x)
{
	memset(x, 0, sizeof(*x));
	memcpy(x->b, "\177ELF\2\1\1", 7);
	put(x->b + 16, 2, 2);	  /* ET_EXEC */
	put(x->b + 18, 62, 2);	  /* EM_X86_64 */
	put(x->b + 20, 1, 4);	  /* e_version */
	put(x->b + 24, ENTRY, 8); /* e_entry */
	put(x->b + 32, 64, 8);	  /* e_phoff */
	put(x->b + 52, 64, 2);	  /* e_ehsize */
	put(x->b + 54, 56, 2);	  /* e_phentsize */
	put(x->b + 58, 64, 2);	  /* e_shentsize */
}

static uint8_t *eb_phdr(struct eb *x, uint32_t type, uint32_t flags, uint64_t off, uint64_t paddr,
			uint64_t filesz, uint64_t memsz)
{
	uint8_t *p = x->b + 64 + 56 * x->nph++;

	put(p, type, 4);
	put(p + 4, flags, 4);
	put(p + 8, off, 8);
	put(p + 16, paddr + KBASE, 8);
	put(p + 24, paddr, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, 0x1000, 8);
	put(x->b + 56, x->nph, 2);
	return p;
}

static void eb_note(struct eb *x, const char *name, uint32_t type, const void *desc, uint32_t dsz)
{
	uint8_t *p = x->b + NOTE_START + x->note_len;
	uint32_t nsz = (uint32_t)strlen(name) + 1;

	put(p, nsz, 4);
	put(p + 4, dsz, 4);
	put(p + 8, type, 4);
	memcpy(p + 12, name, nsz);
	memcpy(p + 12 + ((nsz + 3) & ~3U), desc, dsz);
	x->note_len += 12 + ((nsz + 3) & ~3U) + ((dsz + 3) & ~3U);
}

static void note_u64(struct eb *x, uint32_t type, uint64_t v)
{
	uint8_t d[8];

	put(d, v, 8);
	eb_note(x, "Xen", type, d, 8);
}

static void note_str(struct eb *x, uint32_t type, const char *s)
{
	eb_note(x, "Xen", type, s, (uint32_t)strlen(s) + 1);
}

static void eb_loads(struct eb *x)
{
	for (unsigned int i = 0; i < TEXT_LEN; i++)
		x->b[TEXT_OFF + i] = (uint8_t)(i * 7 + 1);
	for (unsigned int i = 0; i < DATA_FILE; i++)
		x->b[DATA_OFF + i] = (uint8_t)(i * 3 + 2);
	eb_phdr(x, 1, 5, TEXT_OFF, KPADDR, TEXT_LEN, TEXT_LEN);
	eb_phdr(x, 1, 6, DATA_OFF, KPADDR + TEXT_LEN, DATA_FILE, DATA_MEM);
}

static void eb_note_phdr(struct eb *x)
{
	eb_phdr(x, 4, 4, NOTE_START, 0, x->note_len, x->note_len);
}

/* Loads plus VIRT_BASE: the least a kernel linked at KSTART needs besides LOADER/XEN_VERSION. */
static void eb_base(struct eb *x)
{
	eb_init(x);
	eb_loads(x);
	note_u64(x, 3, KBASE);
}

/* The notes Linux 6.1 carries (arch/x86/xen/xen-head.S), FEATURES without its NUL. */
static void eb_linux(struct eb *x)
{
	static const char features[] = "!writable_page_tables|pae_pgdir_above_4gb";
	uint8_t sup[4], l1[16] = {1, 0, 0, 0, 0, 0, 0, 0, 1};

	eb_init(x);
	eb_loads(x);
	note_str(x, 6, "linux");
	note_str(x, 7, "2.6");
	note_str(x, 5, "xen-3.0");
	note_u64(x, 3, KBASE);
	note_u64(x, 15, 0x8000000000ULL);
	note_u64(x, 1, ENTRY);
	note_u64(x, 2, HCALL);
	eb_note(x, "Xen", 10, features, sizeof(features) - 1);
	put(sup, (1 << 0) | (1 << 11) | (1 << 15), 4);
	eb_note(x, "Xen", 17, sup, 4);
	note_str(x, 9, "yes");
	note_str(x, 8, "generic");
	eb_note(x, "Xen", 13, l1, 16);
	note_u64(x, 14, 1);
	note_u64(x, 16, 1);
	note_u64(x, 12, 0xffff800000000000ULL);
	note_u64(x, 4, 0);
	eb_note(x, "GNU", 3, "buildid!", 8);
	eb_note_phdr(x);
}

static int parse(const struct eb *x, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
	int rc;

	memcpy(copy, x->b, size);
	rc = elf_parse(copy, size, &info, msg, sizeof(msg));
	free(copy);
	return rc;
}

static void test_linux_notes(void)
{
	eb_linux(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	CHECK_STR(msg, "ok");
	CHECK_EQ(info.entry, ENTRY);
	CHECK(info.has_entry_note);
	CHECK_EQ(info.hypercall_page, HCALL);
	CHECK_EQ(info.virt_base, KBASE);
	CHECK_EQ(info.paddr_offset, 0);
	CHECK_EQ(info.virt_offset, KBASE);
	CHECK_EQ(info.virt_kstart, KSTART);
	CHECK_EQ(info.virt_kend, KSTART + TEXT_LEN + DATA_MEM);
	CHECK_EQ(info.init_p2m, 0x8000000000ULL);
	CHECK_EQ(info.hv_start_low, 0xffff800000000000ULL);
	CHECK_EQ(info.features_required, 1 << ELF_XENFEAT_writable_page_tables);
	CHECK_EQ(info.features_supported, (1 << 0) | (1 << 4) | (1 << 11) | (1 << 15));
	CHECK(info.has_supported_features);
	CHECK(info.mod_start_pfn);
	CHECK(info.suspend_cancel);
	CHECK(!info.notes_from_sections);
	CHECK_STR(info.guest_os, "linux");
	CHECK_STR(info.guest_version, "2.6");
	CHECK_STR(info.xen_version, "xen-3.0");
	CHECK_STR(info.loader, "generic");
	CHECK_STR(info.pae_mode, "yes");
	CHECK_EQ(info.nr_xen_notes, 16);
	CHECK_EQ(info.nr_loads, 2);
	CHECK_EQ(info.load[1].memsz, DATA_MEM);
	CHECK_EQ(elf_check_dom0(&info, msg, sizeof(msg)), 0);
	CHECK_STR(elf_xen_feature_name(11), "dom0");
	CHECK(elf_xen_feature_name(18) == NULL);
}

/* XTF: no ENTRY, VIRT_BASE or PADDR_OFFSET: e_entry, VA = paddr; 4-byte numeric notes. */
static void test_xtf_notes(void)
{
	uint8_t hp[4];

	eb_init(&e);
	eb_phdr(&e, 1, 7, TEXT_OFF, 0x100000, TEXT_LEN, TEXT_LEN + 0x1000);
	put(e.b + 24, 0x100000, 8);
	note_str(&e, 6, "XTF");
	note_str(&e, 7, "0");
	note_str(&e, 8, "generic");
	put(hp, 0x101000, 4);
	eb_note(&e, "Xen", 2, hp, 4);
	note_str(&e, 5, "xen-3.0");
	note_str(&e, 10, "!writable_page_tables|pae_pgdir_above_4gb");
	note_str(&e, 9, "yes");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	CHECK_EQ(info.entry, 0x100000);
	CHECK(!info.has_entry_note);
	CHECK_EQ(info.virt_base, 0);
	CHECK_EQ(info.virt_kstart, 0x100000);
	CHECK_EQ(info.virt_kend, 0x103000);
	CHECK_EQ(info.hypercall_page, 0x101000);
	CHECK_EQ(info.init_p2m, ELF_UNSET);
	CHECK(!info.has_supported_features);
	CHECK(!info.mod_start_pfn);
	CHECK_EQ(elf_check_dom0(&info, msg, sizeof(msg)), 0); /* no SUPPORTED_FEATURES note */
}

/* Fake guest memory covering the kernel: elf_load_segments writes through this. */
static uint8_t guest[TEXT_LEN + DATA_MEM];
static unsigned int writes;

static int write_guest(void *ctx, uint64_t va, const void *src, size_t len)
{
	uint64_t base = *(uint64_t *)ctx;

	writes++;
	if (va < base || va - base > sizeof(guest) || len > sizeof(guest) - (va - base))
		return -EFAULT;
	if (src)
		memcpy(guest + (va - base), src, len);
	else
		memset(guest + (va - base), 0, len);
	return 0;
}

static int fail_write(void *ctx, uint64_t va, const void *src, size_t len)
{
	return -EIO;
}

static void test_load_segments(void)
{
	uint64_t base = KSTART;

	eb_linux(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	memset(guest, 0xcc, sizeof(guest));
	writes = 0;
	CHECK_EQ(elf_load_segments(e.b, IMG_SIZE, &info, write_guest, &base), 0);
	CHECK_EQ(writes, 3); /* text, data, bss */
	CHECK(!memcmp(guest, e.b + TEXT_OFF, TEXT_LEN));
	CHECK(!memcmp(guest + TEXT_LEN, e.b + DATA_OFF, DATA_FILE));
	for (unsigned int i = TEXT_LEN + DATA_FILE; i < sizeof(guest); i++)
		if (guest[i]) {
			CHECK(!"bss not zeroed");
			break;
		}
	CHECK_EQ(elf_load_segments(e.b, IMG_SIZE, &info, fail_write, NULL), -EIO);
	CHECK_EQ(elf_load_segments(e.b, TEXT_OFF, &info, write_guest, &base), -EINVAL);
}

static void test_not_elf(void)
{
	eb_linux(&e);
	CHECK_EQ(parse(&e, 63), -ENOEXEC);
	CHECK_STR(msg, "ELF header: image is 63 bytes, expected at least 64");
	e.b[0] = 'M';
	CHECK_EQ(parse(&e, IMG_SIZE), -ENOEXEC);
	eb_linux(&e);
	e.b[4] = 1; /* ELFCLASS32 */
	CHECK_EQ(parse(&e, IMG_SIZE), -ENOEXEC);
	CHECK_STR(msg, "ELF header: class 1, data 1, version 1 at offset 4, expected 2 (64-bit), "
		       "1 (little-endian), 1");
	eb_linux(&e);
	e.b[5] = 2; /* big-endian */
	CHECK_EQ(parse(&e, IMG_SIZE), -ENOEXEC);
	eb_linux(&e);
	e.b[16] = 3; /* ET_DYN */
	CHECK_EQ(parse(&e, IMG_SIZE), -ENOEXEC);
	eb_linux(&e);
	e.b[18] = 3; /* EM_386 */
	CHECK_EQ(parse(&e, IMG_SIZE), -ENOEXEC);
	CHECK_EQ(elf_parse(NULL, 100, &info, msg, sizeof(msg)), -EINVAL);
}

/* Every prefix of a valid image is refused cleanly, never read past. */
static void test_truncated(void)
{
	unsigned int refused = 0, accepted = 0;

	eb_linux(&e);
	for (size_t n = 0; n < IMG_SIZE; n++) {
		int rc = parse(&e, n);

		refused += rc < 0 && n < DATA_OFF + DATA_FILE;
		accepted += rc == 0 && n >= DATA_OFF + DATA_FILE;
	}
	CHECK_EQ(refused, DATA_OFF + DATA_FILE);
	CHECK_EQ(accepted, IMG_SIZE - DATA_OFF - DATA_FILE);
	CHECK_EQ(parse(&e, DATA_OFF + 0x10), -EINVAL);
	CHECK_STR(msg, "ELF program header 1: segment [0x3000,+0x800) runs past the end of the "
		       "image (0x3010 bytes)");
}

static void test_header_limits(void)
{
	eb_linux(&e);
	put(e.b + 54, 64, 2); /* e_phentsize */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	eb_linux(&e);
	put(e.b + 56, 0, 2); /* e_phnum */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	eb_linux(&e);
	put(e.b + 56, 65, 2);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	eb_linux(&e);
	put(e.b + 32, 0xfffffffffffffff0ULL, 8); /* e_phoff wraps */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	eb_linux(&e);
	put(e.b + 32, IMG_SIZE - 100, 8);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
}

static void test_bad_segments(void)
{
	eb_linux(&e);
	eb_phdr(&e, 1, 6, DATA_OFF, KPADDR + 0x1000, 0x10, 0x10); /* inside text */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK(strstr(msg, "overlap") != NULL);

	eb_linux(&e);
	eb_phdr(&e, 1, 6, 0xfffffffffffff000ULL, KPADDR + 0x10000, 0x2000, 0x2000);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK_STR(msg, "ELF program header 3: segment [0xfffffffffffff000,+0x2000) runs past the "
		       "end of the image (0x4000 bytes)");

	eb_linux(&e);
	eb_phdr(&e, 1, 6, DATA_OFF, KPADDR + 0x10000, 0x100, 0x80); /* filesz > memsz */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK(strstr(msg, "larger than p_memsz") != NULL);

	eb_linux(&e);
	eb_phdr(&e, 1, 6, DATA_OFF, 0xfffffffffffff000ULL, 0, 0x2000); /* paddr wraps */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_linux(&e);
	eb_phdr(&e, 1, 6, DATA_OFF, KPADDR + (2ULL << 30), 0, 0x1000); /* span > 1 GiB */
	CHECK_EQ(parse(&e, IMG_SIZE), -E2BIG);

	eb_linux(&e);
	for (unsigned int i = 0; i < ELF_MAX_LOADS; i++)
		eb_phdr(&e, 1, 6, DATA_OFF, KPADDR + 0x10000 + i * 0x1000ULL, 0, 0x1000);
	CHECK_EQ(parse(&e, IMG_SIZE), -E2BIG);

	eb_init(&e); /* only empty PT_LOADs */
	eb_phdr(&e, 1, 6, DATA_OFF, KPADDR, 0, 0);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
}

/* PT_LOADs listed out of order are sorted by p_paddr. */
static void test_unsorted_segments(void)
{
	eb_init(&e);
	eb_phdr(&e, 1, 6, DATA_OFF, KPADDR + TEXT_LEN, DATA_FILE, DATA_MEM);
	eb_phdr(&e, 1, 5, TEXT_OFF, KPADDR, TEXT_LEN, TEXT_LEN);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 3, KBASE);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	CHECK_EQ(info.load[0].paddr, KPADDR);
	CHECK_EQ(info.load[0].index, 1);
	CHECK_EQ(info.virt_kstart, KSTART);
	CHECK_EQ(info.entry, ENTRY);
}

static void test_bad_notes(void)
{
	eb_linux(&e);
	put(e.b + NOTE_START + 4, 0xffffffff, 4); /* first note's descsz */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK(strstr(msg, "runs past the end of its range") != NULL);

	eb_linux(&e);
	put(e.b + NOTE_START, 0xfffffffd, 4); /* namesz rounds up past 2^32 */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_base(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	eb_note(&e, "Xen", 1, "abc", 3); /* numeric note of 3 bytes */
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK(strstr(msg, "ENTRY") && strstr(msg, "descsz 3"));

	eb_base(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	eb_note(&e, "Xen", 17, "ab", 2);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_linux(&e); /* note segment past the end of the file */
	put(e.b + 64 + 2 * 56 + 32, IMG_SIZE, 8);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
}

static void test_acceptance_rules(void)
{
	eb_base(&e);
	note_str(&e, 6, "netbsd");
	note_str(&e, 8, "other");
	note_str(&e, 5, "xen-3.0");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK_STR(msg, "ELF notes: LOADER \"other\", GUEST_OS \"netbsd\": expected LOADER "
		       "\"generic\" or GUEST_OS \"linux\"");

	eb_base(&e); /* GUEST_OS linux alone is enough */
	note_str(&e, 6, "linux");
	note_str(&e, 5, "xen-3.0");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);

	eb_base(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-2.0");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK_STR(msg, "ELF notes: XEN_VERSION \"xen-2.0\", expected \"xen-3.0\"");

	eb_init(&e); /* no XEN_VERSION */
	eb_loads(&e);
	note_str(&e, 8, "generic");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_init(&e); /* no Xen note at all */
	eb_loads(&e);
	eb_note(&e, "GNU", 3, "12345678", 8);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK(strstr(msg, "not a Xen PV kernel") != NULL);
}

/* Strings end at descsz even without a NUL, and are truncated to ELF_STR_LEN - 1. */
static void test_unterminated_strings(void)
{
	static const char longname[] = "generic-loader-with-a-name-longer-than-the-field";

	eb_base(&e);
	eb_note(&e, "Xen", 5, "xen-3.0", 7);
	eb_note(&e, "Xen", 8, longname, sizeof(longname) - 1);
	eb_note(&e, "Xen", 10, "dom0|!writable_page_tables|frobnicate", 37);
	eb_note(&e, "Xen", 6, "linux", 5); /* last note, unpadded, ends the segment */
	eb_phdr(&e, 4, 4, NOTE_START, 0, e.note_len - 3, e.note_len - 3);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	CHECK_STR(info.xen_version, "xen-3.0");
	CHECK_STR(info.guest_os, "linux");
	CHECK_EQ(strlen(info.loader), ELF_STR_LEN - 1);
	CHECK(!strncmp(info.loader, longname, ELF_STR_LEN - 1));
	CHECK_EQ(info.features_supported, (1 << 11) | (1 << 0));
	CHECK_EQ(info.features_required, 1 << 0);
}

static void test_features(void)
{
	eb_base(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_str(&e, 10, "writable_page_tables|!frobnicate");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK(strstr(msg, "requires unknown feature 'frobnicate'") != NULL);

	eb_base(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_str(&e, 10, "||!supervisor_mode_kernel||");
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	CHECK_EQ(info.features_required, 1 << ELF_XENFEAT_supervisor_mode_kernel);
	CHECK_EQ(elf_check_dom0(&info, msg, sizeof(msg)), -EINVAL);

	eb_base(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	eb_note(&e, "Xen", 17, "\1\0\0\0", 4); /* SUPPORTED_FEATURES without dom0 */
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	CHECK_EQ(elf_check_dom0(&info, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "dom0") != NULL);
}

static void test_addresses(void)
{
	eb_linux(&e);
	put(e.b + 24, 0x1234, 8); /* e_entry: ignored, the ENTRY note wins */
	CHECK_EQ(parse(&e, IMG_SIZE), 0);

	eb_init(&e); /* missing ENTRY and e_entry outside the kernel */
	eb_loads(&e);
	put(e.b + 24, 0x1234, 8);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 3, KBASE);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	CHECK_STR(msg, "ELF: entry 0x1234 (e_entry) is outside the kernel "
		       "[0xffffffff81000000,0xffffffff81005000)");

	eb_init(&e); /* PADDR_OFFSET without VIRT_BASE */
	eb_loads(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 4, 0);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_init(&e); /* hypercall page outside, then misaligned */
	eb_loads(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 3, KBASE);
	note_u64(&e, 2, KSTART + 0x100000);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	put(e.b + NOTE_START + e.note_len - 8, HCALL + 8, 8);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_init(&e); /* INIT_P2M inside the kernel */
	eb_loads(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 3, KBASE);
	note_u64(&e, 15, KSTART + 0x1000);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_init(&e); /* VIRT_BASE above the kernel */
	eb_loads(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 3, KBASE);
	note_u64(&e, 4, 0x2000000); /* paddr offset beyond the lowest paddr */
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);

	eb_init(&e); /* kernel wraps the top of the address space */
	eb_loads(&e);
	note_str(&e, 8, "generic");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 3, 0xfffffffffeffe000ULL);
	eb_note_phdr(&e);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
}

/* No usable PT_NOTE (p_offset 0 is skipped, as Xen does): the SHT_NOTE sections are read. */
static void test_section_notes(void)
{
	uint8_t *sh;

	eb_base(&e);
	note_str(&e, 6, "linux");
	note_str(&e, 5, "xen-3.0");
	note_u64(&e, 1, ENTRY + 4);
	eb_phdr(&e, 4, 4, 0, 0, 0x100, 0x100);
	put(e.b + 40, 0x4a0, 8); /* e_shoff */
	put(e.b + 60, 3, 2);	 /* e_shnum: null, SHT_PROGBITS, SHT_NOTE */
	sh = e.b + 0x4a0 + 64;
	put(sh + 4, 1, 4);
	sh += 64;
	put(sh + 4, 7, 4);
	put(sh + 24, NOTE_START, 8);
	put(sh + 32, e.note_len, 8);
	CHECK_EQ(parse(&e, IMG_SIZE), 0);
	CHECK(info.notes_from_sections);
	CHECK_EQ(info.entry, ENTRY + 4);
	put(sh + 32, IMG_SIZE, 8); /* section past the end */
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
	put(e.b + 60, 5000, 2);
	CHECK_EQ(parse(&e, IMG_SIZE), -EINVAL);
}

static int check_write(void *ctx, uint64_t va, const void *src, size_t len)
{
	const struct elf_image_info *i = ctx;

	CHECK(va >= i->virt_kstart && va < i->virt_kend && len <= i->virt_kend - va);
	if (src) { /* touch every byte so ASan sees an out-of-bounds source */
		volatile uint8_t sum = 0;

		for (size_t k = 0; k < len; k++)
			sum += ((const uint8_t *)src)[k];
	}
	return 0;
}

/* Random byte mutations of a valid image: parse into an exact-size copy, load what passes. */
static void test_mutation(void)
{
	unsigned int ok = 0;

	srand(4);
	for (unsigned int iter = 0; iter < 20000; iter++) {
		size_t size = IMG_SIZE - (size_t)(rand() % 16 == 0 ? rand() % IMG_SIZE : 0);
		uint8_t *img;

		eb_linux(&e);
		for (int k = rand() % 8 + 1; k; k--) {
			size_t at =
				rand() % 4 ? (size_t)rand() % 0x1000 : (size_t)rand() % IMG_SIZE;

			e.b[at] = rand() % 3 ? (uint8_t)rand() : (rand() % 2 ? 0xff : 0);
		}
		img = malloc(size);
		memcpy(img, e.b, size);
		if (elf_parse(img, size, &info, msg, sizeof(msg)) == 0) {
			ok++;
			CHECK(info.nr_loads >= 1 && info.nr_loads <= ELF_MAX_LOADS);
			CHECK(info.entry >= info.virt_kstart && info.entry < info.virt_kend);
			CHECK_EQ(elf_load_segments(img, size, &info, check_write, &info), 0);
		} else {
			CHECK(msg[0] != '\0' && strcmp(msg, "ok"));
		}
		free(img);
	}
	printf("# mutation: %u of 20000 mutated images still accepted\n", ok);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"Linux 6.1 notes", test_linux_notes},
		{"XTF notes (e_entry, VA = paddr)", test_xtf_notes},
		{"load segments through the write callback", test_load_segments},
		{"not a 64-bit x86 executable", test_not_elf},
		{"every truncation refused", test_truncated},
		{"header limits", test_header_limits},
		{"bad segments", test_bad_segments},
		{"unsorted segments", test_unsorted_segments},
		{"bad notes", test_bad_notes},
		{"LOADER/GUEST_OS/XEN_VERSION rules", test_acceptance_rules},
		{"unterminated and long strings", test_unterminated_strings},
		{"FEATURES and dom0 policy", test_features},
		{"entry, hypercall page, INIT_P2M, VIRT_BASE", test_addresses},
		{"SHT_NOTE fallback", test_section_notes},
		{"random mutations", test_mutation},
	};

	return unit_run("elf", tests, ARRAY_SIZE(tests));
}
