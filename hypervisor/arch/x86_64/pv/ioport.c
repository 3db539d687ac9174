/* SPDX-License-Identifier: GPL-2.0-only */
/* PV port I/O: emulation of IN/OUT/INS/OUTS under the virtual IOPL or I/O bitmap. */
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/pci_conf.h>
#include <asm/pv.h>
#include <asm/pv_emul.h>
#include <asm/time.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/vpit.h>
#include <public/physdev.h>

#define X86_EFLAGS_DF	 (1ul << 10)
#define MAX_REP_PER_TRAP 256 /* a longer REP INS/OUTS restarts (RCX counts down) */

bool pv_iopl_ok(const struct vcpu *v)
{
	/* The guest kernel counts as ring 1, or ring 0 with VMASST_TYPE_architectural_iopl. */
	unsigned int cpl = 3;

	if (v->arch.kernel_mode)
		cpl = (v->domain->vm_assist & (1ULL << VMASST_TYPE_architectural_iopl)) ? 0 : 1;
	return v->arch.iopl >= cpl;
}

/* Ports the hypervisor keeps for itself: PICs, PIT, serial, PCI config (emulated), ELCR. */
static bool port_reserved(unsigned int port)
{
	static const uint16_t ranges[][2] = {
		{0x20, 0x21},	{0x40, 0x43},	{0xa0, 0xa1},	{0x2f8, 0x2ff},
		{0x3f8, 0x3ff}, {0x4d0, 0x4d1}, {0xcf8, 0xcff},
	};

	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++)
		if (port >= ranges[i][0] && port <= ranges[i][1])
			return true;
	return false;
}

/* The domain may touch these ports in hardware (else reads give ~0, writes are dropped). */
static bool port_permitted(const struct domain *d, unsigned int port, unsigned int bytes)
{
	if (!d->is_privileged)
		return false;
	for (unsigned int i = 0; i < bytes; i++)
		if (port + i > 0xffff || port_reserved(port + i))
			return false;
	return true;
}

/* The guest may execute this port access (virtual IOPL or its I/O bitmap), Xen's rules. */
static bool guest_io_okay(struct vcpu *v, unsigned int port, unsigned int bytes)
{
	struct arch_vcpu *a = &v->arch;
	uint16_t mask;
	bool user = !a->kernel_mode;
	int rc;

	if (pv_iopl_ok(v))
		return true;
	if (!a->iobmp || port + bytes > a->iobmp_nr)
		return false;
	if (user) /* the bitmap is a guest kernel address */
		pv_toggle_guest_mode(v);
	rc = copy_from_guest(&mask, a->iobmp + (port >> 3), sizeof(mask));
	if (user)
		pv_toggle_guest_mode(v);
	if (rc)
		return false;
	return (mask & (((1u << bytes) - 1) << (port & 7))) == 0;
}

/*
 * PIT channel 2 and port B are every domain's own (hospes/vpit.h): kernels calibrate their
 * clocks on them, and a channel that never counts makes Linux spin for 50000 reads. A
 * privileged domain's port B reads and writes also reach the hardware (its NMI bits).
 */
static uint32_t vpit_port_read(struct domain *d, unsigned int port)
{
	uint8_t hw = port == VPIT_PORT_B && d->is_privileged ? inb(VPIT_PORT_B) : 0;

	return vpit_read(&d->vpit, port, time_now_ns(), hw);
}

static void vpit_port_write(struct domain *d, unsigned int port, uint8_t val)
{
	vpit_write(&d->vpit, port, val, time_now_ns());
	if (port == VPIT_PORT_B && d->is_privileged)
		outb(VPIT_PORT_B, val);
}

static uint32_t port_read(struct domain *d, unsigned int port, unsigned int bytes)
{
	if (d->is_privileged && pci_conf_port(port, bytes))
		return pci_conf_read(d, port, bytes);
	if (bytes == 1 && vpit_port(port))
		return vpit_port_read(d, port);
	if (!port_permitted(d, port, bytes))
		return bytes == 4 ? 0xffffffffu : (1u << (bytes * 8)) - 1;
	if (bytes == 1)
		return inb((uint16_t)port);
	if (bytes == 2)
		return inw((uint16_t)port);
	return inl((uint16_t)port);
}

static void port_write(struct domain *d, unsigned int port, unsigned int bytes, uint32_t val)
{
	if (d->is_privileged && pci_conf_port(port, bytes)) {
		pci_conf_write(d, port, bytes, val);
		return;
	}
	if (bytes == 1 && vpit_port(port)) {
		vpit_port_write(d, port, (uint8_t)val);
		return;
	}
	if (!port_permitted(d, port, bytes))
		return;
	if (bytes == 1)
		outb((uint16_t)port, (uint8_t)val);
	else if (bytes == 2)
		outw((uint16_t)port, (uint16_t)val);
	else
		outl((uint16_t)port, val);
}

/* INS/OUTS, with REP: through guest memory at RDI (INS) or RSI (OUTS), DF honoured. */
static bool emulate_string_io(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in,
			      unsigned int port, unsigned int bytes, bool is_in)
{
	uint64_t amask = in->addr32 ? 0xffffffffULL : ~0ULL;
	uint64_t *ptr = is_in ? &regs->rdi : &regs->rsi;
	uint64_t count = in->rep ? (regs->rcx & amask) : 1;
	int64_t step = (regs->rflags & X86_EFLAGS_DF) ? -(int64_t)bytes : (int64_t)bytes;
	unsigned int done = 0;

	if (in->seg == 4 || in->seg == 5 || (is_in && in->seg >= 0))
		return false; /* FS/GS-relative or overridden ES: not emulated */
	for (; count && done < MAX_REP_PER_TRAP; count--, done++) {
		uint32_t val = 0;
		uint64_t va = *ptr & amask;

		if (is_in)
			val = port_read(v->domain, port, bytes);
		if (is_in ? copy_to_guest(va, &val, bytes) : copy_from_guest(&val, va, bytes)) {
			v->info->arch.cr2 = va;
			pv_inject_exception(v, regs, VEC_PF, true,
					    (v->arch.kernel_mode ? 0 : 4) | (is_in ? 2 : 0));
			return true;
		}
		if (!is_in)
			port_write(v->domain, port, bytes, val);
		*ptr = (*ptr & ~amask) | ((*ptr + (uint64_t)step) & amask);
		if (in->rep)
			regs->rcx = (regs->rcx & ~amask) | ((regs->rcx - 1) & amask);
	}
	if (!count)
		regs->rip += in->p + 1;
	return true;
}

bool emulate_portio(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in)
{
	uint8_t op = in->b[in->p];
	unsigned int bytes = (op & 1) ? (in->opsz16 ? 2 : 4) : 1, port;
	bool is_in = !(op & 2), imm = false, string = false;

	if (op >= 0xe4 && op <= 0xe7) { /* IN/OUT with imm8 port */
		port = in->b[in->p + 1];
		imm = true;
	} else if (op >= 0xec && op <= 0xef) { /* IN/OUT with DX */
		port = (uint16_t)regs->rdx;
	} else if (op >= 0x6c && op <= 0x6f) { /* INS/OUTS */
		port = (uint16_t)regs->rdx;
		is_in = op <= 0x6d;
		string = true;
	} else {
		return false;
	}
	if (!guest_io_okay(v, port, bytes))
		return false;
	if (string)
		return emulate_string_io(v, regs, in, port, bytes, is_in);
	if (is_in) {
		uint32_t val = port_read(v->domain, port, bytes);

		if (bytes == 4)
			regs->rax = val; /* a 32-bit result zero-extends */
		else
			regs->rax = (regs->rax & ~((1ULL << (bytes * 8)) - 1)) | val;
	} else {
		port_write(v->domain, port, bytes, (uint32_t)regs->rax);
	}
	regs->rip += in->p + (imm ? 2 : 1);
	return true;
}
