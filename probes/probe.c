// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmapify's run-time probe: exercises one mmap hook of a booted kernel and
 * prints what happened, one line per step, for comparison between the base
 * and the converted kernel.  Built static with the host's gcc against the
 * tree's uapi headers (make headers); run by the initramfs' /init, one child
 * per probe, with the arguments the catalogue (probes/catalogue.json) gives:
 *
 *   probe ID --open PATH[:ro|rw] [--prepare KIND] [--map SPEC]...
 *
 * KIND gets the file ready and may replace the descriptor that is mapped:
 *   none          map PATH itself
 *   pcm-hw-params ALSA PCM: SNDRV_PCM_IOCTL_HW_PARAMS (MMAP_INTERLEAVED,
 *                 S16_LE, 2 channels, 48 kHz); size = the buffer in bytes
 *   udmabuf       PATH is /dev/udmabuf: a 64 KiB memfd filled with 0x5a,
 *                 sealed against shrinking, UDMABUF_CREATE; map the dma-buf
 *   dma-heap      PATH is a /dev/dma_heap node: DMA_HEAP_IOCTL_ALLOC 64 KiB
 *   usbmon        usbmon binary interface: size = MON_IOCQ_RING_SIZE
 * SPEC is NAME:key=value,... with keys
 *   len=N|size|size+N  off=N|size   shared|private   prot=r|rw|w|none
 *   touch=r|rw   value (print the first byte read)   fork   mprotect=r|rw|none
 *   keep (leave the mapping for the next map, so two live at once)
 *
 * Every line is "@@P ID STEP RESULT @@" written with one write(2): RESULT is
 * "ok", "ok=VALUE" or "err=ENAME" (or "sig=SIGBUS"), never an address or a
 * time, so that it is the same on two kernels that behave the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <sound/asound.h>

static const char *probe_id = "?";

static void say(const char *step, const char *fmt, ...)
{
	char buf[256], res[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(res, sizeof(res), fmt, ap);
	va_end(ap);
	n = snprintf(buf, sizeof(buf), "@@P %s %s %s @@\n", probe_id, step, res);
	if (n > 0)
		(void)!write(1, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static const char *ename(int e)
{
	static char other[32];

	switch (e) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(EIO); E(ENXIO); E(EBADF); E(EAGAIN);
	E(ENOMEM); E(EACCES); E(EFAULT); E(EBUSY); E(EEXIST); E(ENODEV);
	E(EINVAL); E(ENOSPC); E(ESPIPE); E(EROFS); E(ENOTTY); E(EOVERFLOW);
	E(EBADFD); E(ENOSYS); E(EOPNOTSUPP); E(ETXTBSY); E(E2BIG);
#undef E
	}
	snprintf(other, sizeof(other), "E%d", e);
	return other;
}

static void result(const char *step, long rc)
{
	if (rc < 0)
		say(step, "err=%s", ename(errno));
	else
		say(step, "ok");
}

/* Touching a mapping may raise SIGBUS or SIGSEGV: catch it and say which. */
static sigjmp_buf touch_env;

static void on_fault(int sig)
{
	siglongjmp(touch_env, sig);
}

static void catch_faults(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

static const char *signame(int sig)
{
	return sig == SIGBUS ? "SIGBUS" : sig == SIGSEGV ? "SIGSEGV" : "SIG?";
}

/* Read (and write back) the first byte; 0 when it went through. */
static int touch(const char *step, volatile unsigned char *p, int write,
		 int value)
{
	int sig = sigsetjmp(touch_env, 1);
	unsigned char v;

	if (sig) {
		say(step, "sig=%s", signame(sig));
		return -1;
	}
	v = p[0];
	if (write)
		p[0] = v;
	if (value)
		say(step, "ok=%u", v);
	else
		say(step, "ok");
	return 0;
}

struct map_spec {
	char name[32];
	char len[32], off[32];
	int shared, prot, touch_write, touch, value, fork, keep;
	int mprotect;		/* -1: none */
};

static long parse_size(const char *s, long size)
{
	if (!strncmp(s, "size", 4)) {
		if (s[4] == '+')
			return size + strtol(s + 5, NULL, 0);
		return size;
	}
	return strtol(s, NULL, 0);
}

static int parse_prot(const char *s)
{
	if (!strcmp(s, "r"))
		return PROT_READ;
	if (!strcmp(s, "w"))
		return PROT_WRITE;
	if (!strcmp(s, "rw"))
		return PROT_READ | PROT_WRITE;
	return PROT_NONE;
}

static int parse_map(const char *arg, struct map_spec *m)
{
	char buf[256], *tok, *save, *colon;

	memset(m, 0, sizeof(*m));
	strcpy(m->len, "4096");
	strcpy(m->off, "0");
	m->shared = 1;
	m->prot = PROT_READ;
	m->mprotect = -1;
	snprintf(buf, sizeof(buf), "%s", arg);
	colon = strchr(buf, ':');
	if (!colon)
		return -1;
	*colon = 0;
	snprintf(m->name, sizeof(m->name), "%.31s", buf);
	for (tok = strtok_r(colon + 1, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strncmp(tok, "len=", 4))
			snprintf(m->len, sizeof(m->len), "%.31s", tok + 4);
		else if (!strncmp(tok, "off=", 4))
			snprintf(m->off, sizeof(m->off), "%.31s", tok + 4);
		else if (!strcmp(tok, "shared"))
			m->shared = 1;
		else if (!strcmp(tok, "private"))
			m->shared = 0;
		else if (!strncmp(tok, "prot=", 5))
			m->prot = parse_prot(tok + 5);
		else if (!strncmp(tok, "touch=", 6)) {
			m->touch = 1;
			m->touch_write = !strcmp(tok + 6, "rw");
		} else if (!strcmp(tok, "value"))
			m->value = 1;
		else if (!strcmp(tok, "fork"))
			m->fork = 1;
		else if (!strcmp(tok, "keep"))
			m->keep = 1;
		else if (!strncmp(tok, "mprotect=", 9))
			m->mprotect = parse_prot(tok + 9);
		else
			return -1;
	}
	return 0;
}

/* The child of a fork touches the inherited mapping and exits. */
static void fork_step(const char *name, volatile unsigned char *p, int prot)
{
	char step[64];
	pid_t pid;
	int status;

	snprintf(step, sizeof(step), "%s.fork", name);
	pid = fork();
	if (pid < 0) {
		result(step, -1);
		return;
	}
	if (pid == 0) {
		int sig = sigsetjmp(touch_env, 1);

		if (sig)
			_exit(100 + sig);
		if (prot & PROT_READ)
			(void)p[0];
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0) {
		result(step, -1);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) > 100)
		say(step, "child=%s", signame(WEXITSTATUS(status) - 100));
	else if (WIFEXITED(status))
		say(step, "child=exit%d", WEXITSTATUS(status));
	else
		say(step, "child=killed%d", WTERMSIG(status));
}

static void *kept[16];
static size_t kept_len[16];
static int nkept;

static void map_one(int fd, const struct map_spec *m, long size)
{
	long len = parse_size(m->len, size), off = parse_size(m->off, size);
	char step[64];
	void *p;

	snprintf(step, sizeof(step), "%s.mmap", m->name);
	p = mmap(NULL, len, m->prot, m->shared ? MAP_SHARED : MAP_PRIVATE, fd,
		 off);
	if (p == MAP_FAILED) {
		result(step, -1);
		return;
	}
	say(step, "ok");
	if (m->touch && (m->prot & PROT_READ)) {
		snprintf(step, sizeof(step), "%s.touch", m->name);
		touch(step, p, m->touch_write && (m->prot & PROT_WRITE),
		      m->value);
	}
	if (m->fork)
		fork_step(m->name, p, m->prot);
	if (m->mprotect >= 0) {
		snprintf(step, sizeof(step), "%s.mprotect", m->name);
		result(step, mprotect(p, len, m->mprotect));
	}
	if (m->keep && nkept < 16) {
		kept[nkept] = p;
		kept_len[nkept++] = len;
		return;
	}
	snprintf(step, sizeof(step), "%s.munmap", m->name);
	result(step, munmap(p, len));
}

/* ---- preparations ---- */

static void interval_any(struct snd_interval *i)
{
	memset(i, 0, sizeof(*i));
	i->min = 0;
	i->max = ~0U;
}

static void interval_set(struct snd_interval *i, unsigned int v)
{
	memset(i, 0, sizeof(*i));
	i->min = i->max = v;
	i->integer = 1;
}

static void mask_only(struct snd_mask *m, unsigned int bit)
{
	memset(m, 0, sizeof(*m));
	m->bits[bit / 32] = 1U << (bit % 32);
}

static int prepare_pcm(int fd, long *size)
{
	struct snd_pcm_hw_params hp;
	unsigned int i;

	memset(&hp, 0, sizeof(hp));
	for (i = 0; i <= SNDRV_PCM_HW_PARAM_LAST_MASK -
			 SNDRV_PCM_HW_PARAM_FIRST_MASK; i++)
		memset(&hp.masks[i], 0xff, sizeof(hp.masks[i]));
	for (i = 0; i <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL -
			 SNDRV_PCM_HW_PARAM_FIRST_INTERVAL; i++)
		interval_any(&hp.intervals[i]);
	hp.rmask = ~0U;
	mask_only(&hp.masks[SNDRV_PCM_HW_PARAM_ACCESS -
			    SNDRV_PCM_HW_PARAM_FIRST_MASK],
		  SNDRV_PCM_ACCESS_MMAP_INTERLEAVED);
	mask_only(&hp.masks[SNDRV_PCM_HW_PARAM_FORMAT -
			    SNDRV_PCM_HW_PARAM_FIRST_MASK],
		  SNDRV_PCM_FORMAT_S16_LE);
	mask_only(&hp.masks[SNDRV_PCM_HW_PARAM_SUBFORMAT -
			    SNDRV_PCM_HW_PARAM_FIRST_MASK],
		  SNDRV_PCM_SUBFORMAT_STD);
	interval_set(&hp.intervals[SNDRV_PCM_HW_PARAM_CHANNELS -
				   SNDRV_PCM_HW_PARAM_FIRST_INTERVAL], 2);
	interval_set(&hp.intervals[SNDRV_PCM_HW_PARAM_RATE -
				   SNDRV_PCM_HW_PARAM_FIRST_INTERVAL], 48000);
	if (ioctl(fd, SNDRV_PCM_IOCTL_HW_PARAMS, &hp) < 0)
		return -1;
	*size = (long)hp.intervals[SNDRV_PCM_HW_PARAM_BUFFER_BYTES -
				   SNDRV_PCM_HW_PARAM_FIRST_INTERVAL].min;
	return 0;
}

static int prepare_udmabuf(int fd, long *size, int *mapfd)
{
	struct udmabuf_create create;
	static unsigned char fill[65536];
	int memfd, buf;

	memfd = syscall(SYS_memfd_create, "mmapify-probe", MFD_ALLOW_SEALING);
	if (memfd < 0)
		return -1;
	memset(fill, 0x5a, sizeof(fill));
	if (write(memfd, fill, sizeof(fill)) != sizeof(fill))
		return -1;
	if (fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK) < 0)
		return -1;
	memset(&create, 0, sizeof(create));
	create.memfd = memfd;
	create.offset = 0;
	create.size = sizeof(fill);
	buf = ioctl(fd, UDMABUF_CREATE, &create);
	if (buf < 0)
		return -1;
	*mapfd = buf;
	*size = sizeof(fill);
	return 0;
}

static int prepare_heap(int fd, long *size, int *mapfd)
{
	struct dma_heap_allocation_data alloc;

	memset(&alloc, 0, sizeof(alloc));
	alloc.len = 65536;
	alloc.fd_flags = O_RDWR | O_CLOEXEC;
	if (ioctl(fd, DMA_HEAP_IOCTL_ALLOC, &alloc) < 0)
		return -1;
	*mapfd = alloc.fd;
	*size = 65536;
	return 0;
}

#define MON_IOCQ_RING_SIZE _IO(0x92, 5)

static int prepare_usbmon(int fd, long *size)
{
	int n = ioctl(fd, MON_IOCQ_RING_SIZE);

	if (n < 0)
		return -1;
	*size = n;
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *prepare = "none";
	int i, fd, mapfd, flags = O_RDWR, rc = 0;
	long size = 4096;
	char *colon;

	if (argc < 2) {
		fprintf(stderr, "usage: probe ID --open PATH[:ro|rw] [--prepare KIND] [--map SPEC]...\n");
		return 2;
	}
	probe_id = argv[1];
	for (i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--open"))
			path = argv[i + 1];
		else if (!strcmp(argv[i], "--prepare"))
			prepare = argv[i + 1];
	}
	if (!path) {
		say("args", "err=no-open");
		return 2;
	}
	catch_faults();
	colon = strrchr(path, ':');
	if (colon && (!strcmp(colon, ":ro") || !strcmp(colon, ":rw"))) {
		flags = !strcmp(colon, ":ro") ? O_RDONLY : O_RDWR;
		*colon = 0;
	}
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		result("open", -1);
		return 1;
	}
	say("open", "ok");
	mapfd = fd;
	if (!strcmp(prepare, "pcm-hw-params"))
		rc = prepare_pcm(fd, &size);
	else if (!strcmp(prepare, "udmabuf"))
		rc = prepare_udmabuf(fd, &size, &mapfd);
	else if (!strcmp(prepare, "dma-heap"))
		rc = prepare_heap(fd, &size, &mapfd);
	else if (!strcmp(prepare, "usbmon"))
		rc = prepare_usbmon(fd, &size);
	else if (strcmp(prepare, "none")) {
		say("prepare", "err=unknown-kind");
		return 2;
	}
	if (strcmp(prepare, "none")) {
		if (rc < 0) {
			result("prepare", -1);
			return 1;
		}
		say("prepare", "ok");
	}
	for (i = 2; i + 1 < argc; i += 2) {
		struct map_spec m;

		if (strcmp(argv[i], "--map"))
			continue;
		if (parse_map(argv[i + 1], &m)) {
			say("args", "err=bad-map");
			return 2;
		}
		map_one(mapfd, &m, size);
	}
	for (i = 0; i < nkept; i++)
		result("kept.munmap", munmap(kept[i], kept_len[i]));
	say("done", "ok");
	return 0;
}
