#include "ops/kernels/cpu_isa.h"

#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace xgrad::kernels {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx2:
      return "avx2";
    default:
      return "scalar";
  }
}

Isa cpu_isa() {
  static const Isa isa = [] {
    __builtin_cpu_init();
    // libgcc reads CPUID and XGETBV: a feature counts only when the OS also saves the
    // registers it needs (zmm/opmask state for AVX-512, ymm for AVX2).
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (avx2 && __builtin_cpu_supports("avx512f")) return Isa::kAvx512;
    if (avx2) return Isa::kAvx2;
    return Isa::kScalar;
  }();
  return isa;
}

bool cpu_supports(Isa isa) { return int(isa) <= int(cpu_isa()); }

Isa active_isa() {
  static const Isa isa = [] {
    Isa best = cpu_isa();
    if (const char* want = std::getenv("XGRAD_ISA")) {
      for (Isa lower : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
        if (std::strcmp(want, isa_name(lower)) == 0 && int(lower) < int(best)) best = lower;
      }
    }
    return best;
  }();
  return isa;
}

}  // namespace xgrad::kernels
