/* SPDX-License-Identifier: MIT */
/* pvkit: console output through HYPERVISOR_console_io and the start_info console ring. */
#ifndef PVKIT_CONSOLE_H
#define PVKIT_CONSOLE_H

#include "lib.h"
#include <public/event_channel.h>
#include <public/io/console.h>

/*
 * Output goes to every enabled sink: console_io(CONSOLEIO_write) (on by default; the hypervisor
 * prints it for the initial domain) and, once pv_console_ring_init() ran, the PV console ring
 * (a domU's start_info.console.domU page), which is notified through its event channel and
 * waited on until the backend has consumed it.
 */
void pv_console_write(const char *buf, size_t len);
void pv_puts(const char *s); /* no newline added */
int pv_printf(const char *fmt, ...) PV_PRINTF(1, 2);
int pv_vprintf(const char *fmt, va_list ap);

/* Use this ring (already mapped) and port as a second sink. */
void pv_console_ring_init(struct xencons_interface *ring, evtchn_port_t port);
/* Turn the console_io sink on or off (a domU without console permission turns it off). */
void pv_console_io_enable(bool on);
/* Write raw bytes into the ring only; returns bytes queued (may be fewer than len if full). */
size_t pv_console_ring_write(const char *buf, size_t len);
/* Read bytes from the console_io input (dom0): returns count or -XEN_E*. */
long pv_console_io_read(char *buf, unsigned int len);

#endif /* PVKIT_CONSOLE_H */
