/* SPDX-License-Identifier: MIT */
/* Guest ABI: feature bits reported by XENVER_get_features and named in the FEATURES ELF note. */
#ifndef HOSPES_PUBLIC_FEATURES_H
#define HOSPES_PUBLIC_FEATURES_H

/* Bit numbers; bit n is bit (n % 32) of submap n / 32. */
#define XENFEAT_writable_page_tables	   0  /* guest may write its page tables directly */
#define XENFEAT_writable_descriptor_tables 1  /* guest may write its GDT/LDT directly */
#define XENFEAT_auto_translated_physmap	   2  /* hypervisor translates guest frames (not PV) */
#define XENFEAT_supervisor_mode_kernel	   3  /* guest kernel runs in ring 0 (unsupported) */
#define XENFEAT_pae_pgdir_above_4gb	   4  /* PAE page directories may sit above 4 GiB */
#define XENFEAT_mmu_pt_update_preserve_ad  5  /* MMU_PT_UPDATE_PRESERVE_AD is available */
#define XENFEAT_highmem_assist		   6  /* 32-bit only */
#define XENFEAT_gnttab_map_avail_bits	   7  /* GNTMAP_guest_avail bits are honoured */
#define XENFEAT_hvm_callback_vector	   8  /* HVM only */
#define XENFEAT_hvm_safe_pvclock	   9  /* HVM only */
#define XENFEAT_hvm_pirqs		   10 /* HVM only */
#define XENFEAT_dom0			   11 /* (ELF note) the kernel can run as dom0 */
#define XENFEAT_grant_map_identity	   12 /* ARM only */
#define XENFEAT_memory_op_vnode_supported  13 /* XENMEMF_vnode is honoured */
#define XENFEAT_ARM_SMCCC_supported	   14 /* ARM only */
#define XENFEAT_linux_rsdp_unrestricted	   15 /* (ELF note) Linux may place the RSDP anywhere */
#define XENFEAT_not_direct_mapped	   16
#define XENFEAT_direct_mapped		   17
#define XENFEAT_NR_SUBMAPS		   1

#endif /* HOSPES_PUBLIC_FEATURES_H */
