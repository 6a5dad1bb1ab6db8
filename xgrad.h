// xgrad: everything a program needs, in one include.
#pragma once

#include "framework/array.h"
#include "framework/array_map.h"
#include "framework/broadcast.h"
#include "framework/dtype.h"
#include "framework/error.h"
#include "framework/factory.h"
#include "framework/generator.h"
#include "framework/grad_mode.h"
#include "framework/gradcheck.h"
#include "framework/parallel.h"
#include "framework/record.h"
#include "framework/tensor.h"
