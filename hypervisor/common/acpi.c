/* SPDX-License-Identifier: GPL-2.0-only */
/* ACPI table parsing: checked copies out of firmware memory, no trust in any length field. */
#include <hospes/acpi.h>
#include <hospes/errno.h>
#include <hospes/lib.h>

#define SDT_HEADER_LEN 36

enum madt_entry_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_ISO = 2,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
};

static __printf(2, 3) void acpi_warn(struct acpi_info *info, const char *fmt, ...)
{
	va_list ap;

	if (info->nr_warnings >= ACPI_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(info->warnings[info->nr_warnings++], ACPI_WARNING_LEN, fmt, ap);
	va_end(ap);
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum;
}

bool acpi_rsdp_valid(const void *p, size_t len)
{
	const uint8_t *r = p;

	if (len < 20 || memcmp(r, "RSD PTR ", 8) || checksum(r, 20))
		return false;
	if (r[15] >= 2) {
		uint32_t xlen = rd32(r + 20);

		if (len < 36 || xlen < 36 || xlen > len || checksum(r, 36))
			return false;
	}
	return true;
}

/* Maps a whole table after checking its header: signature sig (NULL: any), length, checksum. */
static const uint8_t *map_table(acpi_map_fn map, uint64_t pa, const char *sig,
				struct acpi_info *info, uint32_t *len_out)
{
	const uint8_t *h = map(pa, SDT_HEADER_LEN);
	uint32_t len;

	if (!h) {
		acpi_warn(info, "table at 0x%llx cannot be mapped", (unsigned long long)pa);
		return NULL;
	}
	if (sig && memcmp(h, sig, 4)) {
		acpi_warn(info, "table at 0x%llx is not %s", (unsigned long long)pa, sig);
		return NULL;
	}
	len = rd32(h + 4);
	if (len < SDT_HEADER_LEN || len > ACPI_MAX_TABLE_LEN) {
		acpi_warn(info, "table %.4s has bad length %u", (const char *)h, len);
		return NULL;
	}
	h = map(pa, len);
	if (!h || checksum(h, len)) {
		acpi_warn(info, "table at 0x%llx has a bad checksum; ignored",
			  (unsigned long long)pa);
		return NULL;
	}
	*len_out = len;
	return h;
}

static void madt_add_cpu(struct acpi_info *info, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	if (!(flags & 3)) /* neither enabled nor online-capable */
		return;
	for (unsigned int i = 0; i < info->nr_cpus; i++) {
		if (info->cpus[i].apic_id == apic_id) {
			acpi_warn(info, "APIC ID %u listed twice; second entry ignored", apic_id);
			return;
		}
	}
	if (info->nr_cpus >= CONFIG_NR_CPUS) {
		info->cpus_ignored++;
		return;
	}
	info->cpus[info->nr_cpus++] = (struct acpi_cpu){apic_id, uid};
}

static void madt_entry(struct acpi_info *info, const uint8_t *e, uint8_t type, uint8_t len)
{
	switch (type) {
	case MADT_LAPIC:
		if (len >= 8)
			madt_add_cpu(info, e[3], e[2], rd32(e + 4));
		break;
	case MADT_X2APIC:
		if (len >= 16)
			madt_add_cpu(info, rd32(e + 4), rd32(e + 12), rd32(e + 8));
		break;
	case MADT_IOAPIC:
		if (len >= 12 && info->nr_ioapics < ACPI_MAX_IOAPICS)
			info->ioapics[info->nr_ioapics++] =
				(struct acpi_ioapic){e[2], rd32(e + 4), rd32(e + 8)};
		break;
	case MADT_ISO:
		if (len >= 10 && info->nr_overrides < ACPI_MAX_OVERRIDES) {
			uint16_t flags = (uint16_t)(e[8] | (e[9] << 8));

			info->overrides[info->nr_overrides++] =
				(struct acpi_override){e[3], rd32(e + 4), flags};
		}
		break;
	case MADT_LAPIC_ADDR:
		if (len >= 12)
			info->lapic_addr = rd64(e + 4);
		break;
	default:
		break;
	}
}

static void parse_madt(struct acpi_info *info, const uint8_t *t, uint32_t len)
{
	uint32_t off;

	if (len < SDT_HEADER_LEN + 8) {
		acpi_warn(info, "MADT too short (%u bytes)", len);
		return;
	}
	info->have_madt = true;
	info->lapic_addr = rd32(t + 36);
	info->pcat_compat = rd32(t + 40) & 1;
	for (off = SDT_HEADER_LEN + 8; off + 2 <= len;) {
		uint8_t type = t[off], elen = t[off + 1];

		if (elen < 2 || elen > len - off) {
			acpi_warn(info, "MADT entry at offset %u has bad length %u; rest ignored",
				  off, elen);
			return;
		}
		madt_entry(info, t + off, type, elen);
		off += elen;
	}
}

static void parse_sdt_entry(struct acpi_info *info, acpi_map_fn map, uint64_t pa)
{
	const uint8_t *h = map(pa, SDT_HEADER_LEN);
	const uint8_t *t;
	uint32_t len;

	if (!h) {
		acpi_warn(info, "table at 0x%llx cannot be mapped", (unsigned long long)pa);
		return;
	}
	if (!memcmp(h, "APIC", 4)) {
		t = map_table(map, pa, "APIC", info, &len);
		if (t)
			parse_madt(info, t, len);
	} else if (!memcmp(h, "HPET", 4)) {
		t = map_table(map, pa, "HPET", info, &len);
		if (t && len >= 56)
			info->hpet_addr = rd64(t + 44);
	}
}

int acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map, struct acpi_info *info)
{
	const uint8_t *r = rsdp, *t;
	bool xsdt;
	uint64_t root;
	uint32_t len, esize;

	memset(info, 0, sizeof(*info));
	if (!acpi_rsdp_valid(rsdp, rsdp_len)) {
		acpi_warn(info, "RSDP is invalid (signature or checksum)");
		return -EINVAL;
	}
	info->revision = r[15];
	xsdt = r[15] >= 2 && rd64(r + 24);
	root = xsdt ? rd64(r + 24) : rd32(r + 16);
	t = map_table(map, root, xsdt ? "XSDT" : "RSDT", info, &len);
	if (!t)
		return 0;
	esize = xsdt ? 8 : 4;
	for (uint32_t off = SDT_HEADER_LEN; off + esize <= len; off += esize) {
		uint64_t pa = xsdt ? rd64(t + off) : rd32(t + off);

		parse_sdt_entry(info, map, pa);
	}
	return 0;
}
