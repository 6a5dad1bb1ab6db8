#include "models/checkpoint.h"

#include <map>

#include "framework/io/excerpt.h"
#include "framework/io/npz.h"

namespace xgrad {

namespace {

const std::string kModel = "model/";
const std::string kOptim = "optim/";

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Every parameter and buffer of `model` is in `state` with its shape and
// dtype, and nothing else is.
void check_model_state(const std::string& path, const Module& model, const NamedArrays& state) {
  std::map<std::string, const Array*> stored;
  for (const auto& [name, a] : state) stored[name] = &a;
  for (const auto& [name, want] : model.state_dict()) {
    auto it = stored.find(name);
    std::string entry = "'" + kModel + name + "'";
    if (it == stored.end()) {
      throw FileError(path + ": parameter " + entry + " is missing (the model " + model.name() +
                      " has it)");
    }
    const Array& a = *it->second;
    if (a.shape() != want.shape()) {
      throw FileError(path + ": parameter " + entry + " has shape " + format_shape(a.shape()) +
                      ", the model's is " + format_shape(want.shape()));
    }
    if (a.dtype() != want.dtype()) {
      throw FileError(path + ": parameter " + entry + " is " + dtype_name(a.dtype()) +
                      ", the model's is " + dtype_name(want.dtype()));
    }
    stored.erase(it);
  }
  if (!stored.empty()) {
    // The name comes from the file: quoted as a short, escaped excerpt.
    throw FileError(path + ": parameter " + excerpt(kModel + stored.begin()->first) +
                    " is not in the model " + model.name());
  }
}

}  // namespace

NamedArrays with_prefix(const NamedArrays& arrays, const std::string& prefix) {
  NamedArrays out;
  for (const auto& [name, a] : arrays) out.emplace_back(prefix + name, a);
  return out;
}

NamedArrays strip_prefix(const NamedArrays& arrays, const std::string& prefix) {
  NamedArrays out;
  for (const auto& [name, a] : arrays) {
    if (starts_with(name, prefix)) out.emplace_back(name.substr(prefix.size()), a);
  }
  return out;
}

void save_checkpoint(const std::string& path, const Module& model, const Optimizer* optimizer,
                     const NamedArrays& extra) {
  for (const auto& [name, a] : extra) {
    if (starts_with(name, kModel) || starts_with(name, kOptim)) {
      throw ValueError("save_checkpoint: extra entry '" + name + "' uses a reserved prefix (" +
                       kModel + " or " + kOptim + ")");
    }
  }
  NamedArrays all = with_prefix(model.state_dict(), kModel);
  if (optimizer != nullptr) {
    for (auto& entry : with_prefix(optimizer->state_dict(), kOptim))
      all.push_back(std::move(entry));
  }
  all.insert(all.end(), extra.begin(), extra.end());
  save_npz(path, all);
}

NamedArrays load_checkpoint(const std::string& path, Module& model, Optimizer* optimizer) {
  NamedArrays all = load_npz(path);
  NamedArrays model_state = strip_prefix(all, kModel);
  check_model_state(path, model, model_state);
  if (optimizer != nullptr) {
    try {
      optimizer->load_state_dict(strip_prefix(all, kOptim));
    } catch (const Error& e) {
      throw FileError(path + ": optimizer state (" + kOptim + "...) does not fit " +
                      optimizer->name() + ": " + e.what());
    }
  }
  model.load_state_dict(model_state);
  NamedArrays extra;
  for (auto& [name, a] : all) {
    if (!starts_with(name, kModel) && !starts_with(name, kOptim)) extra.emplace_back(name, a);
  }
  return extra;
}

}  // namespace xgrad
