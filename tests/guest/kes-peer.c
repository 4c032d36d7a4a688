// SPDX-License-Identifier: GPL-2.0
/*
 * kes-peer: count VM exits by reason the way the tools we are compared
 * with do, around a command, for the benchmark (scripts/bench.sh).
 *
 *   kes-peer perf -- CMD...  kvm_stat's mechanism: one perf_event counter
 *                            on the kvm:kvm_exit tracepoint per CPU and per
 *                            exit reason, each with the filter
 *                            "exit_reason == N"
 *   kes-peer bpf -- CMD...   bcc kvmexit's mechanism: a BPF program on the
 *                            tracepoint that counts into a per-CPU array
 *                            indexed by exit reason
 *
 * The counters are set up, CMD runs, and the non-zero counts are printed as
 * "# peer REASON COUNT" lines after CMD's own output. The BPF program is
 * twelve instructions written out here rather than compiled with clang and
 * loaded with libbpf: the same program, without a compiler toolchain in the
 * emulated host.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm_vm.h"

#define EVENT_DIR	"/sys/kernel/debug/tracing/events/kvm/kvm_exit"
#define MAX_REASON	1024	/* array size; codes above count in the last slot */

static void die(const char *what)
{
	fprintf(stderr, "kes-peer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int read_int(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		die(path);
	close(fd);
	return atoi(buf);
}

/* Offset of exit_reason in the tracepoint's record, from its format file. */
static int reason_offset(void)
{
	char line[256];
	FILE *f = fopen(EVENT_DIR "/format", "re");
	int off = -1;

	if (!f)
		die(EVENT_DIR "/format");
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, " exit_reason;");

		if (p && (p = strstr(p, "offset:")))
			off = atoi(p + 7);
	}
	fclose(f);
	if (off < 0) {
		fprintf(stderr, "kes-peer: no exit_reason field in %s/format\n", EVENT_DIR);
		exit(1);
	}
	return off;
}

static int tracepoint_open(int id, int cpu)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(a),
		.config = (uint64_t)id,
		.sample_period = 1,
		.disabled = 1,
	};
	int fd = (int)syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		die("perf_event_open kvm:kvm_exit");
	return fd;
}

/* The codes kvm_stat has a name for: its tables list every reason. */
static int reason_codes(int *codes)
{
	int n = 0, c;

	if (!kes_host_is_svm()) {
		for (c = 0; c <= 0x4b; c++)	/* VMX basic reasons */
			codes[n++] = c;
		return n;
	}
	for (c = 0; c <= 0x8d; c++)		/* SVM: CRs, DRs, exceptions, intercepts */
		codes[n++] = c;
	for (c = 0x400; c <= 0x403; c++)	/* NPF, AVIC, VMGEXIT */
		codes[n++] = c;
	return n;
}

static pid_t run(char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "kes-peer: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static int wait_for(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int peer_perf(int id, int ncpu, char **argv)
{
	static int codes[512];
	int n = reason_codes(codes), *fds, i, cpu, rc;

	fds = calloc((size_t)n * ncpu, sizeof(*fds));
	if (!fds)
		die("calloc");
	for (i = 0; i < n; i++)
		for (cpu = 0; cpu < ncpu; cpu++) {
			char filter[32];
			int fd = tracepoint_open(id, cpu);

			snprintf(filter, sizeof(filter), "exit_reason == %d", codes[i]);
			if (ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) < 0)
				die("PERF_EVENT_IOC_SET_FILTER");
			if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0)
				die("PERF_EVENT_IOC_ENABLE");
			fds[i * ncpu + cpu] = fd;
		}
	rc = wait_for(run(argv));
	printf("# peer perf: %d counters (%d reasons x %d CPUs)\n", n * ncpu, n, ncpu);
	for (i = 0; i < n; i++) {
		uint64_t sum = 0, v;

		for (cpu = 0; cpu < ncpu; cpu++) {
			if (read(fds[i * ncpu + cpu], &v, sizeof(v)) != sizeof(v))
				die("read counter");
			sum += v;
			close(fds[i * ncpu + cpu]);
		}
		if (sum)
			printf("# peer 0x%04x %llu\n", codes[i], (unsigned long long)sum);
	}
	free(fds);
	return rc;
}

static int bpf_call(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int peer_bpf(int id, int ncpu, char **argv)
{
	int off = reason_offset(), map, prog, cpu, rc, *fds;
	union bpf_attr attr;
	static char log[4096];
	uint64_t *vals;
	uint32_t key;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_PERCPU_ARRAY;
	attr.key_size = sizeof(uint32_t);
	attr.value_size = sizeof(uint64_t);
	attr.max_entries = MAX_REASON;
	map = bpf_call(BPF_MAP_CREATE, &attr);
	if (map < 0)
		die("BPF_MAP_CREATE");

	struct bpf_insn insns[] = {
		/* r1 = exit_reason, at most MAX_REASON - 1 */
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1, .src_reg = 1, .off = (short)off },
		{ .code = BPF_JMP | BPF_JLT | BPF_K, .dst_reg = 1, .off = 1, .imm = MAX_REASON },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1, .imm = MAX_REASON - 1 },
		/* key on the stack; r0 = bpf_map_lookup_elem(map, &key) */
		{ .code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = 10, .src_reg = 1, .off = -4 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = 2, .src_reg = 10 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 2, .imm = -4 },
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 1, .src_reg = BPF_PSEUDO_MAP_FD,
		  .imm = map },
		{ .code = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_map_lookup_elem },
		/* if (r0) (*r0)++: this CPU's slot, no atomic needed */
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = 0, .off = 3, .imm = 0 },
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = 1, .src_reg = 0 },
		{ .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = 1, .imm = 1 },
		{ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = 0, .src_reg = 1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_TRACEPOINT;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (uint64_t)(uintptr_t)"GPL";
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	prog = bpf_call(BPF_PROG_LOAD, &attr);
	if (prog < 0) {
		fprintf(stderr, "kes-peer: BPF_PROG_LOAD: %s\n%s\n", strerror(errno), log);
		return 1;
	}
	fds = calloc((size_t)ncpu, sizeof(*fds));
	if (!fds)
		die("calloc");
	for (cpu = 0; cpu < ncpu; cpu++) {
		fds[cpu] = tracepoint_open(id, cpu);
		if (ioctl(fds[cpu], PERF_EVENT_IOC_SET_BPF, prog) < 0)
			die("PERF_EVENT_IOC_SET_BPF");
		if (ioctl(fds[cpu], PERF_EVENT_IOC_ENABLE, 0) < 0)
			die("PERF_EVENT_IOC_ENABLE");
	}
	rc = wait_for(run(argv));
	for (cpu = 0; cpu < ncpu; cpu++)
		close(fds[cpu]);
	printf("# peer bpf: a %d-instruction program on %d CPUs\n", (int)attr.insn_cnt, ncpu);
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		die("calloc");
	for (key = 0; key < MAX_REASON; key++) {
		uint64_t sum = 0;

		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)map;
		attr.key = (uint64_t)(uintptr_t)&key;
		attr.value = (uint64_t)(uintptr_t)vals;
		if (bpf_call(BPF_MAP_LOOKUP_ELEM, &attr) < 0)
			die("BPF_MAP_LOOKUP_ELEM");
		for (cpu = 0; cpu < ncpu; cpu++)
			sum += vals[cpu];
		if (sum)
			printf("# peer 0x%04x %llu\n", key, (unsigned long long)sum);
	}
	free(vals);
	free(fds);
	return rc;
}

int main(int argc, char **argv)
{
	int id, ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);

	if (argc < 4 || strcmp(argv[2], "--") || (strcmp(argv[1], "perf") && strcmp(argv[1], "bpf"))) {
		fprintf(stderr, "usage: kes-peer perf|bpf -- CMD [ARG...]\n");
		return 2;
	}
	id = read_int(EVENT_DIR "/id");
	fflush(stdout);
	if (!strcmp(argv[1], "perf"))
		return peer_perf(id, ncpu, argv + 3);
	return peer_bpf(id, ncpu, argv + 3);
}
