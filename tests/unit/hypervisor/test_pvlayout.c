/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/pvlayout.c: Linux and XTF layouts, refusals, invariants. */
#include <stdlib.h>
#include <string.h>
#include <hospes/errno.h>
#include <hospes/pvlayout.h>
#include "../harness.h"

#define KBASE 0xffffffff80000000ULL
#define PG    4096ULL

static struct elf_image_info elf;
static struct pvlayout l;
static char msg[160];

/* Debian 12's 6.1 kernel as elf_parse() sees it (the numbers of linux-image-6.1.0-56-amd64). */
static void linux_elf(void)
{
	memset(&elf, 0, sizeof(elf));
	elf.virt_base = KBASE;
	elf.virt_offset = KBASE;
	elf.virt_kstart = 0xffffffff81000000ULL;
	elf.virt_kend = 0xffffffff84a00000ULL;
	elf.entry = 0xffffffff830791c0ULL;
	elf.init_p2m = 0x8000000000ULL;
	elf.mod_start_pfn = true;
}

/* XTF: VA = pfn << 12 from 0, kernel at 1 MiB, no INIT_P2M, no MOD_START_PFN. */
static void xtf_elf(void)
{
	memset(&elf, 0, sizeof(elf));
	elf.virt_kstart = 0x100000;
	elf.virt_kend = 0x10f123;
	elf.entry = 0x100000;
	elf.hypercall_page = 0x101000;
	elf.init_p2m = ELF_UNSET;
}

static struct pvlayout_params params(uint64_t pages, uint64_t initrd)
{
	return (struct pvlayout_params){.elf = &elf,
					.nr_pages = pages,
					.initrd_len = initrd,
					.nr_vcpus = 1,
					.honour_mod_start_pfn = true,
					.single_l2 = true};
}

/* Properties every layout must have, whatever the inputs. */
static void check_invariants(const struct pvlayout_params *p)
{
	uint64_t region = l.virt_end - l.virt_base;

	CHECK(l.virt_kend >= l.virt_kstart && l.virt_kend % PG == 0);
	CHECK(l.virt_start_info >= l.virt_kend && l.virt_start_info % PG == 0);
	if (!l.p2m_at_init_p2m) {
		CHECK(l.virt_p2m >= l.virt_kend &&
		      l.virt_p2m + l.nr_p2m_pages * PG <= l.virt_start_info);
		CHECK_EQ(l.p2m_pfn, (l.virt_p2m - l.virt_base) / PG);
	}
	CHECK_EQ(l.nr_p2m_pages, (p->nr_pages * 8 + PG - 1) / PG);
	CHECK(l.virt_pgtab > l.virt_start_info);
	CHECK_EQ(l.nr_pt_frames, 1 + l.nr_l3 + l.nr_l2 + l.nr_l1);
	CHECK_EQ(l.virt_pgtab + l.nr_pt_frames * PG, l.virt_stack);
	CHECK_EQ(l.virt_alloc_end, l.virt_stack + PG);
	CHECK(l.virt_end - l.virt_alloc_end >= PVLAYOUT_MIN_PAD);
	CHECK_EQ(l.virt_end % PVLAYOUT_END_ALIGN, 0);
	CHECK(l.virt_end - l.virt_alloc_end < PVLAYOUT_MIN_PAD + PVLAYOUT_END_ALIGN);
	CHECK_EQ(l.nr_mapped_pages, region / PG);
	/* the L1s map exactly the 2 MiB blocks the region touches; fewer frames would not do */
	CHECK_EQ(l.nr_l1, (l.virt_end - 1) / MiB(2) - l.virt_base / MiB(2) + 1);
	CHECK_EQ(l.pgtab_pfn, (l.virt_pgtab - l.virt_base) / PG);
	CHECK(l.nr_used_pages <= p->nr_pages);
}

static void test_linux_dom0_inline_p2m(void)
{
	struct pvlayout_params p = params(131072, MiB(20)); /* 512 MiB, 20 MiB initrd */

	linux_elf();
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
	CHECK_STR(msg, "ok");
	check_invariants(&p);
	CHECK_EQ(l.virt_base, KBASE);
	CHECK_EQ(l.virt_kend, 0xffffffff84a00000ULL);
	CHECK(l.initrd_unmapped);
	CHECK_EQ(l.virt_initrd, 0);
	CHECK_EQ(l.virt_p2m, 0xffffffff84a00000ULL);
	CHECK_EQ(l.nr_p2m_pages, 256);
	CHECK_EQ(l.p2m_pfn, 0x4a00);
	CHECK(!l.p2m_at_init_p2m);
	CHECK_EQ(l.first_p2m_pfn, 0);
	CHECK_EQ(l.nr_p2m_frames, 0);
	CHECK_EQ(l.virt_start_info, 0xffffffff84b00000ULL);
	CHECK_EQ(l.virt_xenstore, 0);
	CHECK_EQ(l.virt_pgtab, 0xffffffff84b01000ULL);
	CHECK_EQ(l.nr_pt_frames, 41); /* L4 + L3 + L2 + 38 L1s for 76 MiB */
	CHECK_EQ(l.nr_l1, 38);
	CHECK_EQ(l.virt_stack, 0xffffffff84b2a000ULL);
	CHECK_EQ(l.virt_end, 0xffffffff84c00000ULL);
	CHECK_EQ(l.nr_mapped_pages, 0x4c00);
	CHECK_EQ(l.initrd_pfn, 0x4c00); /* right after the mapped region */
	CHECK_EQ(l.nr_initrd_pages, 0x1400);
	CHECK_EQ(l.nr_used_pages, 0x6000);
}

static void test_linux_dom0_init_p2m(void)
{
	struct pvlayout_params p = params(131072, MiB(20));

	linux_elf();
	p.honour_init_p2m = true;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
	check_invariants(&p);
	CHECK(l.p2m_at_init_p2m);
	CHECK_EQ(l.virt_p2m, 0x8000000000ULL);
	CHECK_EQ(l.virt_start_info, 0xffffffff84a00000ULL);
	CHECK_EQ(l.virt_stack, 0xffffffff84a2a000ULL);
	CHECK_EQ(l.virt_end, 0xffffffff84c00000ULL);
	CHECK_EQ(l.initrd_pfn, 0x4c00);
	CHECK_EQ(l.first_p2m_pfn, 0x6000);
	CHECK_EQ(l.p2m_pfn, 0x6000);
	CHECK_EQ(l.nr_p2m_l3, 1);
	CHECK_EQ(l.nr_p2m_l2, 1);
	CHECK_EQ(l.nr_p2m_l1, 1);
	CHECK_EQ(l.p2m_pt_pfn, 0x6100);
	CHECK_EQ(l.nr_p2m_frames, 259);
	CHECK_EQ(l.nr_used_pages, 0x6000 + 259);

	/* 16 GiB: a 32 MiB p2m needs 16 L1s */
	p = params(1ULL << 22, 0);
	p.honour_init_p2m = true;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
	CHECK_EQ(l.nr_p2m_pages, 8192);
	CHECK_EQ(l.nr_p2m_l1, 16);
	CHECK_EQ(l.first_p2m_pfn, l.nr_mapped_pages);
}

/* Without MOD_START_PFN the initrd is mapped after the kernel, the p2m after it. */
static void test_mapped_initrd(void)
{
	struct pvlayout_params p = params(131072, MiB(20) + 1);

	linux_elf();
	p.honour_mod_start_pfn = false;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
	check_invariants(&p);
	CHECK(!l.initrd_unmapped);
	CHECK_EQ(l.virt_initrd, 0xffffffff84a00000ULL);
	CHECK_EQ(l.nr_initrd_pages, 0x1401);
	CHECK_EQ(l.initrd_pfn, 0x4a00);
	CHECK_EQ(l.virt_p2m, 0xffffffff84a00000ULL + 0x1401 * PG);
	CHECK_EQ(l.nr_used_pages, l.nr_mapped_pages);
}

static void test_xtf_dom0(void)
{
	struct pvlayout_params p = params(32768, 0); /* 128 MiB */

	xtf_elf();
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
	check_invariants(&p);
	CHECK_EQ(l.virt_base, 0);
	CHECK_EQ(l.virt_kend, 0x110000);
	CHECK_EQ(l.virt_p2m, 0x110000);
	CHECK_EQ(l.p2m_pfn, 0x110);
	CHECK_EQ(l.nr_p2m_pages, 64);
	CHECK_EQ(l.virt_start_info, 0x150000);
	CHECK_EQ(l.virt_pgtab, 0x151000);
	CHECK_EQ(l.nr_pt_frames, 5);
	CHECK_EQ(l.virt_stack, 0x156000);
	CHECK_EQ(l.virt_end, 0x400000);
	CHECK_EQ(l.nr_mapped_pages, 1024);
	CHECK_EQ(l.nr_used_pages, 1024);
}

static void test_domu_rings(void)
{
	struct pvlayout_params p = params(32768, 0);

	xtf_elf();
	p.domu = true;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
	check_invariants(&p);
	CHECK_EQ(l.virt_start_info, 0x150000);
	CHECK_EQ(l.virt_xenstore, 0x151000);
	CHECK_EQ(l.virt_console, 0x152000);
	CHECK_EQ(l.virt_pgtab, 0x153000);
}

/* A region that crosses 2 MiB and 1 GiB lines needs more tables; the count is a fixed point. */
static void test_table_fixed_point(void)
{
	for (uint64_t kend = 0x200000; kend < 0x4000000; kend += 0x7000) {
		for (uint64_t pages = 0x8000; pages < 0x200000; pages = pages * 3 + 1) {
			struct pvlayout_params p = params(pages, kend & 0x3ffff);

			xtf_elf();
			elf.virt_kend = kend;
			elf.mod_start_pfn = true;
			p.honour_mod_start_pfn = (kend >> 12) & 1;
			if (pvlayout_compute(&p, &l, msg, sizeof(msg)) == 0)
				check_invariants(&p);
			else
				CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -ENOMEM);
		}
	}
	/* a Linux-like kernel ending just below a 4 MiB line: the padding pushes v_end on */
	linux_elf();
	elf.virt_kend = 0xffffffff84bfd000ULL;
	{
		struct pvlayout_params p = params(131072, 0);

		p.honour_init_p2m = true;
		CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
		check_invariants(&p);
		CHECK_EQ(l.virt_end, 0xffffffff85000000ULL);
		CHECK_EQ(l.nr_l1, 40);
	}
}

static void test_refusals(void)
{
	struct pvlayout_params p = params(0x4000, 0); /* 64 MiB: Linux needs 76 */

	linux_elf();
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -ENOMEM);
	CHECK(strstr(msg, "the domain has 16384") != NULL);

	p = params(0x6000, MiB(40)); /* fits, but not with the unmapped initrd */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -ENOMEM);

	p = params(1ULL << 27, 0); /* 512 GiB: an inline p2m of 1 GiB breaks the single L2 */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "one L2") != NULL);
	p.single_l2 = false; /* Linux would not cope, but the layout itself is sound */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), 0);
	CHECK_EQ(l.nr_l2, 2);
	p = params(1ULL << 28, 0); /* a 2 GiB p2m after the kernel runs past 2^64 */
	p.single_l2 = false;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "wraps") != NULL);

	p = params(131072, 0);
	p.nr_vcpus = 0;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	p = params(0, 0);
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	p = params(PVLAYOUT_MAX_PAGES + 1, 0);
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	p = params(131072, 131072 * PG + 1);
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -ENOMEM);
	p = params(131072, 0);
	p.elf = NULL;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
}

static void test_bad_addresses(void)
{
	struct pvlayout_params p = params(131072, 0);

	linux_elf();
	p.honour_init_p2m = true;
	elf.init_p2m = 0x8000000010ULL; /* misaligned */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	elf.init_p2m = 0xffffff8000000000ULL; /* the kernel's own L4 slot */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "L4 slot") != NULL);
	elf.init_p2m = 0xffff800000000000ULL; /* hypervisor range */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	elf.init_p2m = 0x00007ffffffff000ULL; /* crosses out of the lower half */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	elf.init_p2m = 0xfffffffffffff000ULL; /* wraps */
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);

	linux_elf(); /* a kernel inside the hypervisor's range */
	elf.virt_base = 0xffff800000000000ULL;
	elf.virt_kstart = 0xffff800001000000ULL;
	elf.virt_kend = 0xffff800002000000ULL;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	CHECK(strstr(msg, "canonical") != NULL);

	linux_elf(); /* non-canonical */
	elf.virt_base = 0x0000800000000000ULL;
	elf.virt_kstart = elf.virt_base + 0x1000000;
	elf.virt_kend = elf.virt_base + 0x2000000;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);

	linux_elf(); /* the region would wrap past the top */
	elf.virt_base = 0xfffffffffe000000ULL;
	elf.virt_kstart = 0xffffffffff000000ULL;
	elf.virt_kend = 0xfffffffffffff001ULL;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);

	linux_elf(); /* misaligned VIRT_BASE, kernel below VIRT_BASE */
	elf.virt_base = KBASE + 8;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
	elf.virt_base = 0xffffffff82000000ULL;
	CHECK_EQ(pvlayout_compute(&p, &l, msg, sizeof(msg)), -EINVAL);
}

int main(void)
{
	static const struct unit_test tests[] = {
		{"Linux dom0, p2m in the initial region", test_linux_dom0_inline_p2m},
		{"Linux dom0, p2m at INIT_P2M", test_linux_dom0_init_p2m},
		{"initrd mapped without MOD_START_PFN", test_mapped_initrd},
		{"XTF dom0 from VA 0", test_xtf_dom0},
		{"domU xenstore and console pages", test_domu_rings},
		{"page-table count fixed point", test_table_fixed_point},
		{"refusals", test_refusals},
		{"bad addresses", test_bad_addresses},
	};

	return unit_run("pvlayout", tests, ARRAY_SIZE(tests));
}
