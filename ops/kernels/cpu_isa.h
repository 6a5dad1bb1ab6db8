// cpu_isa: which vector instruction set xgrad's own float kernels run, decided from the
// CPU itself (CPUID through __builtin_cpu_supports, which also checks that the OS saves
// the wide registers), never from a library's guess at the CPU model.
//
// Note [Choosing kernels at run time]. A build may be compiled for an older CPU than it
// runs on (XGRAD_NATIVE=OFF, a package), and a VM may report a CPU model number no
// library knows: Debian 12's OpenBLAS 0.3.21 takes a Sapphire Rapids guest whose model is
// masked for "Prescott" (SSE3) and runs sgemm 5x below the machine's peak. The kernels
// that carry the work (ops/kernels/sgemm_kernels.cpp) are therefore compiled for each
// instruction set with __attribute__((target)), and the one to run is chosen here, once,
// from the features the CPU reports: AVX-512F, else AVX2 with FMA, else portable C++.
// XGRAD_ISA=avx2 or =scalar in the environment lowers the choice (benchmarks and tests of
// the other paths on one machine); it never raises it above what the CPU has.
// Thread safety: the choice is computed once (a function-local static) and then read-only.
#pragma once

namespace xgrad::kernels {

enum class Isa { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// "scalar", "avx2", "avx512".
const char* isa_name(Isa isa);

// The best instruction set this CPU and OS support (CPUID; ignores XGRAD_ISA).
Isa cpu_isa();

// True when this CPU can run kernels of `isa`.
bool cpu_supports(Isa isa);

// The instruction set xgrad's float kernels use: cpu_isa(), lowered by XGRAD_ISA.
Isa active_isa();

}  // namespace xgrad::kernels
