// SPDX-License-Identifier: GPL-2.0
/*
 * readtime [-n REPS] [-s SELECT_FILE SELECTION] FILE [FILE2]
 *	Read FILE whole REPS times (default 5), from open() to close(), with a
 *	1 MiB buffer; with -s, write SELECTION to SELECT_FILE before each
 *	open. Prints one line: "median_us MIN_US MAX_US BYTES LINES" (BYTES
 *	and LINES of the last read). With FILE2, each rep reads FILE2 right
 *	after FILE, and a second line gives FILE2's figures: a ratio of the
 *	two is then made of reads that met the same state of the guest (TCG
 *	guests here swing 1.5x between runs of reads seconds apart).
 * readtime --hold FILE
 *	Open FILE, read its first 4 KiB, print "held", and keep it open until
 *	killed: what a reader in the middle of a file costs the kernel.
 * For scripts/bench-module.sh; times are CLOCK_MONOTONIC.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (1 << 20)
#define MAX_REPS 101

static char buf[BUF_SIZE];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct figures {
	const char *path;
	unsigned long long bytes, lines;
	double t[MAX_REPS];
};

/* Read @f->path whole once, as rep @i. 0, or 1 after saying why not. */
static int read_once(struct figures *f, int i)
{
	double t0 = now_us();
	int fd = open(f->path, O_RDONLY);
	ssize_t n;
	char *p;

	if (fd < 0) {
		fprintf(stderr, "readtime: %s: %s\n", f->path, strerror(errno));
		return 1;
	}
	f->bytes = f->lines = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		f->bytes += n;
		for (p = buf; (p = memchr(p, '\n', buf + n - p)); p++)
			f->lines++;
	}
	if (n < 0) {
		fprintf(stderr, "readtime: reading %s: %s\n", f->path, strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	f->t[i] = now_us() - t0;
	return 0;
}

static void print_figures(struct figures *f, int reps)
{
	double *t = f->t;

	qsort(t, reps, sizeof(t[0]), cmp_double);
	printf("%.0f %.0f %.0f %llu %llu\n", reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2,
	       t[0], t[reps - 1], f->bytes, f->lines);
}

int main(int argc, char **argv)
{
	static struct figures f[2];
	const char *sel_file = NULL, *sel = NULL;
	int reps = 5, i, fd, opt, nf;

	if (argc == 3 && !strcmp(argv[1], "--hold")) {
		fd = open(argv[2], O_RDONLY);
		if (fd < 0 || read(fd, buf, 4096) < 0) {
			fprintf(stderr, "readtime: %s: %s\n", argv[2], strerror(errno));
			return 1;
		}
		printf("held\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		switch (opt) {
		case 'n':
			reps = atoi(optarg);
			break;
		case 's':
			if (optind >= argc)
				goto usage;
			sel_file = optarg;
			sel = argv[optind++];
			break;
		default:
			goto usage;
		}
	}
	nf = argc - optind;
	if (nf < 1 || nf > 2 || reps < 1 || reps > MAX_REPS)
		goto usage;
	f[0].path = argv[optind];
	f[1].path = nf == 2 ? argv[optind + 1] : NULL;
	for (i = 0; i < reps; i++) {
		if (sel && write_file(sel_file, sel)) {
			fprintf(stderr, "readtime: writing '%s' to %s: %s\n", sel, sel_file,
				strerror(errno));
			return 1;
		}
		if (read_once(&f[0], i) || (nf == 2 && read_once(&f[1], i)))
			return 1;
	}
	print_figures(&f[0], reps);
	if (nf == 2)
		print_figures(&f[1], reps);
	return 0;
usage:
	fprintf(stderr, "usage: readtime [-n REPS] [-s SELECT_FILE SELECTION] FILE [FILE2]\n"
		"       readtime --hold FILE\n");
	return 2;
}
