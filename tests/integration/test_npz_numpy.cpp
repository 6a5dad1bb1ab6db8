// .npz interoperability with NumPy (/usr/bin/python3 with python3-numpy):
// NumPy reads what xgrad writes, and xgrad reads numpy.savez and
// numpy.savez_compressed files. Values are formulas both sides evaluate.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <string>

#include "framework/io/npz.h"
#include "tests/framework/temp_dir.h"
#include "tests/test_messages.h"

namespace fs = std::filesystem;
using namespace xgrad;
using xgrad::testing::message_is;

namespace {

// Runs a Python script with NumPy; true when it exits with 0.
bool run_python(const fs::path& dir, const std::string& script, const std::string& arg) {
  fs::path file = dir / "script.py";
  testing::write_bytes(file, script);
  std::string cmd = "/usr/bin/python3 '" + file.string() + "' '" + arg + "'";
  int status = std::system(cmd.c_str());
  BOOST_TEST_MESSAGE(cmd << " -> " << status);
  return status == 0;
}

const char kCheckXgradFile[] = R"(
import sys, numpy as np
f = np.load(sys.argv[1])
assert f.files == ['model/0.weight', 'b', 'meta/step', 'vec'], f.files
w = f['model/0.weight']
assert w.dtype == np.float32 and w.shape == (2, 3), (w.dtype, w.shape)
assert (w == (np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.25) - 1)).all(), w
b = f['b']
assert b.dtype == np.float64 and b.shape == (), (b.dtype, b.shape)
assert b == 0.1, b
s = f['meta/step']
assert s.dtype == np.float64 and s.shape == (1,) and s[0] == 2.0**53, s
v = f['vec']
assert v.dtype == np.float64 and v.shape == (4,) and (v == np.array([1e-300, -0.0, 3.5, 1e300])).all()
)";

const char kWriteNumpyFiles[] = R"(
import sys, numpy as np
d = sys.argv[1]
arrays = dict(
    f4=np.arange(6, dtype=np.float32).reshape(2, 3) / np.float32(3),
    f8=np.linspace(-1, 1, 5),
    i8=np.array([[-3, 4], [5, 2**40]], dtype=np.int64),
    u1=np.array([0, 7, 255], dtype=np.uint8),
    i4=np.array([-(2**31)], dtype=np.int32),
    s=np.float64(2.5),
)
arrays['nested/name'] = np.ones((1, 2, 1, 3))
np.savez(d + '/plain.npz', **arrays)
np.savez_compressed(d + '/compressed.npz', **arrays)
np.savez(d + '/fortran.npz', a=np.asfortranarray(np.ones((2, 3))))
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(integration_npz_numpy_tests)

BOOST_AUTO_TEST_CASE(numpy_reads_xgrad_files) {
  fs::path dir = testing::temp_dir("npz_numpy_read");
  Array w = Array::empty({2, 3}, kFloat32);
  for (std::size_t i = 0; i < 6; ++i) w.set(i, float(i) * 0.25f - 1);
  Array v = Array::empty({4}, kFloat64);
  const double vals[] = {1e-300, -0.0, 3.5, 1e300};
  for (std::size_t i = 0; i < 4; ++i) v.set(i, vals[i]);
  NamedArrays arrays = {{"model/0.weight", w},
                        {"b", Array::scalar(0.1, kFloat64)},
                        {"meta/step", Array::full({1}, 9007199254740992.0, kFloat64)},
                        {"vec", v}};
  for (bool compress : {false, true}) {
    std::string path = (dir / (compress ? "c.npz" : "s.npz")).string();
    save_npz(path, arrays, compress);
    BOOST_TEST(run_python(dir, kCheckXgradFile, path), "NumPy rejected " << path);
  }
}

BOOST_AUTO_TEST_CASE(xgrad_reads_numpy_savez_and_savez_compressed) {
  fs::path dir = testing::temp_dir("npz_numpy_write");
  BOOST_REQUIRE(run_python(dir, kWriteNumpyFiles, dir.string()));
  for (const char* name : {"plain.npz", "compressed.npz"}) {
    BOOST_TEST_CONTEXT(name) {
      NamedArrays a = load_npz((dir / name).string());
      BOOST_REQUIRE_EQUAL(a.size(), 7u);
      std::vector<std::string> names;
      for (const auto& [n, x] : a) names.push_back(n);
      BOOST_TEST(
          names == (std::vector<std::string>{"f4", "f8", "i8", "u1", "i4", "s", "nested/name"}),
          boost::test_tools::per_element());
      BOOST_TEST((a[0].second.dtype() == kFloat32));
      BOOST_TEST(a[0].second.shape() == (Shape{2, 3}));
      for (std::size_t i = 0; i < 6; ++i) {
        BOOST_TEST(a[0].second.data<float>()[i] == float(i) / 3.0f);
      }
      BOOST_TEST((a[1].second.dtype() == kFloat64));
      for (std::size_t i = 0; i < 5; ++i) BOOST_TEST(a[1].second.at(i) == -1 + 0.5 * double(i));
      BOOST_TEST((a[2].second.dtype() == kInt64));  // int64 stays int64
      BOOST_TEST(a[2].second.at(3) == 1099511627776.0);
      BOOST_TEST(a[2].second.at(0) == -3.0);
      BOOST_TEST(a[3].second.at(2) == 255.0);
      BOOST_TEST(a[4].second.at(0) == -2147483648.0);
      BOOST_TEST(a[5].second.shape() == Shape{});
      BOOST_TEST(a[5].second.item() == 2.5);
      BOOST_TEST(a[6].second.shape() == (Shape{1, 2, 1, 3}));
    }
  }
  std::string fortran = (dir / "fortran.npz").string();
  BOOST_CHECK_EXCEPTION(
      load_npz(fortran), FileError,
      message_is(fortran + ": entry 'a.npy': fortran_order True is not supported (save a C-ordered "
                           "array, e.g. numpy.ascontiguousarray)"));
}

BOOST_AUTO_TEST_SUITE_END()
