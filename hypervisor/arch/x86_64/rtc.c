/* SPDX-License-Identifier: GPL-2.0-only */
/* CMOS RTC read (BCD or binary, 12/24 h, century register) converted to Unix time. */
#include <asm/io.h>
#include <asm/rtc.h>

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define RTC_REG_A   0x0a
#define RTC_REG_B   0x0b
#define RTC_CENTURY 0x32 /* the register ACPI's FADT names on PCs and QEMU */
#define RTC_UIP	    0x80 /* register A: update in progress */
#define RTC_BINARY  0x04 /* register B: binary, not BCD */
#define RTC_24H	    0x02 /* register B: 24-hour mode */

struct rtc_time {
	unsigned int sec, min, hour, day, mon, year, century;
};

static unsigned int cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void rtc_read_raw(struct rtc_time *t)
{
	for (unsigned int i = 0; i < 1000000 && (cmos_read(RTC_REG_A) & RTC_UIP); i++)
		;
	t->sec = cmos_read(0x00);
	t->min = cmos_read(0x02);
	t->hour = cmos_read(0x04);
	t->day = cmos_read(0x07);
	t->mon = cmos_read(0x08);
	t->year = cmos_read(0x09);
	t->century = cmos_read(RTC_CENTURY);
}

static unsigned int bcd(unsigned int v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

static bool rtc_same(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
	       a->mon == b->mon && a->year == b->year && a->century == b->century;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

uint64_t rtc_read_seconds(void)
{
	struct rtc_time a, b;
	unsigned int regb = cmos_read(RTC_REG_B), i, pm, year;

	rtc_read_raw(&a);
	for (i = 0; i < 5; i++) {
		rtc_read_raw(&b);
		if (rtc_same(&a, &b))
			break;
		a = b;
	}
	pm = a.hour & 0x80;
	a.hour &= 0x7f;
	if (!(regb & RTC_BINARY)) {
		a.sec = bcd(a.sec);
		a.min = bcd(a.min);
		a.hour = bcd(a.hour);
		a.day = bcd(a.day);
		a.mon = bcd(a.mon);
		a.year = bcd(a.year);
		a.century = bcd(a.century);
	}
	if (!(regb & RTC_24H))
		a.hour = (a.hour % 12) + (pm ? 12 : 0);
	year = a.century >= 19 && a.century <= 30 ? a.century * 100 + a.year : 2000 + a.year;
	if (a.sec > 59 || a.min > 59 || a.hour > 23 || a.day < 1 || a.day > 31 || a.mon < 1 ||
	    a.mon > 12)
		return 0;
	return (uint64_t)(days_from_civil(year, a.mon, a.day) * 86400 + a.hour * 3600 + a.min * 60 +
			  a.sec);
}
