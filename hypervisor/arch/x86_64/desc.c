/* SPDX-License-Identifier: GPL-2.0-only */
/* GDT, TSS and IDT set-up for each CPU. */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/paging.h>
#include <asm/traps.h>
#include <hospes/bug.h>
#include <hospes/heap.h>
#include <hospes/lib.h>

extern const uint64_t trap_stubs[256];

static struct idt_gate idt[256] __aligned(4096);

static void set_gate(unsigned int v, uint64_t handler, unsigned int ist, unsigned int dpl)
{
	idt[v] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = HV_CS64,
		.ist = (uint8_t)ist,
		.type_attr = (uint8_t)(0x8e | (dpl << 5)), /* present, 64-bit interrupt gate */
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void idt_init(void)
{
	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, trap_stubs[v], 0, 0);
	idt[VEC_NMI].ist = IST_NMI;
	idt[VEC_DF].ist = IST_DF;
	idt[VEC_MC].ist = IST_MC;
	/* int3 and into from a PV guest raise #BP/#OF directly, as on Xen. */
	idt_set_dpl(VEC_BP, 3);
	idt_set_dpl(VEC_OF, 3);
}

void idt_set_dpl(unsigned int vector, unsigned int dpl)
{
	idt[vector].type_attr = (uint8_t)((idt[vector].type_attr & ~0x60) | ((dpl & 3) << 5));
}

static void gdt_fill(uint64_t *g, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)(uintptr_t)tss, limit = sizeof(*tss) - 1;

	memset(g, 0, PAGE_SIZE);
	g[(HV_CS64 & 0xfff) >> 3] = 0x00af9a000000ffffULL;
	g[(HV_DS & 0xfff) >> 3] = 0x00cf92000000ffffULL;
	g[(GUEST_CS32 & 0xfff) >> 3] = 0x00cffa000000ffffULL;
	g[(GUEST_DS & 0xfff) >> 3] = 0x00cff2000000ffffULL;
	g[(GUEST_CS64 & 0xfff) >> 3] = 0x00affa000000ffffULL;
	g[(TSS_SEL & 0xfff) >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
				    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	g[((TSS_SEL & 0xfff) >> 3) + 1] = base >> 32;
}

void desc_init_cpu(struct percpu *pc)
{
	vaddr_t window = PERCPU_VIRT_START + (vaddr_t)pc->id * PERCPU_WINDOW_SIZE;
	struct desc_ptr gdtr, idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	uint8_t *page = pc->gdt;

	if (!page)
		panic("CPU%u: no GDT page", pc->id);
	memset(&pc->tss, 0, sizeof(pc->tss));
	pc->tss.rsp[0] = (uint64_t)(uintptr_t)pc->stack + STACK_SIZE - CPU_INFO_SIZE;
	for (unsigned int i = 0; i < 3; i++)
		pc->tss.ist[i] = (uint64_t)(uintptr_t)pc->ist_stack[i] + IST_STACK_SIZE;
	pc->tss.iomap_base = sizeof(pc->tss); /* no I/O bitmap: ring 3 port access faults */
	gdt_fill((uint64_t *)page, &pc->tss);
	if (paging_map(window + FIRST_RESERVED_GDT_BYTE, __pa(page), 1, PTE_W | pte_nx))
		panic("CPU%u: cannot map its GDT", pc->id);
	gdtr.limit = FIRST_RESERVED_GDT_BYTE + PAGE_SIZE - 1;
	gdtr.base = window;
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	__asm__ volatile("lidt %0" : : "m"(idtr));
	/* Reload CS and the data segments with our selectors. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %1, %%ds\n\t"
			 "mov %1, %%es\n\t"
			 "mov %1, %%ss"
			 :
			 : "i"(HV_CS64), "r"((uint64_t)HV_DS)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)TSS_SEL));
}
