/* SPDX-License-Identifier: GPL-2.0-only */
/* Descriptor tables: the GDT layout shared with PV guests, the TSS, the IDT. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <hospes/types.h>

/*
 * A guest may own GDT entries 0..FIRST_RESERVED_GDT_ENTRY-1 (14 pages); the page after them is
 * the hypervisor's, with the selectors the PV ABI publishes (FLAT_RING3_* for the guest).
 */
#define FIRST_RESERVED_GDT_PAGE	 14
#define FIRST_RESERVED_GDT_BYTE	 (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

#define HV_CS64			 0xe008 /* ring 0, 64-bit code */
#define HV_DS			 0xe010 /* ring 0, data */
#define GUEST_CS32		 0xe023 /* ring 3, 32-bit code (FLAT_RING3_CS32) */
#define GUEST_DS		 0xe02b /* ring 3, data (FLAT_RING3_DS32, FLAT_RING3_SS64) */
#define GUEST_CS64		 0xe033 /* ring 3, 64-bit code (FLAT_RING3_CS64) */
#define TSS_SEL			 0xe040 /* 16-byte system descriptor: entries 8 and 9 of the page */
#define LDT_SEL			 0xe050

#define IST_NMI			 1
#define IST_DF			 2
#define IST_MC			 3

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

struct percpu;

/* Builds this CPU's GDT (in its per-CPU window) and TSS, and loads GDTR, TR and the IDT. */
void desc_init_cpu(struct percpu *pc);
/* Fills the shared IDT; called once on the boot CPU before any other CPU starts. */
void idt_init(void);
/* Sets the DPL of an IDT vector's gate (3 lets a guest use int $vector). */
void idt_set_dpl(unsigned int vector, unsigned int dpl);

#endif /* ASM_DESC_H */
