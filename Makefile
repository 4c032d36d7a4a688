# kvm-exit-stats: see README.md. The two commands that matter:
#   make demo    build, boot the emulated Intel host, show exit statistics
#   make check   every test
KVERSION ?= 6.12
HOST     ?= bochs
PREFIX   ?= /usr/local
DESTDIR  ?=
# make modules: the kernel to build kvm modules for (default: the running
# one), its headers, its source (default: Debian's linux-source-X.Y).
KRELEASE ?=
KDIR     ?=
KSRC     ?=

all: tool

deps:
	@scripts/install-deps.sh

# What make demo needs, and no more: a fresh machine's first demo is quicker.
deps-demo:
	@KVERSION=$(KVERSION) scripts/install-deps.sh demo

tool:
	$(MAKE) -C tools/kvmexit-read

kernel: deps
	scripts/kernel-build.sh $(KVERSION)

demo: deps-demo
	scripts/demo.sh --host $(HOST) --kversion $(KVERSION)

check: deps
	tests/run-all.sh

bench: deps
	scripts/bench.sh

# Long-running tests, outside make check (Documentation/testing.rst, "The
# soak"). make soak: in the debug kernel (KASAN, lockdep, kmemleak;
# SOAK_FLAVOR=kcsan for KCSAN), SOAK_CYCLES loads and unloads of KVM, then
# DURATION seconds of 4 VMs x 2 vCPUs under readers, resets, parameter
# toggles and CPU hotplug, then exact counts and no kernel report. make
# check runs 10 cycles and 60 s.
DURATION ?= 600
SOAK_CYCLES ?= 50
SOAK_FLAVOR ?= debug
soak: deps
	tests/debug-suite.sh --soak-only $(SOAK_FLAVOR) $(DURATION) $(SOAK_CYCLES)

# Boots that switch the log summary on and off and run 2-vCPU VMs, again
# and again, both versions, on the emulated AMD host as make check runs it
# (single-threaded TCG).
SOAK_ITERATIONS ?= 10
SOAK_ARGS ?= --kversion 6.1 --kversion 6.12 --accel tcg,thread=single --rounds 3
soak-boots: deps
	scripts/hang-repro.sh $(SOAK_ARGS) --iterations $(SOAK_ITERATIONS)

# A real guest: Debian's QEMU boots Linux on KVM inside the emulated host;
# the boot's exits per reason, over time, and a picture.
profile: deps
	scripts/profile.sh --host $(HOST) --kversion $(KVERSION)

# The distribution-kernel path: kvm.ko, kvm-intel.ko, kvm-amd.ko with the
# series for an installed kernel, into build/modules/RELEASE (README.md).
modules:
	scripts/modules-build.sh $(if $(KRELEASE),--krelease $(KRELEASE))$(if $(KDIR), --kdir $(KDIR))$(if $(KSRC), --ksrc $(KSRC))

# Swap them in for the running kernel's (root), and back.
modules-load:
	scripts/kvm-modules-swap.sh load $(CURDIR)/build/modules/$$(uname -r)

modules-restore:
	scripts/kvm-modules-swap.sh restore

modules-status:
	@scripts/kvm-modules-swap.sh status

# Rebuilt by DKMS for every new kernel whose source is installed (root).
dkms-install:
	scripts/dkms.sh install $(KRELEASE)

dkms-remove:
	scripts/dkms.sh remove

# Debian packages into build/deb: kvmexit-read (tool, man page, systemd
# timer, Prometheus rules) and kvm-exit-stats-dkms (Documentation/fleet.rst).
deb:
	scripts/deb-build.sh

fuzz:
	$(MAKE) -C tools/kvmexit-read fuzz

install:
	$(MAKE) -C tools/kvmexit-read install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

clean:
	$(MAKE) -C tools/kvmexit-read clean
	$(MAKE) -C tests/guest clean

.PHONY: all deps deps-demo tool kernel demo check bench soak profile deb fuzz install clean \
	modules modules-load modules-restore modules-status dkms-install dkms-remove
