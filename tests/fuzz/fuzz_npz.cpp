// Fuzz target: .npz reading (framework/io/npz.h). The first byte picks the
// path: even, the bytes are a zip archive read by libzip from memory
// (load_npz_buffer); odd, they describe entries directly (names, declared
// sizes, contents, short reads, read errors) for read_npz_entries, so the
// fuzzer reaches xgrad's own checks without having to forge zip CRCs.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "framework/io/npz.h"
#include "tests/fuzz/fuzz_common.h"

using namespace xgrad;

namespace {

struct FakeEntry {
  std::string name, bytes;
  std::uint64_t size = 0, limit = 0;
  std::size_t step = 1;            // bytes per read call, at most
  std::size_t fail_at = SIZE_MAX;  // a read error at this offset
};

NpzEntry open(const FakeEntry& f) {
  auto pos = std::make_shared<std::size_t>(0);
  NpzEntry e;
  e.name = f.name;
  e.size = f.size;
  e.limit = f.limit;
  e.read = [&f, pos](unsigned char* p, std::size_t n) {
    if (*pos >= f.fail_at) throw FileError("fuzz: read error");
    n = std::min({n, f.step, f.bytes.size() - *pos});
    if (n > 0) std::memcpy(p, f.bytes.data() + *pos, n);
    *pos += n;
    return n;
  };
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    fuzz::expect_clean<FileError>("load_npz_buffer",
                                  [&] { load_npz_buffer(data + 1, size - 1, "fuzz.npz"); });
    return 0;
  }
  FuzzedDataProvider in(data + 1, size - 1);
  std::vector<FakeEntry> entries(in.ConsumeIntegralInRange<std::size_t>(0, 3));
  for (FakeEntry& f : entries) {
    f.name = in.ConsumeRandomLengthString(48);
    f.step = in.ConsumeIntegralInRange<std::size_t>(1, 4096);
    if (in.ConsumeBool()) f.fail_at = in.ConsumeIntegralInRange<std::size_t>(0, 256);
    const int size_kind = in.ConsumeIntegralInRange(0, 3);
    const std::uint64_t any = in.ConsumeIntegral<std::uint64_t>();
    f.bytes = in.ConsumeRandomLengthString(1 << 16);
    // As an archive declares it: mostly the true size, sometimes off by a
    // little or anything at all; the limit is what compressed bytes of
    // this input could hold, as libzip's stat gives it.
    const std::uint64_t n = f.bytes.size();
    f.size = size_kind == 0 ? any : size_kind == 1 ? n + (any % 3) - 1 : n;
    f.limit = std::min<std::uint64_t>(any, std::uint64_t(size) * 1032);
    if (size_kind == 3) f.limit = f.size;
  }
  fuzz::expect_clean<FileError>("read_npz_entries", [&] {
    read_npz_entries("fuzz.npz", entries.size(), [&](std::size_t i) { return open(entries[i]); });
  });
  return 0;
}
