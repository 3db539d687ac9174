/* SPDX-License-Identifier: GPL-2.0-only */
/* ELF64 kernel-image parser and Xen ELF-note reader: every field bounds-checked (guest input). */
#include <hospes/elf.h>
#include <hospes/errno.h>
#include <hospes/lib.h>

#define EHDR_SIZE  64
#define PHDR_SIZE  56
#define SHDR_SIZE  64
#define NOTE_HDR   12
#define PT_LOAD	   1
#define PT_NOTE	   4
#define SHT_NOTE   7
#define ET_EXEC	   2
#define EM_X86_64  62
#define PAGE_BYTES 4096ULL

/* Parsing state: the image, where to report, and what has been found so far. */
struct elf_ctx {
	const uint8_t *img;
	size_t size;
	char *msg;
	size_t msglen;
	struct elf_image_info *info;
	unsigned int nr_notes; /* notes of any owner seen so far */
	bool have_paddr_offset;
	bool have_virt_base;
	bool have_entry;
	uint64_t e_entry, phoff, shoff;
	unsigned int phnum, shnum;
};

static const char *const xenfeat_names[] = {
	"writable_page_tables",
	"writable_descriptor_tables",
	"auto_translated_physmap",
	"supervisor_mode_kernel",
	"pae_pgdir_above_4gb",
	"mmu_pt_update_preserve_ad",
	"highmem_assist",
	"gnttab_map_avail_bits",
	"hvm_callback_vector",
	"hvm_safe_pvclock",
	"hvm_pirqs",
	"dom0",
	"grant_map_identity",
	"memory_op_vnode_supported",
	"ARM_SMCCC_supported",
	"linux_rsdp_unrestricted",
	"not_direct_mapped",
	"direct_mapped",
};

static const char *const note_names[ELFNOTE_XEN_MAX + 1] = {
	"INFO",	       "ENTRY",		"HYPERCALL_PAGE",     "VIRT_BASE",    "PADDR_OFFSET",
	"XEN_VERSION", "GUEST_OS",	"GUEST_VERSION",      "LOADER",	      "PAE_MODE",
	"FEATURES",    "BSD_SYMTAB",	"HV_START_LOW",	      "L1_MFN_VALID", "SUSPEND_CANCEL",
	"INIT_P2M",    "MOD_START_PFN", "SUPPORTED_FEATURES", "PHYS32_ENTRY", "PHYS32_RELOC",
};

const char *elf_xen_feature_name(unsigned int nr)
{
	return nr < ARRAY_SIZE(xenfeat_names) ? xenfeat_names[nr] : NULL;
}

static __printf(3, 4) int report(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	if (msg && msglen) {
		va_start(ap, fmt);
		vsnprintf(msg, msglen, fmt, ap);
		va_end(ap);
	}
	return 0;
}

#define fail(c, rc, ...) (report((c)->msg, (c)->msglen, __VA_ARGS__), (rc))

static uint64_t rd(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

/* True when [off, off+len) lies inside [0, size), without overflowing. */
static bool in_image(uint64_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

static int check_header(struct elf_ctx *c)
{
	const uint8_t *h = c->img;

	if (c->size < EHDR_SIZE)
		return fail(c, -ENOEXEC, "ELF header: image is %zu bytes, expected at least 64",
			    c->size);
	if (memcmp(h, "\177ELF", 4))
		return fail(c, -ENOEXEC, "ELF header: no \\177ELF magic at offset 0");
	if (h[4] != 2 || h[5] != 1 || h[6] != 1)
		return fail(c, -ENOEXEC,
			    "ELF header: class %u, data %u, version %u at offset 4, expected 2 "
			    "(64-bit), 1 (little-endian), 1",
			    h[4], h[5], h[6]);
	if (rd(h + 16, 2) != ET_EXEC || rd(h + 18, 2) != EM_X86_64)
		return fail(c, -ENOEXEC,
			    "ELF header: e_type %lu, e_machine %lu at offset 0x10, expected 2 "
			    "(ET_EXEC), 62 (x86-64)",
			    (unsigned long)rd(h + 16, 2), (unsigned long)rd(h + 18, 2));
	if (c->size > ELF_MAX_IMAGE)
		return fail(c, -E2BIG, "ELF image is 0x%zx bytes, more than the 0x%llx allowed",
			    c->size, ELF_MAX_IMAGE);
	c->e_entry = rd(h + 24, 8);
	c->phoff = rd(h + 32, 8);
	c->shoff = rd(h + 40, 8);
	c->phnum = (unsigned int)rd(h + 56, 2);
	c->shnum = (unsigned int)rd(h + 60, 2);
	if (rd(h + 54, 2) != PHDR_SIZE)
		return fail(c, -EINVAL, "ELF header: e_phentsize %lu at offset 0x36, expected 56",
			    (unsigned long)rd(h + 54, 2));
	if (c->phnum == 0 || c->phnum > ELF_MAX_PHDRS)
		return fail(c, -EINVAL, "ELF header: e_phnum %u at offset 0x38, expected 1..%u",
			    c->phnum, ELF_MAX_PHDRS);
	if (!in_image(c->size, c->phoff, (uint64_t)c->phnum * PHDR_SIZE))
		return fail(c, -EINVAL,
			    "ELF header: program headers [0x%lx,+0x%x) run past the end of the "
			    "image (0x%zx bytes)",
			    (unsigned long)c->phoff, c->phnum * PHDR_SIZE, c->size);
	return 0;
}

static const uint8_t *phdr_at(const struct elf_ctx *c, unsigned int i)
{
	return c->img + c->phoff + (uint64_t)i * PHDR_SIZE;
}

static void insert_sorted(struct elf_image_info *info, const struct elf_segment *s)
{
	unsigned int j = info->nr_loads++;

	for (; j > 0 && info->load[j - 1].paddr > s->paddr; j--)
		info->load[j] = info->load[j - 1];
	info->load[j] = *s;
}

static int add_load(struct elf_ctx *c, unsigned int i, const uint8_t *ph)
{
	struct elf_segment s = {.offset = rd(ph + 8, 8),
				.paddr = rd(ph + 24, 8),
				.filesz = rd(ph + 32, 8),
				.memsz = rd(ph + 40, 8),
				.flags = (uint32_t)rd(ph + 4, 4),
				.index = i};

	if (!in_image(c->size, s.offset, s.filesz))
		return fail(c, -EINVAL,
			    "ELF program header %u: segment [0x%lx,+0x%lx) runs past the end of "
			    "the image (0x%zx bytes)",
			    i, (unsigned long)s.offset, (unsigned long)s.filesz, c->size);
	if (s.filesz > s.memsz)
		return fail(c, -EINVAL,
			    "ELF program header %u: p_filesz 0x%lx is larger than p_memsz 0x%lx", i,
			    (unsigned long)s.filesz, (unsigned long)s.memsz);
	if (s.memsz > ELF_MAX_SPAN || s.paddr > UINT64_MAX - s.memsz)
		return fail(c, -EINVAL,
			    "ELF program header %u: p_paddr 0x%lx + p_memsz 0x%lx overflows or "
			    "exceeds 0x%llx",
			    i, (unsigned long)s.paddr, (unsigned long)s.memsz, ELF_MAX_SPAN);
	if (s.memsz == 0)
		return 0;
	if (c->info->nr_loads == ELF_MAX_LOADS)
		return fail(c, -E2BIG, "ELF program header %u: more than %u PT_LOAD segments", i,
			    ELF_MAX_LOADS);
	insert_sorted(c->info, &s);
	return 0;
}

static int check_loads(struct elf_ctx *c)
{
	struct elf_image_info *info = c->info;
	int rc;

	for (unsigned int i = 0; i < c->phnum; i++) {
		const uint8_t *ph = phdr_at(c, i);

		if (rd(ph, 4) == PT_LOAD && (rc = add_load(c, i, ph)) < 0)
			return rc;
	}
	if (info->nr_loads == 0)
		return fail(c, -EINVAL, "ELF: no PT_LOAD segment with a non-zero p_memsz");
	for (unsigned int k = 1; k < info->nr_loads; k++) {
		const struct elf_segment *a = &info->load[k - 1], *b = &info->load[k];

		if (b->paddr < a->paddr + a->memsz)
			return fail(c, -EINVAL,
				    "ELF program headers %u and %u: segments [0x%lx,+0x%lx) and "
				    "[0x%lx,+0x%lx) overlap",
				    a->index, b->index, (unsigned long)a->paddr,
				    (unsigned long)a->memsz, (unsigned long)b->paddr,
				    (unsigned long)b->memsz);
	}
	{
		const struct elf_segment *last = &info->load[info->nr_loads - 1];

		if (last->paddr + last->memsz - info->load[0].paddr > ELF_MAX_SPAN)
			return fail(c, -E2BIG,
				    "ELF: PT_LOAD segments span [0x%lx,0x%lx), more than 0x%llx",
				    (unsigned long)info->load[0].paddr,
				    (unsigned long)(last->paddr + last->memsz), ELF_MAX_SPAN);
	}
	return 0;
}

static void copy_str(char *dst, const uint8_t *src, uint64_t len)
{
	size_t n = strnlen((const char *)src, (size_t)MIN(len, (uint64_t)ELF_STR_LEN - 1));

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int feature_lookup(const uint8_t *name, size_t len)
{
	for (unsigned int f = 0; f < ARRAY_SIZE(xenfeat_names); f++)
		if (strlen(xenfeat_names[f]) == len && !memcmp(xenfeat_names[f], name, len))
			return (int)f;
	return -1;
}

/* FEATURES: names separated by '|', '!' marks a required one; ends at descsz or a NUL. */
static int parse_features(struct elf_ctx *c, const uint8_t *s, uint64_t len, uint64_t off)
{
	uint64_t end = strnlen((const char *)s, (size_t)len);

	for (uint64_t pos = 0; pos < end;) {
		uint64_t n = 0;
		bool required = s[pos] == '!';
		int f;

		while (pos + n < end && s[pos + n] != '|')
			n++;
		f = feature_lookup(s + pos + required, (size_t)(n - required));
		if (f >= 0) {
			c->info->features_supported |= 1U << f;
			if (required)
				c->info->features_required |= 1U << f;
		} else if (required) {
			return fail(c, -EINVAL,
				    "ELF note FEATURES at offset 0x%lx: requires unknown feature "
				    "'%.*s'",
				    (unsigned long)off, (int)MIN(n - 1, 64),
				    (const char *)s + pos + 1);
		}
		pos += n + 1;
	}
	return 0;
}

static int note_number(struct elf_ctx *c, unsigned int type, const uint8_t *d, uint64_t dsz,
		       uint64_t off, uint64_t *val)
{
	if (dsz != 1 && dsz != 2 && dsz != 4 && dsz != 8)
		return fail(c, -EINVAL,
			    "ELF note %s at offset 0x%lx: descsz %lu, expected 1, 2, 4 or 8",
			    note_names[type], (unsigned long)off, (unsigned long)dsz);
	*val = rd(d, (unsigned int)dsz);
	return 0;
}

static int xen_note_string(struct elf_ctx *c, unsigned int type, const uint8_t *d, uint64_t dsz,
			   uint64_t off)
{
	struct elf_image_info *info = c->info;

	switch (type) {
	case ELFNOTE_XEN_XEN_VERSION:
		copy_str(info->xen_version, d, dsz);
		break;
	case ELFNOTE_XEN_GUEST_OS:
		copy_str(info->guest_os, d, dsz);
		break;
	case ELFNOTE_XEN_GUEST_VERSION:
		copy_str(info->guest_version, d, dsz);
		break;
	case ELFNOTE_XEN_LOADER:
		copy_str(info->loader, d, dsz);
		break;
	case ELFNOTE_XEN_PAE_MODE:
		copy_str(info->pae_mode, d, dsz);
		break;
	case ELFNOTE_XEN_FEATURES:
		return parse_features(c, d, dsz, off);
	}
	return 0;
}

static int xen_note_number(struct elf_ctx *c, unsigned int type, const uint8_t *d, uint64_t dsz,
			   uint64_t off)
{
	struct elf_image_info *info = c->info;
	uint64_t v;
	int rc = note_number(c, type, d, dsz, off, &v);

	if (rc < 0)
		return rc;
	switch (type) {
	case ELFNOTE_XEN_ENTRY:
		info->entry = v;
		c->have_entry = true;
		break;
	case ELFNOTE_XEN_HYPERCALL_PAGE:
		info->hypercall_page = v;
		break;
	case ELFNOTE_XEN_VIRT_BASE:
		info->virt_base = v;
		c->have_virt_base = true;
		break;
	case ELFNOTE_XEN_PADDR_OFFSET:
		info->paddr_offset = v;
		c->have_paddr_offset = true;
		break;
	case ELFNOTE_XEN_HV_START_LOW:
		info->hv_start_low = v;
		break;
	case ELFNOTE_XEN_SUSPEND_CANCEL:
		info->suspend_cancel = v != 0;
		break;
	case ELFNOTE_XEN_INIT_P2M:
		info->init_p2m = v;
		break;
	case ELFNOTE_XEN_MOD_START_PFN:
		info->mod_start_pfn = v != 0;
		break;
	case ELFNOTE_XEN_PHYS32_ENTRY:
		info->phys32_entry = v;
		break;
	}
	return 0;
}

static int xen_note(struct elf_ctx *c, unsigned int type, const uint8_t *d, uint64_t dsz,
		    uint64_t off)
{
	c->info->nr_xen_notes++;
	switch (type) {
	case ELFNOTE_XEN_XEN_VERSION:
	case ELFNOTE_XEN_GUEST_OS:
	case ELFNOTE_XEN_GUEST_VERSION:
	case ELFNOTE_XEN_LOADER:
	case ELFNOTE_XEN_PAE_MODE:
	case ELFNOTE_XEN_FEATURES:
	case ELFNOTE_XEN_BSD_SYMTAB:
		return xen_note_string(c, type, d, dsz, off);
	case ELFNOTE_XEN_ENTRY:
	case ELFNOTE_XEN_HYPERCALL_PAGE:
	case ELFNOTE_XEN_VIRT_BASE:
	case ELFNOTE_XEN_PADDR_OFFSET:
	case ELFNOTE_XEN_HV_START_LOW:
	case ELFNOTE_XEN_SUSPEND_CANCEL:
	case ELFNOTE_XEN_INIT_P2M:
	case ELFNOTE_XEN_MOD_START_PFN:
	case ELFNOTE_XEN_PHYS32_ENTRY:
		return xen_note_number(c, type, d, dsz, off);
	case ELFNOTE_XEN_SUPPORTED_FEATURES:
		if (dsz < 4)
			return fail(c, -EINVAL,
				    "ELF note SUPPORTED_FEATURES at offset 0x%lx: descsz %lu, "
				    "expected at least 4",
				    (unsigned long)off, (unsigned long)dsz);
		c->info->features_supported |= (uint32_t)rd(d, 4);
		c->info->has_supported_features = true;
		return 0;
	default: /* INFO, L1_MFN_VALID, PHYS32_RELOC and unknown types carry nothing we use */
		return 0;
	}
}

/* Walks the notes in file bytes [off, off+len), already checked to be inside the image. */
static int parse_notes(struct elf_ctx *c, uint64_t off, uint64_t len, const char *where,
		       unsigned int idx)
{
	uint64_t pos = off, end = off + len;
	int rc;

	while (end - pos >= NOTE_HDR) {
		const uint8_t *n = c->img + pos;
		uint64_t namesz = rd(n, 4), descsz = rd(n + 4, 4);
		uint64_t name_pad = ROUNDUP(namesz, 4), desc_off = pos + NOTE_HDR + name_pad;

		if (++c->nr_notes > ELF_MAX_NOTES)
			return fail(c, -E2BIG, "ELF: more than %u notes", ELF_MAX_NOTES);
		if (name_pad > end - pos - NOTE_HDR || descsz > end - desc_off)
			return fail(c, -EINVAL,
				    "ELF %s %u: note at offset 0x%lx (namesz 0x%lx, descsz 0x%lx) "
				    "runs past the end of its range [0x%lx,0x%lx)",
				    where, idx, (unsigned long)pos, (unsigned long)namesz,
				    (unsigned long)descsz, (unsigned long)off, (unsigned long)end);
		if (namesz == 4 && !memcmp(n + NOTE_HDR, "Xen", 4)) {
			rc = xen_note(c, (unsigned int)rd(n + 8, 4), c->img + desc_off, descsz,
				      pos);
			if (rc < 0)
				return rc;
		}
		if (ROUNDUP(descsz, 4) >= end - desc_off)
			break;
		pos = desc_off + ROUNDUP(descsz, 4);
	}
	return 0;
}

static int notes_from_segments(struct elf_ctx *c)
{
	for (unsigned int i = 0; i < c->phnum; i++) {
		const uint8_t *ph = phdr_at(c, i);
		uint64_t off = rd(ph + 8, 8), len = rd(ph + 32, 8);
		int rc;

		/* Some binutils leave p_offset 0 in note segments: skip those, as Xen does. */
		if (rd(ph, 4) != PT_NOTE || off == 0)
			continue;
		if (!in_image(c->size, off, len))
			return fail(c, -EINVAL,
				    "ELF program header %u: note segment [0x%lx,+0x%lx) runs past "
				    "the end of the image (0x%zx bytes)",
				    i, (unsigned long)off, (unsigned long)len, c->size);
		rc = parse_notes(c, off, len, "program header", i);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int notes_from_sections(struct elf_ctx *c)
{
	if (c->shoff == 0 || c->shnum == 0)
		return 0;
	if (rd(c->img + 58, 2) != SHDR_SIZE || c->shnum > ELF_MAX_SHDRS)
		return fail(c, -EINVAL,
			    "ELF header: e_shentsize %lu, e_shnum %u, expected 64 and at most %u",
			    (unsigned long)rd(c->img + 58, 2), c->shnum, ELF_MAX_SHDRS);
	if (!in_image(c->size, c->shoff, (uint64_t)c->shnum * SHDR_SIZE))
		return fail(c, -EINVAL,
			    "ELF header: section headers [0x%lx,+0x%x) run past the end of the "
			    "image (0x%zx bytes)",
			    (unsigned long)c->shoff, c->shnum * SHDR_SIZE, c->size);
	c->info->notes_from_sections = true;
	for (unsigned int i = 1; i < c->shnum; i++) {
		const uint8_t *sh = c->img + c->shoff + (uint64_t)i * SHDR_SIZE;
		uint64_t off = rd(sh + 24, 8), len = rd(sh + 32, 8);
		int rc;

		if (rd(sh + 4, 4) != SHT_NOTE)
			continue;
		if (!in_image(c->size, off, len))
			return fail(c, -EINVAL,
				    "ELF section header %u: note section [0x%lx,+0x%lx) runs past "
				    "the end of the image (0x%zx bytes)",
				    i, (unsigned long)off, (unsigned long)len, c->size);
		rc = parse_notes(c, off, len, "section", i);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Xen's acceptance rules for the notes' strings. */
static int check_notes(struct elf_ctx *c)
{
	const struct elf_image_info *info = c->info;

	if (info->nr_xen_notes == 0)
		return fail(c, -EINVAL,
			    "ELF: not a Xen PV kernel: no \"Xen\" note in any PT_NOTE segment or "
			    "SHT_NOTE section");
	if (strncmp(info->loader, "generic", 7) && strncmp(info->guest_os, "linux", 5))
		return fail(
			c, -EINVAL,
			"ELF notes: LOADER \"%s\", GUEST_OS \"%s\": expected LOADER \"generic\" "
			"or GUEST_OS \"linux\"",
			info->loader, info->guest_os);
	if (strncmp(info->xen_version, "xen-3.0", 7))
		return fail(c, -EINVAL, "ELF notes: XEN_VERSION \"%s\", expected \"xen-3.0\"",
			    info->xen_version);
	return 0;
}

static int check_addresses(struct elf_ctx *c)
{
	struct elf_image_info *info = c->info;
	const struct elf_segment *last = &info->load[info->nr_loads - 1];
	uint64_t span = last->paddr + last->memsz - info->load[0].paddr;

	if (c->have_paddr_offset && !c->have_virt_base)
		return fail(c, -EINVAL, "ELF notes: PADDR_OFFSET given without VIRT_BASE");
	info->virt_offset = info->virt_base - info->paddr_offset;
	info->virt_kstart = info->load[0].paddr + info->virt_offset;
	if (info->virt_kstart > UINT64_MAX - span)
		return fail(c, -EINVAL, "ELF: kernel at 0x%lx + 0x%lx wraps around",
			    (unsigned long)info->virt_kstart, (unsigned long)span);
	info->virt_kend = info->virt_kstart + span;
	if (!c->have_entry)
		info->entry = c->e_entry;
	info->has_entry_note = c->have_entry;
	if (info->virt_base > info->virt_kstart)
		return fail(c, -EINVAL, "ELF: VIRT_BASE 0x%lx is above the kernel start 0x%lx",
			    (unsigned long)info->virt_base, (unsigned long)info->virt_kstart);
	if (info->entry < info->virt_kstart || info->entry >= info->virt_kend)
		return fail(c, -EINVAL, "ELF: entry 0x%lx (%s) is outside the kernel [0x%lx,0x%lx)",
			    (unsigned long)info->entry, c->have_entry ? "ENTRY note" : "e_entry",
			    (unsigned long)info->virt_kstart, (unsigned long)info->virt_kend);
	if (info->hypercall_page &&
	    (info->hypercall_page % PAGE_BYTES || info->hypercall_page < info->virt_kstart ||
	     info->hypercall_page >= info->virt_kend))
		return fail(c, -EINVAL,
			    "ELF note HYPERCALL_PAGE: 0x%lx is not a page inside the kernel "
			    "[0x%lx,0x%lx)",
			    (unsigned long)info->hypercall_page, (unsigned long)info->virt_kstart,
			    (unsigned long)info->virt_kend);
	if (info->init_p2m != ELF_UNSET && info->init_p2m >= info->virt_kstart &&
	    info->init_p2m < info->virt_kend)
		return fail(c, -EINVAL, "ELF note INIT_P2M: 0x%lx is inside the kernel",
			    (unsigned long)info->init_p2m);
	return 0;
}

int elf_parse(const void *image, size_t size, struct elf_image_info *info, char *msg, size_t msglen)
{
	struct elf_ctx c = {.img = image, .size = size, .msg = msg, .msglen = msglen, .info = info};
	int rc;

	memset(info, 0, sizeof(*info));
	info->init_p2m = info->hv_start_low = info->phys32_entry = ELF_UNSET;
	report(msg, msglen, "ok");
	if (!image)
		return fail(&c, -EINVAL, "ELF: no image");
	rc = check_header(&c);
	if (rc == 0)
		rc = check_loads(&c);
	if (rc == 0)
		rc = notes_from_segments(&c);
	if (rc == 0 && info->nr_xen_notes == 0)
		rc = notes_from_sections(&c);
	if (rc == 0)
		rc = check_notes(&c);
	if (rc == 0)
		rc = check_addresses(&c);
	return rc;
}

int elf_load_segments(const void *image, size_t size, const struct elf_image_info *info,
		      elf_write_fn write, void *ctx)
{
	const uint8_t *img = image;
	int rc;

	if (info->nr_loads > ELF_MAX_LOADS)
		return -EINVAL;
	for (unsigned int i = 0; i < info->nr_loads; i++) {
		const struct elf_segment *s = &info->load[i];
		uint64_t va = s->paddr + info->virt_offset;

		if (!in_image(size, s->offset, s->filesz) || s->filesz > s->memsz)
			return -EINVAL;
		if (s->filesz && (rc = write(ctx, va, img + s->offset, s->filesz)) < 0)
			return rc;
		if (s->memsz > s->filesz &&
		    (rc = write(ctx, va + s->filesz, NULL, s->memsz - s->filesz)) < 0)
			return rc;
	}
	return 0;
}

int elf_check_dom0(const struct elf_image_info *info, char *msg, size_t msglen)
{
	if (info->features_required & (1U << ELF_XENFEAT_supervisor_mode_kernel)) {
		report(msg, msglen, "ELF: kernel requires supervisor_mode_kernel (unsupported)");
		return -EINVAL;
	}
	if (info->has_supported_features &&
	    !(info->features_supported & (1U << ELF_XENFEAT_dom0))) {
		report(msg, msglen,
		       "ELF: SUPPORTED_FEATURES does not include dom0: kernel cannot be dom0");
		return -EINVAL;
	}
	return 0;
}
