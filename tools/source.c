// SPDX-License-Identifier: GPL-2.0
/*
 * tools/ptshare: where reports come from. A snapshot file, or the module's
 * debugfs files read live; and writing snapshot files (doc/FORMAT.md,
 * "Snapshot files"). A live dump changes the module's selection, so the
 * previous one is written back afterwards, with SIGINT/SIGTERM/SIGHUP held
 * off until then.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "out.h"
#include "source.h"

const char *pt_debugfs_dir(void)
{
	const char *d = getenv("PTSHARE_DEBUGFS");

	if (d && *d)
		return d;
	if (access(PT_DEBUGFS "/summary", F_OK) && !access(PT_PROCFS, F_OK))
		return PT_PROCFS;
	return PT_DEBUGFS;
}

/*
 * The select file, or the module's select parameter where kernel lockdown
 * makes debugfs refuse the file (EPERM even for reading: it has a write bit).
 * Decided once, by opening the file.
 */
static const char *select_path(void)
{
	static char path[512];
	int fd;

	if (*path)
		return path;
	snprintf(path, sizeof(path), "%s/select", pt_debugfs_dir());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	else if (errno == EPERM && !access(PT_SELECT_PARAM, F_OK))
		snprintf(path, sizeof(path), "%s", PT_SELECT_PARAM);
	return path;
}

static char *path_of(const char *file, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", pt_debugfs_dir(), file);
	return buf;
}

/* Read a whole file with read() (debugfs files have no size). */
static char *read_all(const char *path, size_t *lenp)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1), *nbuf;
	ssize_t n;
	int fd;

	if (!buf) {
		pt_error(path, 0, "out of memory");
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pt_error(path, 0, "%s%s", strerror(errno),
			 errno == ENOENT ? " (is ptshare.ko loaded, and debugfs mounted or " PT_PROCFS
			 " there?)" : "");
		free(buf);
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			cap *= 2;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				pt_error(path, 0, "out of memory");
				goto fail;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			pt_error(path, 0, "read: %s", strerror(errno));
			goto fail;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

static int write_select(const char *cmd)
{
	const char *path = select_path();
	size_t len = strlen(cmd);
	struct stat st;
	int fd;
	ssize_t n;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		pt_error(path, 0, "%s", strerror(errno));
		return -1;
	}
	/* A stand-in regular file (PTSHARE_DEBUGFS in the tests) keeps no stale tail. */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 && ftruncate(fd, 0)) {
		pt_error(path, 0, "truncate: %s", strerror(errno));
		close(fd);
		return -1;
	}
	n = write(fd, cmd, len);
	if (n != (ssize_t)len) {
		pt_error(path, 0, "writing \"%s\": %s", cmd,
			 n < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The selection commands a request needs: one per 64 pids. */
static int selection_cmds(const struct pt_request *rq, char ***cmdsp, size_t *np)
{
	size_t n = 0, i, j;
	char **cmds;

	if (rq->kind == PT_SEL_PIDS) {
		size_t chunks = (rq->npids + PTSHARE_SELECT_MAX_PIDS - 1) / PTSHARE_SELECT_MAX_PIDS;

		cmds = calloc(chunks ? chunks : 1, sizeof(*cmds));
		if (!cmds)
			return -1;
		for (i = 0; i < rq->npids; i += PTSHARE_SELECT_MAX_PIDS) {
			size_t cap = 16 + PTSHARE_SELECT_MAX_PIDS * 12, o;
			char *c = malloc(cap);

			if (!c)
				return -1;
			o = snprintf(c, cap, "pid ");
			for (j = i; j < rq->npids && j < i + PTSHARE_SELECT_MAX_PIDS; j++)
				o += snprintf(c + o, cap - o, "%s%" PRId64, j > i ? "," : "",
					      rq->pids[j]);
			cmds[n++] = c;
		}
	} else {
		cmds = calloc(1, sizeof(*cmds));
		if (!cmds)
			return -1;
		if (rq->kind == PT_SEL_COMM) {
			size_t cap = strlen(rq->comm) + 8;

			cmds[0] = malloc(cap);
			if (cmds[0])
				snprintf(cmds[0], cap, "comm %s", rq->comm);
		} else {
			cmds[0] = strdup("all");
		}
		if (!cmds[0]) {
			free(cmds);
			return -1;
		}
		n = 1;
	}
	*cmdsp = cmds;
	*np = n;
	return 0;
}

struct capture {
	char *text[3 + 1024];		/* summary, master, dumps... */
	size_t len[3 + 1024];
	const char *name[3 + 1024];
	char kind[3 + 1024][16];
	size_t n;
};

static int capture_one(struct pt_snapshot *s, struct capture *cap, const char *file,
		       const char *display)
{
	char path[512], *text, *name;
	size_t len;

	if (cap->n == sizeof(cap->text) / sizeof(cap->text[0])) {
		pt_fail("too many files");
		return -1;
	}
	path_of(file, path, sizeof(path));
	text = read_all(path, &len);
	if (!text)
		return -1;
	name = strdup(display ? display : path);
	if (!name) {
		free(text);
		return -1;
	}
	/* Keep a verbatim copy for a snapshot file: the parser splits its text in place. */
	cap->text[cap->n] = malloc(len + 1);
	if (!cap->text[cap->n]) {
		free(text);
		free(name);
		return -1;
	}
	memcpy(cap->text[cap->n], text, len + 1);
	cap->len[cap->n] = len;
	cap->name[cap->n] = name;
	if (pt_load_part(s, name, text, len, cap->kind[cap->n])) {
		cap->n++;
		return -1;
	}
	if (strcmp(cap->kind[cap->n], file)) {
		pt_error(name, 1, "a %s file, not a %s file", cap->kind[cap->n], file);
		cap->n++;
		return -1;
	}
	cap->n++;
	return 0;
}

static void capture_free(struct capture *cap)
{
	size_t i;

	for (i = 0; i < cap->n; i++) {
		free(cap->text[i]);
		free((char *)cap->name[i]);
	}
	free(cap);
}

static int capture(struct pt_snapshot *s, const struct pt_request *rq, struct capture *cap)
{
	char prev[PTSHARE_SELECT_MAX_LEN + 1], name[600], **cmds = NULL;
	sigset_t block, old;
	size_t ncmds = 0, i, len;
	int ret = 0;
	char *cur;

	pt_snapshot_init(s, "live");
	if (rq->summary && capture_one(s, cap, "summary", NULL))
		return -1;
	if (rq->master && capture_one(s, cap, "master", NULL))
		return -1;
	if (rq->kind == PT_SEL_NONE)
		return 0;

	if (selection_cmds(rq, &cmds, &ncmds)) {
		pt_fail("out of memory");
		return -1;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	cur = read_all(select_path(), &len);
	if (!cur) {
		ret = -1;
		goto out;
	}
	snprintf(prev, sizeof(prev), "%.*s", (int)(len && cur[len - 1] == '\n' ? len - 1 : len),
		 cur);
	free(cur);
	for (i = 0; i < ncmds && !ret; i++) {
		if (write_select(cmds[i])) {
			ret = -1;
			break;
		}
		if (ncmds > 1)
			snprintf(name, sizeof(name), "%s/dump (%s)", pt_debugfs_dir(), cmds[i]);
		ret = capture_one(s, cap, "dump", ncmds > 1 ? name : NULL);
	}
	if (write_select(prev)) {
		pt_fail("could not restore the selection \"%s\"", prev);
		ret = -1;
	}
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < ncmds; i++)
		free(cmds[i]);
	free(cmds);
	return ret;
}

int pt_load_live(struct pt_snapshot *s, const struct pt_request *rq)
{
	struct capture *cap = calloc(1, sizeof(*cap));
	int ret;

	if (!cap) {
		pt_snapshot_init(s, "live");
		pt_fail("out of memory");
		return -1;
	}
	ret = capture(s, rq, cap);
	capture_free(cap);
	return ret;
}

int pt_load(struct pt_snapshot *s, const char *path, const struct pt_request *rq)
{
	if (path)
		return pt_load_file(s, path);
	return pt_load_live(s, rq);
}

static const char *request_text(const struct pt_request *rq, char *buf, size_t size)
{
	size_t o, i;

	switch (rq->kind) {
	case PT_SEL_COMM:
		snprintf(buf, size, "comm %s", rq->comm);
		break;
	case PT_SEL_PIDS:
		o = snprintf(buf, size, "pid ");
		for (i = 0; i < rq->npids && o < size; i++)
			o += snprintf(buf + o, size - o, "%s%" PRId64, i ? "," : "", rq->pids[i]);
		break;
	default:
		snprintf(buf, size, "all");
	}
	return buf;
}

static size_t count_lines(const char *t, size_t len)
{
	size_t n = 0;
	const char *p = t, *e = t + len;

	while ((p = memchr(p, '\n', e - p))) {
		n++;
		p++;
	}
	return n;
}

/* Write a snapshot of @rq to @out ("-" or NULL: stdout), through a temporary file and rename. */
int pt_write_snapshot(const struct pt_request *rq, const char *out)
{
	struct capture *cap = calloc(1, sizeof(*cap));
	char tmp[4096], when[64], sel[PTSHARE_SELECT_MAX_LEN * 8];
	struct pt_snapshot s;
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = stdout;
	size_t i;
	int ret = -1;

	if (!cap) {
		pt_fail("out of memory");
		return -1;
	}
	if (capture(&s, rq, cap))
		goto out;
	if (out && strcmp(out, "-")) {
		int fd;

		snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", out);
		fd = mkstemp(tmp);
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			pt_error(out, 0, "cannot create %s: %s", tmp, strerror(errno));
			if (fd >= 0)
				close(fd);
			f = NULL;
			goto out;
		}
	}
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "ptshare-snapshot %d.%d\n", PT_SNAP_MAJOR, PT_SNAP_MINOR);
	fprintf(f, "created %s\n", when);
	fprintf(f, "kernel %s\n", s.hdr.kernel);
	fprintf(f, "arch %s\n", s.hdr.arch);
	fprintf(f, "format %d.%d\n", s.hdr.major, s.hdr.minor);
	fprintf(f, "selection %s\n", request_text(rq, sel, sizeof(sel)));
	for (i = 0; i < cap->n; i++) {
		fprintf(f, "section %s %zu\n", cap->kind[i],
			count_lines(cap->text[i], cap->len[i]));
		fwrite(cap->text[i], 1, cap->len[i], f);
	}
	fprintf(f, "end %zu\n", cap->n);
	if (fflush(f) || ferror(f)) {
		pt_error(out ? out : "stdout", 0, "write failed: %s", strerror(errno));
		goto out;
	}
	if (f != stdout) {
		if (fclose(f)) {
			f = NULL;
			pt_error(out, 0, "write failed: %s", strerror(errno));
			goto out;
		}
		f = NULL;
		if (rename(tmp, out)) {
			pt_error(out, 0, "rename from %s: %s", tmp, strerror(errno));
			unlink(tmp);
			goto out;
		}
	}
	ret = 0;
out:
	if (f && f != stdout) {
		fclose(f);
		unlink(tmp);
	}
	if (ret == 0 && !pt_json && out && strcmp(out, "-"))
		fprintf(stderr, "ptshare: wrote %s: %zu tasks, %zu entries, %zu master ranges\n",
			out, s.ntasks, s.nentries, s.nmranges);
	if (ret == 0 && pt_json && out && strcmp(out, "-")) {
		jw_begin_doc("snapshot");
		jw_str("file", out);
		jw_str("kernel", s.hdr.kernel);
		jw_str("arch", s.hdr.arch);
		jw_str("selection", sel);
		jw_u64("tasks", s.ntasks);
		jw_u64("entries", s.nentries);
		jw_u64("master_ranges", s.nmranges);
		jw_u64("summary_rows", s.nsrows ? s.nsrows - 1 : 0);
		jw_end_doc();
	}
	pt_snapshot_free(&s);
	capture_free(cap);
	return ret;
}
