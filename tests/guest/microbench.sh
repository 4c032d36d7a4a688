# The kvm-unit-tests-style round trips (kvm-microbench), R runs of N each:
# cpuid, vmcall, rdmsr, wrmsr, in-kernel and userspace I/O.
n=${1:-20000}
r=${2:-3}
i=0
while [ $i -lt "$r" ]; do
	kvm-microbench "$n" || exit 1
	i=$((i + 1))
done
