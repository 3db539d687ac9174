/* SPDX-License-Identifier: GPL-2.0-only */
/* Small file, process and lock helpers of the container runtime. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

extern char **environ;

int ct_read_file(const char *path, char **buf, size_t *len, ct_err_t *err)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !b) {
		free(b);
		if (fd >= 0)
			close(fd);
		return ct_errno(err, "cannot open %s", path);
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb = realloc(b, cap * 2 + 1);

			if (!nb)
				break;
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ct_errno(err, "cannot read %s", path);
			close(fd);
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	if (len)
		*len = n;
	return 0;
}

int ct_write_file(const char *path, const char *data, ct_err_t *err)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t w;

	if (fd < 0)
		return ct_errno(err, "cannot open %s", path);
	w = write(fd, data, len);
	if (w < 0 || (size_t)w != len) {
		ct_errno(err, "cannot write \"%s\" to %s", data, path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int ct_write_file_new(const char *path, const char *data, mode_t mode, ct_err_t *err)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0)
		return ct_errno(err, "cannot create %s", path);
	if (write(fd, data, len) != (ssize_t)len) {
		ct_errno(err, "cannot write %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

int ct_mkdir_p(const char *path, mode_t mode, ct_err_t *err)
{
	char buf[CT_PATH_MAX], *slash;
	size_t n = strlen(path);

	/* the common case first: the parent exists (one mkdir, no walk from /) */
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return ct_errno(err, "cannot create %s", path);
	if (n >= sizeof(buf))
		return ct_err(err, ENAMETOOLONG, "%s", path);
	memcpy(buf, path, n + 1);
	slash = strrchr(buf, '/');
	if (!slash || slash == buf)
		return ct_errno(err, "cannot create %s", path);
	*slash = '\0';
	if (ct_mkdir_p(buf, mode, err) < 0)
		return -1;
	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return ct_errno(err, "cannot create %s", path);
	return 0;
}

static dev_t rm_dev;

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	if (sb->st_dev != rm_dev && type == FTW_DP)
		return 0; /* a mount point below: leave it, rmdir of its parent will fail */
	if (type == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Unprivileged removal: overlayfs leaves a mode 000 work/work directory behind. */
static int rm_chmod(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)ftw;
	if ((type == FTW_D || type == FTW_DNR) && (sb->st_mode & 0700) != 0700)
		(void)chmod(path, (sb->st_mode & 07777) | 0700);
	return 0;
}

int ct_rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	rm_dev = st.st_dev;
	if (geteuid() != 0)
		(void)nftw(path, rm_chmod, 32, FTW_PHYS | FTW_MOUNT);
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int ct_run_prog(char *const argv[], ct_err_t *err)
{
	pid_t pid;
	int st, rc;

	rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
	if (rc != 0)
		return ct_err(err, rc, "cannot run %s", argv[0]);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return ct_errno(err, "waitpid %s", argv[0]);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return ct_err(err, 0, "%s %s failed (status %d)", argv[0], argv[1] ? argv[1] : "",
			      WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}

int ct_lock_file(const char *path, bool wait)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

void ct_crashpoint(const char *point)
{
	const char *at = getenv("HXCT_CRASH_AT");

	ct_trace(point);
	if (at && !strcmp(at, point))
		kill(getpid(), SIGKILL);
}

void ct_trace(const char *what)
{
	static long long t0;
	const char *to = getenv("HXCT_TRACE");
	struct timespec ts;
	struct rusage ru;
	long long now;
	FILE *f;

	if (!to)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
	if (!t0)
		t0 = now;
	/* HXCT_TRACE=/path appends there (the detached monitor has no stderr) */
	f = to[0] == '/' ? fopen(to, "ae") : stderr;
	if (!f)
		return;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(f, "hxct[%d] %8lld us %5ld faults  %s\n", (int)getpid(), now - t0, ru.ru_minflt,
		what);
	if (f != stderr)
		fclose(f);
}

uint32_t ct_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}
