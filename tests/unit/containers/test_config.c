/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests of libhxct's pure logic: definitions, schema errors, sizes, cgroup mappings. */
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hxct/config.h"
#include "internal.h"

static int failures, count;

#define CHECK(cond, ...)                                              \
	do {                                                          \
		count++;                                              \
		printf("%s - ", (cond) ? "ok" : "not ok");            \
		printf(__VA_ARGS__);                                  \
		printf("\n");                                         \
		if (!(cond)) {                                        \
			failures++;                                   \
			printf("#   at %s:%d\n", __FILE__, __LINE__); \
		}                                                     \
	} while (0)

static const char good[] =
	"<container name=\"web\">\n"
	"  <uuid>0f6a4b1e-2f1c-4b8e-9d2a-3c4d5e6f7a8b</uuid>\n"
	"  <hostname>web1</hostname>\n"
	"  <rootfs><layer>base</layer><layer path=\"/srv/app\"/></rootfs>\n"
	"  <init terminal=\"true\"><arg>/bin/sh</arg><arg>-c</arg><arg>echo hi</arg>\n"
	"    <env name=\"A\">b c</env><cwd>/tmp</cwd><user uid=\"1000\" gid=\"100\"/></init>\n"
	"  <idmap><uid container=\"0\" host=\"100000\" count=\"65536\"/>\n"
	"    <gid container=\"0\" host=\"100000\" count=\"65536\"/></idmap>\n"
	"  <resources><memory max=\"64M\" high=\"48M\"/><cpu quota=\"50000\" period=\"100000\" "
	"weight=\"200\"/>\n"
	"    <pids max=\"64\"/><io><max device=\"8:0\" rbps=\"1M\" "
	"wiops=\"100\"/></io></resources>\n"
	"  <mounts><bind source=\"/srv/data\" target=\"/data\" readonly=\"true\"/>\n"
	"    <tmpfs target=\"/run\" size=\"16M\"/></mounts>\n"
	"  <network type=\"bridge\" bridge=\"br0\" address=\"10.0.0.2/24\" gateway=\"10.0.0.1\"/>\n"
	"  <security><capabilities><keep>net_admin</keep><drop>net_raw</drop></capabilities>\n"
	"    <seccomp><syscall name=\"mkdir\" action=\"errno\" "
	"errno=\"13\"/></seccomp></security>\n"
	"  <stop signal=\"SIGINT\" timeout=\"3\"/>\n"
	"</container>\n";

static void test_good(void)
{
	struct ct_config c;
	ct_err_t err = {0};
	int rc = ct_config_load_mem(&c, good, (int)strlen(good), "good.xml", &err);

	CHECK(rc == 0, "a full definition parses (%s)", rc ? err.msg : "");
	if (rc)
		return;
	CHECK(!strcmp(c.name, "web") && !strcmp(c.hostname, "web1"), "name and hostname");
	CHECK(!strcmp(c.uuid, "0f6a4b1e-2f1c-4b8e-9d2a-3c4d5e6f7a8b"), "uuid");
	CHECK(c.n_layers == 2 && !strcmp(c.layers[0], "base") && !strcmp(c.layers[1], "/srv/app"),
	      "layers by name and by path, in order");
	CHECK(c.argc == 3 && !strcmp(c.argv[2], "echo hi") && c.argv[3] == NULL, "init argv");
	CHECK(c.n_env == 1 && !strcmp(c.env[0], "A=b c"), "environment");
	CHECK(!strcmp(c.cwd, "/tmp") && c.uid == 1000 && c.gid == 100 && c.terminal,
	      "cwd, user, terminal");
	CHECK(c.n_uidmap == 1 && c.uidmap[0].host_id == 100000 && c.uidmap[0].count == 65536,
	      "uid map");
	CHECK(c.res.mem_max == 64 << 20 && c.res.mem_high == 48 << 20, "memory max/high in bytes");
	CHECK(c.res.cpu_quota == 50000 && c.res.cpu_period == 100000 && c.res.cpu_weight == 200,
	      "cpu quota/period/weight");
	CHECK(c.res.pids_max == 64, "pids max");
	CHECK(c.res.n_io == 1 && c.res.io[0].major == 8 && c.res.io[0].rbps == 1 << 20 &&
		      c.res.io[0].wiops == 100 && c.res.io[0].wbps == -1,
	      "io max");
	CHECK(c.n_mounts == 2 && c.mounts[0].readonly && c.mounts[1].type == CT_MOUNT_TMPFS &&
		      c.mounts[1].size == 16 << 20,
	      "bind and tmpfs volumes");
	CHECK(c.net.type == CT_NET_BRIDGE && !strcmp(c.net.bridge, "br0") &&
		      !strcmp(c.net.gateway, "10.0.0.1"),
	      "bridge network");
	CHECK((c.caps & (1ULL << CAP_NET_ADMIN)) && !(c.caps & (1ULL << CAP_NET_RAW)) &&
		      (c.caps & (1ULL << CAP_CHOWN)) && !(c.caps & (1ULL << CAP_SYS_ADMIN)),
	      "capabilities: defaults + keep - drop");
	CHECK(c.n_syscalls == 1 && c.syscalls[0].errnum == 13 &&
		      c.syscalls[0].action == CT_SC_ERRNO,
	      "seccomp rule");
	CHECK(c.stop_signal == SIGINT && c.stop_timeout == 3, "stop signal and timeout");
	ct_config_free(&c);
}

static void test_minimal_defaults(void)
{
	static const char min[] = "<container name=\"m\"><rootfs path=\"/r\"/>"
				  "<init><arg>/bin/true</arg></init></container>";
	struct ct_config c;
	ct_err_t err = {0};
	int rc = ct_config_load_mem(&c, min, (int)strlen(min), "min.xml", &err);

	CHECK(rc == 0, "a minimal definition parses (%s)", rc ? err.msg : "");
	if (rc)
		return;
	CHECK(!strcmp(c.hostname, "m") && !strcmp(c.cwd, "/") && c.uid == 0, "defaults");
	CHECK(c.caps == ct_config_default_caps() && c.seccomp && c.net.type == CT_NET_NONE,
	      "default capabilities, seccomp on, no network");
	CHECK(c.res.mem_max == -1 && c.res.pids_max == -1, "no limits unless asked");
	CHECK(c.stop_signal == SIGTERM && c.stop_timeout == 10, "SIGTERM, 10 s");
	ct_config_free(&c);
}

struct bad {
	const char *what, *xml, *error; /* error: the exact first line */
};

#define HEAD "<container name=\"x\">\n  <rootfs><layer>b</layer></rootfs>\n"
#define INIT "  <init><arg>/bin/true</arg></init>\n"

static const struct bad bads[] = {
	{"malformed XML", HEAD INIT "</containr>\n",
	 "bad.xml:4: Opening and ending tag mismatch: container line 1 and containr"},
	{"unknown element", HEAD INIT "  <bogus/>\n</container>\n",
	 "bad.xml:4: Element 'bogus': This element is not expected."},
	{"missing init", HEAD "</container>\n",
	 "bad.xml:1: Element 'container': Missing child element(s). Expected is one of ( uuid, "
	 "hostname, init, idmap, resources, mounts, network, security, stop )."},
	{"size with a unit suffix users often write",
	 HEAD INIT "  <resources>\n    <memory max=\"256MB\"/>\n  </resources>\n</container>\n",
	 "bad.xml:5: Element 'memory', attribute 'max': [facet 'pattern'] The value '256MB' is not "
	 "accepted by the pattern '[0-9]+[KMGkmg]?|max'."},
	{"bad container name",
	 "<container name=\"-x\">\n  <rootfs><layer>b</layer></rootfs>\n" INIT "</container>\n",
	 "bad.xml:1: Element 'container', attribute 'name': [facet 'pattern'] The value '-x' is "
	 "not "
	 "accepted by the pattern '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,47}'."},
	{"unknown attribute",
	 HEAD INIT "  <resources><pids maximum=\"5\"/></resources>\n</container>\n",
	 "bad.xml:4: Element 'pids', attribute 'maximum': The attribute 'maximum' is not allowed."},
	{"unknown capability",
	 HEAD INIT
	 "  <security><capabilities>\n    <keep>sys_admn</keep>\n  </capabilities></security>\n"
	 "</container>\n",
	 "bad.xml:5: unknown capability \"sys_admn\" (expected a name like net_admin)"},
	{"unknown syscall",
	 HEAD INIT "  <security><seccomp>\n    <syscall name=\"frobnicate\" action=\"errno\"/>\n"
		   "  </seccomp></security>\n</container>\n",
	 "bad.xml:5: unknown system call \"frobnicate\""},
	{"cpu weight out of range",
	 HEAD INIT "  <resources><cpu weight=\"0\"/></resources>\n</container>\n",
	 "bad.xml:4: expected weight between 1 and 10000, got 0"},
	{"bridge without address",
	 HEAD INIT "  <network type=\"bridge\" bridge=\"br0\"/>\n</container>\n",
	 "bad.xml:4: expected bridge= and address= with type=\"bridge\""},
	{"address out of range",
	 HEAD INIT
	 "  <network type=\"bridge\" bridge=\"br0\" address=\"10.0.0.300/24\"/>\n</container>\n",
	 "bad.xml:4: expected address=\"A.B.C.D/LEN\", got \"10.0.0.300/24\""},
	{"rootfs with neither path nor layer",
	 "<container name=\"x\">\n  <rootfs/>\n" INIT "</container>\n",
	 "bad.xml:2: expected either <rootfs path=\"/dir\"/> or one or more <layer>"},
	{"init without a program", HEAD "  <init><cwd>/</cwd></init>\n</container>\n",
	 "bad.xml:3: expected a first <arg> naming the program to run"},
	{"unknown stop signal", HEAD INIT "  <stop signal=\"SIGFOO\"/>\n</container>\n",
	 "bad.xml:4: unknown signal \"SIGFOO\""},
	{"mount target escaping",
	 HEAD INIT "  <mounts><tmpfs target=\"/a/..\"/></mounts>\n</container>\n",
	 "bad.xml:4: expected a target below / without \"..\", got \"/a/..\""},
};

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct ct_config c;
		ct_err_t err = {0};
		int rc = ct_config_load_mem(&c, bads[i].xml, (int)strlen(bads[i].xml), "bad.xml",
					    &err);
		size_t n = strcspn(err.msg, "\n");

		CHECK(rc < 0 && strlen(bads[i].error) == n && !strncmp(err.msg, bads[i].error, n),
		      "bad definition (%s) gives the exact error", bads[i].what);
		if (rc == 0)
			ct_config_free(&c);
		else if (strncmp(err.msg, bads[i].error, n) || strlen(bads[i].error) != n)
			printf("#   got: %s\n#   expected: %s\n", err.msg, bads[i].error);
	}
}

static void test_sizes(void)
{
	int64_t v = 0;

	CHECK(ct_parse_size("123", &v) == 0 && v == 123, "size: plain bytes");
	CHECK(ct_parse_size("64K", &v) == 0 && v == 65536, "size: K");
	CHECK(ct_parse_size("2g", &v) == 0 && v == 2LL << 30, "size: g");
	CHECK(ct_parse_size("max", &v) == 0 && v == CT_UNLIMITED, "size: max");
	CHECK(ct_parse_size("256MB", &v) < 0, "size: 256MB refused");
	CHECK(ct_parse_size("-1", &v) < 0 && ct_parse_size("", &v) < 0, "size: negative/empty");
	CHECK(ct_parse_size("99999999999999999999G", &v) < 0, "size: overflow refused");
}

static void test_misc(void)
{
	char a[16], b[16];

	CHECK(ct_cgroup_weight_to_shares(1) == 2 && ct_cgroup_weight_to_shares(10000) == 262144 &&
		      ct_cgroup_weight_to_shares(100) == 2597,
	      "cpu.weight -> cpu.shares (inverse of crun's mapping)");
	ct_net_veth_name("web", a, sizeof(a));
	ct_net_veth_name("web", b, sizeof(b));
	CHECK(!strcmp(a, b) && strlen(a) == 10 && !strncmp(a, "hx", 2),
	      "host veth name is deterministic and fits IFNAMSIZ (%s)", a);
	ct_net_veth_name("web2", b, sizeof(b));
	CHECK(strcmp(a, b) != 0, "different containers, different veths");
	CHECK(ct_name_valid("a.b-c_1") && !ct_name_valid(".x") && !ct_name_valid("a/b") &&
		      !ct_name_valid(""),
	      "container names");
	CHECK(!(ct_config_default_caps() & (1ULL << CAP_SYS_ADMIN)) &&
		      !(ct_config_default_caps() & (1ULL << CAP_SYS_MODULE)) &&
		      !(ct_config_default_caps() & (1ULL << CAP_NET_ADMIN)) &&
		      !(ct_config_default_caps() & (1ULL << CAP_MKNOD)),
	      "default capabilities exclude sys_admin, sys_module, net_admin, mknod");
}

/* A fake cgroup directory: empty knob files the runtime writes into. */
static void touch_all(const char *dir, const char *const *files)
{
	char p[4096];

	for (; *files; files++) {
		FILE *f;

		snprintf(p, sizeof(p), "%s/%s", dir, *files);
		f = fopen(p, "w");
		if (f)
			fclose(f);
	}
}

static void expect_knob(const char *dir, const char *knob, const char *want, const char *what)
{
	char p[4096], *got = NULL;
	size_t len;

	snprintf(p, sizeof(p), "%s/%s", dir, knob);
	if (ct_read_file(p, &got, &len, NULL) < 0)
		got = NULL;
	CHECK(got && !strcmp(got, want), "%s: %s = \"%s\" (got \"%s\")", what, knob, want,
	      got ? got : "(unreadable)");
	free(got);
}

static void test_cgroup_values(void)
{
	static const char *const v2files[] = {"memory.max",   "memory.high", "cpu.max",
					      "cpu.weight",   "pids.max",    "io.max",
					      "cgroup.procs", NULL};
	static const char *const v1files[] = {"memory.limit_in_bytes",
					      "memory.soft_limit_in_bytes",
					      "cpu.cfs_period_us",
					      "cpu.cfs_quota_us",
					      "cpu.shares",
					      "pids.max",
					      "blkio.throttle.read_bps_device",
					      "blkio.throttle.write_iops_device",
					      NULL};
	char tmpl[] = "/tmp/hxct-unit-XXXXXX", *dir = mkdtemp(tmpl);
	struct ct_cgroup cg = {.v2 = true};
	struct ct_config c;
	ct_err_t err = {0};

	if (!dir || ct_config_load_mem(&c, good, (int)strlen(good), "good.xml", &err) < 0) {
		CHECK(0, "cgroup value tests set up");
		return;
	}
	touch_all(dir, v2files);
	snprintf(cg.path[0], sizeof(cg.path[0]), "%s", dir);
	CHECK(ct_cgroup_apply(&cg, &c, &err) == 0 && ct_cgroup_enter(&cg, 4242, &err) == 0,
	      "v2: limits applied to a fake cgroup (%s)", err.msg);
	expect_knob(dir, "memory.max", "67108864", "v2");
	expect_knob(dir, "memory.high", "50331648", "v2");
	expect_knob(dir, "cpu.max", "50000 100000", "v2");
	expect_knob(dir, "cpu.weight", "200", "v2");
	expect_knob(dir, "pids.max", "64", "v2");
	expect_knob(dir, "io.max", "8:0 rbps=1048576 wiops=100", "v2");
	expect_knob(dir, "cgroup.procs", "4242", "v2");
	memset(&cg, 0, sizeof(cg));
	touch_all(dir, v1files);
	for (int i = 0; i < CT_CG_DEVICES; i++)
		snprintf(cg.path[i], sizeof(cg.path[i]), "%s", dir);
	CHECK(ct_cgroup_apply(&cg, &c, &err) == 0, "v1: limits applied to a fake cgroup (%s)",
	      err.msg);
	expect_knob(dir, "memory.limit_in_bytes", "67108864", "v1");
	expect_knob(dir, "memory.soft_limit_in_bytes", "50331648", "v1");
	expect_knob(dir, "cpu.cfs_period_us", "100000", "v1");
	expect_knob(dir, "cpu.cfs_quota_us", "50000", "v1");
	expect_knob(dir, "cpu.shares", "5219", "v1");
	expect_knob(dir, "blkio.throttle.read_bps_device", "8:0 1048576", "v1");
	expect_knob(dir, "blkio.throttle.write_iops_device", "8:0 100", "v1");
	ct_config_free(&c);
	(void)ct_rm_rf(dir);
}

/* The validated-definition cache: a hit needs the exact text, anything else is a miss. */
static void test_defcache(void)
{
	static const char other[] = "<container name=\"x\"><rootfs path=\"/\"/><init><arg>/a</arg>"
				    "</init></container>";
	char tmpl[] = "/tmp/hxct-unit-XXXXXX", *dir = mkdtemp(tmpl), slot[CT_PATH_MAX];
	struct ct_ctx ctx;
	size_t n = strlen(good);
	FILE *f;

	if (!dir) {
		CHECK(0, "defcache test set up");
		return;
	}
	snprintf(ctx.root, sizeof(ctx.root), "%s", dir);
	CHECK(!ct_defcache_has(&ctx, good, n), "defcache: empty cache, a miss");
	ct_defcache_add(&ctx, good, n);
	CHECK(ct_defcache_has(&ctx, good, n), "defcache: the same text, a hit");
	CHECK(!ct_defcache_has(&ctx, good, n - 1), "defcache: a prefix of it, a miss");
	CHECK(!ct_defcache_has(&ctx, other, strlen(other)), "defcache: another text, a miss");
	ct_defcache_add(&ctx, other, strlen(other));
	CHECK(ct_defcache_has(&ctx, other, strlen(other)), "defcache: the other text, a hit");
	/* overwrite every slot with a torn entry: all misses */
	for (int i = 0; i < 256; i++) {
		snprintf(slot, sizeof(slot), "%s/.valid/%02x", dir, i);
		f = fopen(slot, "r+");
		if (f) {
			fputs("hxct-valid 0", f);
			fclose(f);
		}
	}
	CHECK(!ct_defcache_has(&ctx, good, n) && !ct_defcache_has(&ctx, other, strlen(other)),
	      "defcache: a damaged entry is a miss");
	(void)ct_rm_rf(dir);
}

int main(void)
{
	test_good();
	test_minimal_defaults();
	test_bad();
	test_sizes();
	test_misc();
	test_cgroup_values();
	test_defcache();
	printf("1..%d\n", count);
	return failures ? 1 : 0;
}
