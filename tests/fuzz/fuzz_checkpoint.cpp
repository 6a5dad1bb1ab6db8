// Fuzz target: the checkpoint reader (models/checkpoint.h) and what a
// resume reads beside it: a scaler's state and scalar extras. The first
// byte picks the path: even, the bytes are an .npz file; odd, they steer
// the entries of a real checkpoint (dropped, reshaped, retyped, values
// replaced by NaN, inf, huge or negative numbers, names added), which is
// saved with save_npz and read back, so the fuzzer reaches the reader's
// checks behind valid zip CRCs.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

#include "framework/data/normalize.h"
#include "framework/io/npz.h"
#include "models/checkpoint.h"
#include "models/mlp.h"
#include "models/optim/adagrad.h"
#include "models/optim/adam.h"
#include "models/optim/adamw.h"
#include "models/optim/rmsprop.h"
#include "models/optim/sgd.h"
#include "tests/fuzz/fuzz_common.h"

using namespace xgrad;

namespace {

std::unique_ptr<Optimizer> make_optimizer(int kind, const Module& model) {
  switch (kind) {
    case 0:
      return std::make_unique<Adam>(model.parameters());
    case 1:
      return std::make_unique<AdamW>(model.parameters());
    case 2: {
      SgdOptions o;
      o.momentum = 0.9;
      return std::make_unique<Sgd>(model.parameters(), o);
    }
    case 3:
      return std::make_unique<Adagrad>(model.parameters());
    default:
      return std::make_unique<RmsProp>(model.parameters());
  }
}

double special(FuzzedDataProvider& in) {
  constexpr double kValues[] = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                0.5,
                                std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                1e30,
                                -1e30,
                                4294967296.0,
                                9007199254740993.0,
                                1.8446744073709552e19,
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max()};
  if (in.ConsumeBool()) return in.PickValueInArray(kValues);
  return in.ConsumeFloatingPoint<double>();
}

// A real checkpoint's entries, changed as the fuzzer says.
NamedArrays mutated(FuzzedDataProvider& in, const Module& model, const Optimizer& optimizer) {
  NamedArrays all = with_prefix(model.state_dict(), "model/");
  for (auto& e : with_prefix(optimizer.state_dict(), "optim/")) all.push_back(std::move(e));
  Standardizer scaler;
  scaler.fit(Array::full({2, 3}, 1.0, kFloat64));
  for (auto& e : with_prefix(scaler.state_dict(), "norm/")) all.push_back(std::move(e));
  all.emplace_back("meta/epoch", Array::full({1}, 3.0, kFloat64));
  NamedArrays out;
  for (auto& [name, a] : all) {
    switch (in.ConsumeIntegralInRange(0, 5)) {
      case 0:
        continue;  // dropped
      case 1: {    // reshaped
        Shape s(in.ConsumeIntegralInRange<std::size_t>(0, 3));
        for (auto& d : s) d = in.ConsumeIntegralInRange<std::size_t>(0, 5);
        a = Array::zeros(s, a.dtype());
        break;
      }
      case 2:  // retyped
        a = a.to(a.dtype() == kFloat32 ? kFloat64 : kFloat32);
        break;
      case 3:  // values replaced
        for (std::size_t i = 0; i < a.size() && in.remaining_bytes() > 0; ++i) {
          a.set(i, special(in));
        }
        break;
      default:
        break;
    }
    out.emplace_back(std::move(name), std::move(a));
  }
  for (int extra = in.ConsumeIntegralInRange(0, 2); extra > 0; --extra) {
    constexpr const char* kNames[] = {"model/0.weight",   "model/x",      "optim/step",
                                      "optim/0.weight.m", "norm/mean",    "norm/min",
                                      "meta/epoch",       "meta/gen/seed"};
    std::string name = in.ConsumeBool() ? std::string(in.PickValueInArray(kNames))
                                        : in.ConsumeRandomLengthString(16);
    if (name.empty()) continue;
    Shape s(in.ConsumeIntegralInRange<std::size_t>(0, 2));
    for (auto& d : s) d = in.ConsumeIntegralInRange<std::size_t>(0, 4);
    Array a = Array::zeros(s, in.ConsumeBool() ? kFloat32 : kFloat64);
    for (std::size_t i = 0; i < a.size(); ++i) a.set(i, special(in));
    out.emplace_back(std::move(name), std::move(a));
  }
  return out;
}

// What a resume does with the file: parameters and optimiser state, then
// the scaler, the generator and a scalar from the extras.
void resume(const std::string& path, Module& model, Optimizer& optimizer) {
  NamedArrays extra = load_checkpoint(path, model, &optimizer);
  if (extra.empty()) return;
  Standardizer scaler;
  fuzz::expect_clean<Error>("Standardizer", [&] {
    scaler.load_state_dict(strip_prefix(extra, "norm/"));
    scaler.transform(Array::full({1, 3}, 2.0, kFloat32));
  });
  MinMaxScaler minmax;
  fuzz::expect_clean<Error>("MinMaxScaler", [&] {
    NamedArrays state = strip_prefix(extra, "norm/");
    for (auto& [name, a] : state) name = name == "mean" ? "min" : name == "std" ? "max" : name;
    minmax.load_state_dict(state);
    minmax.transform(Array::full({1, 3}, 2.0, kFloat32));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/dev/shm/xgrad-fuzz-" + std::to_string(::getpid()) + ".npz";
  static fuzz::MemFile file;
  if (size == 0) return 0;
  FuzzedDataProvider in(data + 1, size - 1);
  Generator gen(1);
  MlpOptions options;
  options.sizes = {3, 4, 2};
  Mlp model(options, gen);
  std::unique_ptr<Optimizer> optimizer = make_optimizer(data[0] / 2 % 5, model);
  if (data[0] % 2 == 0) {
    const std::string& raw = file.write(data + 1, size - 1);
    fuzz::expect_clean<Error>("load_checkpoint", [&] { resume(raw, model, *optimizer); });
    return 0;
  }
  NamedArrays entries = mutated(in, model, *optimizer);
  bool saved = false;
  // Names the fuzzer makes up may be refused (a NUL byte: ValueError;
  // invalid UTF-8: libzip's FileError); that is the writer's business.
  fuzz::expect_clean<Error>("save_npz", [&] {
    save_npz(path, entries);
    saved = true;
  });
  if (!saved) return 0;
  fuzz::expect_clean<Error>("load_checkpoint", [&] { resume(path, model, *optimizer); });
  return 0;
}
