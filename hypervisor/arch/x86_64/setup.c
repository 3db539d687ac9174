/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot sequence of the boot CPU: from the multiboot2 information to every CPU idling. */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/i8259.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/serial.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <hospes/acpi.h>
#include <hospes/bug.h>
#include <hospes/console.h>
#include <hospes/dom0_build.h>
#include <hospes/domain.h>
#include <hospes/heap.h>
#include <hospes/irq.h>
#include <hospes/lib.h>
#include <hospes/mm.h>
#include <hospes/pvconsole.h>
#include <hospes/pvmm.h>
#include <hospes/sched.h>
#include <hospes/setup.h>
#include <hospes/timer.h>

extern char __image_start[], __image_end[];

struct hv_options hv_opts;
struct boot_info boot_info;
struct memmap host_memmap;
static struct acpi_info acpi_info;

static void print_warnings(const char *what, char (*w)[CMDLINE_WARNING_LEN], unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		pr_warn("%s: %s\n", what, w[i]);
}

static void print_memmap(const struct memmap *m)
{
	pr_info("Memory map (%u regions, %u repairs):\n", m->nr, m->fixes);
	for (unsigned int i = 0; i < m->nr; i++)
		pr_info("  %016llx - %016llx %s\n", (unsigned long long)m->r[i].start,
			(unsigned long long)m->r[i].end, memmap_type_name(m->r[i].type));
}

/* Keeps the image, the boot information and the modules out of the allocators. */
static void reserve_boot_areas(struct memmap *m)
{
	paddr_t image = __pa(__image_start);
	int rc = memmap_reserve(m, image, image + (size_t)(__image_end - __image_start),
				MEM_HYPERVISOR);

	rc |= memmap_reserve(m, boot_info.info_start, boot_info.info_end, MEM_BOOT);
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		rc |= memmap_reserve(m, boot_info.modules[i].start, boot_info.modules[i].end,
				     MEM_BOOT);
	/* Real-mode memory stays put: BIOS data, EBDA, the trampoline. */
	rc |= memmap_reserve(m, 0, MiB(1), MEM_BOOT);
	if (rc)
		panic("memory map too fragmented to reserve the boot areas");
}

static const void *acpi_map(uint64_t pa, size_t len)
{
	if (pa + len < pa || pa + len > GiB(4))
		return NULL; /* firmware tables live below 4 GiB, which is always direct-mapped */
	return __va(pa);
}

/* Without a multiboot2 RSDP tag: the BIOS areas where the RSDP may sit (EBDA, 0xe0000). */
static bool acpi_find_rsdp(uint8_t *out, uint32_t *len)
{
	uint64_t ebda = (uint64_t)(*(const uint16_t *)__va(0x40e)) << 4;
	const uint64_t ranges[2][2] = {{ebda, ebda + 1024}, {0xe0000, 0x100000}};

	for (unsigned int r = 0; r < 2; r++) {
		if (ranges[r][0] < 0x80000 || ranges[r][1] > 0x100000)
			continue;
		for (uint64_t pa = ranges[r][0]; pa + 36 <= ranges[r][1]; pa += 16) {
			const uint8_t *p = __va(pa);

			if (acpi_rsdp_valid(p, 36) || acpi_rsdp_valid(p, 20)) {
				*len = p[15] >= 2 ? 36 : 20;
				memcpy(out, p, *len);
				return true;
			}
		}
	}
	return false;
}

static void acpi_init(void)
{
	if (!boot_info.rsdp_len && !acpi_find_rsdp(boot_info.rsdp, &boot_info.rsdp_len)) {
		pr_warn("ACPI: no RSDP found; running on the boot CPU only\n");
		return;
	}
	acpi_parse(boot_info.rsdp, boot_info.rsdp_len, acpi_map, &acpi_info);
	print_warnings("ACPI", acpi_info.warnings, acpi_info.nr_warnings);
	pr_info("ACPI: revision %u, %u CPUs, %u IOAPICs, LAPIC at 0x%llx%s\n", acpi_info.revision,
		acpi_info.nr_cpus, acpi_info.nr_ioapics, (unsigned long long)acpi_info.lapic_addr,
		acpi_info.hpet_addr ? ", HPET" : "");
	if (acpi_info.cpus_ignored)
		pr_warn("ACPI: %u CPUs beyond CONFIG_NR_CPUS=%d ignored\n", acpi_info.cpus_ignored,
			CONFIG_NR_CPUS);
}

uint32_t setup_acpi_cpu_uid(uint32_t apic_id)
{
	for (unsigned int i = 0; i < acpi_info.nr_cpus && i < CONFIG_NR_CPUS; i++)
		if (acpi_info.cpus[i].apic_id == apic_id)
			return acpi_info.cpus[i].acpi_uid;
	return apic_id;
}

static void early_console(uint32_t mbi_phys)
{
	/* The boot page tables map the first 4 GiB: the information must lie there. */
	int rc = mb2_parse(__va(mbi_phys), GiB(4) - mbi_phys, mbi_phys, &boot_info);

	cmdline_parse(rc ? NULL : boot_info.cmdline, CONFIG_DEFAULT_LOGLVL, &hv_opts);
	console_init(hv_opts.loglvl);
	if (hv_opts.console_com1)
		serial_init(&hv_opts.com1);
	printk(LOG_ERR, "Hospes %s (x86_64) starting, loaded by %s through %s\n", HOSPES_VERSION,
	       boot_info.loader[0] ? boot_info.loader : "an unnamed loader",
	       boot_info.efi ? "UEFI" : "BIOS");
	pr_info("Command line: %s\n", hv_opts.text);
	print_warnings("Boot information", boot_info.warnings, boot_info.nr_warnings);
	print_warnings("Command line", hv_opts.warnings, hv_opts.nr_warnings);
	if (hv_opts.warnings_dropped)
		pr_warn("Command line: %u more warnings not shown\n", hv_opts.warnings_dropped);
	if (rc)
		panic("the multiboot2 boot information is unusable (see above)");
}

static void banner(uint64_t ram_total)
{
	uint64_t ms = time_now_ns() / 1000000;

	printk(LOG_ERR, "Hospes %s: %u CPU%s online, memory %llu MiB total, %llu MiB free\n",
	       HOSPES_VERSION, nr_cpus_online, nr_cpus_online == 1 ? "" : "s",
	       (unsigned long long)(ram_total >> 20),
	       (unsigned long long)(frame_pool_free_count(&frame_pool) >> (20 - PAGE_SHIFT)));
	printk(LOG_ERR, "Hospes %s: boot took %llu ms (TSC %llu kHz)\n", HOSPES_VERSION,
	       (unsigned long long)ms, (unsigned long long)tsc_khz);
}

/* The module's command line without the file name GRUB puts first. */
static const char *module_args(const char *s)
{
	if (s[0] != '/')
		return s;
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

/*
 * Builds the domain the modules describe: the privileged Dom0, or with initdom=unprivileged an
 * ordinary guest (domain 1). Either way it owns the console.
 */
static __noreturn void start_dom0(void)
{
	const struct boot_module *m = &boot_info.modules[0];
	const struct boot_module *rd = boot_info.nr_modules > 1 ? &boot_info.modules[1] : NULL;
	bool priv = !hv_opts.initdom_unprivileged;
	struct domain *d;

	if (!boot_info.nr_modules) {
		pr_info("No initial domain to run (no multiboot module): idling.\n");
		cpu_idle();
	}
	d = domain_create(priv ? 0 : 1, hv_opts.dom0_vcpus ? hv_opts.dom0_vcpus : 1, priv);
	if (!d)
		panic("out of memory creating the initial domain");
	dom0 = d;
	if (priv)
		pvconsole_set_owner(d);
	if (dom0_construct(d, __va(m->start), m->end - m->start, module_args(m->cmdline),
			   hv_opts.dom0_mem, rd ? __va(rd->start) : NULL,
			   rd ? rd->end - rd->start : 0))
		panic("could not build the initial domain (see above)");
	sched_add_domain(d);
	printk(LOG_ERR, "Hospes: starting domain %u (%s, %u vCPU%s)\n", d->domid,
	       priv ? "privileged" : "unprivileged", d->nr_vcpus, d->nr_vcpus == 1 ? "" : "s");
	sched_idle(); /* picks vCPU 0, which the builder left runnable */
}

void start_hospes(uint32_t mbi_phys)
{
	uint64_t ram_total;
	paddr_t tramp_pa;

	boot_tsc = rdtsc();
	early_console(mbi_phys);
	host_memmap = boot_info.mmap;
	memmap_sanitise(&host_memmap);
	print_memmap(&host_memmap);
	if (host_memmap.fixes)
		pr_warn("Memory map: %u inconsistencies repaired (overlaps, wraps, unknown "
			"types)\n",
			host_memmap.fixes);
	ram_total = memmap_total(&host_memmap, MEM_RAM);
	if (ram_total < MiB(16))
		panic("only %llu KiB of usable RAM in the memory map; need at least 16 MiB",
		      (unsigned long long)(ram_total >> 10));
	tramp_pa = memmap_alloc(&host_memmap, PAGE_SIZE, PAGE_SIZE, 0x100000);
	reserve_boot_areas(&host_memmap);
	paging_init(&host_memmap);
	mm_init(&host_memmap);
	paging_set_frame_source(mm_alloc_frame); /* the memory map's RAM now belongs to the pool */
	m2p_init();
	i8259_disable();
	idt_init();
	smp_init_boot_cpu();
	if (!tsc_calibrate())
		pr_warn("TSC calibration against the PIT failed; delays are approximate\n");
	acpi_init();
	apic_init_cpu();
	this_cpu()->apic_id = apic_read_id();
	this_cpu()->apic_ticks_per_ms = apic_timer_calibrate(tsc_khz);
	pv_syscall_init_cpu();
	irq_init(&acpi_info);
	if (!tramp_pa)
		pr_warn("no free page below 1 MiB for the AP trampoline; boot CPU only\n");
	timer_init();
	smp_boot_cpus(&acpi_info, hv_opts.maxcpus, tramp_pa);
	banner(ram_total);
	if (hv_opts.crash[0])
		debug_crash(hv_opts.crash);
	start_dom0();
}
