/* SPDX-License-Identifier: GPL-2.0-only */
/* Linker script: linked at HV_IMAGE_VIRT + HV_LOAD_PHYS, loaded at HV_LOAD_PHYS. */
#include <asm/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
/* GRUB takes the entry from the multiboot2 header's entry tag, but still checks that the ELF
 * entry lies inside a segment's virtual range. */
ENTRY(start32)

PHDRS
{
	text PT_LOAD FLAGS(5);
	rodata PT_LOAD FLAGS(4);
	data PT_LOAD FLAGS(6);
}

SECTIONS
{
	. = HV_IMAGE_VIRT + HV_LOAD_PHYS;
	__image_start = .;
	.text : AT(ADDR(.text) - HV_PHYS_OFFSET) {
		__text_start = .;
		KEEP(*(.text.boot))
		*(.text .text.*)
		__text_end = .;
	} :text

	. = ALIGN(PAGE_SIZE);
	.rodata : AT(ADDR(.rodata) - HV_PHYS_OFFSET) {
		__rodata_start = .;
		*(.rodata.boot)
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__initcall_start = .;
		KEEP(*(SORT(.initcall.*)))
		__initcall_end = .;
		. = ALIGN(8);
		__ex_table_start = .;
		KEEP(*(.ex_table))
		__ex_table_end = .;
		__rodata_end = .;
	} :rodata

	. = ALIGN(PAGE_SIZE);
	.data : AT(ADDR(.data) - HV_PHYS_OFFSET) {
		__data_start = .;
		*(.data.page_aligned)
		*(.data .data.*)
	} :data

	. = ALIGN(PAGE_SIZE);
	.bss : AT(ADDR(.bss) - HV_PHYS_OFFSET) {
		__bss_start = .;
		*(.bss.stack)
		*(.bss.page_aligned)
		*(.bss .bss.* COMMON)
		. = ALIGN(PAGE_SIZE);
		__bss_end = .;
	} :data
	__image_end = .;

	/DISCARD/ : {
		*(.comment) *(.note.*) *(.eh_frame) *(.eh_frame_hdr)
	}
}
