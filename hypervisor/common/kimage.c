/* SPDX-License-Identifier: GPL-2.0-only */
/* ELF64 PV kernel images: header, program headers and Xen notes, every offset bounds-checked. */
#include <hospes/errno.h>
#include <hospes/kimage.h>
#include <hospes/lib.h>

#define PT_LOAD		    1
#define PT_NOTE		    4
#define NOTE_ENTRY	    1
#define NOTE_HYPERCALL_PAGE 2
#define NOTE_VIRT_BASE	    3
#define NOTE_XEN_VERSION    5

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static int reject(struct kimage *k, const char *why)
{
	strlcpy(k->error, why, sizeof(k->error));
	return -ENOEXEC;
}

static bool range_ok(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static uint64_t note_value(const uint8_t *desc, uint32_t descsz)
{
	uint64_t v = 0;

	memcpy(&v, desc, descsz >= 8 ? 8 : descsz);
	return descsz >= 8 ? v : (uint32_t)v;
}

static int parse_notes(const uint8_t *p, uint64_t size, struct kimage *k, bool *has_entry)
{
	for (uint64_t off = 0; off + 12 <= size;) {
		uint32_t namesz, descsz, type;
		uint64_t desc_off, next;

		memcpy(&namesz, p + off, 4);
		memcpy(&descsz, p + off + 4, 4);
		memcpy(&type, p + off + 8, 4);
		desc_off = off + 12 + ROUNDUP((uint64_t)namesz, 4);
		next = desc_off + ROUNDUP((uint64_t)descsz, 4);
		if (desc_off > size || next > size || next < desc_off)
			return reject(k, "ELF note runs past its segment");
		if (namesz == 4 && !memcmp(p + off + 12, "Xen", 4) && descsz) {
			uint64_t v = note_value(p + desc_off, descsz);

			if (type == NOTE_ENTRY) {
				k->entry = v;
				*has_entry = true;
			} else if (type == NOTE_HYPERCALL_PAGE) {
				k->hypercall_page = v;
			} else if (type == NOTE_VIRT_BASE) {
				k->virt_base = v;
			}
		}
		off = next;
	}
	return 0;
}

int kimage_parse(const void *image, size_t len, struct kimage *k)
{
	const uint8_t *img = image;
	struct elf64_ehdr eh;
	bool has_entry = false, any_load = false;
	int rc;

	memset(k, 0, sizeof(*k));
	k->kstart = UINT64_MAX;
	if (len < sizeof(eh))
		return reject(k, "image shorter than an ELF header");
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.ident,
		   "\x7f"
		   "ELF",
		   4) ||
	    eh.ident[4] != 2 || eh.ident[5] != 1 || eh.machine != 62)
		return reject(k, "not a little-endian x86-64 ELF64 image");
	if (eh.phentsize != sizeof(struct elf64_phdr) || !eh.phnum ||
	    !range_ok(eh.phoff, (uint64_t)eh.phnum * sizeof(struct elf64_phdr), len))
		return reject(k, "program headers out of the image");
	for (unsigned int i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD && ph.type != PT_NOTE)
			continue;
		if (!range_ok(ph.offset, ph.filesz, len))
			return reject(k, "a segment runs past the end of the image");
		if (ph.type == PT_NOTE) {
			rc = parse_notes(img + ph.offset, ph.filesz, k, &has_entry);
			if (rc)
				return rc;
			continue;
		}
		if (ph.filesz > ph.memsz || ph.vaddr + ph.memsz < ph.vaddr || ph.memsz > GiB(1))
			return reject(k, "a PT_LOAD segment has bad sizes");
		k->kstart = MIN(k->kstart, ph.vaddr);
		k->kend = MAX(k->kend, ph.vaddr + ph.memsz);
		any_load = true;
	}
	if (!any_load)
		return reject(k, "no PT_LOAD segment");
	if (!has_entry)
		k->entry = eh.entry;
	if (k->kstart < k->virt_base || k->kend - k->virt_base > GiB(1))
		return reject(k, "segments outside [VIRT_BASE, VIRT_BASE + 1 GiB)");
	if (k->entry < k->kstart || k->entry >= k->kend)
		return reject(k, "entry point outside the loaded segments");
	if (k->hypercall_page && (k->hypercall_page & 0xfff || k->hypercall_page < k->kstart ||
				  k->hypercall_page >= k->kend))
		return reject(k, "HYPERCALL_PAGE note outside the image or unaligned");
	return 0;
}

int kimage_load(const void *image, size_t len, const struct kimage *k,
		int (*write)(void *ctx, uint64_t va, const void *src, size_t n), void *ctx)
{
	const uint8_t *img = image;
	struct elf64_ehdr eh;
	int rc;

	(void)k;
	memcpy(&eh, img, sizeof(eh));
	for (unsigned int i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, img + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD || !range_ok(ph.offset, ph.filesz, len))
			continue;
		rc = write(ctx, ph.vaddr, img + ph.offset, ph.filesz);
		if (!rc && ph.memsz > ph.filesz)
			rc = write(ctx, ph.vaddr + ph.filesz, NULL, ph.memsz - ph.filesz);
		if (rc)
			return rc;
	}
	return 0;
}
