/* SPDX-License-Identifier: GPL-2.0-only */
/* `hx container` group: helpers and the commands defined in container_info.c. */
#ifndef HX_CONTAINER_H
#define HX_CONTAINER_H

#include "../containers/include/hxct/ct.h"
#include "hx.h"

/* ct_ctx_init with the error printed; 0 or -1. */
int hxc_ctx(struct ct_ctx *ctx);
/* Prints err; returns HX_EXIT_FAIL. */
int hxc_err(const ct_err_t *err);

int hxc_cmd_list(const struct hx_cmd *cmd, int argc, char **argv);
int hxc_cmd_info(const struct hx_cmd *cmd, int argc, char **argv);
int hxc_cmd_logs(const struct hx_cmd *cmd, int argc, char **argv);
int hxc_cmd_import(const struct hx_cmd *cmd, int argc, char **argv);
int hxc_cmd_layers(const struct hx_cmd *cmd, int argc, char **argv);
int hxc_cmd_layer_rm(const struct hx_cmd *cmd, int argc, char **argv);

#endif
