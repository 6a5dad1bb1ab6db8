// Fuzz target: the IDX readers (framework/io/idx.h), plain or gzip,
// served from a memfd: images in both layouts and labels.
#include <cstdint>

#include "framework/io/idx.h"
#include "tests/fuzz/fuzz_common.h"

using namespace xgrad;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::MemFile file;
  const std::string& path = file.write(data, size);
  fuzz::expect_clean<FileError>("read_idx_images", [&] {
    Array a = read_idx_images(path, ImageLayout::kFlat, kFloat32);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const double v = a.data<float>()[i];
      if (!(v >= 0 && v <= 1)) std::abort();
    }
  });
  fuzz::expect_clean<FileError>("read_idx_images (channels)",
                                [&] { read_idx_images(path, ImageLayout::kChannels, kFloat64); });
  fuzz::expect_clean<FileError>("read_idx_labels", [&] { read_idx_labels(path); });
  return 0;
}
