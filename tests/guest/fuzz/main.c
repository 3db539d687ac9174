/* SPDX-License-Identifier: MIT */
/* Fuzzing guest: random hypercalls with random arguments; the hypervisor must survive them all. */
#include <pvkit/pvkit.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>

const char pv_test_title[] = "fuzz: random hypercalls with random arguments (count=N seed=S)";

/*
 * Arguments point into scratch pages, at addresses that must fault (NULL, unmapped, hypervisor,
 * non-canonical), or anywhere. Operations that would destroy this guest are left out: iret,
 * shutdown/block/watchdog, callback and trap-table changes, the switch to FIFO event channels,
 * vCPU down, moving vcpu_info (into scratch that is then overwritten: an upcall livelock),
 * platform/sysctl/domctl, hypfs, kexec, xenoprof, NMI, and physdev ops that touch hardware.
 * Page-table fuzzing is confined to the victim pages, whose mappings are restored (and must be
 * restorable). On the module command line: count=N seed=S every=N (progress) trace=N (print
 * every hypercall from call N on, to find the one that hangs).
 */
#define NR_VICTIMS 4

/*
 * Pointers go into the first SCRATCH_USED pages only: an output of up to two pages written at
 * such a pointer (xen_version strings, memory maps, frame lists) stays inside scratch.
 */
#define SCRATCH_USED 4
static uint8_t scratch[SCRATCH_USED + 2][PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static uint8_t victim[NR_VICTIMS][PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static uint64_t victim_pte[NR_VICTIMS];
static uint64_t rng_state;
static unsigned long long calls, errors, restores_failed;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

/* Integers that hit edges: small, sign and width boundaries, or anything. */
static uint64_t rnd_int(void)
{
	static const uint64_t edges[] = {
		0,	    1,		2,     0x7ff0,	   0x7fff, 0xffff,	     0x7fffffff,
		0x80000000, 0xffffffff, ~0ULL, 1ULL << 63, 4096,   NR_EVENT_CHANNELS};

	switch (rnd_below(4)) {
	case 0:
		return rnd_below(40);
	case 1:
		return edges[rnd_below(ARRAY_SIZE(edges))];
	case 2:
		return rnd() & 0xffffffff;
	default:
		return rnd();
	}
}

/* A guest pointer: mostly into scratch (random offset, 8-aligned), else one that must fault. */
static uint64_t rnd_ptr(void)
{
	switch (rnd_below(10)) {
	case 0:
		return 0;
	case 1:
		return rnd_below(PAGE_SIZE); /* VA page 0, unmapped below */
	case 2:
		return HYPERVISOR_VIRT_START + (rnd() & 0x7fffffffff8ULL);
	case 3:
		return 0x8000000000000000ULL | rnd();
	case 4:
		return rnd();
	default:
		return (uintptr_t)scratch[rnd_below(SCRATCH_USED)] + (rnd_below(PAGE_SIZE) & ~7ULL);
	}
}

/* Event-channel sub-ops, without those that switch the domain to the FIFO ABI (11-13). */
static uint64_t rnd_evtchn_cmd(void)
{
	uint64_t cmd = rnd_below(13);

	return cmd >= EVTCHNOP_init_control ? cmd + 3 : cmd;
}

static void fill_scratch(void)
{
	unsigned int i = (unsigned int)rnd_below(SCRATCH_USED), j;
	uint64_t *p = (uint64_t *)scratch[i];

	for (j = 0; j < 64; j++)
		p[rnd_below(PAGE_SIZE / 8)] = rnd_below(3) ? rnd_int() : rnd_ptr();
}

static bool tracing;

static long hc(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	long rc;

	if (tracing)
		pv_printf("fuzz: hypercall %u (0x%llx, 0x%llx, 0x%llx, 0x%llx, 0x%llx)\n", nr,
			  (unsigned long long)a1, (unsigned long long)a2, (unsigned long long)a3,
			  (unsigned long long)a4, (unsigned long long)a5);
	rc = pv_hypercall(nr, a1, a2, a3, a4, a5);

	calls++;
	errors += rc < 0;
	return rc;
}

static void restore_victims(void)
{
	unsigned int i;

	for (i = 0; i < NR_VICTIMS; i++)
		if (HYPERVISOR_update_va_mapping((uintptr_t)victim[i], victim_pte[i], UVMF_INVLPG))
			restores_failed++;
}

static void fuzz_mmu(void)
{
	unsigned int v = (unsigned int)rnd_below(NR_VICTIMS);
	uint64_t pte = rnd_below(2) ? rnd() : (victim_pte[v] ^ (1ULL << rnd_below(64)));
	struct mmu_update *u = (struct mmu_update *)scratch[0];

	switch (rnd_below(3)) {
	case 0:
		hc(__HYPERVISOR_update_va_mapping, (uintptr_t)victim[v], pte, rnd_int(), 0, 0);
		break;
	case 1:
		u->ptr = pv_l1e_maddr(victim[v]) | rnd_below(4);
		u->val = pte;
		hc(__HYPERVISOR_mmu_update, (uintptr_t)u, rnd_below(3), rnd_ptr(), DOMID_SELF, 0);
		break;
	default:
		hc(__HYPERVISOR_update_va_mapping_otherdomain, (uintptr_t)victim[v], pte, rnd_int(),
		   rnd_below(2) ? 0 : rnd_int(), 0);
		break;
	}
	restore_victims();
}

static void fuzz_mmuext(void)
{
	struct mmuext_op *op = (struct mmuext_op *)scratch[1];
	unsigned int n = (unsigned int)rnd_below(3);

	op[0].cmd = (uint32_t)(rnd_below(4) ? rnd_below(22) : rnd_int());
	/* Never hand it a frame of this guest: unpinning or re-basing them would kill it. */
	if (op[0].cmd == MMUEXT_NEW_BASEPTR || op[0].cmd == MMUEXT_NEW_USER_BASEPTR ||
	    op[0].cmd == MMUEXT_UNPIN_TABLE || op[0].cmd == MMUEXT_CLEAR_PAGE ||
	    op[0].cmd == MMUEXT_COPY_PAGE)
		op[0].arg1.mfn = pv_start_info->nr_pages * 64 + rnd_below(1ULL << 40);
	else
		op[0].arg1.linear_addr = rnd_ptr();
	op[0].arg2.vcpumask = rnd_ptr();
	op[1] = op[0];
	hc(__HYPERVISOR_mmuext_op, (uintptr_t)op, n, rnd_ptr(),
	   rnd_below(2) ? DOMID_SELF : rnd_int(), 0);
}

static void fuzz_sched_vcpu(void)
{
	static const unsigned int sched_ok[] = {SCHEDOP_yield, SCHEDOP_pin_override, 8, 99};
	unsigned int cmd;

	if (rnd_below(2)) {
		hc(__HYPERVISOR_sched_op, sched_ok[rnd_below(ARRAY_SIZE(sched_ok))], rnd_ptr(), 0,
		   0, 0);
		return;
	}
	do
		cmd = (unsigned int)rnd_below(16);
	while (cmd == VCPUOP_down || cmd == VCPUOP_send_nmi || cmd == VCPUOP_register_vcpu_info);
	hc(__HYPERVISOR_vcpu_op, cmd, rnd_below(3) ? 0 : rnd_int(), rnd_ptr(), 0, 0);
}

static void fuzz_other(void)
{
	static const unsigned int physdev_ok[] = {PHYSDEVOP_irq_status_query,
						  PHYSDEVOP_set_iopl,
						  PHYSDEVOP_eoi,
						  PHYSDEVOP_get_free_pirq,
						  3,
						  99};

	switch (rnd_below(9)) {
	case 0:
		hc(__HYPERVISOR_xen_version, rnd_below(16), rnd_ptr(), 0, 0, 0);
		break;
	case 1:
		hc(__HYPERVISOR_event_channel_op, rnd_evtchn_cmd(), rnd_ptr(), 0, 0, 0);
		break;
	case 2:
		hc(__HYPERVISOR_grant_table_op, rnd_below(14), rnd_ptr(), rnd_below(4), 0, 0);
		break;
	case 3:
		hc(__HYPERVISOR_memory_op, rnd_below(32), rnd_ptr(), 0, 0, 0);
		break;
	case 4:
		hc(__HYPERVISOR_vm_assist, rnd_below(3), rnd_int(), 0, 0, 0);
		break;
	case 5:
		hc(__HYPERVISOR_physdev_op, physdev_ok[rnd_below(ARRAY_SIZE(physdev_ok))],
		   rnd_ptr(), 0, 0, 0);
		break;
	case 6:
		hc(__HYPERVISOR_set_timer_op, rnd_int(), 0, 0, 0, 0);
		break;
	case 7:
		hc(__HYPERVISOR_set_segment_base, rnd_below(5), rnd_int(), 0, 0, 0);
		break;
	default: /* numbers nothing implements */
		hc((unsigned int)(43 + rnd_below(85)), rnd(), rnd(), rnd(), rnd(), rnd());
		break;
	}
}

static void fuzz_misc(void)
{
	switch (rnd_below(6)) {
	case 0:
		hc(__HYPERVISOR_get_debugreg, rnd_int(), 0, 0, 0, 0);
		break;
	case 1:
		hc(__HYPERVISOR_set_debugreg, rnd_below(8), rnd(), 0, 0, 0);
		HYPERVISOR_set_debugreg(7, 0);
		break;
	case 2:
		hc(__HYPERVISOR_fpu_taskswitch, rnd_int(), 0, 0, 0, 0);
		HYPERVISOR_fpu_taskswitch(0);
		break;
	case 3:
		hc(__HYPERVISOR_set_gdt, rnd_ptr(), rnd_int(), 0, 0, 0);
		break;
	case 4:
		hc(__HYPERVISOR_update_descriptor,
		   (pv_virt_to_mfn(scratch[2]) << PAGE_SHIFT) + rnd_below(PAGE_SIZE), rnd(), 0, 0,
		   0);
		break;
	default:
		hc(__HYPERVISOR_console_io, rnd_below(2) ? CONSOLEIO_read : 2 + rnd_below(8),
		   rnd_below(64), rnd_ptr(), 0, 0);
		break;
	}
}

/* A multicall of 1-4 entries drawn from the harmless subset. */
static void fuzz_multicall(void)
{
	struct multicall_entry *mc = (struct multicall_entry *)scratch[3];
	unsigned int i, n = 1 + (unsigned int)rnd_below(4);

	for (i = 0; i < n; i++) {
		mc[i].op = rnd_below(2) ? __HYPERVISOR_xen_version : __HYPERVISOR_event_channel_op;
		mc[i].args[0] =
			mc[i].op == __HYPERVISOR_xen_version ? rnd_below(16) : rnd_evtchn_cmd();
		mc[i].args[1] = rnd_ptr();
		if (tracing)
			pv_printf("fuzz:   entry %u: op %llu (0x%llx, 0x%llx)\n", i,
				  (unsigned long long)mc[i].op, (unsigned long long)mc[i].args[0],
				  (unsigned long long)mc[i].args[1]);
	}
	hc(__HYPERVISOR_multicall, (uintptr_t)mc, n, 0, 0, 0);
}

static bool ignore_debug(struct pv_trap_frame *f)
{
	HYPERVISOR_set_debugreg(7, 0);
	HYPERVISOR_set_debugreg(6, 0);
	return true;
}

static uint64_t cmdline_number(const char *key, uint64_t dflt)
{
	const char *p = strstr(pv_cmdline(), key);
	uint64_t v = 0;

	if (!p)
		return dflt;
	for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

void test_main(void)
{
	uint64_t count = cmdline_number("count=", 20000), i;
	uint64_t every = cmdline_number("every=", 100000),
		 trace_from = cmdline_number("trace=", ~0ULL);
	unsigned int v;

	rng_state = cmdline_number("seed=", 1) * 0x9E3779B97F4A7C15ULL + 1;
	pv_printf("fuzz: %llu hypercalls, seed %llu\n", (unsigned long long)count,
		  (unsigned long long)cmdline_number("seed=", 1));
	pv_trap_set_hook(X86_EXC_DB, ignore_debug);
	PV_CHECK_EQ(pv_unmap_va((void *)0), 0);
	for (v = 0; v < NR_VICTIMS; v++) {
		victim[v][0] = 1;
		victim_pte[v] = *pv_l1e_ptr(victim[v]);
	}
	for (i = 0; i < count; i++) {
		if ((i & 15) == 0)
			fill_scratch();
		switch (rnd_below(8)) {
		case 0:
		case 1:
			fuzz_mmu();
			break;
		case 2:
			fuzz_mmuext();
			break;
		case 3:
			fuzz_sched_vcpu();
			break;
		case 4:
			fuzz_misc();
			break;
		case 5:
			fuzz_multicall();
			break;
		default:
			fuzz_other();
			break;
		}
		if (i && i % every == 0)
			pv_printf("fuzz: %llu calls\n", (unsigned long long)i);
		tracing = i + 1 >= trace_from;
	}
	pv_printf("fuzz: %llu calls, %llu returned an error\n", calls, errors);
	PV_CHECK_EQ(restores_failed, 0);
	/* The guest still works: its own page and hypercalls are intact. */
	PV_CHECK_EQ(HYPERVISOR_xen_version(7, NULL), 4096);
	for (v = 0; v < NR_VICTIMS; v++)
		PV_CHECK_EQ(PV_READ_ONCE(victim[v][0]), 1);
}
