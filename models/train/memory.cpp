#include "models/train/memory.h"

#include <malloc.h>

namespace xgrad {

void reuse_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace xgrad
