// Process-wide allocator tuning for programs that train (the tools call it
// first thing in main()).
//
// Note [Freed memory]: every op allocates its output, and backward its
// gradients; a LeNet step frees and re-allocates megabytes. glibc returns
// large freed blocks to the OS (mmap threshold, heap trimming), so the next
// step page-faults the same memory back in; on the benchmark VM a 4 KiB
// fault costs about 7 µs, which made conv forward+backward 10× slower than
// its kernels. reuse_freed_memory() raises glibc's thresholds (allocations
// up to 64 MiB come from the heap, which is trimmed only past 1 GiB free),
// so freed blocks are reused. It changes only the process that calls it;
// the library never calls it on its own.
#pragma once

namespace xgrad {

void reuse_freed_memory();

}  // namespace xgrad
