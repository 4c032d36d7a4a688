# kvm-exit-stats: see README.md. The two commands that matter:
#   make demo    build, boot the emulated Intel host, show exit statistics
#   make check   every test
KVERSION ?= 6.12
HOST     ?= bochs
PREFIX   ?= /usr/local
DESTDIR  ?=

all: tool

deps:
	@scripts/install-deps.sh

tool:
	$(MAKE) -C tools/kvmexit-read

kernel: deps
	scripts/kernel-build.sh $(KVERSION)

demo: deps
	scripts/demo.sh --host $(HOST) --kversion $(KVERSION)

check: deps
	tests/run-all.sh

bench: deps
	scripts/bench.sh

fuzz:
	$(MAKE) -C tools/kvmexit-read fuzz

install:
	$(MAKE) -C tools/kvmexit-read install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

clean:
	$(MAKE) -C tools/kvmexit-read clean
	$(MAKE) -C tests/guest clean

.PHONY: all deps tool kernel demo check bench fuzz install clean
