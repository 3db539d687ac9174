/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for hxstored's pure logic: paths, permissions, quotas. */
#include <errno.h>
#include <string.h>

#include "path.h"
#include "perms.h"
#include "quota.h"
#include "tap.h"

int tap_failures;
void test_store_all(void);
void test_node_all(void);

static void test_paths(void)
{
	char out[PATH_BUF_MAX], big[4000];
	size_t rel;

	tap_ok(path_is_valid("/"), "path: root is valid");
	tap_ok(path_is_valid("/local/domain/1/device-model_x@y"), "path: allowed characters");
	tap_ok(!path_is_valid("/a//b"), "path: double slash rejected");
	tap_ok(!path_is_valid("/a/"), "path: trailing slash rejected");
	tap_ok(!path_is_valid("/a b"), "path: space rejected");
	tap_ok(!path_is_valid("/a.b"), "path: dot rejected");
	tap_ok(!path_is_valid(""), "path: empty rejected");
	tap_ok(path_resolve("data/x", 7, false, out, &rel) == 0 &&
		       !strcmp(out, "/local/domain/7/data/x") && rel == 16,
	       "path: relative path resolved under the domain home");
	tap_ok(path_resolve("/a/b", 7, false, out, &rel) == 0 && rel == 0 && !strcmp(out, "/a/b"),
	       "path: absolute path kept");
	tap_ok(path_resolve("@introduceDomain", 0, false, out, &rel) == EINVAL,
	       "path: special path refused where not allowed");
	tap_ok(path_resolve("@releaseDomain", 0, true, out, &rel) == 0, "path: @releaseDomain");
	tap_ok(path_resolve("@releaseDomain/12", 0, true, out, &rel) == 0,
	       "path: @releaseDomain/<domid>");
	tap_ok(path_resolve("@releaseDomain/x", 0, true, out, &rel) == EINVAL,
	       "path: @releaseDomain/<junk> refused");
	tap_ok(path_resolve("@bogus", 0, true, out, &rel) == EINVAL, "path: unknown special");
	tap_ok(path_resolve("/a/@b", 0, true, out, &rel) == EINVAL, "path: '@' inside a path");
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = 0;
	tap_ok(path_resolve(big, 0, false, out, &rel) == EINVAL, "path: over 3072 bytes refused");
	big[3072] = 0;
	tap_ok(path_resolve(big, 0, false, out, &rel) == 0, "path: exactly 3072 bytes accepted");
	tap_ok(path_is_under("/a/b", "/a") && path_is_under("/a", "/a") && path_is_under("/a", "/"),
	       "path: ancestry");
	tap_ok(!path_is_under("/ab", "/a") && !path_is_under("/a", "/a/b"),
	       "path: prefix is not ancestry");
	tap_ok(path_depth_below("/a/b/c", "/a") == 2 && path_depth_below("/a", "/a") == 0 &&
		       path_depth_below("/a/b", "/") == 2,
	       "path: depth below a watch");
	tap_ok(path_parent_len("/a/b") == 2 && path_parent_len("/a") == 1, "path: parent length");
	tap_ok(path_local_off("/local/domain/3/x", 3) == 16 &&
		       path_local_off("/local/domain/33/x", 3) == 0,
	       "path: home prefix length");
}

static void test_perms(void)
{
	struct xs_perm p[8];
	struct xs_caller dom1 = {.domid = 1, .target = DOMID_NONE};
	struct xs_caller dom2 = {.domid = 2, .target = DOMID_NONE};
	struct xs_caller dom3 = {.domid = 3, .target = DOMID_NONE};
	struct xs_caller stub = {.domid = 9, .target = 1};
	struct xs_caller priv = {.domid = 0, .target = DOMID_NONE, .privileged = true};
	char buf[64];
	size_t n;

	tap_ok(perms_parse("n1\0r2\0b3", 9, p, 8) == 3, "perms: parse three entries");
	tap_ok(p[0].domid == 1 && p[0].perm == 0 && p[1].perm == PERM_READ &&
		       p[2].perm == PERM_BOTH,
	       "perms: parsed values");
	tap_ok(perms_access(p, 3, &dom1) == PERM_BOTH, "perms: owner has full access");
	tap_ok(perms_access(p, 3, &dom2) == PERM_READ, "perms: listed domain gets its entry");
	tap_ok(perms_access(p, 3, &dom3) == PERM_BOTH, "perms: b entry");
	tap_ok(perms_access(p, 1, &dom2) == 0, "perms: default from entry 0");
	tap_ok(perms_access(p, 3, &stub) == PERM_BOTH, "perms: stubdom acts as its target (owner)");
	tap_ok(perms_access(p, 3, &priv) == PERM_BOTH, "perms: control domain");
	tap_ok(perms_is_owner(p, &dom1) && !perms_is_owner(p, &dom2), "perms: ownership");
	tap_ok(perms_parse("x1", 3, p, 8) == -EINVAL, "perms: bad letter");
	tap_ok(perms_parse("r", 2, p, 8) == -EINVAL, "perms: missing domid");
	tap_ok(perms_parse("r99999", 7, p, 8) == -EINVAL, "perms: domid out of range");
	tap_ok(perms_parse("r1", 2, p, 8) == -EINVAL, "perms: missing NUL");
	tap_ok(perms_parse("", 0, p, 8) == -EINVAL, "perms: empty list");
	tap_ok(perms_parse("r1\0r2\0r3", 9, p, 2) == -E2BIG, "perms: too many entries");
	perms_parse("n0\0r5", 6, p, 8);
	n = perms_format(p, 2, buf, sizeof(buf));
	tap_ok(n == 6 && !memcmp(buf, "n0\0r5\0", 6), "perms: format round trip");
	tap_ok(perms_format(p, 2, buf, 4) == 0, "perms: format refuses short buffer");
}

static void test_quota(void)
{
	struct quota_set q, d;

	quota_defaults(&q);
	quota_global = q;
	tap_ok(q.v[QUOTA_NODES] == 1000 && q.v[QUOTA_WATCHES] == 128 &&
		       q.v[QUOTA_TRANSACTIONS] == 10 && q.v[QUOTA_OUTSTANDING] == 20 &&
		       q.v[QUOTA_NODE_SIZE] == 2048 && q.v[QUOTA_PATH_MAX] == 2048 &&
		       q.v[QUOTA_PERMS] == 5,
	       "quota: defaults match Xen's C daemon");
	tap_ok(quota_assign(&q, "nodes=5") == 0 && q.v[QUOTA_NODES] == 5, "quota: assign");
	tap_ok(quota_assign(&q, "bogus=5") == EINVAL, "quota: unknown name");
	tap_ok(quota_assign(&q, "nodes=-1") == EINVAL && quota_assign(&q, "nodes=") == EINVAL &&
		       quota_assign(&q, "nodes") == EINVAL &&
		       quota_assign(&q, "nodes=1x") == EINVAL,
	       "quota: bad values");
	tap_ok(quota_exceeds(5, 6) && !quota_exceeds(5, 5) && !quota_exceeds(0, 1u << 30),
	       "quota: limit checks (0 = none)");
	memset(&d, 0, sizeof(d));
	quota_set_value(&d, QUOTA_WATCHES, "3");
	tap_ok(quota_limit(&d, QUOTA_WATCHES) == 3 && quota_limit(&d, QUOTA_NODES) == 1000,
	       "quota: per-domain override falls back to global");
	tap_ok(quota_lookup("transaction-nodes") == QUOTA_TX_NODES, "quota: lookup by name");
}

int main(void)
{
	test_paths();
	test_perms();
	test_quota();
	test_node_all();
	test_store_all();
	return tap_failures ? 1 : 0;
}
