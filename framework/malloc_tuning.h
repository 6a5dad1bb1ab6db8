// Note [Keeping freed memory]. A training step allocates its activations and gradients
// afresh and frees them at its end. glibc's malloc gives large freed blocks back to the
// kernel (blocks above its mmap threshold are unmapped on free, and the heap's top is
// trimmed above its trim threshold; both thresholds adapt to a few MiB at most), so the
// next step touches new pages, one page fault per 4 KiB (about 7 µs each on the benchmark
// VM: conv2d forward + backward ran 10x slower than its kernels). When xgrad loads it
// raises both thresholds (mmap 64 MiB, trim 1 GiB), so freed blocks stay in the process
// for the next step. Measured on 100 + 100 steps of the default CNN (batch 64, 2 threads,
// interleaved in one process, a program that set nothing itself): 331,000 page faults ->
// 9,500; a step with ReLU before each pool 1.24-1.53x faster, with pool before ReLU
// 1.02-1.16x; the same peak RSS. A process keeps the memory of its largest step (up to
// 1 GiB free at the heap's top); allocations above 64 MiB are still mapped per call.
// Until 2026-12-01 only xgrad's own tools did this, from main(); every program that uses
// xgrad gets it now.
// Left alone when the environment already sets malloc's thresholds (GLIBC_TUNABLES with a
// glibc.malloc tunable, MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_), when
// XGRAD_MALLOC=default, and on a C library other than glibc.
#pragma once

namespace xgrad {

// What xgrad did to malloc when it loaded, e.g. "glibc malloc: mmap threshold 64 MiB,
// trim threshold 1 GiB" or "glibc malloc left alone (XGRAD_MALLOC=default)".
const char* malloc_tuning();

}  // namespace xgrad
