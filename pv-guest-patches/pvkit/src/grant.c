/* SPDX-License-Identifier: MIT */
/* pvkit: a v1 grant table of a few frames, mapped into reserved pages of the image. */
#include <pvkit/grant.h>
#include <pvkit/hypercall.h>
#include <pvkit/mm.h>

static uint8_t table_area[PV_GNTTAB_MAX_FRAMES][PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static struct grant_entry_v1 *table;
static unsigned int nr_entries;
static grant_ref_t next_ref = GNTTAB_NR_RESERVED_ENTRIES;

long pv_gnttab_set_version(uint32_t version)
{
	struct gnttab_set_version op = {.version = version};

	return HYPERVISOR_grant_table_op(GNTTABOP_set_version, &op, 1);
}

long pv_gnttab_query_size(struct gnttab_query_size *out)
{
	long rc;

	*out = (struct gnttab_query_size){.dom = DOMID_SELF};
	rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, out, 1);
	return rc ? rc : out->status;
}

long pv_gnttab_init(unsigned int nr_frames)
{
	xen_pfn_t frames[PV_GNTTAB_MAX_FRAMES];
	struct gnttab_setup_table op = {
		.dom = DOMID_SELF,
		.nr_frames = nr_frames,
		.frame_list = (uintptr_t)frames,
	};
	unsigned int i;
	long rc;

	if (nr_frames == 0 || nr_frames > PV_GNTTAB_MAX_FRAMES)
		return -XEN_EINVAL;
	rc = pv_gnttab_set_version(1);
	if (rc)
		return rc;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &op, 1);
	if (rc)
		return rc;
	if (op.status != GNTST_okay)
		return op.status;
	for (i = 0; i < nr_frames; i++) {
		rc = pv_map_mfn(table_area[i], frames[i], true);
		if (rc)
			return rc;
	}
	table = (struct grant_entry_v1 *)table_area;
	nr_entries = nr_frames * (PAGE_SIZE / sizeof(struct grant_entry_v1));
	return 0;
}

struct grant_entry_v1 *pv_gnttab_table(void)
{
	return table;
}

unsigned int pv_gnttab_nr_entries(void)
{
	return nr_entries;
}

grant_ref_t pv_gnttab_grant_access(domid_t domid, xen_pfn_t frame, bool readonly)
{
	grant_ref_t ref;

	if (!table || next_ref >= nr_entries)
		return 0;
	ref = next_ref++;
	table[ref].domid = domid;
	table[ref].frame = (uint32_t)frame;
	pv_wmb();
	PV_WRITE_ONCE(table[ref].flags,
		      (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)));
	return ref;
}

bool pv_gnttab_end_access(grant_ref_t ref)
{
	uint16_t flags = PV_READ_ONCE(table[ref].flags);

	while (!(flags & (GTF_reading | GTF_writing))) {
		uint16_t seen = __sync_val_compare_and_swap(&table[ref].flags, flags, 0);

		if (seen == flags)
			return true;
		flags = seen;
	}
	return false;
}

int16_t pv_gnttab_map(domid_t dom, grant_ref_t ref, void *va, bool readonly, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (uintptr_t)va,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = dom,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

	if (rc)
		return GNTST_general_error;
	*handle = op.handle;
	return op.status;
}

int16_t pv_gnttab_unmap(void *va, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = (uintptr_t)va, .handle = handle};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? GNTST_general_error : op.status;
}

int16_t pv_gnttab_copy_from(domid_t dom, grant_ref_t ref, uint16_t offset, void *dst, uint16_t len)
{
	struct gnttab_copy op = {
		.source = {.u.ref = ref, .domid = dom, .offset = offset},
		.dest =
			{
				.u.gmfn = pv_virt_to_mfn(dst),
				.domid = DOMID_SELF,
				.offset = (uint16_t)((uintptr_t)dst & (PAGE_SIZE - 1)),
			},
		.len = len,
		.flags = GNTCOPY_source_gref,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &op, 1);

	return rc ? GNTST_general_error : op.status;
}
