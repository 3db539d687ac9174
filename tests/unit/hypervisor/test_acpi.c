/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of hypervisor/common/acpi.c over a fake physical memory. */
#include <stdlib.h>
#include <string.h>
#include <hospes/acpi.h>
#include <hospes/errno.h>
#include "../harness.h"

#define MEM_SIZE 0x10000
static uint8_t mem[MEM_SIZE];
static struct acpi_info info;
static uint8_t rsdp[36];

static const void *fake_map(uint64_t pa, size_t len)
{
	if (pa >= MEM_SIZE || len > MEM_SIZE - pa)
		return NULL;
	return mem + pa;
}

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)-sum;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void sdt_header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
}

/* RSDP v2 -> XSDT at 0x1000 -> MADT at 0x2000 (n_cpus LAPIC entries, one IOAPIC, one ISO). */
static void build(unsigned int n_cpus)
{
	uint8_t *x = mem + 0x1000, *t = mem + 0x2000;
	uint32_t off = 44;
	uint64_t madt = 0x2000;

	memset(mem, 0, sizeof(mem));
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = 2;
	put32(rsdp + 20, 36);
	memcpy(rsdp + 24, &(uint64_t){0x1000}, 8);
	fix_checksum(rsdp, 20, 8);
	fix_checksum(rsdp, 36, 32);
	sdt_header(x, "XSDT", 44);
	memcpy(x + 36, &madt, 8);
	fix_checksum(x, 44, 9);
	put32(t + 36, 0xfee00000);
	put32(t + 40, 1);
	for (unsigned int i = 0; i < n_cpus; i++, off += 8) {
		t[off] = 0;
		t[off + 1] = 8;
		t[off + 2] = (uint8_t)i;
		t[off + 3] = (uint8_t)i;
		put32(t + off + 4, 1);
	}
	t[off] = 1;
	t[off + 1] = 12;
	t[off + 2] = 0;
	put32(t + off + 4, 0xfec00000);
	off += 12;
	t[off] = 2;
	t[off + 1] = 10;
	t[off + 3] = 0;
	put32(t + off + 4, 2);
	off += 10;
	sdt_header(t, "APIC", off);
	fix_checksum(t, off, 9);
}

static void test_typical(void)
{
	build(4);
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), 0);
	CHECK_EQ(info.nr_warnings, 0);
	CHECK(info.have_madt);
	CHECK(info.pcat_compat);
	CHECK_EQ(info.revision, 2);
	CHECK_EQ(info.nr_cpus, 4);
	CHECK_EQ(info.cpus[3].apic_id, 3);
	CHECK_EQ(info.lapic_addr, 0xfee00000);
	CHECK_EQ(info.nr_ioapics, 1);
	CHECK_EQ(info.ioapics[0].addr, 0xfec00000);
	CHECK_EQ(info.nr_overrides, 1);
	CHECK_EQ(info.overrides[0].gsi, 2);
}

static void test_bad_rsdp(void)
{
	build(1);
	rsdp[3] ^= 1;
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), -EINVAL);
	build(1);
	rsdp[10] ^= 1; /* checksum broken */
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), -EINVAL);
	CHECK_EQ(acpi_parse(rsdp, 10, fake_map, &info), -EINVAL);
}

static void test_bad_tables(void)
{
	build(2);
	mem[0x2000 + 50] ^= 0x40; /* MADT checksum */
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), 0);
	CHECK(!info.have_madt);
	CHECK_EQ(info.nr_warnings, 1);
	build(2);
	put32(mem + 0x2000 + 4, 0xfffffff0); /* absurd length */
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), 0);
	CHECK(!info.have_madt);
	build(2);
	memcpy(mem + 0x1000 + 36, &(uint64_t){0xffffffffff000ULL}, 8); /* unmappable */
	fix_checksum(mem + 0x1000, 44, 9);
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), 0);
	CHECK(!info.have_madt);
	CHECK(strstr(info.warnings[0], "cannot be mapped") != NULL);
}

static void test_bad_madt_entries(void)
{
	build(3);
	mem[0x2000 + 44 + 8 + 1] = 0; /* second LAPIC entry claims length 0 */
	fix_checksum(mem + 0x2000, 44 + 3 * 8 + 22, 9);
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), 0);
	CHECK_EQ(info.nr_cpus, 1);
	CHECK(strstr(info.warnings[0], "bad length") != NULL);
	build(3);
	mem[0x2000 + 44 + 8 + 3] = 0; /* duplicate APIC ID 0 */
	fix_checksum(mem + 0x2000, 44 + 3 * 8 + 22, 9);
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), 0);
	CHECK_EQ(info.nr_cpus, 2);
}

static void test_too_many_cpus(void)
{
	build(CONFIG_NR_CPUS + 3 > 250 ? 250 : CONFIG_NR_CPUS + 3);
	CHECK_EQ(acpi_parse(rsdp, 36, fake_map, &info), 0);
	CHECK_EQ(info.nr_cpus, CONFIG_NR_CPUS);
	CHECK_EQ(info.cpus_ignored, 3);
}

static void test_fuzz(void)
{
	srand(99);
	for (int round = 0; round < 3000 && !unit_failures; round++) {
		build(4);
		for (int k = 0; k < 1 + rand() % 8; k++)
			mem[0x2000 + rand() % 120] = (uint8_t)rand();
		if (rand() % 2)
			fix_checksum(mem + 0x2000, 44 + 4 * 8 + 22, 9);
		acpi_parse(rsdp, 36, fake_map, &info);
		CHECK(info.nr_cpus <= CONFIG_NR_CPUS);
		CHECK(info.nr_ioapics <= ACPI_MAX_IOAPICS);
		CHECK(info.nr_warnings <= ACPI_MAX_WARNINGS);
	}
}

static const struct unit_test tests[] = {
	{"typical MADT", test_typical},
	{"invalid RSDP", test_bad_rsdp},
	{"bad tables are skipped", test_bad_tables},
	{"bad MADT entries", test_bad_madt_entries},
	{"more CPUs than CONFIG_NR_CPUS", test_too_many_cpus},
	{"corrupted MADT stays in bounds", test_fuzz},
};

int main(void)
{
	return unit_run("acpi", tests, sizeof(tests) / sizeof(tests[0]));
}
