/* SPDX-License-Identifier: MIT */
/* pvkit: start_info/shared_info access and the p2m/M2P translations of a 64-bit PV guest. */
#include <pvkit/hypercall.h>
#include <pvkit/mm.h>
#include <public/vcpu.h>

struct start_info *pv_start_info;
struct shared_info *pv_shared_info;
struct vcpu_info *pv_vcpu_info;

static uint8_t shared_info_page[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);

bool pv_is_initdomain(void)
{
	return pv_start_info->flags & SIF_INITDOMAIN;
}

long pv_map_mfn(void *va, xen_pfn_t mfn, bool writable)
{
	uint64_t pte = (mfn << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;

	if (writable)
		pte |= PTE_RW | PTE_DIRTY;
	return HYPERVISOR_update_va_mapping((uintptr_t)va, pte, UVMF_INVLPG);
}

long pv_unmap_va(void *va)
{
	return HYPERVISOR_update_va_mapping((uintptr_t)va, 0, UVMF_INVLPG);
}

long pv_mm_init(void)
{
	long rc = pv_map_mfn(shared_info_page, pv_start_info->shared_info >> PAGE_SHIFT, true);

	if (rc == 0) {
		pv_shared_info = (struct shared_info *)shared_info_page;
		pv_vcpu_info = &pv_shared_info->vcpu_info[0];
	}
	return rc;
}

xen_pfn_t pv_pfn_to_mfn(xen_pfn_t pfn)
{
	const xen_pfn_t *p2m = (const xen_pfn_t *)pv_start_info->mfn_list;

	return p2m[pfn];
}

xen_pfn_t pv_mfn_to_pfn(xen_pfn_t mfn)
{
	const volatile xen_pfn_t *m2p = (const volatile xen_pfn_t *)MACH2PHYS_VIRT_START;

	return m2p[mfn];
}

xen_pfn_t pv_virt_to_mfn(const void *va)
{
	return pv_pfn_to_mfn(((uintptr_t)va - PVKIT_VIRT_BASE) >> PAGE_SHIFT);
}

void *pv_mfn_to_virt(xen_pfn_t mfn)
{
	return (void *)(PVKIT_VIRT_BASE + (pv_mfn_to_pfn(mfn) << PAGE_SHIFT));
}

long pv_vcpu_info_register(struct vcpu_info *area)
{
	struct vcpu_register_vcpu_info r = {
		.mfn = pv_virt_to_mfn(area),
		.offset = (uint32_t)((uintptr_t)area & (PAGE_SIZE - 1)),
	};
	long rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);

	if (rc == 0)
		pv_vcpu_info = area;
	return rc;
}

#define PTE_ADDR_MASK 0x000ffffffffff000ULL

uint64_t pv_l1e_maddr(const void *va)
{
	const uint64_t *table = (const uint64_t *)pv_start_info->pt_base;
	xen_pfn_t mfn = pv_virt_to_mfn(table);
	int level;

	for (level = 4; level > 1; level--) {
		uint64_t e = table[((uintptr_t)va >> (12 + 9 * (level - 1))) & 511];

		if (!(e & PTE_PRESENT))
			return 0;
		mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
		table = pv_mfn_to_virt(mfn);
	}
	return (mfn << PAGE_SHIFT) + (((uintptr_t)va >> 12) & 511) * 8;
}

const uint64_t *pv_l1e_ptr(const void *va)
{
	uint64_t ma = pv_l1e_maddr(va);

	if (!ma)
		return NULL;
	return (const uint64_t *)((uint8_t *)pv_mfn_to_virt(ma >> PAGE_SHIFT) +
				  (ma & (PAGE_SIZE - 1)));
}
