// SPDX-License-Identifier: GPL-2.0
#include "kvm_vm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

void kes_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	fflush(stdout);
	fprintf(stderr, "FAIL %s:%d: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno %d: %s)\n", err, strerror(err));
	exit(1);
}

struct kes_vm *kes_vm_create(int nr_vcpus)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kes_vm *vm;
	int i;

	KES_ASSERT(nr_vcpus >= 1 && nr_vcpus <= KES_MAX_VCPUS, "bad vCPU count %d", nr_vcpus);
	vm = calloc(1, sizeof(*vm));
	KES_ASSERT(vm, "out of memory");
	vm->io_port = 0x10f;
	vm->io_nports = 1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	KES_ASSERT(vm->kvm_fd >= 0, "open /dev/kvm");
	KES_ASSERT(ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION,
		   "unexpected KVM API version");
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	KES_ASSERT(vm->fd >= 0, "KVM_CREATE_VM");
	/* Needed on VMX without unrestricted guest; harmless elsewhere. */
	KES_ASSERT(ioctl(vm->fd, KVM_SET_TSS_ADDR, 0xfffbd000ul) == 0, "KVM_SET_TSS_ADDR");

	vm->mem = mmap(NULL, KES_GUEST_MEM, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	KES_ASSERT(vm->mem != MAP_FAILED, "mmap guest memory");
	region.memory_size = KES_GUEST_MEM;
	region.userspace_addr = (unsigned long)vm->mem;
	KES_ASSERT(ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) == 0,
		   "KVM_SET_USER_MEMORY_REGION");

	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	KES_ASSERT(vm->run_size > 0, "KVM_GET_VCPU_MMAP_SIZE");
	vm->nr_vcpus = nr_vcpus;
	for (i = 0; i < nr_vcpus; i++) {
		struct kes_vcpu *v = &vm->vcpu[i];

		v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, i);
		KES_ASSERT(v->fd >= 0, "KVM_CREATE_VCPU %d", i);
		v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		KES_ASSERT(v->run != MAP_FAILED, "mmap kvm_run of vCPU %d", i);
	}
	return vm;
}

void kes_vm_load_code(struct kes_vm *vm, const void *code, unsigned long len)
{
	KES_ASSERT(len <= KES_GUEST_MEM - KES_GUEST_CODE, "guest code too large");
	memcpy((char *)vm->mem + KES_GUEST_CODE, code, len);
}

void kes_vm_reset_vcpus(struct kes_vm *vm, uint64_t rsi, uint64_t rdi, uint64_t rdx)
{
	int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		struct kes_vcpu *v = &vm->vcpu[i];
		struct kvm_sregs sregs;
		struct kvm_regs regs = { 0 };

		KES_ASSERT(ioctl(v->fd, KVM_GET_SREGS, &sregs) == 0, "KVM_GET_SREGS");
		/* Flat real mode: CS:IP = 0000:code. */
		sregs.cs.base = 0;
		sregs.cs.selector = 0;
		KES_ASSERT(ioctl(v->fd, KVM_SET_SREGS, &sregs) == 0, "KVM_SET_SREGS");
		regs.rip = KES_GUEST_CODE;
		regs.rflags = 0x2;
		regs.rsi = rsi;
		regs.rdi = rdi;
		regs.rdx = rdx;
		regs.rbx = vm->msr_reads;
		regs.rsp = 0xf000 - 0x200 * i;
		KES_ASSERT(ioctl(v->fd, KVM_SET_REGS, &regs) == 0, "KVM_SET_REGS");
		v->io_exits = v->in_exits = v->hlt_exits = v->kvm_runs = 0;
	}
}

struct vcpu_thread {
	struct kes_vm *vm;
	struct kes_vcpu *vcpu;
	int id;
};

static void *vcpu_thread_fn(void *arg)
{
	struct vcpu_thread *t = arg;
	struct kes_vcpu *v = t->vcpu;
	struct kvm_run *run = v->run;

	for (;;) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			KES_ASSERT(errno == EINTR || errno == EAGAIN, "KVM_RUN vCPU %d", t->id);
			continue;
		}
		v->kvm_runs++;
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			if (run->io.direction == KVM_EXIT_IO_IN && run->io.port == t->vm->io_port) {
				v->in_exits++;
				break;
			}
			KES_ASSERT(run->io.direction == KVM_EXIT_IO_OUT &&
				   (uint16_t)(run->io.port - t->vm->io_port) < t->vm->io_nports,
				   "vCPU %d: unexpected I/O to port 0x%x dir %d",
				   t->id, run->io.port, run->io.direction);
			v->io_exits++;
			break;
		case KVM_EXIT_HLT:
			v->hlt_exits++;
			return NULL;
		default:
			KES_ASSERT(0, "vCPU %d: unexpected KVM exit %u (hw reason 0x%llx)",
				   t->id, run->exit_reason,
				   (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		}
	}
}

void kes_vm_run(struct kes_vm *vm)
{
	struct vcpu_thread t[KES_MAX_VCPUS];
	pthread_t tid[KES_MAX_VCPUS];
	int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		t[i] = (struct vcpu_thread){ vm, &vm->vcpu[i], i };
		KES_ASSERT(pthread_create(&tid[i], NULL, vcpu_thread_fn, &t[i]) == 0,
			   "pthread_create");
	}
	for (i = 0; i < vm->nr_vcpus; i++)
		pthread_join(tid[i], NULL);
}

int kes_host_is_svm(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[4096];
	int svm = 0;

	KES_ASSERT(f, "open /proc/cpuinfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			svm = strstr(line, " svm") != NULL;
			break;
		}
	fclose(f);
	return svm;
}

uint64_t kes_read_u64(const char *path)
{
	char buf[64];
	unsigned long long val;
	char *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	KES_ASSERT(fd >= 0, "open %s", path);
	n = read(fd, buf, sizeof(buf) - 1);
	KES_ASSERT(n > 0, "read %s", path);
	close(fd);
	buf[n] = '\0';
	errno = 0;
	val = strtoull(buf, &end, 10);
	KES_ASSERT(errno == 0 && end != buf && (*end == '\n' || *end == '\0'),
		   "%s: not a number: '%s'", path, buf);
	return val;
}

const char *kes_vm_debugfs_dir(struct kes_vm *vm)
{
	static _Thread_local char dir[128];

	snprintf(dir, sizeof(dir), "/sys/kernel/debug/kvm/%d-%d", (int)getpid(), vm->fd);
	return dir;
}

uint64_t kes_vm_kvm_exits(struct kes_vm *vm)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/exits", kes_vm_debugfs_dir(vm));
	return kes_read_u64(path);
}

void kes_vm_free(struct kes_vm *vm)
{
	int i;

	/* The mappings hold the vCPUs, and so the VM, alive: unmap them too. */
	for (i = 0; i < vm->nr_vcpus; i++) {
		munmap(vm->vcpu[i].run, vm->run_size);
		close(vm->vcpu[i].fd);
	}
	close(vm->fd);
	close(vm->kvm_fd);
	munmap(vm->mem, KES_GUEST_MEM);
	free(vm);
}
