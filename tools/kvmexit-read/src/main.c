// SPDX-License-Identifier: GPL-2.0
/* kvmexit-read: print, save, diff, watch, record and reset the KVM exit
 * counters of /sys/kernel/debug/kvm_exits. See
 * Documentation/kvmexit-read.rst. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "modes.h"
#include "vm.h"

int main(int argc, char **argv)
{
	struct kx_err e = { 0, "" };
	struct kx_opts o;
	struct kx_buf b;
	int r, status = 0;

	r = kx_cli_parse(argc, argv, getenv(KX_ROOT_ENV), &o, &e);
	if (r) {
		fprintf(stderr,
			"kvmexit-read: %s\n"
			"Try 'kvmexit-read --help' for more information.\n",
			e.msg);
		return r;
	}
	kx_source_all(&o.src, o.root);
	o.src.detail = o.detail;
	/* --diff checks --vm against its snapshots' scope instead */
	if (o.vm && o.mode != KX_MODE_DIFF && o.mode != KX_MODE_TIMELINE) {
		struct kx_vm vm;
		char root[KX_PATH_MAX];

		r = kx_vm_root(o.root, o.vm_root, root, sizeof(root), &e);
		if (!r)
			r = kx_vm_find(root, o.vm, &vm, &e);
		if (r) {
			fprintf(stderr, "kvmexit-read: %s\n", e.msg);
			return r;
		}
		kx_source_vm(&o.src, o.root, &vm);
	}
	o.src.extra = kx_opts_extra(&o);
	switch (o.mode) {
	case KX_MODE_HELP:
	case KX_MODE_VERSION:
		kx_buf_init(&b);
		if (o.mode == KX_MODE_HELP)
			kx_cli_help(&b);
		else
			kx_buf_puts(&b, "kvmexit-read " KX_VERSION
					" (snapshot formats 1 to 4, JSON format 1)\n");
		r = kx_emit(NULL, &b, &e);
		kx_buf_free(&b);
		break;
	case KX_MODE_READ:
		r = kx_mode_read(&o, &e);
		break;
	case KX_MODE_SAVE:
		r = kx_mode_save(&o, &e);
		break;
	case KX_MODE_DIFF:
		r = kx_mode_diff(&o, &e);
		break;
	case KX_MODE_RESET:
		r = kx_mode_reset(&o, &e);
		break;
	case KX_MODE_LIST_VMS:
		r = kx_mode_list_vms(&o, &e);
		break;
	case KX_MODE_WATCH:
		r = kx_mode_watch(&o, &e);
		break;
	case KX_MODE_RUN:
		r = kx_mode_run(&o, &status, &e);
		if (!r)
			return status;
		break;
	case KX_MODE_RECORD:
		r = kx_mode_record(&o, &status, &e);
		if (!r)
			return status;
		break;
	case KX_MODE_TIMELINE:
		r = kx_mode_timeline(&o, &e);
		break;
	}
	if (r)
		fprintf(stderr, "kvmexit-read: %s\n", e.msg);
	return r;
}
