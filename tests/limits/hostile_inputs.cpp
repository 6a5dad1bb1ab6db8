// The resource-limit test (issue 14): each reader, given a small hostile
// file that asks for gigabytes, must end with a clean FileError under an
// address-space limit (RLIMIT_AS, what `ulimit -v` sets) of 1 GiB, never
// with a bad_alloc, a crash or the wrong error.
//
// The files are made here, cheaply: a deflate stream of N MiB of zeros is
// one compressed MiB (after a full flush, so it stands alone) repeated N
// times, and the CRC-32 is combined arithmetically. 2 GiB of zeros are
// about 2 MB of gzip or zip.
// Usage: xgrad_hostile_inputs SCRATCH_DIR   (exit 0 when every case is clean)
#include <sys/resource.h>
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <new>
#include <string>
#include <vector>

#include "framework/io/csv.h"
#include "framework/io/idx.h"
#include "framework/io/npz.h"

namespace fs = std::filesystem;
using namespace xgrad;

namespace {

constexpr std::uint64_t kLimit = std::uint64_t(1) << 30;  // 1 GiB of address space
constexpr std::uint64_t kMiB = std::uint64_t(1) << 20;

std::string deflate_chunk(z_stream& z, const std::string& in, int flush) {
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = uInt(in.size());
  char buf[1 << 16];
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    deflate(&z, flush);
    out.append(buf, sizeof buf - z.avail_out);
  } while (z.avail_out == 0);
  return out;
}

// A raw deflate stream of `head` then `mib` MiB of zeros, and its CRC-32.
std::string deflate_zeros(const std::string& head, std::uint64_t mib, uLong& crc) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  const std::string zeros(kMiB, '\0');
  std::string out = deflate_chunk(z, head, Z_FULL_FLUSH);
  const std::string block = deflate_chunk(z, zeros, Z_FULL_FLUSH);
  for (std::uint64_t i = 0; i < mib; ++i) out += block;
  out += deflate_chunk(z, "", Z_FINISH);
  deflateEnd(&z);
  crc = crc32(0, reinterpret_cast<const Bytef*>(head.data()), uInt(head.size()));
  const uLong zero_crc = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), uInt(kMiB));
  for (std::uint64_t i = 0; i < mib; ++i) crc = crc32_combine(crc, zero_crc, z_off_t(kMiB));
  return out;
}

std::string le(std::uint64_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s += char(v >> (8 * i) & 0xff);
  return s;
}

std::string be32(std::uint32_t v) {
  return {char(v >> 24), char(v >> 16 & 0xff), char(v >> 8 & 0xff), char(v & 0xff)};
}

void write(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

// A gzip file of `head` and `mib` MiB of zeros.
void write_gzip(const fs::path& path, const std::string& head, std::uint64_t mib) {
  uLong crc = 0;
  std::string body = deflate_zeros(head, mib, crc);
  write(path, std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10) + body + le(crc, 4) +
                  le(head.size() + mib * kMiB, 4));
}

// A zip archive of one deflated entry `name`: `head` and `mib` MiB of zeros.
void write_zip(const fs::path& path, const std::string& name, const std::string& head,
               std::uint64_t mib) {
  uLong crc = 0;
  const std::string body = deflate_zeros(head, mib, crc);
  const std::uint64_t size = head.size() + mib * kMiB;  // < 4 GiB: no zip64
  const std::string common = le(20, 2) + le(0, 2) + le(8, 2) + le(0, 2) + le(0x21, 2) + le(crc, 4) +
                             le(body.size(), 4) + le(size, 4) + le(name.size(), 2) + le(0, 2);
  const std::string local = le(0x04034b50, 4) + common + name;
  const std::string central = le(0x02014b50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) +
                              le(0, 2) + le(0, 4) + le(0, 4) + name;
  const std::string end = le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) +
                          le(central.size(), 4) + le(local.size() + body.size(), 4) + le(0, 2);
  write(path, local + body + central + end);
}

std::string npy_header(const std::string& descr, const std::string& shape) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + le(dict.size(), 2) + dict;
}

struct Case {
  const char* what;
  std::function<void()> read;
  std::string expected;  // a part of the FileError's message
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s SCRATCH_DIR\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[1];
  fs::create_directories(dir);
  const std::string labels_bomb = (dir / "labels-bomb.gz").string();
  const std::string images_claim = (dir / "images-claim.gz").string();
  const std::string npz_mismatch = (dir / "entry-mismatch.npz").string();
  const std::string npz_large = (dir / "entry-large.npz").string();
  const std::string npz_strides = (dir / "entry-strides.npz").string();
  write_gzip(labels_bomb, be32(0x801) + be32(2), 2048);
  write_gzip(images_claim, be32(0x803) + be32(65536) + be32(256) + be32(256), 2048);
  write_zip(npz_mismatch, "w.npy", npy_header("<f8", "(1,)"), 2048);
  write_zip(npz_large, "w.npy", npy_header("<f8", "(268435456,)"), 2048);
  write_zip(npz_strides, "w.npy", npy_header("<f8", "(0, 4294967296, 4294967296)"), 0);

  const rlimit limit{kLimit, kLimit};
  if (setrlimit(RLIMIT_AS, &limit) != 0) {
    std::perror("setrlimit");
    return 2;
  }
  const std::vector<Case> cases = {
      {"IDX labels: 2 GiB of gzip behind a 2-label header", [&] { read_idx_labels(labels_bomb); },
       labels_bomb + ": corrupt: more than the 2 bytes of labels the header declares"},
      {"IDX images: a header declaring 4 GiB, 2 GiB inflated",
       [&] { read_idx_images(images_claim); },
       images_claim + ": out of memory for the data its header declares"},
      {"npz: a 2 GiB entry behind a (1,) header", [&] { load_npz(npz_mismatch); },
       npz_mismatch + ": entry 'w.npy': corrupt: expected 8 bytes of data for shape (1,) <f8"},
      {"npz: a 2 GiB entry and array", [&] { load_npz(npz_large); },
       npz_large + ": entry 'w.npy': out of memory for the shape (268435456,) array"},
      {"npz: shape (0, 2^32, 2^32)", [&] { load_npz(npz_strides); },
       "shape (0, 4294967296, 4294967296) is too large"},
      {"CSV: /dev/zero", [&] { read_csv("/dev/zero"); },
       "/dev/zero:1: line longer than 1048576 bytes"},
  };
  int failures = 0;
  for (const Case& c : cases) {
    std::string outcome;
    try {
      c.read();
      outcome = "no error";
    } catch (const FileError& e) {
      if (std::string(e.what()).find(c.expected) != std::string::npos) {
        std::printf("ok    %s: %s\n", c.what, e.what());
        continue;
      }
      outcome = std::string("FileError '") + e.what() + "', expected '" + c.expected + "'";
    } catch (const std::bad_alloc& e) {
      outcome = std::string("std::bad_alloc: ") + e.what();
    } catch (const std::exception& e) {
      outcome = std::string("exception: ") + e.what();
    }
    std::printf("FAIL  %s: %s\n", c.what, outcome.c_str());
    ++failures;
  }
  std::printf("%d of %zu cases failed (address space limit %llu MiB)\n", failures, cases.size(),
              static_cast<unsigned long long>(kLimit / kMiB));
  return failures == 0 ? 0 : 1;
}
