/* SPDX-License-Identifier: GPL-2.0-only */
/* Container networking over rtnetlink: veth pairs, bridge ports, addresses, routes. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include "internal.h"

void ct_net_veth_name(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "hx%08x", ct_hash(name));
}

/* One rtnetlink request being built: header, family header, attributes. */
struct nl_msg {
	union {
		struct nlmsghdr h;
		char buf[1024];
	};
};

/* Appends an attribute (or a family header when type < 0); returns where its payload went. */
static void *nl_put(struct nl_msg *m, int type, const void *data, size_t len)
{
	size_t at = NLMSG_ALIGN(m->h.nlmsg_len);
	struct rtattr *rta = (struct rtattr *)(m->buf + at);
	size_t hdr = type < 0 ? 0 : RTA_LENGTH(0);

	if (at + RTA_ALIGN(hdr + len) > sizeof(m->buf))
		abort(); /* our requests are fixed and small: a bug, not an input error */
	if (type >= 0) {
		rta->rta_type = (unsigned short)type;
		rta->rta_len = (unsigned short)(hdr + len);
	}
	memset(m->buf + at + hdr, 0, RTA_ALIGN(len));
	if (data)
		memcpy(m->buf + at + hdr, data, len);
	m->h.nlmsg_len = (uint32_t)(at + RTA_ALIGN(hdr + len));
	return m->buf + at + hdr;
}

static void nl_put_str(struct nl_msg *m, int type, const char *s)
{
	nl_put(m, type, s, strlen(s) + 1);
}

static void nl_put_u32(struct nl_msg *m, int type, uint32_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

/* Opens a nested attribute; nl_nest_end closes it once its content is in. */
static size_t nl_nest_start(struct nl_msg *m, int type)
{
	size_t at = NLMSG_ALIGN(m->h.nlmsg_len);

	nl_put(m, type, NULL, 0);
	return at;
}

static void nl_nest_end(struct nl_msg *m, size_t at)
{
	((struct rtattr *)(m->buf + at))->rta_len = (unsigned short)(m->h.nlmsg_len - at);
}

/* Starts a request: type, flags and a zeroed family header of hlen bytes. */
static void *nl_start(struct nl_msg *m, int type, int flags, size_t hlen)
{
	m->h = (struct nlmsghdr){.nlmsg_len = NLMSG_HDRLEN,
				 .nlmsg_type = (uint16_t)type,
				 .nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags),
				 .nlmsg_seq = 1};
	return nl_put(m, -1, NULL, hlen);
}

/* Sends one request and waits for its ack. Returns 0 or -errno. */
static int nl_talk(struct nl_msg *m)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	char buf[4096];
	const struct nlmsghdr *r = (const struct nlmsghdr *)buf;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), rc = -EIO;
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (sendto(fd, m->buf, m->h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		rc = -errno;
		goto out;
	}
	do {
		n = recv(fd, buf, sizeof(buf), 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		rc = -errno;
	else if (NLMSG_OK(r, (size_t)n) && r->nlmsg_type == NLMSG_ERROR &&
		 r->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		rc = ((const struct nlmsgerr *)NLMSG_DATA(r))->error;
out:
	close(fd);
	return rc;
}

static int parse_mac(const char *s, unsigned char mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)v[i];
	return 0;
}

int ct_net_veth_create(const char *host, const char *bridge, const char *peer, pid_t netns_pid,
		       const char *mac, ct_err_t *err)
{
	struct nl_msg m;
	struct ifinfomsg *ifm;
	size_t linkinfo, data, peer_at;
	unsigned int br = if_nametoindex(bridge);
	unsigned char hw[6];
	int rc;

	if (!br)
		return ct_err(err, 0,
			      "bridge '%s' does not exist in the runtime's network namespace",
			      bridge);
	ifm = nl_start(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifm));
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	nl_put_str(&m, IFLA_IFNAME, host);
	nl_put_u32(&m, IFLA_MASTER, br);
	linkinfo = nl_nest_start(&m, IFLA_LINKINFO);
	nl_put_str(&m, IFLA_INFO_KIND, "veth");
	data = nl_nest_start(&m, IFLA_INFO_DATA);
	peer_at = nl_nest_start(&m, VETH_INFO_PEER);
	nl_put(&m, -1, NULL, sizeof(struct ifinfomsg)); /* the peer's, AF_UNSPEC */
	nl_put_str(&m, IFLA_IFNAME, peer);
	nl_put_u32(&m, IFLA_NET_NS_PID, (uint32_t)netns_pid);
	if (mac && parse_mac(mac, hw) == 0)
		nl_put(&m, IFLA_ADDRESS, hw, sizeof(hw));
	nl_nest_end(&m, peer_at);
	nl_nest_end(&m, data);
	nl_nest_end(&m, linkinfo);
	rc = nl_talk(&m);
	if (rc < 0)
		return ct_err(err, -rc, "cannot create veth %s in bridge %s", host, bridge);
	return 0;
}

int ct_net_link_del(const char *ifname, ct_err_t *err)
{
	struct nl_msg m;
	struct ifinfomsg *ifm;
	unsigned int idx = if_nametoindex(ifname);
	int rc;

	if (!idx)
		return 0;
	ifm = nl_start(&m, RTM_DELLINK, 0, sizeof(*ifm));
	ifm->ifi_index = (int)idx;
	rc = nl_talk(&m);
	if (rc < 0 && rc != -ENODEV)
		return ct_err(err, -rc, "cannot delete link %s", ifname);
	return 0;
}

/* Sets a link up; looked up by name by the kernel (no if_nametoindex round trip). */
static int nl_link_up(const char *ifname, ct_err_t *err)
{
	struct nl_msg m;
	struct ifinfomsg *ifm = nl_start(&m, RTM_NEWLINK, 0, sizeof(*ifm));
	int rc;

	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	nl_put_str(&m, IFLA_IFNAME, ifname);
	rc = nl_talk(&m);
	return rc < 0 ? ct_err(err, -rc, "cannot set %s up in the container", ifname) : 0;
}

static int nl_addr_add(const char *ifname, struct in_addr a, unsigned plen, ct_err_t *err)
{
	struct nl_msg m;
	struct ifaddrmsg *ifa = nl_start(&m, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
	int rc;

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = if_nametoindex(ifname);
	nl_put(&m, IFA_LOCAL, &a, sizeof(a));
	nl_put(&m, IFA_ADDRESS, &a, sizeof(a));
	if (plen < 31) {
		struct in_addr b = a;

		b.s_addr |= htonl(plen ? (0xffffffffu >> plen) : 0xffffffffu);
		nl_put(&m, IFA_BROADCAST, &b, sizeof(b));
	}
	rc = nl_talk(&m);
	return rc < 0 ? ct_err(err, -rc, "cannot add address to %s", ifname) : 0;
}

static int nl_route_default(const char *ifname, struct in_addr gw, ct_err_t *err)
{
	struct nl_msg m;
	struct rtmsg *rtm = nl_start(&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(*rtm));
	int rc;

	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	nl_put(&m, RTA_GATEWAY, &gw, sizeof(gw));
	nl_put_u32(&m, RTA_OIF, if_nametoindex(ifname));
	rc = nl_talk(&m);
	return rc < 0 ? ct_err(err, -rc, "cannot add default route via %s", ifname) : 0;
}

int ct_net_configure(const struct ct_net *net, ct_err_t *err)
{
	struct in_addr a;
	char ip[32];
	unsigned plen;

	if (nl_link_up("lo", err) < 0)
		return -1;
	if (net->type != CT_NET_BRIDGE)
		return 0;
	if (sscanf(net->address, "%31[0-9.]/%u", ip, &plen) != 2 || inet_pton(AF_INET, ip, &a) != 1)
		return ct_err(err, EINVAL, "bad address %s", net->address);
	if (nl_addr_add("eth0", a, plen, err) < 0 || nl_link_up("eth0", err) < 0)
		return -1;
	if (net->gateway) {
		struct in_addr gw;

		if (inet_pton(AF_INET, net->gateway, &gw) != 1)
			return ct_err(err, EINVAL, "bad gateway %s", net->gateway);
		return nl_route_default("eth0", gw, err);
	}
	return 0;
}
