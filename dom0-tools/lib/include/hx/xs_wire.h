/* SPDX-License-Identifier: MIT */
/* Xenstore wire ABI: message header, message types, error names and the guest ring page. */
#ifndef HX_XS_WIRE_H
#define HX_XS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Message types. Numbers are ABI (Xen 4.17 public/io/xs_wire.h plus the optional 23-26).
 * Never renumber; append only.
 */
enum hx_xs_type {
	HX_XS_CONTROL = 0,
	HX_XS_DIRECTORY = 1,
	HX_XS_READ = 2,
	HX_XS_GET_PERMS = 3,
	HX_XS_WATCH = 4,
	HX_XS_UNWATCH = 5,
	HX_XS_TRANSACTION_START = 6,
	HX_XS_TRANSACTION_END = 7,
	HX_XS_INTRODUCE = 8,
	HX_XS_RELEASE = 9,
	HX_XS_GET_DOMAIN_PATH = 10,
	HX_XS_WRITE = 11,
	HX_XS_MKDIR = 12,
	HX_XS_RM = 13,
	HX_XS_SET_PERMS = 14,
	HX_XS_WATCH_EVENT = 15,
	HX_XS_ERROR = 16,
	HX_XS_IS_DOMAIN_INTRODUCED = 17,
	HX_XS_RESUME = 18,
	HX_XS_SET_TARGET = 19,
	HX_XS_RESTRICT = 20,
	HX_XS_RESET_WATCHES = 21,
	HX_XS_DIRECTORY_PART = 22,
	HX_XS_GET_FEATURE = 23,
	HX_XS_SET_FEATURE = 24,
	HX_XS_GET_QUOTA = 25,
	HX_XS_SET_QUOTA = 26,
	HX_XS_TYPE_COUNT = 27,
	HX_XS_INVALID = 0xffff,
};

/* Message header, host byte order, followed by len payload bytes. */
struct hx_xs_msg_hdr {
	uint32_t type;	 /* 0: enum hx_xs_type */
	uint32_t req_id; /* 4: echoed in the reply */
	uint32_t tx_id;	 /* 8: transaction id, 0 = none */
	uint32_t len;	 /* 12: payload length */
};
_Static_assert(sizeof(struct hx_xs_msg_hdr) == 16, "xsd_sockmsg is 16 bytes");

#define HX_XS_PAYLOAD_MAX  4096u
#define HX_XS_ABS_PATH_MAX 3072u
#define HX_XS_REL_PATH_MAX 2048u

/*
 * Error names in ABI order (xsd_errors[]). The reply to a failed request is a message of type
 * HX_XS_ERROR whose payload is the NUL-terminated name.
 */
#define HX_XS_ERRORS(X) \
	X(EINVAL)       \
	X(EACCES)       \
	X(EEXIST)       \
	X(EISDIR)       \
	X(ENOENT)       \
	X(ENOMEM)       \
	X(ENOSPC)       \
	X(EIO)          \
	X(ENOTEMPTY)    \
	X(ENOSYS)       \
	X(EROFS)        \
	X(EBUSY)        \
	X(EAGAIN)       \
	X(EISCONN)      \
	X(E2BIG)        \
	X(EPERM)

/* Guest ring page (xenstore_domain_interface), 4 KiB, shared between guest and server. */
#define HX_XS_RING_SIZE	  1024u
#define HX_XS_RING_IDX(i) ((i) & (HX_XS_RING_SIZE - 1))

struct hx_xs_ring {
	char req[HX_XS_RING_SIZE]; /*    0: guest -> server */
	char rsp[HX_XS_RING_SIZE]; /* 1024: server -> guest */
	uint32_t req_cons;	   /* 2048: server advances */
	uint32_t req_prod;	   /* 2052: guest advances */
	uint32_t rsp_cons;	   /* 2056: guest advances */
	uint32_t rsp_prod;	   /* 2060: server advances */
	uint32_t server_features;  /* 2064: HX_XS_RING_F_* */
	uint32_t connection;	   /* 2068: HX_XS_RING_CONNECTED / _RECONNECT */
	uint32_t error;		   /* 2072: HX_XS_RING_ERR_* */
	uint32_t evtchn_port;	   /* 2076: optional */
};
_Static_assert(offsetof(struct hx_xs_ring, rsp) == 1024, "ring layout");
_Static_assert(offsetof(struct hx_xs_ring, req_cons) == 2048, "ring layout");
_Static_assert(offsetof(struct hx_xs_ring, server_features) == 2064, "ring layout");
_Static_assert(offsetof(struct hx_xs_ring, error) == 2072, "ring layout");
_Static_assert(sizeof(struct hx_xs_ring) == 2080, "ring layout");

#define HX_XS_RING_F_RECONNECT 1u
#define HX_XS_RING_F_ERROR     2u
#define HX_XS_RING_CONNECTED   0u
#define HX_XS_RING_RECONNECT   1u
#define HX_XS_RING_ERR_NONE    0u
#define HX_XS_RING_ERR_COMM    1u
#define HX_XS_RING_ERR_RINGIDX 2u
#define HX_XS_RING_ERR_PROTO   3u

/* Permission letters in the text form "<letter><domid>". */
#define HX_XS_PERM_NONE	 0u
#define HX_XS_PERM_READ	 1u
#define HX_XS_PERM_WRITE 2u
#define HX_XS_PERM_BOTH	 3u

#endif /* HX_XS_WIRE_H */
