/* SPDX-License-Identifier: GPL-2.0-only */
/* GSIs as PIRQs: I/O APIC routing, delivery as event channels, the guest's EOI. */
#include <asm/cpu.h>
#include <asm/ioapic.h>
#include <asm/msi.h>
#include <asm/traps.h>
#include <hospes/acpi.h>
#include <hospes/console.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/event_channel.h>
#include <hospes/irq.h>
#include <hospes/spinlock.h>
#include <public/physdev.h>

#define VEC_GSI_BASE	0x40 /* GSI n arrives on vector 0x40 + n */
#define ISA_IRQS	16
#define ISA_IRQ_PIT	0
#define ISA_IRQ_COM1	4
#define MPS_POLARITY(f) ((f)&3)		 /* MADT override flags: 1 high, 3 low, 0 bus default */
#define MPS_TRIGGER(f)	(((f) >> 2) & 3) /* 1 edge, 3 level, 0 bus default */

_Static_assert(VEC_GSI_BASE + IOAPIC_MAX_GSIS <= VEC_APIC_TIMER, "GSI vectors fit");
_Static_assert(IOAPIC_MAX_GSIS <= EVTCHN_NR_PIRQS, "every GSI can be a PIRQ");

struct gsi_state {
	struct domain *owner; /* NULL: free */
	bool level, active_low;
	bool bound;	 /* an event channel is bound: the pin is live */
	bool in_service; /* level: delivered, masked until the guest's EOI */
	bool hv_line;	 /* the hypervisor's own (timer, serial): held by name, never bound */
};

/* lock covers gsis[]; it is taken before an event-channel table's lock. */
static spinlock_t lock = SPINLOCK_INIT;
static struct gsi_state gsis[IOAPIC_MAX_GSIS];
static const struct acpi_info *acpi;
static uint32_t boot_apic_id;

/* The GSI an ISA IRQ arrives on, and its trigger/polarity (firmware overrides or ISA's). */
static unsigned int isa_gsi(unsigned int irq, bool *level, bool *low)
{
	*level = false;
	*low = false;
	for (unsigned int i = 0; i < acpi->nr_overrides; i++) {
		const struct acpi_override *o = &acpi->overrides[i];

		if (o->source_irq != irq)
			continue;
		*level = MPS_TRIGGER(o->flags) == 3;
		*low = MPS_POLARITY(o->flags) == 3;
		return o->gsi;
	}
	return irq;
}

/* The hypervisor keeps the PIT's and its serial line's interrupts to itself. */
static bool gsi_reserved(unsigned int gsi)
{
	bool l, p;

	return gsi == isa_gsi(ISA_IRQ_PIT, &l, &p) || gsi == isa_gsi(ISA_IRQ_COM1, &l, &p);
}

/* The default trigger/polarity of gsi: an ISA IRQ's (with overrides), else PCI's. */
static void gsi_defaults(unsigned int gsi, bool *level, bool *low)
{
	*level = gsi >= ISA_IRQS;
	*low = gsi >= ISA_IRQS;
	for (unsigned int irq = 0; irq < ISA_IRQS; irq++) {
		bool l, p;

		if (isa_gsi(irq, &l, &p) == gsi) {
			*level = l;
			*low = p;
			return;
		}
	}
}

static void gsi_interrupt(struct cpu_regs *regs)
{
	unsigned int gsi = (unsigned int)regs->vector - VEC_GSI_BASE;
	struct gsi_state *g = &gsis[gsi];

	spin_lock(&lock);
	if (!g->owner || !g->bound) {
		ioapic_mask(gsi, true); /* nobody listens: keep it quiet */
	} else {
		if (g->level) {
			ioapic_mask(gsi, true);
			g->in_service = true;
		}
		evtchn_raise_pirq(g->owner, gsi);
	}
	spin_unlock(&lock);
}

void irq_init(const struct acpi_info *ai)
{
	unsigned int n = ioapic_init(ai);

	acpi = ai;
	boot_apic_id = this_cpu()->apic_id;
	msi_init(boot_apic_id);
	for (unsigned int gsi = 0; gsi < n; gsi++)
		irq_set_handler(VEC_GSI_BASE + gsi, gsi_interrupt);
}

/* The state of a GSI d holds, NULL if it holds no such one. lock held. */
static struct gsi_state *held(const struct domain *d, unsigned int gsi)
{
	if (gsi >= ioapic_nr_gsis() || gsis[gsi].owner != d)
		return NULL;
	return &gsis[gsi];
}

/* Reprograms gsi's entry from g: masked unless bound and not waiting for an EOI. lock held. */
static int program(unsigned int gsi, const struct gsi_state *g)
{
	int rc = ioapic_route(gsi, (uint8_t)(VEC_GSI_BASE + gsi), g->level, g->active_low,
			      boot_apic_id);

	if (!rc && g->bound && !g->in_service)
		ioapic_mask(gsi, false);
	return rc;
}

int irq_map_gsi(struct domain *d, unsigned int gsi)
{
	struct gsi_state *g;
	int rc;

	if (!d->is_privileged)
		return -EPERM;
	if (gsi >= ioapic_nr_gsis())
		return -EINVAL;
	spin_lock(&lock);
	g = &gsis[gsi];
	if (g->owner && g->owner != d) {
		spin_unlock(&lock);
		return -EPERM;
	}
	if (!g->owner) {
		*g = (struct gsi_state){.owner = d, .hv_line = gsi_reserved(gsi)};
		gsi_defaults(gsi, &g->level, &g->active_low);
	}
	rc = g->hv_line ? 0 : program(gsi, g);
	if (rc)
		g->owner = NULL;
	spin_unlock(&lock);
	return rc ? rc : (int)gsi;
}

int irq_setup_gsi(struct domain *d, unsigned int gsi, bool level, bool active_low)
{
	struct gsi_state *g;
	int rc = -EINVAL;

	spin_lock(&lock);
	g = held(d, gsi);
	if (g) {
		g->level = level;
		g->active_low = active_low;
		g->in_service = false;
		rc = g->hv_line ? 0 : program(gsi, g);
	}
	spin_unlock(&lock);
	return rc;
}

int irq_unmap(struct domain *d, unsigned int pirq)
{
	struct gsi_state *g;

	if (pirq >= MSI_PIRQ_BASE)
		return msi_unmap(d, pirq);
	spin_lock(&lock);
	g = held(d, pirq);
	if (g) {
		if (!g->hv_line)
			ioapic_mask(pirq, true);
		*g = (struct gsi_state){0};
	}
	spin_unlock(&lock);
	return g ? 0 : -EINVAL;
}

bool irq_held_by(const struct domain *d, unsigned int pirq)
{
	bool yes;

	if (pirq >= MSI_PIRQ_BASE)
		return msi_held_by(d, pirq);
	spin_lock(&lock);
	yes = held(d, pirq) && !gsis[pirq].hv_line;
	spin_unlock(&lock);
	return yes;
}

void irq_bound(struct domain *d, unsigned int pirq, bool bound)
{
	struct gsi_state *g;

	if (pirq >= MSI_PIRQ_BASE) {
		msi_bound(d, pirq, bound);
		return;
	}
	spin_lock(&lock);
	g = held(d, pirq);
	if (g && !g->hv_line) {
		g->bound = bound;
		g->in_service = false;
		ioapic_mask(pirq, !bound);
	}
	spin_unlock(&lock);
}

int irq_eoi(struct domain *d, unsigned int pirq)
{
	struct gsi_state *g;

	if (pirq >= MSI_PIRQ_BASE) /* edge messages: nothing to acknowledge */
		return msi_held_by(d, pirq) ? 0 : -EINVAL;
	spin_lock(&lock);
	g = held(d, pirq);
	if (g && g->in_service) {
		g->in_service = false;
		if (g->bound)
			ioapic_mask(pirq, false);
	}
	spin_unlock(&lock);
	return g ? 0 : -EINVAL;
}

int irq_status(struct domain *d, unsigned int pirq, uint32_t *flags)
{
	struct gsi_state *g;

	if (pirq >= MSI_PIRQ_BASE) {
		*flags = 0; /* edge: no EOI needed, never shared */
		return msi_held_by(d, pirq) ? 0 : -EINVAL;
	}
	spin_lock(&lock);
	g = held(d, pirq);
	if (g)
		*flags = g->level ? XENIRQSTAT_needs_eoi : 0;
	spin_unlock(&lock);
	return g ? 0 : -EINVAL;
}

void irq_domain_destroy(struct domain *d)
{
	msi_domain_destroy(d);
	spin_lock(&lock);
	for (unsigned int gsi = 0; gsi < ioapic_nr_gsis(); gsi++)
		if (gsis[gsi].owner == d) {
			if (!gsis[gsi].hv_line)
				ioapic_mask(gsi, true);
			gsis[gsi] = (struct gsi_state){0};
		}
	spin_unlock(&lock);
}
