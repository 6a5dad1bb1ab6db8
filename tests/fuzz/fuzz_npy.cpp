// Fuzz target: the .npy decoder (framework/io/npy.h), whole and through a
// reader that hands out a few bytes at a time; a decoded array (any dtype) must
// survive encode_npy -> decode_npy unchanged.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "framework/io/npy.h"
#include "tests/fuzz/fuzz_common.h"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::expect_clean<FileError>("decode_npy", [&] {
    Array a = decode_npy(data, size, "fuzz.npy");
    std::string again = encode_npy(a);
    Array b = decode_npy(reinterpret_cast<const unsigned char*>(again.data()), again.size(), "re");
    // NaN payloads survive a byte copy, so compare bytes, not values
    // (every dtype: float32, float64 and int64 files decode).
    const bool same =
        b.shape() == a.shape() && b.dtype() == a.dtype() && dispatch_any(a.dtype(), [&](auto tag) {
          using T = decltype(tag);
          return a.size() == 0 || std::memcmp(a.data<T>(), b.data<T>(), a.size() * sizeof(T)) == 0;
        });
    if (!same) {
      std::fprintf(stderr, "the encode/decode round trip changed the array\n");
      std::abort();
    }
  });
  // The same bytes, 1 to 7 at a time, declared one byte short, exact or long.
  const std::size_t step = size > 0 ? 1 + data[0] % 7 : 1;
  for (std::uint64_t declared :
       {std::uint64_t(size) - (size > 0), std::uint64_t(size), std::uint64_t(size) + 1}) {
    std::size_t pos = 0;
    ByteReader trickle = [&](unsigned char* p, std::size_t n) {
      n = std::min({n, step, size - pos});
      if (n > 0) std::memcpy(p, data + pos, n);
      pos += n;
      return n;
    };
    fuzz::expect_clean<FileError>("read_npy", [&] { read_npy(trickle, declared, "fuzz.npy"); });
  }
  return 0;
}
