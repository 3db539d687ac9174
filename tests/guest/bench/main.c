/* SPDX-License-Identifier: MIT */
/*
 * Benchmark guest: cycles per hypercall, event round trip, 512-entry mmu_update,
 * update_va_mapping, and a guest-user syscall round trip (syscall bounce, iret back to user).
 */
#include <pvkit/pvkit.h>
#include <public/version.h>

const char pv_test_title[] =
	"bench: null hypercall, event to self, mmu_update x512, update_va_mapping, user syscall";

#define ROUNDS 7
#define BATCH  512

static uint8_t area[BATCH][PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);
static struct mmu_update req[BATCH];
static volatile unsigned int events;

typedef void (*bench_fn)(unsigned int n);

static void on_event(evtchn_port_t port, void *data)
{
	events++;
}

/* Median over ROUNDS rounds of the cycles per operation of fn(n). */
static uint64_t measure(bench_fn fn, unsigned int n)
{
	uint64_t r[ROUNDS], t;
	unsigned int i, j;

	fn(n / 4 + 1); /* warm up */
	for (i = 0; i < ROUNDS; i++) {
		t = pv_rdtsc();
		fn(n);
		r[i] = (pv_rdtsc() - t) / n;
	}
	for (i = 1; i < ROUNDS; i++)
		for (j = i; j > 0 && r[j - 1] > r[j]; j--) {
			t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	return r[ROUNDS / 2];
}

static void null_hypercall(unsigned int n)
{
	while (n--)
		HYPERVISOR_xen_version(XENVER_version, NULL);
}

static evtchn_port_t send_port;

static void event_self(unsigned int n)
{
	while (n--)
		pv_evtchn_send(send_port);
}

static void mmu_batch(unsigned int n)
{
	while (n--)
		HYPERVISOR_mmu_update(req, BATCH, NULL, DOMID_SELF);
}

static void va_mapping(unsigned int n)
{
	uint64_t pte = *pv_l1e_ptr(area[0]);

	while (n--)
		HYPERVISOR_update_va_mapping((uintptr_t)area[0], pte, UVMF_INVLPG);
}

/*
 * User mode: user_loops syscalls in a row, then one with rdi = 0 that the hook leaves to the
 * catch, which brings the kernel back to pv_exception_catch. (A 64-bit PV guest's pages are all
 * user-accessible, so user mode reads the count itself.)
 */
void u_sysloop(void);
uint64_t user_loops;
__asm__(".pushsection .text\n"
	"u_sysloop: mov user_loops(%rip), %rdi\n"
	"1: syscall\n dec %rdi\n jnz 1b\n syscall\n ud2\n"
	".popsection\n");

static uint8_t user_stack[PAGE_SIZE] PV_ALIGNED(PAGE_SIZE);

static bool user_syscall_hook(struct pv_trap_frame *f)
{
	return f->rdi != 0;
}

static void user_enter(void *arg)
{
	pv_enter_user((uintptr_t)u_sysloop, (uintptr_t)(user_stack + sizeof(user_stack)));
}

/* Two guest mode switches per syscall: each loads the other page table. */
static void user_syscall(unsigned int n)
{
	struct pv_exception ex;

	user_loops = n;
	pv_exception_catch(user_enter, NULL, &ex);
}

static void report(const char *name, uint64_t cycles)
{
	pv_printf("bench %s %llu cycles/op\n", name, (unsigned long long)cycles);
}

void test_main(void)
{
	evtchn_port_t a;
	unsigned int i, before;
	struct mmu_update probe;

	PV_CHECK_EQ(pv_evtchn_alloc_unbound(DOMID_SELF, &a), 0);
	PV_CHECK_EQ(pv_evtchn_bind_interdomain(DOMID_SELF, a, &send_port), 0);
	pv_evtchn_set_handler(a, on_event, NULL);
	pv_events_enable();
	for (i = 0; i < BATCH; i++) {
		area[i][0] = 1; /* touch: every entry present */
		req[i].ptr = pv_l1e_maddr(area[i]) | MMU_NORMAL_PT_UPDATE;
		req[i].val = *pv_l1e_ptr(area[i]);
	}
	probe = req[0];
	PV_CHECK_EQ(HYPERVISOR_mmu_update(&probe, 1, NULL, DOMID_SELF), 0);
	PV_CHECK_EQ(HYPERVISOR_mmu_update(req, BATCH, NULL, DOMID_SELF), 0);
	before = events;
	PV_CHECK_EQ(pv_evtchn_send(send_port), 0);
	PV_CHECK_EQ(events, before + 1); /* the upcall ran before send returned */

	pv_printf("TSC %llu kHz, hypercalls via %s\n", (unsigned long long)pv_tsc_khz(),
		  pv_hypercall_get_mode() == PV_HCALL_PAGE ? "hypercall page" : "syscall");
	report("null_hypercall", measure(null_hypercall, 2000));
	report("event_send_to_self", measure(event_self, 1000));
	report("mmu_update_512", measure(mmu_batch, 20));
	report("update_va_mapping", measure(va_mapping, 1000));
	PV_CHECK_EQ(pv_usermode_init(), 0);
	pv_trap_set_hook(PV_VEC_SYSCALL, user_syscall_hook);
	report("user_syscall", measure(user_syscall, 500));
	pv_trap_set_hook(PV_VEC_SYSCALL, NULL);
}
