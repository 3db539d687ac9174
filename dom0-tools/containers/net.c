/* SPDX-License-Identifier: GPL-2.0-only */
/* Container networking over rtnetlink with libmnl: veth pairs, bridge ports, addresses. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include "internal.h"

void ct_net_veth_name(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "hx%08x", ct_hash(name));
}

/* Sends one request and waits for its ack. Returns 0 or -errno. */
static int nl_talk(struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned int seq, portid;
	int rc = -EIO;
	ssize_t n;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_seq = seq = (unsigned int)time(NULL);
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		goto out;
	}
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0) {
		rc = -errno;
		goto out;
	}
	rc = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
	rc = rc < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return rc;
}

static struct nlmsghdr *nl_link_msg(char *buf, int type, int flags, struct ifinfomsg **ifm)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	*ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(**ifm));
	(*ifm)->ifi_family = AF_UNSPEC;
	return nlh;
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
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ifinfomsg *ifm, *pifm;
	struct nlattr *linkinfo, *data, *peer_at;
	struct nlmsghdr *nlh;
	unsigned int br = if_nametoindex(bridge);
	int rc;

	if (!br)
		return ct_err(err, 0,
			      "bridge '%s' does not exist in the runtime's network namespace",
			      bridge);
	nlh = nl_link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm);
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, host);
	mnl_attr_put_u32(nlh, IFLA_MASTER, br);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_at = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	memset(pifm, 0, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)netns_pid);
	if (mac) {
		unsigned char m[6];

		if (parse_mac(mac, m) == 0)
			mnl_attr_put(nlh, IFLA_ADDRESS, 6, m);
	}
	mnl_attr_nest_end(nlh, peer_at);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	rc = nl_talk(nlh);
	if (rc < 0)
		return ct_err(err, -rc, "cannot create veth %s in bridge %s", host, bridge);
	return 0;
}

int ct_net_link_del(const char *ifname, ct_err_t *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	unsigned int idx = if_nametoindex(ifname);
	int rc;

	if (!idx)
		return 0;
	nlh = nl_link_msg(buf, RTM_DELLINK, 0, &ifm);
	ifm->ifi_index = (int)idx;
	rc = nl_talk(nlh);
	if (rc < 0 && rc != -ENODEV)
		return ct_err(err, -rc, "cannot delete link %s", ifname);
	return 0;
}

static int nl_link_up(const char *ifname, ct_err_t *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	unsigned int idx = if_nametoindex(ifname);
	int rc;

	if (!idx)
		return ct_errno(err, "no link %s in the container", ifname);
	nlh = nl_link_msg(buf, RTM_NEWLINK, 0, &ifm);
	ifm->ifi_index = (int)idx;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	rc = nl_talk(nlh);
	return rc < 0 ? ct_err(err, -rc, "cannot set %s up", ifname) : 0;
}

static int nl_addr_add(const char *ifname, struct in_addr a, unsigned plen, ct_err_t *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int rc;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = if_nametoindex(ifname);
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(a), &a);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(a), &a);
	if (plen < 31) {
		struct in_addr b = a;

		b.s_addr |= htonl(plen ? (0xffffffffu >> plen) : 0xffffffffu);
		mnl_attr_put(nlh, IFA_BROADCAST, sizeof(b), &b);
	}
	rc = nl_talk(nlh);
	return rc < 0 ? ct_err(err, -rc, "cannot add address to %s", ifname) : 0;
}

static int nl_route_default(const char *ifname, struct in_addr gw, ct_err_t *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int rc;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_GATEWAY, sizeof(gw), &gw);
	mnl_attr_put_u32(nlh, RTA_OIF, if_nametoindex(ifname));
	rc = nl_talk(nlh);
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
