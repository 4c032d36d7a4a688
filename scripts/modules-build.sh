#!/usr/bin/env bash
# modules-build.sh [--krelease R] [--kdir DIR] [--ksrc DIR] [--out DIR]
# Build kvm.ko, kvm-intel.ko and kvm-amd.ko with the series applied for an
# installed (distribution) kernel, out of tree against its headers, and print
# the directory holding them. The environment variables KRELEASE, KDIR, KSRC
# and OUT do the same as the options (make modules passes them).
#   R    kernel release (default: uname -r)
#   KDIR its headers / build tree (default /lib/modules/R/build, then
#        /usr/src/linux-headers-R)
#   KSRC the kernel source R was built from (default: Debian's
#        linux-source-X.Y when its package version is the headers')
#   OUT  where the three stripped modules go (default build/modules/R)
# Nothing is built from a source that does not match the headers: same
# upstream version, same Debian package version (without KSRC), and the
# source's include/ and arch/x86/include/ identical to the headers' (the
# layouts kvm.ko shares with the running kernel come from there).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rel=${KRELEASE:-} kdir=${KDIR:-} ksrc=${KSRC:-} out=${OUT:-}
while [ $# -gt 0 ]; do
	case "$1" in
	--krelease) rel=$2; shift 2 ;;
	--kdir) kdir=$2; shift 2 ;;
	--ksrc) ksrc=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) die "modules-build.sh: unknown option $1" ;;
	esac
done
# Absolute paths: make -C KDIR M=... needs them (DKMS passes relative ones).
KES_CACHE=$(realpath -m "$KES_CACHE")
[ -z "$out" ] || out=$(realpath -m "$out")
for t in make:make gcc:gcc git:git modinfo:kmod strip:binutils xz:xz-utils; do
	need_cmd "${t%%:*}" "${t#*:}"
done

# --- the headers -----------------------------------------------------------
uts_of() { sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null || true; }
if [ -z "$rel" ] && [ -n "$kdir" ]; then
	rel=$(uts_of "$kdir")
	[ -n "$rel" ] || die "KDIR=$kdir is not a kernel headers/build tree (no include/generated/utsrelease.h)"
fi
[ -n "$rel" ] || rel=$(uname -r)
where=
if [ -z "$kdir" ]; then
	kdir=/lib/modules/$rel/build
	[ -f "$kdir/Makefile" ] || kdir=/usr/src/linux-headers-$rel
	where="/lib/modules/$rel/build or "
fi
[ -f "$kdir/Makefile" ] && [ -n "$(uts_of "$kdir")" ] ||
	die "no kernel headers for $rel in $where$kdir: install linux-headers-$rel (or give KDIR=)"
[ -f "$kdir/.config" ] && [ -f "$kdir/Module.symvers" ] ||
	die "$kdir has no .config or Module.symvers: not the headers of a built kernel"
[ "$(uts_of "$kdir")" = "$rel" ] ||
	die "the headers in $kdir are for $(uts_of "$kdir"), not $rel"
for o in KVM KVM_INTEL KVM_AMD; do
	grep -qx "CONFIG_$o=m" "$kdir/.config" ||
		die "$rel has CONFIG_$o not =m: its kvm cannot be replaced by modules (build the whole kernel, see Documentation/kernel-patch.rst)"
done

# Upstream version of the headers, and Debian's package version if it is a
# Debian kernel (Debian records it in include/generated/package.h).
ver_h=$kdir/include/generated/uapi/linux/version.h
hver=$(awk '/#define LINUX_VERSION_(MAJOR|PATCHLEVEL|SUBLEVEL) /{v[$2]=$3}
	END{if (length(v) == 3) print v["LINUX_VERSION_MAJOR"] "." v["LINUX_VERSION_PATCHLEVEL"] "." v["LINUX_VERSION_SUBLEVEL"]}' "$ver_h" 2>/dev/null)
[ -n "$hver" ] || die "cannot read the kernel version of $rel from $ver_h"
mm=${hver%.*}
hdeb=$(sed -n 's/^#define LINUX_PACKAGE_ID " Debian \(.*\)"$/\1/p' "$kdir/include/generated/package.h" 2>/dev/null || true)

# The source half of the headers: the tree itself, or (Debian) the -common
# directory the headers' Makefile includes.
hsrc=$kdir
if [ ! -d "$hsrc/include/linux" ]; then
	hsrc=$(sed -n 's|^include \(/.*\)/Makefile$|\1|p' "$kdir/Makefile" | head -n1)
	[ -n "$hsrc" ] && [ -d "$hsrc/include/linux" ] ||
		die "cannot find the headers' include/linux for $rel (in $kdir or the tree its Makefile includes)"
fi

series=$KES_PATCH_DIR/$mm
[ -d "$series" ] || die "no patch series for Linux $mm (kernel-patch/ has: $KES_VERSIONS)"

# --- the source ------------------------------------------------------------
mkdir -p "$KES_CACHE/logs" "$KES_CACHE/modules"
log=$KES_CACHE/logs/modules-$rel.log
: >"$log"
tmp=
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

if [ -n "$ksrc" ]; then
	[ -f "$ksrc/Makefile" ] && [ -d "$ksrc/arch/x86/kvm" ] && [ -d "$ksrc/virt/kvm" ] ||
		die "KSRC=$ksrc is not a kernel source tree (no Makefile, arch/x86/kvm, virt/kvm)"
	src=$(cd "$ksrc" && pwd)
	what="KSRC $src"
else
	[ -n "$hdeb" ] ||
		die "the headers of $rel are not Debian's (no Debian version in include/generated/package.h): give the source $rel was built from with KSRC="
	pkg=linux-source-$mm
	sdeb=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$pkg" 2>/dev/null | sed -n 's/^ii *//p')
	[ -n "$sdeb" ] || die "$pkg is not installed: apt-get install $pkg=$hdeb (or give KSRC=)"
	[ "$sdeb" = "$hdeb" ] ||
		die "$pkg is $sdeb but the headers of $rel are $hdeb: mismatched source, nothing built (apt-get install $pkg=$hdeb, or give KSRC=)"
	tarball=/usr/src/$pkg.tar.xz
	[ -f "$tarball" ] || die "$tarball missing although $pkg is installed"
	what="$pkg $sdeb"
	# scripts/kernel-tree.sh's unpack when there is one (make demo made it);
	# else only the parts needed here, from the tarball, once.
	src=$KES_CACHE/src/linux-$mm-${sdeb//[^A-Za-z0-9.+-]/_}
	if [ ! -f "$src/Makefile" ]; then
		src=$KES_CACHE/modsrc/linux-$mm-${sdeb//[^A-Za-z0-9.+-]/_}
	fi
	if [ ! -f "$src/Makefile" ]; then
		note "extracting arch/x86/kvm, virt/kvm and the headers from $tarball"
		mkdir -p "$KES_CACHE/modsrc"
		tmp=$(mktemp -d "$KES_CACHE/modsrc/.unpack-XXXXXX")
		tar -C "$tmp" -xf "$tarball" "$pkg/Makefile" "$pkg/arch/x86/kvm" "$pkg/virt/kvm" \
			"$pkg/include" "$pkg/arch/x86/include" >>"$log" 2>&1 ||
			die "extracting from $tarball failed" "$log"
		mv "$tmp/$pkg" "$src"
		rm -rf "$tmp"
		tmp=
	fi
fi

# Same upstream version as the headers.
sver=$(awk '/^(VERSION|PATCHLEVEL|SUBLEVEL) *=/{v[$1]=$3} END{print v["VERSION"] "." v["PATCHLEVEL"] "." v["SUBLEVEL"]}' "$src/Makefile")
[ "$sver" = "$hver" ] ||
	die "$what is Linux $sver but the headers of $rel are $hver: mismatched source, nothing built"

# Same headers as those the kernel was built with (files only in the source
# do not matter: the build reads the headers' copies).
{
	diff -rq -x generated -x config "$src/include" "$hsrc/include"
	diff -rq -x generated "$src/arch/x86/include" "$hsrc/arch/x86/include"
} 2>&1 | grep -v "^Only in $src" >"$log.diff" || true
if [ -s "$log.diff" ]; then
	cat "$log.diff" >>"$log"
	first=$(head -n1 "$log.diff")
	case "$first" in
	"Files $src/"*) first=${first#"Files $src/"}; first="${first%% and *} differs" ;;
	"Only in $hsrc/"*) first=${first#"Only in $hsrc/"}; first="${first/: //} is missing" ;;
	esac
	die "$what differs from the headers of $rel ($first, $(grep -c . "$log.diff") file(s) in all): mismatched source, nothing built" "$log"
fi
rm -f "$log.diff"

# --- prepare the module tree -----------------------------------------------
# One tree per (release, headers, source, series): a warm rebuild is a no-op.
src_hash=$(cd "$src" && find arch/x86/kvm virt/kvm -type f ! -name '*.o' ! -name '.*' -print0 |
	LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)
key=$( { echo "$rel $hdeb $src_hash $(series_hash "$mm")"; cat "$kdir/.config" "$kdir/Module.symvers"; } |
	sha256sum | cut -c1-12)
tree=$KES_CACHE/modules/$rel/$key
if [ ! -f "$tree/Kbuild" ]; then
	mkdir -p "$KES_CACHE/modules/$rel"
	tmp=$(mktemp -d "$KES_CACHE/modules/$rel/.prep-XXXXXX")
	mkdir -p "$tmp/arch/x86/include/asm" "$tmp/virt"
	# Plain copies: the patches must not write through links into a shared tree.
	cp -r "$src/arch/x86/kvm" "$tmp/arch/x86/" && cp -r "$src/virt/kvm" "$tmp/virt/" &&
		cp "$src/arch/x86/include/asm/kvm_host.h" "$tmp/arch/x86/include/asm/" ||
		die "copying the kvm sources of $what failed"
	cp "$KES_TOP/modules/Kbuild" "$tmp/Kbuild"
	mk=$tmp/arch/x86/kvm/Makefile
	sed -i -e 's|\$(srctree)/arch/x86/kvm|$(KBUILD_EXTMOD)/arch/x86/kvm|g' \
		-e 's|\$(srctree)/virt/kvm|$(KBUILD_EXTMOD)/virt/kvm|g' "$mk"
	! grep -n 'srctree' "$mk" >>"$log" ||
		die "arch/x86/kvm/Makefile of $what refers to \$(srctree) in a way modules/Kbuild does not handle" "$log"
	# The series adds fields at the end of struct kvm_vcpu_arch and struct
	# kvm_arch (asm/kvm_host.h), which only the KVM modules use: the patched
	# copy must come before the headers' own, hence NOSTDINC_FLAGS, the only
	# include flags kbuild puts before LINUXINCLUDE.
	printf '\n# kvm-exit-stats: the patched asm/kvm_host.h first.\nNOSTDINC_FLAGS += -I$(KBUILD_EXTMOD)/arch/x86/include\n' >>"$mk"
	if [ -f "$tmp/arch/x86/kvm/exit_stats.c" ]; then
		note "$what already carries the series: building it as it is"
	else
		for p in $(find "$series" -maxdepth 1 -name '*.patch' | LC_ALL=C sort); do
			echo "== $p" >>"$log"
			(cd "$tmp" && git apply --verbose --include='arch/x86/kvm/*' \
				--include='arch/x86/include/asm/kvm_host.h' "$p") >>"$log" 2>&1 ||
				die "patch $(basename "$p") does not apply to $what" "$log"
		done
	fi
	mv "$tmp" "$tree"
	tmp=
fi

# --- build -----------------------------------------------------------------
note "building kvm.ko, kvm-intel.ko, kvm-amd.ko for $rel from $what"
make -C "$kdir" M="$tree" -j"$(nproc)" modules >>"$log" 2>&1 ||
	die "building the kvm modules for $rel failed" "$log"

# The result must carry the series and the kernel's exact vermagic (that of
# its own kvm.ko when installed, else one naming the release).
kodir=$tree/arch/x86/kvm
ref=$(find "/lib/modules/$rel/kernel/arch/x86/kvm" -name 'kvm.ko*' 2>/dev/null | head -n1 || true)
refmagic=
[ -z "$ref" ] || refmagic=$(modinfo -F vermagic "$ref" 2>/dev/null || true)
for m in kvm kvm-intel kvm-amd; do
	[ -f "$kodir/$m.ko" ] || die "the build made no $m.ko" "$log"
	magic=$(modinfo -F vermagic "$kodir/$m.ko")
	if [ -n "$refmagic" ]; then
		[ "$magic" = "$refmagic" ] ||
			die "$m.ko has vermagic '$magic', $rel's own kvm.ko '$refmagic'" "$log"
	else
		[ "${magic%% *}" = "$rel" ] || die "$m.ko has vermagic '$magic', not for $rel" "$log"
	fi
done
modinfo -F parm "$kodir/kvm.ko" | grep '^exit_log_interval:' >/dev/null ||
	die "the built kvm.ko lacks the series (no exit_log_interval parameter)" "$log"

# Stripped like the distribution's own modules (the debug info stays in the
# cache); replaced as a whole so a reader never sees a half-copied set.
[ -n "$out" ] || out=$KES_TOP/build/modules/$rel
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$(dirname "$out")/.out-XXXXXX")
for m in kvm kvm-intel kvm-amd; do
	strip --strip-debug -o "$tmp/$m.ko" "$kodir/$m.ko" || die "stripping $m.ko failed"
done
cat >"$tmp/BUILD-INFO" <<INFO
release  $rel
headers  $kdir ${hdeb:+(Debian $hdeb)}
source   $what
series   kernel-patch/$mm ($(series_hash "$mm"))
vermagic $(modinfo -F vermagic "$kodir/kvm.ko")
INFO
chmod 755 "$tmp"
rm -rf "$out.old"
[ ! -d "$out" ] || mv "$out" "$out.old"
mv "$tmp" "$out"
tmp=
rm -rf "$out.old"
echo "$out"
