/* SPDX-License-Identifier: GPL-2.0-only */
/* OCI runtime bundle import: config.json (json-c) translated into a container definition. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <libxml/tree.h>
#include "internal.h"

/* Mounts every container gets from the runtime itself: skipped when importing. */
static const char *const oci_builtin_mounts[] = {
	"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", NULL};

static json_object *jget(json_object *o, const char *path)
{
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		if (!json_object_object_get_ex(o, k, &o))
			return NULL;
	}
	return o;
}

static const char *jstr(json_object *o, const char *path)
{
	json_object *v = jget(o, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool jint(json_object *o, const char *path, int64_t *out)
{
	json_object *v = jget(o, path);

	if (!v || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

static void set_num(xmlNodePtr n, const char *attr, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	xmlNewProp(n, BAD_CAST attr, BAD_CAST buf);
}

static xmlNodePtr child(xmlNodePtr parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST text);
}

static void oci_process(json_object *cfg, xmlNodePtr root)
{
	json_object *p = jget(cfg, "process"), *args = jget(p, "args"), *env = jget(p, "env"), *t;
	xmlNodePtr init = child(root, "init", NULL), u;
	int64_t uid = 0, gid = 0;

	t = jget(p, "terminal");
	xmlNewProp(init, BAD_CAST "terminal",
		   BAD_CAST(t && json_object_get_boolean(t) ? "true" : "false"));
	for (size_t i = 0; args && i < json_object_array_length(args); i++)
		child(init, "arg", json_object_get_string(json_object_array_get_idx(args, i)));
	for (size_t i = 0; env && i < json_object_array_length(env); i++) {
		const char *kv = json_object_get_string(json_object_array_get_idx(env, i));
		const char *eq = kv ? strchr(kv, '=') : NULL;
		char key[256];
		xmlNodePtr e;

		if (!eq || (size_t)(eq - kv) >= sizeof(key) || !strncmp(kv, "PATH=", 5))
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
		e = child(init, "env", eq + 1);
		xmlNewProp(e, BAD_CAST "name", BAD_CAST key);
	}
	if (jstr(p, "cwd"))
		child(init, "cwd", jstr(p, "cwd"));
	if (jget(p, "user")) {
		jint(p, "user.uid", &uid);
		jint(p, "user.gid", &gid);
		u = child(init, "user", NULL);
		set_num(u, "uid", uid);
		set_num(u, "gid", gid);
	}
}

static void oci_caps(json_object *cfg, xmlNodePtr sec)
{
	json_object *b = jget(cfg, "process.capabilities.bounding");
	xmlNodePtr caps;

	if (!b)
		return;
	caps = child(sec, "capabilities", NULL);
	child(caps, "keep", "none");
	for (size_t i = 0; i < json_object_array_length(b); i++) {
		const char *c = json_object_get_string(json_object_array_get_idx(b, i));
		char low[64];
		size_t n = 0;

		if (!c)
			continue;
		if (!strncmp(c, "CAP_", 4))
			c += 4;
		for (; *c && n + 1 < sizeof(low); c++)
			low[n++] = (char)tolower((unsigned char)*c);
		low[n] = '\0';
		child(caps, "keep", low);
	}
}

static bool has_option(json_object *m, const char *opt)
{
	json_object *o = jget(m, "options");

	for (size_t i = 0; o && i < json_object_array_length(o); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(o, i));

		if (s && !strcmp(s, opt))
			return true;
	}
	return false;
}

static void oci_mounts(json_object *cfg, xmlNodePtr root)
{
	json_object *ms = jget(cfg, "mounts");
	xmlNodePtr list = NULL;

	for (size_t i = 0; ms && i < json_object_array_length(ms); i++) {
		json_object *m = json_object_array_get_idx(ms, i);
		const char *dst = jstr(m, "destination"), *src = jstr(m, "source"),
			   *type = jstr(m, "type");
		bool builtin = false, bind = (type && !strcmp(type, "bind")) ||
					     has_option(m, "bind") || has_option(m, "rbind");
		xmlNodePtr n;

		for (int b = 0; dst && oci_builtin_mounts[b]; b++)
			builtin |= !strcmp(dst, oci_builtin_mounts[b]);
		if (!dst || builtin || (!bind && (!type || strcmp(type, "tmpfs"))))
			continue;
		if (!list)
			list = child(root, "mounts", NULL);
		if (bind && src) {
			n = child(list, "bind", NULL);
			xmlNewProp(n, BAD_CAST "source", BAD_CAST src);
			xmlNewProp(n, BAD_CAST "target", BAD_CAST dst);
			if (has_option(m, "ro"))
				xmlNewProp(n, BAD_CAST "readonly", BAD_CAST "true");
		} else if (!bind) {
			n = child(list, "tmpfs", NULL);
			xmlNewProp(n, BAD_CAST "target", BAD_CAST dst);
		}
	}
}

static void oci_idmap(json_object *cfg, xmlNodePtr root)
{
	static const char *const kinds[][2] = {{"linux.uidMappings", "uid"},
					       {"linux.gidMappings", "gid"}};
	xmlNodePtr map = NULL;

	for (int k = 0; k < 2; k++) {
		json_object *a = jget(cfg, kinds[k][0]);

		for (size_t i = 0; a && i < json_object_array_length(a); i++) {
			json_object *m = json_object_array_get_idx(a, i);
			int64_t c = 0, h = 0, n = 0;
			xmlNodePtr e;

			jint(m, "containerID", &c);
			jint(m, "hostID", &h);
			jint(m, "size", &n);
			if (!map)
				map = child(root, "idmap", NULL);
			e = child(map, kinds[k][1], NULL);
			set_num(e, "container", c);
			set_num(e, "host", h);
			set_num(e, "count", n);
		}
	}
}

static void oci_resources(json_object *cfg, xmlNodePtr root)
{
	json_object *r = jget(cfg, "linux.resources");
	int64_t v, q, p;
	xmlNodePtr res, n;

	if (!r)
		return;
	res = child(root, "resources", NULL);
	if (jint(r, "memory.limit", &v) && v > 0)
		set_num(child(res, "memory", NULL), "max", v);
	q = jint(r, "cpu.quota", &q) ? q : -1;
	p = jint(r, "cpu.period", &p) ? p : -1;
	if (q > 0 || p > 0 || (jint(r, "cpu.shares", &v) && v >= 2)) {
		n = child(res, "cpu", NULL);
		if (q > 0)
			set_num(n, "quota", q);
		if (p > 0)
			set_num(n, "period", p);
		if (jint(r, "cpu.shares", &v) && v >= 2)
			set_num(n, "weight", 1 + ((v - 2) * 9999) / 262142); /* crun's mapping */
	}
	if (jint(r, "pids.limit", &v) && v > 0)
		set_num(child(res, "pids", NULL), "max", v);
}

static int oci_load(const char *bundle, json_object **out, ct_err_t *err)
{
	char p[CT_PATH_MAX], *buf;
	struct json_tokener *tok;
	enum json_tokener_error je;
	size_t len;
	int line = 1;

	snprintf(p, sizeof(p), "%s/config.json", bundle);
	if (ct_read_file(p, &buf, &len, err) < 0)
		return -1;
	tok = json_tokener_new();
	*out = len <= INT_MAX ? json_tokener_parse_ex(tok, buf, (int)len) : NULL;
	je = json_tokener_get_error(tok);
	if (!*out || je != json_tokener_success) {
		for (size_t i = 0; i < json_tokener_get_parse_end(tok) && i < len; i++)
			line += buf[i] == '\n';
		ct_err(err, 0, "%s:%d: %s", p, line,
		       je == json_tokener_success || je == json_tokener_continue
			       ? "unexpected end of the JSON document"
			       : json_tokener_error_desc(je));
		json_object_put(*out);
		*out = NULL;
	}
	json_tokener_free(tok);
	free(buf);
	return *out ? 0 : -1;
}

int ct_oci_to_xml(const char *bundle, const char *name, char **xml, int *len, ct_err_t *err)
{
	char rootp[CT_PATH_MAX], *abs;
	json_object *cfg;
	xmlDocPtr doc;
	xmlNodePtr root, rfs, sec;
	const char *rp;
	xmlChar *mem = NULL;

	if (oci_load(bundle, &cfg, err) < 0)
		return -1;
	rp = jstr(cfg, "root.path");
	if (rp && rp[0] == '/')
		snprintf(rootp, sizeof(rootp), "%s", rp);
	else
		snprintf(rootp, sizeof(rootp), "%s/%s", bundle, rp ? rp : "rootfs");
	abs = realpath(rootp, NULL);
	if (!abs) {
		json_object_put(cfg);
		return ct_errno(err, "%s/config.json: root.path %s", bundle, rootp);
	}
	doc = xmlNewDoc(BAD_CAST "1.0");
	root = xmlNewNode(NULL, BAD_CAST "container");
	xmlDocSetRootElement(doc, root);
	xmlNewProp(root, BAD_CAST "name", BAD_CAST name);
	if (jstr(cfg, "hostname") && *jstr(cfg, "hostname"))
		child(root, "hostname", jstr(cfg, "hostname"));
	rfs = child(root, "rootfs", NULL);
	xmlNewProp(rfs, BAD_CAST "path", BAD_CAST abs);
	if (jget(cfg, "root.readonly") && json_object_get_boolean(jget(cfg, "root.readonly")))
		xmlNewProp(rfs, BAD_CAST "readonly", BAD_CAST "true");
	free(abs);
	oci_process(cfg, root);
	oci_idmap(cfg, root);
	oci_resources(cfg, root);
	oci_mounts(cfg, root);
	sec = xmlNewNode(NULL, BAD_CAST "security");
	oci_caps(cfg, sec);
	if (sec->children)
		xmlAddChild(root, sec);
	else
		xmlFreeNode(sec);
	xmlDocDumpFormatMemory(doc, &mem, len, 1);
	*xml = mem ? strdup((const char *)mem) : NULL;
	xmlFree(mem);
	xmlFreeDoc(doc);
	json_object_put(cfg);
	return *xml ? 0 : ct_err(err, ENOMEM, "cannot build the definition");
}
