/* SPDX-License-Identifier: GPL-2.0-only */
/* The initial domain's builder: memory, the kernel image, start-of-day page tables, start_info. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <hospes/bzimage.h>
#include <hospes/console.h>
#include <hospes/dom0_build.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/heap.h>
#include <hospes/kimage.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pagetype.h>
#include <hospes/pvconsole.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/spinlock.h>
#include <public/xen.h>

#define DEFAULT_DOM0_MEM MiB(128)
#define MIN_DOM0_MEM	 MiB(4)
#define DOM0_CHUNK_ORDER 9
#define GUEST_PTE_RW	 (PTE_P | PTE_W | PTE_U | PTE_A | PTE_D)
#define GUEST_PTE_RO	 (PTE_P | PTE_U | PTE_A)

static uint64_t tables_needed(uint64_t start, uint64_t end)
{
	uint64_t n = 1; /* L4 */

	n += ((end - 1) >> 39) - (start >> 39) + 1;
	n += ((end - 1) >> 30) - (start >> 30) + 1;
	n += ((end - 1) >> 21) - (start >> 21) + 1;
	return n;
}

/* An unprivileged domain gets its console ring page right after start_info, as on Xen. */
static int layout_compute(const struct kimage *k, uint64_t nr_pages, bool console_ring,
			  struct dom0_layout *l)
{
	l->virt_base = k->virt_base;
	l->p2m = ROUNDUP(k->kend, PAGE_SIZE);
	l->start_info = l->p2m + ROUNDUP(nr_pages * 8, PAGE_SIZE);
	l->console = console_ring ? l->start_info + PAGE_SIZE : 0;
	l->pt = l->start_info + (console_ring ? 2 : 1) * PAGE_SIZE;
	for (l->nr_pt = 4;; l->nr_pt++) {
		l->stack_top = l->pt + (l->nr_pt + 1) * PAGE_SIZE;
		l->end = ROUNDUP(l->stack_top + KiB(512), MiB(4));
		if (tables_needed(l->virt_base, l->end) <= l->nr_pt)
			break;
	}
	if ((l->end - l->virt_base) >> PAGE_SHIFT > nr_pages) {
		pr_err("dom0: kernel and start-of-day data need %llu MiB, only %llu MiB given\n",
		       (unsigned long long)((l->end - l->virt_base) >> 20),
		       (unsigned long long)(nr_pages >> 8));
		return -ENOMEM;
	}
	return 0;
}

static uint64_t *p2m_of(struct dom0_build *b, uint64_t va)
{
	return &b->p2m[(va - b->layout.virt_base) >> PAGE_SHIFT];
}

static void *guest_page(struct dom0_build *b, uint64_t va)
{
	return __va(*p2m_of(b, va) << PAGE_SHIFT);
}

/*
 * Zeroing a new domain's frames, in 2 MiB chunks that this CPU and an idle one claim in turn:
 * it runs while this CPU decompresses the kernel, and this CPU finishes whatever is left, so
 * nothing waits on the other CPU ever turning up. A domain never sees what the firmware, the
 * loader or the hypervisor left in its memory. One job at a time (boot); a helper that comes
 * late finds every chunk claimed.
 */
#define ZERO_CHUNK 512
struct zero_job {
	const uint64_t *p2m;
	uint64_t nr_chunks, nr_pages;
	uint64_t next; /* next chunk to claim */
	uint64_t done; /* chunks zeroed */
};
static struct zero_job zero_job;

static void zero_chunks(void *arg)
{
	struct zero_job *z = arg;

	for (;;) {
		uint64_t c = __atomic_fetch_add(&z->next, 1, __ATOMIC_ACQ_REL);

		if (c >= __atomic_load_n(&z->nr_chunks, __ATOMIC_ACQUIRE))
			return;
		for (uint64_t pfn = c * ZERO_CHUNK; pfn < MIN((c + 1) * ZERO_CHUNK, z->nr_pages);
		     pfn++)
			memset(__va(z->p2m[pfn] << PAGE_SHIFT), 0, PAGE_SIZE);
		__atomic_fetch_add(&z->done, 1, __ATOMIC_RELEASE);
	}
}

static void zero_start(struct dom0_build *b, uint64_t nr_pages)
{
	zero_job.p2m = b->p2m;
	zero_job.nr_pages = nr_pages;
	zero_job.next = zero_job.done = 0;
	__atomic_store_n(&zero_job.nr_chunks, (nr_pages + ZERO_CHUNK - 1) / ZERO_CHUNK,
			 __ATOMIC_RELEASE);
	sched_run_on_idle_cpu(zero_chunks, &zero_job);
}

static void zero_finish(void)
{
	zero_chunks(&zero_job);
	while (__atomic_load_n(&zero_job.done, __ATOMIC_ACQUIRE) < zero_job.nr_chunks)
		cpu_relax();
}

/* Gives d its frames (zeroed by zero_start/zero_finish), in aligned 2 MiB runs where it can. */
static int populate(struct domain *d, struct dom0_build *b, uint64_t nr_pages)
{
	b->p2m = xzalloc(nr_pages * sizeof(uint64_t));
	if (!b->p2m)
		return -ENOMEM;
	for (uint64_t pfn = 0; pfn < nr_pages;) {
		unsigned int order = DOM0_CHUNK_ORDER;
		pfn_t mfn = FRAME_NONE;

		/* Machine-contiguous runs make Linux's XENMEM_exchange for its swiotlb an
		 * in-place swap. */
		if (IS_ALIGNED(pfn, 1ULL << order) && nr_pages - pfn >= (1ULL << order))
			mfn = frame_alloc(&frame_pool, order, FRAME_GUEST);
		if (mfn == FRAME_NONE) {
			order = 0;
			mfn = frame_alloc(&frame_pool, 0, FRAME_GUEST);
		}
		if (mfn == FRAME_NONE)
			return -ENOMEM;
		for (uint64_t j = 0; j < (1ULL << order); j++, pfn++) {
			struct frame_info *f = &frame_table[mfn + j];

			f->owner = d->domid;
			f->order = 0; /* each frame is given back on its own */
			f->count_info = PGC_ALLOCATED | 1;
			b->p2m[pfn] = mfn + j;
			m2p_set(mfn + j, pfn);
		}
	}
	d->tot_pages = d->max_pages = nr_pages;
	return 0;
}

/*
 * A full page of the decompressed image becomes the domain's page at va as it is: its frame
 * replaces the one populate() gave, which goes back to the pool. Saves a copy and, under
 * emulation, the first touch of a second frame per page of kernel.
 */
static bool adopt_image_page(struct dom0_build *b, uint64_t va, const void *src)
{
	uint64_t mfn = kimage_image_frame(b->k, src),
		 pfn = (va - b->layout.virt_base) >> PAGE_SHIFT;
	uint64_t old = b->p2m[pfn];
	struct frame_info *f;

	if (mfn == FRAME_NONE)
		return false;
	f = &frame_table[mfn];
	f->state = FRAME_GUEST;
	f->owner = b->d->domid;
	f->count_info = PGC_ALLOCATED | 1;
	f->type_info = 0;
	b->p2m[pfn] = mfn;
	m2p_set(mfn, pfn);
	f = &frame_table[old];
	f->state = FRAME_HV;
	f->count_info = 0;
	m2p_set(old, INVALID_M2P_ENTRY);
	frame_free(&frame_pool, old, 0);
	return true;
}

static int copy_into_guest(void *ctx, uint64_t va, const void *src, size_t len)
{
	struct dom0_build *b = ctx;

	while (len) {
		size_t off = va & (PAGE_SIZE - 1), n = MIN(len, (size_t)(PAGE_SIZE - off));

		if (va < b->layout.virt_base || va >= b->layout.end)
			return -EINVAL;
		if (src && n == PAGE_SIZE && adopt_image_page(b, va, src)) {
			va += n;
			len -= n;
			src = (const char *)src + n;
			continue;
		}
		if (src)
			memcpy((char *)guest_page(b, va) + off, src, n);
		else
			memset((char *)guest_page(b, va) + off, 0, n);
		va += n;
		len -= n;
		src = src ? (const char *)src + n : NULL;
	}
	return 0;
}

/* Builds L4 -> L3 -> L2 -> L1 for [virt_base, end) in the frames at layout.pt. */
static void build_page_tables(struct dom0_build *b)
{
	const struct dom0_layout *l = &b->layout;
	uint64_t next = l->pt, l4_va = next;
	uint64_t *l4 = guest_page(b, next), *l3 = NULL, *l2 = NULL, *l1 = NULL;
	const uint64_t *idle = __va(paging_idle_cr3());

	next += PAGE_SIZE;
	for (unsigned int s = HV_L4_FIRST_SLOT; s <= HV_L4_LAST_SLOT; s++)
		l4[s] = idle[s];
	for (uint64_t va = l->virt_base; va < l->end; va += PAGE_SIZE) {
		bool is_pt = va >= l->pt && va < l->pt + l->nr_pt * PAGE_SIZE;

		if (!l3 || !(va & ((1ULL << 39) - 1))) {
			l3 = guest_page(b, next);
			l4[(va >> 39) & 511] = (*p2m_of(b, next) << PAGE_SHIFT) | GUEST_PTE_RW;
			next += PAGE_SIZE;
		}
		if (!l2 || !(va & ((1ULL << 30) - 1))) {
			l2 = guest_page(b, next);
			l3[(va >> 30) & 511] = (*p2m_of(b, next) << PAGE_SHIFT) | GUEST_PTE_RW;
			next += PAGE_SIZE;
		}
		if (!l1 || !(va & ((1ULL << 21) - 1))) {
			l1 = guest_page(b, next);
			l2[(va >> 21) & 511] = (*p2m_of(b, next) << PAGE_SHIFT) | GUEST_PTE_RW;
			next += PAGE_SIZE;
		}
		l1[(va >> 12) & 511] =
			(*p2m_of(b, va) << PAGE_SHIFT) | (is_pt ? GUEST_PTE_RO : GUEST_PTE_RW);
	}
	b->l4_maddr = *p2m_of(b, l4_va) << PAGE_SHIFT;
}

/* The 64-bit PV hypercall page: push rcx; push r11; mov $n,%eax; syscall; pop r11; pop rcx; ret. */
static void fill_hypercall_page(uint8_t *p)
{
	memset(p, 0xcc, PAGE_SIZE);
	for (unsigned int n = 0; n < PAGE_SIZE / 32; n++) {
		uint8_t *s = p + n * 32;
		const uint8_t stub[] = {0x51, 0x41, 0x53, 0xb8, (uint8_t)n, 0,	  0,
					0,    0x0f, 0x05, 0x41, 0x5b,	    0x59, 0xc3};
		const uint8_t iret[] = {0x51, 0x41, 0x53, 0x50, 0xb8, __HYPERVISOR_iret,
					0,    0,    0,	  0x0f, 0x05};

		if (n == __HYPERVISOR_iret)
			memcpy(s, iret, sizeof(iret));
		else
			memcpy(s, stub, sizeof(stub));
	}
}

static void fill_start_info(struct domain *d, struct dom0_build *b, const char *cmdline)
{
	const struct dom0_layout *l = &b->layout;
	struct start_info *si = guest_page(b, l->start_info);

	strlcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(si->magic));
	si->nr_pages = d->tot_pages;
	si->shared_info = d->shared_info_maddr;
	si->flags = d->is_privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
	si->pt_base = l->pt;
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m;
	strlcpy(si->cmd_line, cmdline ? cmdline : "", sizeof(si->cmd_line));
	if (b->initrd_len) {
		si->mod_start = b->initrd_pfn;
		si->mod_len = b->initrd_len;
		si->flags |= SIF_MOD_START_PFN;
	}
	/* store_evtchn stays 0: without a xenstore, Linux keeps it local and does not wait. */
	if (l->console) {
		si->console.domU.mfn = *p2m_of(b, l->console);
		si->console.domU.evtchn = b->console_port;
	}
	copy_into_guest(b, l->p2m, b->p2m, d->tot_pages * 8);
}

/*
 * The console ring page: one of the domain's, with an extra reference so that it outlives the
 * domain giving it away; its port is bound to the hypervisor, which serves the ring.
 */
static int console_ring_setup(struct domain *d, struct dom0_build *b)
{
	pfn_t mfn = *p2m_of(b, b->layout.console);
	int port;

	spin_lock(&d->evtchn->lock);
	port = evtchn_bind_hypervisor(d->evtchn);
	spin_unlock(&d->evtchn->lock);
	if (port < 0)
		return port;
	frame_table[mfn].count_info++;
	b->console_port = (evtchn_port_t)port;
	pvconsole_attach_ring(d, mfn, b->console_port);
	return 0;
}

/* Copies the initrd into the PFNs right after the mapped region; the kernel maps it itself. */
static int place_initrd(struct dom0_build *b, const struct kimage *k, uint64_t nr_pages,
			const uint8_t *initrd, size_t len)
{
	uint64_t first = (b->layout.end - b->layout.virt_base) >> PAGE_SHIFT;
	uint64_t n = ROUNDUP((uint64_t)len, PAGE_SIZE) >> PAGE_SHIFT;

	if (!len)
		return 0;
	if (!k->elf.mod_start_pfn) {
		pr_warn("dom0: the kernel has no MOD_START_PFN note; its initrd is not passed\n");
		return 0;
	}
	if (first + n > nr_pages) {
		pr_err("dom0: a %zu KiB initrd does not fit in the domain's memory\n", len >> 10);
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < n; i++) {
		size_t chunk = (size_t)MIN((uint64_t)PAGE_SIZE, len - i * PAGE_SIZE);

		memcpy(__va(b->p2m[first + i] << PAGE_SHIFT), initrd + i * PAGE_SIZE, chunk);
	}
	b->initrd_pfn = first;
	b->initrd_len = len;
	return 0;
}

/*
 * Pages for the domain: mem_bytes, or by default up to DEFAULT_DOM0_MEM of what stays free once
 * the kernel is decompressed (a power-of-two block while it happens).
 */
static uint64_t dom0_pages(uint64_t mem_bytes, const void *image, size_t len)
{
	uint64_t free = frame_pool_free_count(&frame_pool) << PAGE_SHIFT, unpack = 0, spare;
	struct bzimage_info bz;
	char msg[8];

	if (!bzimage_probe(image, len, &bz, msg, sizeof(msg)))
		for (unpack = PAGE_SIZE; unpack < bz.decompressed_size; unpack <<= 1)
			;
	spare = free > unpack + MiB(16) ? free - unpack - MiB(16) : 0;
	if (!mem_bytes)
		mem_bytes = MIN(DEFAULT_DOM0_MEM, spare);
	return MAX(mem_bytes, MIN_DOM0_MEM) >> PAGE_SHIFT;
}

int dom0_construct(struct domain *d, const void *image, size_t len, const char *cmdline,
		   uint64_t mem_bytes, const void *initrd, size_t initrd_len)
{
	struct dom0_build b;
	struct kimage k;
	struct vcpu *v = d->vcpus[0];
	uint64_t nr_pages;
	int rc;

	memset(&b, 0, sizeof(b));
	b.d = d;
	b.k = &k;
	nr_pages = dom0_pages(mem_bytes, image, len);
	rc = populate(d, &b, nr_pages);
	if (rc) {
		pr_err("dom0: no memory for %llu pages\n", (unsigned long long)nr_pages);
		xfree(b.p2m);
		return rc;
	}
	zero_start(&b, nr_pages);
	rc = kimage_parse(image, len, &k);
	zero_finish();
	if (rc) {
		pr_err("dom0: kernel image rejected: %s\n", k.error);
		kimage_release(&k);
		xfree(b.p2m);
		return rc;
	}
	rc = layout_compute(&k, nr_pages, !d->is_privileged, &b.layout);
	if (!rc)
		rc = kimage_load(&k, copy_into_guest, &b);
	if (!rc)
		rc = place_initrd(&b, &k, nr_pages, initrd, initrd_len);
	kimage_release(&k);
	if (rc) {
		pr_err("dom0: cannot build the initial domain (error %d)\n", rc);
		xfree(b.p2m);
		return rc;
	}
	build_page_tables(&b);
	if (k.hypercall_page)
		fill_hypercall_page(guest_page(&b, k.hypercall_page));
	if (b.layout.console) {
		rc = console_ring_setup(d, &b);
		if (rc) {
			pr_err("dom0: no event channel for the console ring (error %d)\n", rc);
			xfree(b.p2m);
			return rc;
		}
	}
	fill_start_info(d, &b, cmdline);
	rc = pv_dom0_take_tables(d, b.l4_maddr);
	if (rc) {
		pr_err("dom0: start-of-day page tables do not validate (error %d)\n", rc);
		xfree(b.p2m);
		return rc;
	}
	v->arch.kernel_mode = true;
	v->arch.guest_table = b.l4_maddr;
	v->arch.regs.rip = k.entry;
	v->arch.regs.rsp = b.layout.stack_top;
	v->arch.regs.rsi = b.layout.start_info;
	v->arch.regs.cs = GUEST_CS64;
	v->arch.regs.ss = GUEST_DS;
	v->arch.regs.rflags = 0x202;
	v->state = VCPU_RUNNABLE;
	xfree(b.p2m);
	pr_info("dom0: %llu MiB, entry %llx, start_info %llx, %llu page-table frames\n",
		(unsigned long long)(nr_pages >> 8), (unsigned long long)k.entry,
		(unsigned long long)b.layout.start_info, (unsigned long long)b.layout.nr_pt);
	return 0;
}
