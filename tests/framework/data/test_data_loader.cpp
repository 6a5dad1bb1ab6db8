// DataLoader: every sample once per epoch, seeded and resumable order,
// drop_last, and batches independent of the thread count.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <numeric>

#include "framework/data/data_loader.h"
#include "framework/generator.h"
#include "framework/parallel.h"
#include "tests/test_messages.h"

using namespace xgrad;

namespace {

// Sample i has features 10 i + j and label i.
Dataset numbered(std::size_t n, std::size_t d, DType dtype = kFloat32) {
  Dataset data{Array::empty({n, d}, dtype), Array::empty({n}, dtype)};
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < d; ++j) data.x.set(i * d + j, double(10 * i + j));
    data.y.set(i, double(i));
  }
  return data;
}

std::vector<std::size_t> served(const DataLoader& loader, std::size_t epoch) {
  std::vector<std::size_t> all;
  for (const Batch& b : loader.epoch(epoch))
    all.insert(all.end(), b.indices.begin(), b.indices.end());
  return all;
}

using xgrad::testing::message_is;

}  // namespace

BOOST_AUTO_TEST_SUITE(framework_data_data_loader_tests)

BOOST_AUTO_TEST_CASE(every_sample_once_per_epoch_with_its_label) {
  Dataset data = numbered(10, 3);
  DataLoader loader(data, 4, true, 7);
  BOOST_TEST(loader.batch_count() == 3u);
  std::vector<std::size_t> sizes;
  for (std::size_t epoch = 0; epoch < 3; ++epoch) {
    std::vector<std::size_t> seen;
    sizes.clear();
    for (const Batch& b : loader.epoch(epoch)) {
      sizes.push_back(b.x.shape()[0]);
      BOOST_TEST(b.x.shape()[1] == 3u);
      BOOST_TEST(b.y.shape() == (Shape{b.indices.size()}));
      BOOST_TEST(!b.x.requires_grad());
      for (std::size_t r = 0; r < b.indices.size(); ++r) {
        BOOST_TEST(b.y.value().at(r) == double(b.indices[r]));
        for (std::size_t j = 0; j < 3; ++j) {
          BOOST_TEST(b.x.value().at(r * 3 + j) == double(10 * b.indices[r] + j));
        }
      }
      seen.insert(seen.end(), b.indices.begin(), b.indices.end());
    }
    std::sort(seen.begin(), seen.end());
    std::vector<std::size_t> all(10);
    std::iota(all.begin(), all.end(), 0);
    BOOST_TEST(seen == all, boost::test_tools::per_element());
  }
  BOOST_TEST(sizes == (std::vector<std::size_t>{4, 4, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(drop_last_drops_the_partial_batch) {
  Dataset data = numbered(10, 2);
  DataLoader loader(data, 4, true, 1, true);
  BOOST_TEST(loader.batch_count() == 2u);
  std::size_t batches = 0;
  for (const Batch& b : loader.epoch(0)) {
    BOOST_TEST(b.x.shape()[0] == 4u);
    ++batches;
  }
  BOOST_TEST(batches == 2u);
  BOOST_TEST(DataLoader(data, 5, true, 1, true).batch_count() == 2u);
  BOOST_TEST(DataLoader(data, 11, true, 1, true).batch_count() == 0u);
}

BOOST_AUTO_TEST_CASE(without_shuffle_the_order_is_the_dataset_order) {
  Dataset data = numbered(5, 1);
  std::vector<std::size_t> expected = {0, 1, 2, 3, 4};
  BOOST_TEST(served(DataLoader(data, 2, false), 3) == expected, boost::test_tools::per_element());
}

// Note [Epoch order]: epoch k is the k-th permutation an uninterrupted
// Generator(seed) draws, so a resumed run sees the same batches.
BOOST_AUTO_TEST_CASE(epoch_order_is_reproducible_and_resumable) {
  Dataset data = numbered(50, 1);
  DataLoader loader(data, 8, true, 42);
  Generator uninterrupted(42);
  for (std::size_t epoch = 0; epoch < 4; ++epoch) {
    std::vector<std::size_t> expected = uninterrupted.permutation(50);
    BOOST_TEST(served(loader, epoch) == expected, boost::test_tools::per_element());
  }
  DataLoader resumed(data, 8, true, 42);
  BOOST_TEST(served(resumed, 3) == served(loader, 3), boost::test_tools::per_element());
  BOOST_TEST(served(loader, 0) != served(loader, 1));
  BOOST_TEST(served(DataLoader(data, 8, true, 43), 0) != served(loader, 0));
}

BOOST_AUTO_TEST_CASE(same_batches_for_1_and_2_threads) {
  Generator gen(3);
  Dataset data{gen.normal({600, 1000}, 0, 1), Array::zeros({600}, kFloat32)};
  DataLoader loader(data, 256, true, 9);
  auto run = [&](std::size_t threads) {
    ThreadLimit limit(threads);
    std::vector<Array> xs;
    for (const Batch& b : loader.epoch(2)) xs.push_back(b.x.value());
    return xs;
  };
  std::vector<Array> one = run(1), two = run(2);
  BOOST_REQUIRE_EQUAL(one.size(), 3u);
  for (std::size_t i = 0; i < one.size(); ++i) BOOST_TEST(max_abs_diff(one[i], two[i]) == 0.0);
}

BOOST_AUTO_TEST_CASE(labels_follow_the_dtype_and_images_keep_their_shape) {
  Dataset data{Array::zeros({6, 1, 2, 2}, kFloat64), Array::zeros({6}, kFloat64)};
  DataLoader loader(data, 4, false);
  Batch b = *loader.epoch(0).begin();
  BOOST_TEST(b.x.shape() == (Shape{4, 1, 2, 2}));
  BOOST_TEST((b.y.dtype() == kFloat64));
}

// Issue 11: int64 class labels come through the loader as int64, each with
// its sample; the same batches as with float labels.
BOOST_AUTO_TEST_CASE(int64_labels) {
  Dataset floats = numbered(10, 3);
  Dataset ints{floats.x, floats.y.to(kInt64)};
  DataLoader a(floats, 4, true, 3), b(ints, 4, true, 3);
  BOOST_TEST(b.batch_count() == 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    Batch fa = a.epoch(1).batch(i), fb = b.epoch(1).batch(i);
    BOOST_TEST((fb.y.dtype() == kInt64));
    BOOST_TEST(fb.indices == fa.indices);
    BOOST_TEST(max_abs_diff(fb.x.value(), fa.x.value()) == 0.0);
    for (std::size_t r = 0; r < fb.indices.size(); ++r) {
      BOOST_TEST(fb.y.value().at(r) == fa.y.value().at(r));
      BOOST_TEST(fb.y.value().at(r) == floats.y.at(fb.indices[r]));
    }
  }
}

BOOST_AUTO_TEST_CASE(errors) {
  Dataset data = numbered(10, 3);
  BOOST_CHECK_EXCEPTION(DataLoader(data, 0), ValueError,
                        message_is<ValueError>("DataLoader: batch_size must be at least 1"));
  Dataset bad{Array::zeros({10, 3}, kFloat32), Array::zeros({9}, kFloat32)};
  BOOST_CHECK_EXCEPTION(
      DataLoader(bad, 2), ShapeError,
      message_is<ShapeError>("DataLoader: y must be (N) for x with N samples: x (10, 3), y (9)"));
  Dataset mixed{Array::zeros({10, 3}, kFloat32), Array::zeros({10}, kFloat64)};
  BOOST_CHECK_EXCEPTION(
      DataLoader(mixed, 2), DTypeError,
      message_is<DTypeError>(
          "DataLoader: y must be int64 labels or have x's dtype: x float32, y float64"));
}

BOOST_AUTO_TEST_SUITE_END()
