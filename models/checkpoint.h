// Checkpoints: a model's parameters, its optimiser's state and anything
// else a run needs to resume, in one .npz file (framework/npz.h: written
// atomically, readable by numpy.load).
//
// Entries: "model/<param>" (Module::state_dict(), e.g. "model/0.weight"),
// "optim/<name>" (Optimizer::state_dict(), e.g. "optim/step",
// "optim/0.weight.m"), and the caller's extra entries under any other
// name, by convention "meta/..." (epoch, generator state) and "norm/..."
// (a Standardizer's state).
//
// Note [Exact integers in checkpoints]: arrays are float32/float64, and a
// float64 holds integers exactly only up to 2^53. put_u64 therefore stores
// a 64-bit counter (a Generator's seed and offset) as a float64 array of
// two 32-bit halves [high, low], each exact; in NumPy the value is
// int(a[0]) << 32 | int(a[1]). put_double stores a one-element float64.
//
// load_checkpoint checks the whole file against the model (every
// parameter present, no unknown one, same shape and dtype) before changing
// anything, and names the entry that differs.
// Thread safety: none (reads and writes the module's parameters).
#pragma once

#include <cstdint>
#include <string>

#include "framework/generator.h"
#include "framework/named_arrays.h"
#include "models/module.h"
#include "models/optim/optimizer.h"

namespace xgrad {

// REQUIRES: no extra name starts with "model/" or "optim/".
void save_checkpoint(const std::string& path, const Module& model, const Optimizer* optimizer,
                     const NamedArrays& extra = {});

// Loads parameters into `model` and, unless null, state into `optimizer`
// (a null optimizer ignores stored optimiser state); returns the extra
// entries. FileError names the file and the differing entry.
NamedArrays load_checkpoint(const std::string& path, Module& model, Optimizer* optimizer);

// Every entry of `arrays` with `prefix` prepended to its name.
NamedArrays with_prefix(const NamedArrays& arrays, const std::string& prefix);
// The entries whose names start with `prefix`, with the prefix removed.
NamedArrays strip_prefix(const NamedArrays& arrays, const std::string& prefix);

// Scalars among the extra entries (Note [Exact integers in checkpoints]).
void put_double(NamedArrays& arrays, const std::string& name, double value);
void put_u64(NamedArrays& arrays, const std::string& name, std::uint64_t value);
// ValueError when the entry is missing or is not what put_* wrote.
double get_double(const NamedArrays& arrays, const std::string& name);
std::uint64_t get_u64(const NamedArrays& arrays, const std::string& name);

// A Generator's state as "<prefix>seed" and "<prefix>offset" (put_u64).
void put_generator(NamedArrays& arrays, const std::string& prefix, const Generator& gen);
void get_generator(const NamedArrays& arrays, const std::string& prefix, Generator& gen);

}  // namespace xgrad
