// The loss ops, in one include: binary cross-entropy (on probabilities and
// on logits), softmax cross-entropy from logits, mean squared error, and the
// sum of squares the L2 penalty is built on. Each op has its own header and
// source; see them for the math, the shapes and the reduction.
#pragma once

#include "ops/binary_cross_entropy.h"
#include "ops/mse.h"
#include "ops/reduction_mode.h"
#include "ops/softmax_cross_entropy.h"
#include "ops/sum_of_squares.h"
