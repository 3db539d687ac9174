/* SPDX-License-Identifier: GPL-2.0-only */
/* Container definitions: libxml2 parsing, XML Schema validation and semantic checks. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cap-ng.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <seccomp.h>
#include "hxct/config.h"
#include "internal.h"

/* Collects libxml2 errors as "file:line: message" lines. */
struct xml_errs {
	char buf[CT_ERR_MSG_MAX];
	size_t len;
	int count;
};

static void xml_err_collect(void *data, xmlErrorPtr e)
{
	struct xml_errs *xe = data;
	char line[512];
	size_t n;
	int w;

	if (!e || e->level < XML_ERR_ERROR || xe->count >= 4)
		return;
	snprintf(line, sizeof(line), "%s", e->message ? e->message : "unknown error");
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	w = snprintf(xe->buf + xe->len, sizeof(xe->buf) - xe->len, "%s%s:%d: %s",
		     xe->count ? "\n" : "", e->file ? e->file : "(definition)", e->line, line);
	if (w > 0 && (size_t)w < sizeof(xe->buf) - xe->len)
		xe->len += (size_t)w;
	xe->count++;
}

bool ct_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > CT_NAME_MAX || name[0] == '.' || name[0] == '-' || name[0] == '_')
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
	       n;
}

int ct_parse_size(const char *s, int64_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!strcmp(s, "max")) {
		*out = CT_UNLIMITED;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case '\0':
		break;
	default:
		return -1;
	}
	if (*end && end[1])
		return -1;
	if (v > ((unsigned long long)INT64_MAX >> shift))
		return -1;
	*out = (int64_t)(v << shift);
	return 0;
}

uint64_t ct_config_default_caps(void)
{
	static const int keep[] = {
		CAP_CHOWN,	CAP_DAC_OVERRIDE, CAP_FOWNER,  CAP_FSETID,	     CAP_KILL,
		CAP_SETGID,	CAP_SETUID,	  CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_NET_RAW,
		CAP_SYS_CHROOT, CAP_AUDIT_WRITE,  CAP_SETFCAP,
	};
	uint64_t m = 0;

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		m |= 1ULL << keep[i];
	return m;
}

/* Small helpers over libxml2 nodes. */
static char *prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (!v)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

static char *text(xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s = strdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static bool is_el(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, (const xmlChar *)name);
}

static bool prop_bool(xmlNodePtr n, const char *name, bool def)
{
	char *v = prop(n, name);
	bool b = def;

	if (v)
		b = !strcmp(v, "true") || !strcmp(v, "1");
	free(v);
	return b;
}

static int64_t prop_size(xmlNodePtr n, const char *name)
{
	char *v = prop(n, name);
	int64_t r = -1;

	if (v && ct_parse_size(v, &r) < 0)
		r = -1;
	free(v);
	return r;
}

static int64_t prop_uint(xmlNodePtr n, const char *name, int64_t def)
{
	char *v = prop(n, name);
	int64_t r = def;

	if (v)
		r = !strcmp(v, "max") ? CT_UNLIMITED : strtoll(v, NULL, 10);
	free(v);
	return r;
}

struct parse {
	struct ct_config *cfg;
	const char *file;
	ct_err_t *err;
};

static int perr(struct parse *p, xmlNodePtr n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parse *p, xmlNodePtr n, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ct_err(p->err, 0, "%s:%ld: %s", p->file, xmlGetLineNo(n), msg);
}

static int parse_rootfs(struct parse *p, xmlNodePtr n)
{
	struct ct_config *c = p->cfg;

	c->rootfs_dir = prop(n, "path");
	c->rootfs_readonly = prop_bool(n, "readonly", false);
	for (xmlNodePtr l = n->children; l; l = l->next) {
		if (!is_el(l, "layer"))
			continue;
		if (c->n_layers == CT_MAX_LAYERS)
			return perr(p, l, "too many layers (at most %d)", CT_MAX_LAYERS);
		c->layers[c->n_layers] = prop(l, "path");
		if (!c->layers[c->n_layers])
			c->layers[c->n_layers] = text(l);
		c->n_layers++;
	}
	if (!c->rootfs_dir == !c->n_layers)
		return perr(p, n, "expected either <rootfs path=\"/dir\"/> or one or more <layer>");
	return 0;
}

static int parse_init(struct parse *p, xmlNodePtr n)
{
	struct ct_config *c = p->cfg;

	c->terminal = prop_bool(n, "terminal", false);
	for (xmlNodePtr e = n->children; e; e = e->next) {
		if (is_el(e, "arg")) {
			if (c->argc == CT_MAX_ARGS)
				return perr(p, e, "too many arguments (at most %d)", CT_MAX_ARGS);
			c->argv[c->argc++] = text(e);
		} else if (is_el(e, "env")) {
			char *k = prop(e, "name"), *v = text(e);

			if (c->n_env == CT_MAX_ENV) {
				free(k);
				free(v);
				return perr(p, e, "too many variables (at most %d)", CT_MAX_ENV);
			}
			if (asprintf(&c->env[c->n_env], "%s=%s", k, v) < 0)
				c->env[c->n_env] = NULL;
			else
				c->n_env++;
			free(k);
			free(v);
		} else if (is_el(e, "cwd")) {
			c->cwd = text(e);
		} else if (is_el(e, "user")) {
			c->uid = (uid_t)prop_uint(e, "uid", 0);
			c->gid = (gid_t)prop_uint(e, "gid", 0);
		}
	}
	if (c->argc == 0 || c->argv[0][0] == '\0')
		return perr(p, n, "expected a first <arg> naming the program to run");
	return 0;
}

static int parse_idmap(struct parse *p, xmlNodePtr n)
{
	struct ct_config *c = p->cfg;

	for (xmlNodePtr e = n->children; e; e = e->next) {
		struct ct_idmap *m;
		bool uid = is_el(e, "uid");

		if (!uid && !is_el(e, "gid"))
			continue;
		if ((uid ? c->n_uidmap : c->n_gidmap) == CT_MAX_IDMAP)
			return perr(p, e, "too many id ranges (at most %d)", CT_MAX_IDMAP);
		m = uid ? &c->uidmap[c->n_uidmap++] : &c->gidmap[c->n_gidmap++];
		m->ct_id = (uint32_t)prop_uint(e, "container", 0);
		m->host_id = (uint32_t)prop_uint(e, "host", 0);
		m->count = (uint32_t)prop_uint(e, "count", 0);
		if (m->count == 0)
			return perr(p, e, "expected count >= 1");
	}
	return 0;
}

static int parse_io(struct parse *p, xmlNodePtr n)
{
	struct ct_resources *r = &p->cfg->res;

	for (xmlNodePtr e = n->children; e; e = e->next) {
		struct ct_io_max *io;
		char *dev;

		if (!is_el(e, "max"))
			continue;
		if (r->n_io == CT_MAX_IO)
			return perr(p, e, "too many io limits (at most %d)", CT_MAX_IO);
		io = &r->io[r->n_io++];
		dev = prop(e, "device");
		if (!dev || sscanf(dev, "%u:%u", &io->major, &io->minor) != 2) {
			free(dev);
			return perr(p, e, "expected device=\"MAJOR:MINOR\"");
		}
		free(dev);
		io->rbps = prop_size(e, "rbps");
		io->wbps = prop_size(e, "wbps");
		io->riops = prop_uint(e, "riops", -1);
		io->wiops = prop_uint(e, "wiops", -1);
	}
	return 0;
}

static int parse_resources(struct parse *p, xmlNodePtr n)
{
	struct ct_resources *r = &p->cfg->res;

	for (xmlNodePtr e = n->children; e; e = e->next) {
		if (is_el(e, "memory")) {
			r->mem_max = prop_size(e, "max");
			r->mem_high = prop_size(e, "high");
		} else if (is_el(e, "cpu")) {
			r->cpu_quota = prop_uint(e, "quota", -1);
			r->cpu_period = prop_uint(e, "period", -1);
			r->cpu_weight = prop_uint(e, "weight", -1);
			if (r->cpu_weight != -1 && (r->cpu_weight < 1 || r->cpu_weight > 10000))
				return perr(p, e, "expected weight between 1 and 10000, got %lld",
					    (long long)r->cpu_weight);
			if (r->cpu_period != -1 &&
			    (r->cpu_period < 1000 || r->cpu_period > 1000000))
				return perr(p, e, "expected period between 1000 and 1000000 us");
			if (r->cpu_quota != -1 && r->cpu_quota != CT_UNLIMITED &&
			    r->cpu_quota < 1000)
				return perr(p, e, "expected quota of at least 1000 us or \"max\"");
		} else if (is_el(e, "pids")) {
			r->pids_max = prop_uint(e, "max", -1);
		} else if (is_el(e, "io")) {
			if (parse_io(p, e) < 0)
				return -1;
		}
	}
	return 0;
}

static int parse_mounts(struct parse *p, xmlNodePtr n)
{
	struct ct_config *c = p->cfg;

	for (xmlNodePtr e = n->children; e; e = e->next) {
		struct ct_mount *m;

		if (!is_el(e, "bind") && !is_el(e, "tmpfs"))
			continue;
		if (c->n_mounts == CT_MAX_MOUNTS)
			return perr(p, e, "too many mounts (at most %d)", CT_MAX_MOUNTS);
		m = &c->mounts[c->n_mounts++];
		m->type = is_el(e, "bind") ? CT_MOUNT_BIND : CT_MOUNT_TMPFS;
		m->source = prop(e, "source");
		m->target = prop(e, "target");
		m->readonly = prop_bool(e, "readonly", false);
		m->size = prop_size(e, "size");
		if (m->size < 0)
			m->size = 0;
		if (!strcmp(m->target, "/") || strstr(m->target, "/../") ||
		    (strlen(m->target) >= 3 && !strcmp(m->target + strlen(m->target) - 3, "/..")))
			return perr(p, e, "expected a target below / without \"..\", got \"%s\"",
				    m->target);
	}
	return 0;
}

static int parse_network(struct parse *p, xmlNodePtr n)
{
	struct ct_net *net = &p->cfg->net;
	char *type = prop(n, "type");
	struct in_addr a;
	char ip[32];
	unsigned len;

	net->type = strcmp(type, "bridge") ? CT_NET_NONE : CT_NET_BRIDGE;
	free(type);
	if (net->type == CT_NET_NONE)
		return 0;
	net->bridge = prop(n, "bridge");
	net->address = prop(n, "address");
	net->gateway = prop(n, "gateway");
	net->mac = prop(n, "mac");
	if (!net->bridge || !net->address)
		return perr(p, n, "expected bridge= and address= with type=\"bridge\"");
	if (sscanf(net->address, "%31[0-9.]/%u", ip, &len) != 2 || len > 32 ||
	    inet_pton(AF_INET, ip, &a) != 1)
		return perr(p, n, "expected address=\"A.B.C.D/LEN\", got \"%s\"", net->address);
	if (net->gateway && inet_pton(AF_INET, net->gateway, &a) != 1)
		return perr(p, n, "expected gateway=\"A.B.C.D\", got \"%s\"", net->gateway);
	return 0;
}

static int parse_caps(struct parse *p, xmlNodePtr n)
{
	uint64_t *caps = &p->cfg->caps;

	for (xmlNodePtr e = n->children; e; e = e->next) {
		bool keep = is_el(e, "keep");
		char *v, up[64];
		int cap;

		if (!keep && !is_el(e, "drop"))
			continue;
		v = text(e);
		if (!strcmp(v, "all") || !strcmp(v, "none")) {
			bool all = !strcmp(v, "all");

			free(v);
			*caps = (keep == all) ? ((1ULL << (CAP_LAST_CAP + 1)) - 1) : 0;
			continue;
		}
		snprintf(up, sizeof(up), "%s", v);
		cap = capng_name_to_capability(up);
		if (cap < 0 || cap > 63) {
			perr(p, e, "unknown capability \"%s\" (expected a name like net_admin)", v);
			free(v);
			return -1;
		}
		free(v);
		if (keep)
			*caps |= 1ULL << cap;
		else
			*caps &= ~(1ULL << cap);
	}
	return 0;
}

static enum ct_sc_action sc_action(const char *s)
{
	if (!strcmp(s, "allow"))
		return CT_SC_ALLOW;
	if (!strcmp(s, "kill"))
		return CT_SC_KILL;
	if (!strcmp(s, "log"))
		return CT_SC_LOG;
	return CT_SC_ERRNO;
}

static int parse_seccomp(struct parse *p, xmlNodePtr n)
{
	struct ct_config *c = p->cfg;
	char *def = prop(n, "default");

	c->seccomp = prop_bool(n, "enabled", true);
	c->sc_default = def ? sc_action(def) : CT_SC_ALLOW;
	free(def);
	for (xmlNodePtr e = n->children; e; e = e->next) {
		struct ct_syscall *s;
		char *a;

		if (!is_el(e, "syscall"))
			continue;
		if (c->n_syscalls == CT_MAX_SYSCALLS)
			return perr(p, e, "too many syscall rules (at most %d)", CT_MAX_SYSCALLS);
		s = &c->syscalls[c->n_syscalls++];
		s->name = prop(e, "name");
		a = prop(e, "action");
		s->action = sc_action(a);
		free(a);
		s->errnum = (int)prop_uint(e, "errno", EPERM);
		if (seccomp_syscall_resolve_name(s->name) == __NR_SCMP_ERROR)
			return perr(p, e, "unknown system call \"%s\"", s->name);
		if (s->errnum < 1 || s->errnum > 4095)
			return perr(p, e, "expected errno between 1 and 4095");
	}
	return 0;
}

static int signal_by_name(const char *name)
{
	for (int s = 1; s < NSIG; s++) {
		const char *abbr = sigabbrev_np(s);

		if (abbr && !strcmp(abbr, name + 3))
			return s;
	}
	return -1;
}

static int parse_stop(struct parse *p, xmlNodePtr n)
{
	char *sig = prop(n, "signal");

	p->cfg->stop_timeout = (int)prop_uint(n, "timeout", p->cfg->stop_timeout);
	if (sig) {
		p->cfg->stop_signal = signal_by_name(sig);
		if (p->cfg->stop_signal < 0) {
			perr(p, n, "unknown signal \"%s\"", sig);
			free(sig);
			return -1;
		}
	}
	free(sig);
	return 0;
}

static int parse_security(struct parse *p, xmlNodePtr n)
{
	for (xmlNodePtr e = n->children; e; e = e->next) {
		if (is_el(e, "capabilities") && parse_caps(p, e) < 0)
			return -1;
		if (is_el(e, "seccomp") && parse_seccomp(p, e) < 0)
			return -1;
	}
	return 0;
}

static void config_defaults(struct ct_config *c)
{
	memset(c, 0, sizeof(*c));
	c->res.mem_max = c->res.mem_high = -1;
	c->res.cpu_quota = c->res.cpu_period = c->res.cpu_weight = -1;
	c->res.pids_max = -1;
	c->caps = ct_config_default_caps();
	c->seccomp = true;
	c->sc_default = CT_SC_ALLOW;
	c->stop_signal = SIGTERM;
	c->stop_timeout = 10;
}

static int parse_tree(struct parse *p, xmlNodePtr root)
{
	struct ct_config *c = p->cfg;
	int rc = 0;

	c->name = prop(root, "name");
	for (xmlNodePtr e = root->children; e && rc == 0; e = e->next) {
		if (is_el(e, "uuid")) {
			char *u = text(e);

			snprintf(c->uuid, sizeof(c->uuid), "%s", u);
			free(u);
		} else if (is_el(e, "hostname")) {
			c->hostname = text(e);
		} else if (is_el(e, "rootfs")) {
			rc = parse_rootfs(p, e);
		} else if (is_el(e, "init")) {
			rc = parse_init(p, e);
		} else if (is_el(e, "idmap")) {
			rc = parse_idmap(p, e);
		} else if (is_el(e, "resources")) {
			rc = parse_resources(p, e);
		} else if (is_el(e, "mounts")) {
			rc = parse_mounts(p, e);
		} else if (is_el(e, "network")) {
			rc = parse_network(p, e);
		} else if (is_el(e, "security")) {
			rc = parse_security(p, e);
		} else if (is_el(e, "stop")) {
			rc = parse_stop(p, e);
		}
	}
	if (rc == 0 && !c->hostname)
		c->hostname = strdup(c->name);
	if (rc == 0 && !c->cwd)
		c->cwd = strdup("/");
	return rc;
}

static int validate(xmlDocPtr doc, struct xml_errs *xe)
{
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vc = NULL;
	int rc = -1;

	pc = xmlSchemaNewMemParserCtxt((const char *)ct_schema_xsd, (int)ct_schema_xsd_len);
	if (!pc)
		return -1;
	schema = xmlSchemaParse(pc);
	if (!schema) {
		snprintf(xe->buf, sizeof(xe->buf),
			 "internal error: the embedded schema is invalid");
		xe->count = 1;
		goto out;
	}
	vc = xmlSchemaNewValidCtxt(schema);
	if (!vc)
		goto out;
	xmlSchemaSetValidStructuredErrors(vc, xml_err_collect, xe);
	rc = xmlSchemaValidateDoc(vc, doc) == 0 ? 0 : -1;
out:
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return rc;
}

static int config_load_mem(struct ct_config *cfg, const char *buf, int len, const char *name,
			   bool trusted, ct_err_t *err)
{
	struct xml_errs xe = {.len = 0};
	struct parse p = {.cfg = cfg, .file = name, .err = err};
	xmlDocPtr doc;
	int rc = -1;

	config_defaults(cfg);
	cfg->file = strdup(name);
	xmlSetStructuredErrorFunc(&xe, xml_err_collect);
	doc = xmlReadMemory(buf, len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	if (!doc) {
		xmlSetStructuredErrorFunc(NULL, NULL);
		ct_config_free(cfg);
		return ct_err(err, 0, "%s", xe.count ? xe.buf : "not an XML document");
	}
	if (!trusted && validate(doc, &xe) < 0) {
		ct_err(err, 0, "%s", xe.count ? xe.buf : "invalid definition");
		goto out;
	}
	rc = parse_tree(&p, xmlDocGetRootElement(doc));
out:
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeDoc(doc);
	if (rc < 0)
		ct_config_free(cfg);
	return rc;
}

int ct_config_load_mem(struct ct_config *cfg, const char *buf, int len, const char *name,
		       ct_err_t *err)
{
	return config_load_mem(cfg, buf, len, name, false, err);
}

int ct_config_load_mem_valid(struct ct_config *cfg, const char *buf, int len, const char *name,
			     ct_err_t *err)
{
	return config_load_mem(cfg, buf, len, name, true, err);
}

static int config_load(struct ct_config *cfg, const char *file, bool trusted, ct_err_t *err)
{
	char *buf;
	size_t len;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if (ct_read_file(file, &buf, &len, err) < 0)
		return -1;
	if (len > INT_MAX) {
		free(buf);
		return ct_err(err, EFBIG, "%s", file);
	}
	rc = config_load_mem(cfg, buf, (int)len, file, trusted, err);
	free(buf);
	return rc;
}

int ct_config_load(struct ct_config *cfg, const char *file, ct_err_t *err)
{
	return config_load(cfg, file, false, err);
}

int ct_config_load_stored(struct ct_config *cfg, const char *file, ct_err_t *err)
{
	return config_load(cfg, file, true, err);
}

void ct_config_free(struct ct_config *c)
{
	free(c->file);
	free(c->name);
	free(c->hostname);
	for (unsigned i = 0; i < c->n_layers; i++)
		free(c->layers[i]);
	free(c->rootfs_dir);
	for (unsigned i = 0; i < c->argc; i++)
		free(c->argv[i]);
	for (unsigned i = 0; i < c->n_env; i++)
		free(c->env[i]);
	free(c->cwd);
	for (unsigned i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].source);
		free(c->mounts[i].target);
	}
	free(c->net.bridge);
	free(c->net.address);
	free(c->net.gateway);
	free(c->net.mac);
	for (unsigned i = 0; i < c->n_syscalls; i++)
		free(c->syscalls[i].name);
	memset(c, 0, sizeof(*c));
}
