/* SPDX-License-Identifier: GPL-2.0-only */
/* Trap dispatch, the fatal-trap report (registers, stack trace) and panic. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/pv.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hospes/bug.h>
#include <hospes/console.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/setup.h>
#include <hospes/symbols.h>

static irq_handler_t irq_handlers[256];
static volatile int panicking;

static const char *const exc_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM device not available",
	"#DF double fault",
	"coprocessor segment overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved 15",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualisation",
	"#CP control protection",
};

void irq_set_handler(unsigned int vector, irq_handler_t fn)
{
	if (vector >= VEC_FIRST_IRQ && vector < 256)
		irq_handlers[vector] = fn;
}

static void print_symbol(const char *prefix, uint64_t addr)
{
	uint64_t off;
	const char *name = symbols_lookup(addr, &off);

	if (name)
		printk(LOG_ERR, "%s%016llx %s+0x%llx\n", prefix, (unsigned long long)addr, name,
		       (unsigned long long)off);
	else
		printk(LOG_ERR, "%s%016llx\n", prefix, (unsigned long long)addr);
}

/* Follows the frame-pointer chain while it stays inside the stack rsp was on. */
static void stack_trace(uint64_t rbp, uint64_t rsp)
{
	uint64_t lo = rsp & ~(uint64_t)(STACK_SIZE - 1), hi = lo + STACK_SIZE;

	printk(LOG_ERR, "Call trace:\n");
	for (unsigned int depth = 0; depth < 32; depth++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;

		if (rbp < lo || rbp + 16 > hi || (rbp & 7))
			break;
		if (frame[1] == 0)
			break;
		print_symbol("   ", frame[1]);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

void fatal_trap(const struct cpu_regs *r)
{
	unsigned int v = (unsigned int)r->vector;

	console_panic_mode();
	printk(LOG_ERR, "\n*** Hospes: FATAL TRAP: vector %u (%s), error code 0x%llx, on CPU%u\n",
	       v, v < 32 && exc_names[v] ? exc_names[v] : "interrupt",
	       (unsigned long long)r->error_code, smp_processor_id());
	print_symbol("RIP: ", r->rip);
	printk(LOG_ERR, "CS: %04llx SS: %04llx RFLAGS: %016llx RSP: %016llx\n",
	       (unsigned long long)r->cs, (unsigned long long)r->ss, (unsigned long long)r->rflags,
	       (unsigned long long)r->rsp);
	printk(LOG_ERR, "RAX: %016llx RBX: %016llx RCX: %016llx RDX: %016llx\n",
	       (unsigned long long)r->rax, (unsigned long long)r->rbx, (unsigned long long)r->rcx,
	       (unsigned long long)r->rdx);
	printk(LOG_ERR, "RSI: %016llx RDI: %016llx RBP: %016llx R8:  %016llx\n",
	       (unsigned long long)r->rsi, (unsigned long long)r->rdi, (unsigned long long)r->rbp,
	       (unsigned long long)r->r8);
	printk(LOG_ERR, "R9:  %016llx R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)r->r9, (unsigned long long)r->r10, (unsigned long long)r->r11,
	       (unsigned long long)r->r12);
	printk(LOG_ERR, "R13: %016llx R14: %016llx R15: %016llx\n", (unsigned long long)r->r13,
	       (unsigned long long)r->r14, (unsigned long long)r->r15);
	printk(LOG_ERR, "CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
	       (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	stack_trace(r->rbp, r->rsp);
	panic("fatal trap %u in the hypervisor", v);
}

static void stop_this_cpu(struct cpu_regs *regs)
{
	(void)regs;
	local_irq_disable();
	for (;;)
		halt();
}

void trap_dispatch(struct cpu_regs *regs)
{
	unsigned int v = (unsigned int)regs->vector;

	if (v == VEC_NMI && panicking)
		stop_this_cpu(regs);
	if (v >= VEC_FIRST_IRQ) {
		if (irq_handlers[v])
			irq_handlers[v](regs);
		if (v != VEC_SPURIOUS)
			apic_eoi();
		return;
	}
	if ((regs->cs & 3) == 3) {
		pv_trap(regs);
		return;
	}
	/* A guest address given to a hypercall was bad: the copy returns a short count. */
	if ((v == VEC_PF || v == VEC_GP) && extable_fixup(&regs->rip))
		return;
	fatal_trap(regs);
}

static __noreturn void machine_restart(void)
{
	struct desc_ptr none = {0, 0};

	outb(0xcf9, 0x06); /* PCI reset control: full reset */
	udelay(50000);
	outb(0x64, 0xfe); /* keyboard controller reset */
	udelay(50000);
	__asm__ volatile("lidt %0; int3" : : "m"(none)); /* triple fault */
	for (;;)
		halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	local_irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		stop_this_cpu(NULL); /* another CPU is already reporting */
	console_panic_mode();
	if (nr_cpus_online > 1)
		apic_send_nmi_all_but_self();
	printk(LOG_ERR, "\n*** Hospes PANIC on CPU%u: ", smp_processor_id());
	va_start(ap, fmt);
	vprintk(LOG_ERR, fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "\n");
	if (hv_opts.noreboot) {
		printk(LOG_ERR, "*** System halted (noreboot).\n");
		for (;;)
			halt();
	}
	printk(LOG_ERR, "*** Rebooting in 5 seconds...\n");
	udelay(5000000);
	machine_restart();
}
