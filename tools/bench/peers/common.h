// Helpers of the peer programs: xgrad's own timing / RESULT-line helpers
// (../bench_common.h, the same method and format as xgrad-bench) plus the
// Fashion-MNIST IDX loader and the shared training order. Header-only, no
// xgrad dependency: these programs are built with g++ by tools/bench/compare.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "../bench_common.h"

namespace bench {

// Same default and variable as xgrad (framework/dataset.cpp).
inline std::string fmnist_dir() {
  const char* d = std::getenv("FMNIST_DIR");
  return d != nullptr && *d != '\0' ? d : "/usr/share/datasets/fashion-mnist";
}

inline std::vector<uint8_t> gz_read_all(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<uint8_t> out;
  uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  gzclose(f);
  return out;
}

inline uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

struct Dataset {
  int n = 0, rows = 0, cols = 0;
  std::vector<float> x;    // n*rows*cols, pixels / 255 -> [0,1]
  std::vector<uint8_t> y;  // n labels 0..9
};

// split = "train" or "t10k"
inline Dataset load_fmnist(const std::string& split) {
  Dataset d;
  const std::string img_path = fmnist_dir() + "/" + split + "-images-idx3-ubyte.gz";
  const std::string lab_path = fmnist_dir() + "/" + split + "-labels-idx1-ubyte.gz";
  auto img = gz_read_all(img_path);
  auto lab = gz_read_all(lab_path);
  if (img.size() < 16 || lab.size() < 8 || be32(img.data()) != 2051 || be32(lab.data()) != 2049)
    throw std::runtime_error("bad IDX header in " + img_path + " or " + lab_path);
  d.n = (int)be32(img.data() + 4);
  d.rows = (int)be32(img.data() + 8);
  d.cols = (int)be32(img.data() + 12);
  size_t px = (size_t)d.n * d.rows * d.cols;
  if ((int)be32(lab.data() + 4) != d.n || img.size() < 16 + px || lab.size() < 8 + (size_t)d.n)
    throw std::runtime_error("truncated or mismatched " + img_path + " / " + lab_path);
  d.x.resize(px);
  for (size_t i = 0; i < px; ++i) d.x[i] = img[16 + i] / 255.0f;
  d.y.assign(lab.begin() + 8, lab.begin() + 8 + d.n);
  return d;
}

// The fixed training order shared by every framework (xgrad-bench included):
// std::shuffle of 0..n-1 with std::mt19937(seed).
inline std::vector<int> permutation(int n, unsigned seed = 42) {
  std::vector<int> p(n);
  std::iota(p.begin(), p.end(), 0);
  std::mt19937 g(seed);
  std::shuffle(p.begin(), p.end(), g);
  return p;
}

// Thread count of every peer: BENCH_THREADS (set by tools/bench/compare), default 2.
inline int bench_threads() {
  const char* t = std::getenv("BENCH_THREADS");
  int n = t != nullptr ? std::atoi(t) : 2;
  return n > 0 ? n : 2;
}

}  // namespace bench
