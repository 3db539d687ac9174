/* SPDX-License-Identifier: GPL-2.0-only */
/* platform_op for the control domain: physical CPU information, wallclock, firmware data. */
#include <asm/cpu.h>
#include <asm/processor.h>
#include <asm/pv_emul.h>
#include <hospes/domain.h>
#include <hospes/errno.h>
#include <hospes/guest_access.h>
#include <hospes/lib.h>
#include <hospes/setup.h>
#include <hospes/timer.h>
#include <public/platform.h>

#define NS_PER_SEC 1000000000ULL

static uint32_t max_present_cpu(void)
{
	uint32_t max = 0;

	for (unsigned int i = 0; i < CONFIG_NR_CPUS; i++)
		if (percpu_table[i])
			max = i;
	return max;
}

/* Every CPU the hypervisor knows is present and, once brought up, online: no hotplug yet. */
static void pcpu_info(struct xenpf_pcpuinfo *p)
{
	const struct percpu *pc = p->xen_cpuid < CONFIG_NR_CPUS ? percpu_table[p->xen_cpuid] : NULL;

	p->max_present = max_present_cpu();
	p->flags = pc ? (pc->online ? XEN_PCPU_FLAGS_ONLINE : 0) : XEN_PCPU_FLAGS_INVALID;
	p->apic_id = pc ? pc->apic_id : 0;
	p->acpi_id = pc ? setup_acpi_cpu_uid(pc->apic_id) : 0;
}

/* CPUID leaves 0 and 1 as read here: the CPUs of one machine are one model. */
static int pcpu_version(struct xenpf_pcpu_version *p)
{
	struct cpuid_regs r = cpuid(0);
	uint32_t base_family, base_model;

	p->max_present = max_present_cpu();
	if (p->xen_cpuid >= CONFIG_NR_CPUS || !percpu_table[p->xen_cpuid]) {
		memset(p->vendor_id, 0, sizeof(p->vendor_id));
		p->family = p->model = p->stepping = 0;
		return 0;
	}
	memcpy(p->vendor_id, &r.ebx, 4);
	memcpy(p->vendor_id + 4, &r.edx, 4);
	memcpy(p->vendor_id + 8, &r.ecx, 4);
	r = cpuid(1);
	base_family = (r.eax >> 8) & 0xf;
	base_model = (r.eax >> 4) & 0xf;
	p->family = base_family == 0xf ? base_family + ((r.eax >> 20) & 0xff) : base_family;
	p->model = base_family >= 6 ? base_model | ((r.eax >> 12) & 0xf0) : base_model;
	p->stepping = r.eax & 0xf;
	return 0;
}

/* The firmware tables Xen collects through BIOS calls at boot are not collected here. */
static int firmware_info(struct xenpf_firmware_info *f)
{
	switch (f->type) {
	case XEN_FW_KBD_SHIFT_FLAGS:
		f->u.kbd_shift_flags = 0;
		return 0;
	case XEN_FW_DISK_INFO:
	case XEN_FW_DISK_MBR_SIGNATURE:
	case XEN_FW_VBEDDC_INFO:
		return -ESRCH; /* no entry at any index */
	case XEN_FW_EFI_INFO:
		return -EOPNOTSUPP; /* not booted through EFI runtime services */
	default:
		return -EINVAL;
	}
}

long do_platform_op(uint64_t arg, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct xen_platform_op op;
	int rc;

	(void)a2;
	(void)a3;
	(void)a4;
	(void)a5;
	if (!current_vcpu()->domain->is_privileged)
		return -EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != XENPF_INTERFACE_VERSION)
		return -EACCES;
	switch (op.cmd) {
	case XENPF_settime32:
		if (op.u.settime32.nsecs >= NS_PER_SEC)
			return -EINVAL;
		timer_set_wallclock(op.u.settime32.secs, op.u.settime32.nsecs,
				    op.u.settime32.system_time);
		return 0;
	case XENPF_settime64:
		if (op.u.settime64.mbz || op.u.settime64.nsecs >= NS_PER_SEC ||
		    op.u.settime64.secs > UINT64_MAX / NS_PER_SEC - 1)
			return -EINVAL;
		timer_set_wallclock(op.u.settime64.secs, op.u.settime64.nsecs,
				    op.u.settime64.system_time);
		return 0;
	case XENPF_get_cpuinfo:
		pcpu_info(&op.u.pcpu_info);
		rc = 0;
		break;
	case XENPF_get_cpu_version:
		rc = pcpu_version(&op.u.pcpu_version);
		break;
	case XENPF_firmware_info:
		rc = firmware_info(&op.u.firmware_info);
		break;
	default:
		return -ENOSYS;
	}
	if (!rc && copy_to_guest(arg, &op, sizeof(op)))
		return -EFAULT;
	return rc;
}
