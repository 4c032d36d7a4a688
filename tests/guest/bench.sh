# Benchmark workload: R runs of N CPUID exits on one vCPU (CPUID is handled
# in the kernel, so this is the exit path alone), after a warm-up run.
n=${1:-20000}
r=${2:-5}
kvm-exitgen --cpuid 1000 --io 0 >/dev/null || exit 1
i=0
while [ $i -lt "$r" ]; do
	kvm-exitgen --cpuid "$n" --io 0 || exit 1
	i=$((i + 1))
done
