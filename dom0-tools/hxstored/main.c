/* SPDX-License-Identifier: GPL-2.0-only */
/* hxstored: command line, start-up (fresh, from a state file, or live handover), main loop. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conn.h"
#include "daemon.h"
#include "domain.h"
#include "log.h"
#include "quota.h"
#include "ring.h"
#include "sock.h"
#include "state.h"
#include "store.h"
#include "uring.h"

#define HXSTORED_VERSION "0.1.0"

struct opts {
	const char *socket, *state_file, *log_file, *pid_file, *live_restore, *ring;
	int syslog, daemonize, no_uring;
};

static struct opts opt;
static char **saved_argv;
static int saved_argc;
static volatile int quit;
static char sock_path[512];

static void usage(FILE *f)
{
	fputs("Usage: hxstored [OPTION]...\n"
	      "Xenstore daemon speaking Xen's wire protocol over a Unix socket and guest rings.\n\n"
	      "  -s, --socket PATH        listen on PATH (default: $XENSTORED_PATH, else\n"
	      "                           $XENSTORED_RUNDIR/socket, else "
	      "/var/run/xenstored/socket)\n"
	      "  -f, --state-file FILE    load the store from FILE at start if it exists, write "
	      "it\n"
	      "                           there on SIGTERM/SIGINT and on CONTROL save\n"
	      "  -r, --ring-backend NAME  how INTRODUCE maps guest rings: xen (gntdev + evtchn),\n"
	      "                           host (memfd + eventfds sent with INTRODUCE; for tests) "
	      "or\n"
	      "                           none (default: xen when /dev/xen/gntdev exists, else "
	      "none)\n"
	      "  -Q, --quota NAME=VALUE   set a quota for unprivileged domains (0 = none): nodes,\n"
	      "                           watches, transactions, outstanding, node-size, "
	      "path-max,\n"
	      "                           permissions, transaction-nodes, watch-events\n"
	      "  -l, --log-level LEVEL    error, warn, info (default) or debug\n"
	      "  -L, --log-file FILE      log to FILE instead of standard error\n"
	      "  -S, --syslog             log to syslog\n"
	      "  -D, --daemon             detach into the background\n"
	      "  -N, --no-fork            stay in the foreground (the default)\n"
	      "  -p, --pid-file FILE      write the daemon's pid to FILE\n"
	      "  -E, --epoll              wait with epoll only, not io_uring\n"
	      "  -h, --help               show this help and exit\n"
	      "  -V, --version            show the version and exit\n",
	      f);
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{"socket", required_argument, NULL, 's'},
		{"state-file", required_argument, NULL, 'f'},
		{"ring-backend", required_argument, NULL, 'r'},
		{"quota", required_argument, NULL, 'Q'},
		{"log-level", required_argument, NULL, 'l'},
		{"log-file", required_argument, NULL, 'L'},
		{"syslog", no_argument, NULL, 'S'},
		{"daemon", no_argument, NULL, 'D'},
		{"no-fork", no_argument, NULL, 'N'},
		{"pid-file", required_argument, NULL, 'p'},
		{"epoll", no_argument, NULL, 'E'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"live-restore", required_argument, NULL, 1},
		{NULL, 0, NULL, 0},
	};
	int c, lvl;

	while ((c = getopt_long(argc, argv, "s:f:r:Q:l:L:SDNp:EhV", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.socket = optarg;
			break;
		case 'f':
			opt.state_file = optarg;
			break;
		case 'r':
			opt.ring = optarg;
			break;
		case 'L':
			opt.log_file = optarg;
			break;
		case 'S':
			opt.syslog = 1;
			break;
		case 'D':
			opt.daemonize = 1;
			break;
		case 'N':
			opt.daemonize = 0;
			break;
		case 'p':
			opt.pid_file = optarg;
			break;
		case 'E':
			opt.no_uring = 1;
			break;
		case 1:
			opt.live_restore = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("hxstored %s\n", HXSTORED_VERSION);
			exit(0);
		case 'Q':
			if (quota_assign(&quota_global, optarg)) {
				fprintf(stderr, "hxstored: bad quota '%s'\n", optarg);
				return EINVAL;
			}
			break;
		case 'l':
			lvl = log_level_parse(optarg);
			if (lvl < 0) {
				fprintf(stderr, "hxstored: bad log level '%s'\n", optarg);
				return EINVAL;
			}
			log_threshold = (enum log_level)lvl;
			break;
		default:
			usage(stderr);
			return EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hxstored: unexpected argument '%s'\n", argv[optind]);
		return EINVAL;
	}
	return 0;
}

static int pick_ring_backend(void)
{
	if (!opt.ring)
		ring_backend = access("/dev/xen/gntdev", F_OK) == 0 ? &ring_backend_xen : NULL;
	else if (!strcmp(opt.ring, "xen"))
		ring_backend = &ring_backend_xen;
	else if (!strcmp(opt.ring, "host"))
		ring_backend = &ring_backend_host;
	else if (!strcmp(opt.ring, "none"))
		ring_backend = NULL;
	else {
		fprintf(stderr, "hxstored: unknown ring backend '%s'\n", opt.ring);
		return EINVAL;
	}
	return 0;
}

int daemon_save(void)
{
	int rc;

	if (!opt.state_file)
		return ENOENT;
	rc = state_save(opt.state_file, false);
	if (rc)
		log_err("cannot write state file %s: %s", opt.state_file, strerror(rc));
	return rc;
}

int daemon_live_update(void)
{
	char file[600];
	char **argv = calloc((size_t)saved_argc + 3, sizeof(*argv));
	int rc, n = 0;

	if (!argv)
		return ENOMEM;
	snprintf(file, sizeof(file), "%s.live", sock_path);
	rc = state_save(file, true);
	if (rc) {
		free(argv);
		return rc;
	}
	for (int i = 0; i < saved_argc; i++) {
		if (!strcmp(saved_argv[i], "--live-restore")) {
			i++;
			continue;
		}
		argv[n++] = saved_argv[i];
	}
	argv[n++] = "--live-restore";
	argv[n++] = file;
	log_info("live update: handing over to a new process");
	state_keep_fds();
	execv("/proc/self/exe", argv);
	rc = errno;
	free(argv);
	unlink(file);
	return rc;
}

static void signal_ready(struct loop_src *s, uint32_t events)
{
	struct signalfd_siginfo si;

	while (read(s->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: state %s", daemon_save() ? "not saved" : "saved");
			continue;
		}
		log_info("signal %u: shutting down", si.ssi_signo);
		quit = 1;
	}
}

static int setup_signals(struct loop_src *src)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	src->fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	src->ready = signal_ready;
	return src->fd < 0 ? errno : loop_add(src, EPOLLIN);
}

static int load_store(void)
{
	int rc;

	if (opt.live_restore) {
		rc = state_load(opt.live_restore, true);
		unlink(opt.live_restore);
		if (!rc)
			log_info("live update: resumed with %u nodes", store_db.count);
		return rc;
	}
	if (opt.state_file) {
		rc = state_load(opt.state_file, false);
		if (!rc) {
			log_info("loaded %u nodes from %s", store_db.count, opt.state_file);
			return 0;
		}
		if (rc != ENOENT)
			return rc;
		store_fini();
	}
	return store_init();
}

static int start(void)
{
	int rc;

	char def[512];

	snprintf(sock_path, sizeof(sock_path), "%s",
		 opt.socket ? opt.socket : sock_default_path(def, sizeof(def)));
	loop_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop_epfd < 0 || domain_init())
		return errno ? errno : ENOMEM;
	rc = opt.no_uring ? 0 : uring_init();
	if (rc)
		log_info("io_uring unavailable (%s): waiting with epoll", strerror(rc));
	rc = load_store();
	if (rc) {
		log_err("cannot load state: %s", strerror(rc));
		return rc;
	}
	if (!opt.live_restore || sock_listener_fd() < 0) {
		rc = sock_listen(sock_path);
		if (rc) {
			log_err("cannot listen on %s: %s", sock_path, strerror(rc));
			return rc;
		}
	}
	return 0;
}

static void write_pid(void)
{
	FILE *f;

	if (!opt.pid_file)
		return;
	f = fopen(opt.pid_file, "we");
	if (f) {
		fprintf(f, "%d\n", getpid());
		fclose(f);
	}
}

static void run(void)
{
	/* Connections handed over by a live update may hold input and output already. */
	for (struct xs_conn *c = conn_list, *next; c; c = next) {
		next = c->next;
		conn_service(c);
	}
	conn_reap();
	while (!quit) {
		if (uring_on)
			uring_wait();
		else
			loop_dispatch(-1);
		conn_flush_dirty();
		conn_reap();
	}
	/* Replies to the requests handled last still wait for a submission. */
	conn_flush_dirty();
	if (uring_on)
		uring_flush();
}

int main(int argc, char **argv)
{
	struct loop_src sig = {.fd = -1};
	int rc;

	saved_argc = argc;
	saved_argv = argv;
	quota_defaults(&quota_global);
	if (parse_args(argc, argv) || pick_ring_backend())
		return 2;
	rc = log_open(opt.log_file, opt.syslog);
	if (rc) {
		fprintf(stderr, "hxstored: cannot open log %s: %s\n", opt.log_file, strerror(-rc));
		return 1;
	}
	if (opt.daemonize && !opt.live_restore && daemon(0, opt.log_file || opt.syslog ? 0 : 1)) {
		fprintf(stderr, "hxstored: cannot detach: %s\n", strerror(errno));
		return 1;
	}
	if (start() || setup_signals(&sig))
		return 1;
	write_pid();
	log_info("hxstored %s listening on %s (ring backend: %s)", HXSTORED_VERSION, sock_path,
		 ring_backend ? ring_backend->name : "none");
	run();
	daemon_save();
	sock_close_listener();
	unlink(sock_path);
	uring_fini();
	conn_fini();
	store_fini();
	domain_fini();
	log_close();
	return 0;
}
