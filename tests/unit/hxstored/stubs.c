/* SPDX-License-Identifier: GPL-2.0-only */
/* Stand-ins for main.c's daemon actions, for test programs that link the daemon core. */
#include <errno.h>

#include "daemon.h"

int daemon_save(void)
{
	return ENOENT;
}

int daemon_live_update(void)
{
	return ENOSYS;
}
