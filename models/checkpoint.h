// Checkpoints: a model's parameters, its optimiser's state and anything
// else a run needs to resume, in one .npz file (framework/io/npz.h: written
// atomically, readable by numpy.load).
//
// Entries: "model/<param>" (Module::state_dict(), e.g. "model/0.weight"),
// "optim/<name>" (Optimizer::state_dict(), e.g. "optim/step",
// "optim/0.weight.m"), and the caller's extra entries under any other
// name, by convention "meta/..." (the training history and the run's
// description, models/train/trainer.h) and "norm/..." (a Standardizer's
// state).
//
// load_checkpoint checks the whole file against the model (every
// parameter present, no unknown one, same shape and dtype) before changing
// anything, and names the entry that differs.
// Thread safety: none (reads and writes the module's parameters).
#pragma once

#include <string>

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

}  // namespace xgrad
