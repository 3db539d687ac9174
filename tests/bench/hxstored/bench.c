/* SPDX-License-Identifier: GPL-2.0-only */
/* xenstore benchmark over libhx: ops/s, watch latency, contended transactions, 100-domain tree. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hx/xs.h>

static const char *sock;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct hx_xs *bopen(void)
{
	struct hx_err e;
	struct hx_xs *h = hx_xs_open(sock, &e);

	if (!h) {
		fprintf(stderr, "bench: %s\n", e.msg);
		exit(1);
	}
	return h;
}

static void result(const char *name, double v, const char *unit)
{
	printf("RESULT %s %.3f %s\n", name, v, unit);
	fflush(stdout);
}

static void bench_basic(struct hx_xs *h, int n)
{
	char path[64], *v, **l;
	uint32_t len;
	unsigned cnt;
	double t;

	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/bench/dir/child%d", i);
		hx_xs_write_str(h, 0, path, "value");
	}
	t = now();
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/bench/w/k%d", i % 100);
		hx_xs_write_str(h, 0, path, "some-value-123");
	}
	result("write", n / (now() - t), "ops/s");
	t = now();
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/bench/w/k%d", i % 100);
		if (hx_xs_read(h, 0, path, &v, &len) == 0)
			free(v);
	}
	result("read", n / (now() - t), "ops/s");
	t = now();
	for (int i = 0; i < n; i++)
		if (hx_xs_directory(h, 0, "/bench/dir", &l, &cnt) == 0)
			free(l);
	result("directory", n / (now() - t), "ops/s");
}

/*
 * Throughput with several clients at once, each on its own connection doing op back to back:
 * what the daemon sustains, where one client alone measures a round trip.
 */
enum par_op {
	PAR_READ,
	PAR_WRITE,
	PAR_DIRECTORY
};

static void par_client(enum par_op op, int id, int n)
{
	struct hx_xs *h = bopen();
	char path[64], *v, **l;
	uint32_t len;
	unsigned cnt;

	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/bench/w/k%d", (id * 25 + i) % 100);
		if (op == PAR_WRITE)
			hx_xs_write_str(h, 0, path, "some-value-123");
		else if (op == PAR_READ && hx_xs_read(h, 0, path, &v, &len) == 0)
			free(v);
		else if (op == PAR_DIRECTORY && hx_xs_directory(h, 0, "/bench/dir", &l, &cnt) == 0)
			free(l);
	}
	hx_xs_close(h);
}

static void bench_parallel(const char *name, enum par_op op, int clients, int n)
{
	int go[2], ready[2];
	char c = 0;
	double t;

	if (pipe(go) || pipe(ready))
		return;
	for (int i = 0; i < clients; i++) {
		if (fork() == 0) {
			close(go[1]);
			/* Every client starts when the parent closes go (read sees end of file). */
			if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 0)
				_exit(1);
			par_client(op, i, n / clients);
			_exit(0);
		}
	}
	for (int i = 0; i < clients; i++)
		if (read(ready[0], &c, 1) != 1)
			return;
	t = now();
	close(go[1]);
	for (int i = 0; i < clients; i++)
		wait(NULL);
	t = now() - t;
	close(go[0]);
	close(ready[0]);
	close(ready[1]);
	result(name, (double)(n / clients * clients) / t, "ops/s");
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/*
 * One client writes, the other waits for the event: mean and median of the time from the write
 * to the event. The median shrugs off the odd iteration stalled by other work on the machine.
 */
static void bench_watch(struct hx_xs *a, struct hx_xs *b, int n)
{
	char *p, *tok;
	double sum = 0, *lat = calloc((size_t)n + 1, sizeof(*lat));
	int got = 0;

	if (!lat)
		return;
	hx_xs_watch(a, "/bench/watch", "t");
	if (hx_xs_read_watch(a, &p, &tok, 2000) == 0)
		free(p);
	for (int i = 0; i < n; i++) {
		double t = now(), d;

		hx_xs_write_str(b, 0, "/bench/watch/v", "x");
		if (hx_xs_read_watch(a, &p, &tok, 2000))
			continue;
		free(p);
		d = (now() - t) * 1e6;
		sum += d;
		lat[got++] = d;
	}
	hx_xs_unwatch(a, "/bench/watch", "t");
	qsort(lat, (size_t)got, sizeof(*lat), cmp_double);
	result("watch-latency", got ? sum / got : -1, "us");
	result("watch-latency-p50", got ? lat[got / 2] : -1, "us");
	free(lat);
}

/* Writes while 1000 watches elsewhere in the tree are registered (a host with many guests). */
static void bench_many_watches(struct hx_xs *a, struct hx_xs *b, int n)
{
	char path[64];
	double t;

	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/bench/watchers/d%d/backend", i);
		hx_xs_watch(a, path, "m");
	}
	t = now();
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/bench/busy/k%d", i % 100);
		hx_xs_write_str(b, 0, path, "v");
	}
	result("write-1000-watches", n / (now() - t), "ops/s");
	hx_xs_reset_watches(a);
}

struct txarg {
	int id, round, attempts;
};

static int tx_body(struct hx_xs *h, uint32_t tx, void *arg)
{
	struct txarg *a = arg;
	char p1[64], p2[64], *v;
	uint32_t len;
	int rc;

	a->attempts++;
	snprintf(p1, sizeof(p1), "/bench/tx/k%d", (a->id + a->round) % 8);
	snprintf(p2, sizeof(p2), "/bench/tx/k%d", (a->id + a->round + 1) % 8);
	rc = hx_xs_read(h, tx, p1, &v, &len);
	if (rc)
		return rc;
	free(v);
	rc = hx_xs_read(h, tx, p2, &v, &len);
	if (rc)
		return rc;
	free(v);
	return hx_xs_write_str(h, tx, p2, "updated");
}

/* A real read-modify-write: the counter is incremented, so a concurrent commit is a conflict. */
static int tx_counter(struct hx_xs *h, uint32_t tx, void *arg)
{
	struct txarg *a = arg;
	char p[64], val[32], *v;
	uint32_t len;
	int rc;

	a->attempts++;
	snprintf(p, sizeof(p), "/bench/ctr/c%d", (a->id + a->round) % 4);
	rc = hx_xs_read(h, tx, p, &v, &len);
	if (rc)
		return rc;
	snprintf(val, sizeof(val), "%ld", strtol(v, NULL, 10) + 1);
	free(v);
	return hx_xs_write_str(h, tx, p, val);
}

static void bench_tx(int clients, int per, bool counter)
{
	struct hx_xs *h = bopen();
	int fds[2];
	double t;
	long attempts = 0, failed = 0;

	for (int i = 0; i < 8; i++) {
		char p[32];

		snprintf(p, sizeof(p), counter ? "/bench/ctr/c%d" : "/bench/tx/k%d", i);
		hx_xs_write_str(h, 0, p, "0");
	}
	if (pipe(fds)) {
		hx_xs_close(h);
		return;
	}
	t = now();
	for (int c = 0; c < clients; c++) {
		if (fork() == 0) {
			struct hx_xs *ch = bopen();
			struct txarg a = {.id = c * 2};
			long res[2] = {0, 0};

			for (a.round = 0; a.round < per; a.round++)
				res[1] += hx_xs_transact(ch, counter ? tx_counter : tx_body, &a,
							 1000) != 0;
			res[0] = a.attempts;
			if (write(fds[1], res, sizeof(res)) != sizeof(res))
				_exit(1);
			_exit(0);
		}
	}
	for (int c = 0; c < clients; c++) {
		long res[2];

		if (read(fds[0], res, sizeof(res)) == sizeof(res)) {
			attempts += res[0];
			failed += res[1];
		}
		wait(NULL);
	}
	t = now() - t;
	close(fds[0]);
	close(fds[1]);
	if (!counter) {
		result("tx-contended", (clients * per - failed) / t, "commits/s");
		result("tx-retry-rate", 100.0 * (attempts - clients * per) / attempts, "%");
		hx_xs_close(h);
		return;
	}
	result("tx-counter", (clients * per - failed) / t, "commits/s");
	result("tx-counter-retry-rate", 100.0 * (attempts - clients * per) / attempts, "%");
	/* Every commit added one: anything else is a lost or a phantom update. */
	long sum = 0;

	for (int i = 0; i < 4; i++) {
		char p[32], *v;
		uint32_t len;

		snprintf(p, sizeof(p), "/bench/ctr/c%d", i);
		if (hx_xs_read(h, 0, p, &v, &len) == 0) {
			sum += strtol(v, NULL, 10);
			free(v);
		}
	}
	result("tx-counter-lost", (double)(clients * per - failed - sum), "updates");
	hx_xs_close(h);
}

/* Writes path=value and, when perms is not NULL, its permission list ("n0 r5" style). */
static int nodes;

static void wp(struct hx_xs *h, uint32_t tx, const char *path, const char *val, const char *perms)
{
	const char *p[4];
	char buf[64];
	unsigned n = 0;

	hx_xs_write_str(h, tx, path, val);
	nodes++;
	if (!perms)
		return;
	snprintf(buf, sizeof(buf), "%s", perms);
	for (char *s = strtok(buf, " "); s && n < 4; s = strtok(NULL, " "))
		p[n++] = s;
	hx_xs_set_perms(h, tx, path, p, n);
}

struct dom {
	int id;
	char ro[16], own[16], home[48];
};

static int make_domain(struct hx_xs *h, uint32_t tx, void *arg)
{
	struct dom *d = arg;
	char p[160], vm[64];
	static const char *owned[] = {"data", "drivers", "feature", "attr", "error"};
	static const char *ctl[] = {"shutdown", "feature-poweroff", "feature-reboot",
				    "feature-suspend", "sysrq"};

	snprintf(vm, sizeof(vm), "/vm/00000000-0000-0000-0000-%012d", d->id);
	wp(h, tx, vm, "", d->ro);
#define W(fmt, val, perms)                       \
	do {                                     \
		snprintf(p, sizeof(p), fmt, vm); \
		wp(h, tx, p, val, perms);        \
	} while (0)
	W("%s/uuid", "00000000-0000-0000-0000-000000000001", NULL);
	W("%s/name", "guest", NULL);
	W("%s/start_time", "1700000000.00", NULL);
	W("%s/image/ostype", "linux", NULL);
	W("%s/image/kernel", "/boot/vmlinuz", NULL);
	W("%s/image/ramdisk", "/boot/initrd.img", NULL);
	W("%s/image/cmdline", "root=/dev/xvda1 console=hvc0", NULL);
	snprintf(vm, sizeof(vm), "/libxl/%d", d->id);
	wp(h, tx, vm, "", "n0");
	snprintf(vm, sizeof(vm), "%s", d->home);
	wp(h, tx, vm, "", d->ro);
	W("%s/vm", "/vm/00000000-0000-0000-0000-000000000001", NULL);
	W("%s/name", "guest", NULL);
	W("%s/domid", "1", NULL);
	W("%s/cpu/0/availability", "online", NULL);
	W("%s/cpu/1/availability", "online", NULL);
	W("%s/memory/static-max", "524288", NULL);
	W("%s/memory/target", "524288", NULL);
	W("%s/memory/videoram", "0", NULL);
	W("%s/control", "", d->ro);
	for (int i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/control/%s", d->home, ctl[i]);
		wp(h, tx, p, "", d->own);
	}
	W("%s/device", "", d->ro);
	W("%s/device/suspend/event-channel", "", d->own);
	for (int i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/%s", d->home, owned[i]);
		wp(h, tx, p, "", d->own);
	}
	return 0;
}

static int build_domain(struct hx_xs *h, uint32_t tx, void *arg)
{
	struct dom *d = arg;
	char p[160], vm[64];

	snprintf(vm, sizeof(vm), "%s", d->home);
	W("%s/store/port", "1", NULL);
	W("%s/store/ring-ref", "1234567", NULL);
	W("%s/console/backend", "/local/domain/0/backend/console/1/0", NULL);
	W("%s/console/backend-id", "0", NULL);
	W("%s/console/limit", "1048576", NULL);
	W("%s/console/type", "xenconsoled", NULL);
	W("%s/console/output", "pty", NULL);
	W("%s/console/tty", "", NULL);
	W("%s/console/port", "2", NULL);
	W("%s/console/ring-ref", "1234568", NULL);
	return 0;
}

struct dev {
	struct dom *d;
	const char *kind, *id;
	const char *const *fk, *const *bk; /* key=value lists, NULL-terminated */
};

static int add_device(struct hx_xs *h, uint32_t tx, void *arg)
{
	struct dev *v = arg;
	char fe[128], be[128], p[200], perm[2][16];

	snprintf(fe, sizeof(fe), "%s/device/%s/%s", v->d->home, v->kind, v->id);
	snprintf(be, sizeof(be), "/local/domain/0/backend/%s/%d/%s", v->kind, v->d->id, v->id);
	snprintf(perm[0], sizeof(perm[0]), "n%d r0", v->d->id);
	snprintf(perm[1], sizeof(perm[1]), "n0 r%d", v->d->id);
	wp(h, tx, fe, "", perm[0]);
	wp(h, tx, be, "", perm[1]);
	for (int i = 0; v->fk[i]; i += 2) {
		snprintf(p, sizeof(p), "%s/%s", fe, v->fk[i]);
		wp(h, tx, p, v->fk[i + 1], NULL);
	}
	for (int i = 0; v->bk[i]; i += 2) {
		snprintf(p, sizeof(p), "%s/%s", be, v->bk[i]);
		wp(h, tx, p, v->bk[i + 1], NULL);
	}
	snprintf(p, sizeof(p), "/libxl/%d/device/%s/%s/frontend", v->d->id, v->kind, v->id);
	wp(h, tx, p, fe, NULL);
	snprintf(p, sizeof(p), "/libxl/%d/device/%s/%s/backend", v->d->id, v->kind, v->id);
	wp(h, tx, p, be, NULL);
	return 0;
}

static const char *const vbd_f[] = {"backend",
				    "/local/domain/0/backend/vbd/1/51712",
				    "backend-id",
				    "0",
				    "state",
				    "1",
				    "virtual-device",
				    "51712",
				    "device-type",
				    "disk",
				    "trusted",
				    "1",
				    "protocol",
				    "x86_64-abi",
				    NULL};
static const char *const vbd_b[] = {"frontend",
				    "/local/domain/1/device/vbd/51712",
				    "frontend-id",
				    "1",
				    "online",
				    "1",
				    "removable",
				    "0",
				    "bootable",
				    "1",
				    "state",
				    "1",
				    "dev",
				    "xvda",
				    "type",
				    "phy",
				    "mode",
				    "w",
				    "device-type",
				    "disk",
				    "params",
				    "/dev/vg/guest",
				    "discard-enable",
				    "1",
				    "specification",
				    "xen",
				    NULL};
static const char *const vif_f[] = {"backend",	  "/local/domain/0/backend/vif/1/0",
				    "backend-id", "0",
				    "state",	  "1",
				    "handle",	  "0",
				    "mac",	  "00:16:3e:00:00:01",
				    "mtu",	  "1500",
				    "trusted",	  "1",
				    NULL};
static const char *const vif_b[] = {"frontend",
				    "/local/domain/1/device/vif/0",
				    "frontend-id",
				    "1",
				    "online",
				    "1",
				    "state",
				    "1",
				    "script",
				    "/etc/xen/scripts/vif-bridge",
				    "mac",
				    "00:16:3e:00:00:01",
				    "bridge",
				    "xenbr0",
				    "handle",
				    "0",
				    "type",
				    "vif",
				    "hotplug-status",
				    "",
				    NULL};
static const char *const con_b[] = {"frontend",	   "/local/domain/1/console",
				    "frontend-id", "1",
				    "online",	   "1",
				    "state",	   "1",
				    "protocol",	   "vt100",
				    NULL};
static const char *const none[] = {NULL};

static void bench_domains(struct hx_xs *h, int count)
{
	double t = now();

	nodes = 0;
	for (int i = 1; i <= count; i++) {
		struct dom d = {.id = i};
		struct dev vbd = {&d, "vbd", "51712", vbd_f, vbd_b};
		struct dev vif = {&d, "vif", "0", vif_f, vif_b};
		struct dev con = {&d, "console", "0", none, con_b};

		snprintf(d.ro, sizeof(d.ro), "n0 r%d", i);
		snprintf(d.own, sizeof(d.own), "n%d", i);
		snprintf(d.home, sizeof(d.home), "/local/domain/%d", i);
		hx_xs_transact(h, make_domain, &d, 10);
		hx_xs_transact(h, build_domain, &d, 10);
		hx_xs_transact(h, add_device, &con, 10);
		hx_xs_transact(h, add_device, &vbd, 10);
		hx_xs_transact(h, add_device, &vif, 10);
	}
	t = now() - t;
	result("domains-100", t * 1000, "ms");
	result("domain-tree-nodes", nodes / count, "nodes/domain");
}

static long rss_kb(int pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void bench_memory(struct hx_xs *h, int pid, int n)
{
	long before = rss_kb(pid), after;
	char p[64];

	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "/mem/d%d/node%d", i / 100, i);
		hx_xs_write_str(h, 0, p, "value-16-bytes!!");
	}
	after = rss_kb(pid);
	result("memory-per-node", before < 0 ? -1 : (double)(after - before) * 1024 / (n + n / 100),
	       "bytes");
}

/* A group runs when ONLY is unset or lists its name (comma-separated). */
static bool want(const char *only, const char *name)
{
	size_t len = strlen(name);

	if (!only)
		return true;
	for (const char *p = only; (p = strstr(p, name)); p += len)
		if ((p == only || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct hx_xs *a, *b;
	int n = argc > 3 ? atoi(argv[3]) : 20000;
	const char *only = argc > 4 ? argv[4] : NULL;

	if (argc < 3) {
		fprintf(stderr,
			"usage: %s SOCKET DAEMON-PID [N [GROUP,...]]\n"
			"groups: basic parallel watch tx domains memory\n",
			argv[0]);
		return 2;
	}
	sock = argv[1];
	a = bopen();
	b = bopen();
	if (want(only, "basic"))
		bench_basic(a, n);
	if (want(only, "parallel")) {
		bench_parallel("write-4-clients", PAR_WRITE, 4, n);
		bench_parallel("read-4-clients", PAR_READ, 4, n);
		bench_parallel("directory-4-clients", PAR_DIRECTORY, 4, n);
	}
	if (want(only, "watch")) {
		bench_watch(a, b, n / 4);
		bench_many_watches(a, b, n / 2);
	}
	if (want(only, "tx")) {
		bench_tx(4, n / 20, false);
		bench_tx(4, n / 20, true);
	}
	if (want(only, "domains"))
		bench_domains(a, 100);
	if (want(only, "memory"))
		bench_memory(a, atoi(argv[2]), 50000);
	hx_xs_close(a);
	hx_xs_close(b);
	return 0;
}
