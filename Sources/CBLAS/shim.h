#ifndef PROMPTVTG_CBLAS_SHIM_H
#define PROMPTVTG_CBLAS_SHIM_H

// OpenBLAS's CBLAS interface; also declares openblas_set_num_threads and openblas_get_config.
#include <cblas.h>
#include <malloc.h>

// glibc returns large freed blocks to the kernel, and a training step that keeps dozens of
// activations alive then faults every page in again (~1.3 us per 4 KiB page on the build machine).
// Raising the mmap and trim thresholds keeps that memory in the heap (measured 14x cheaper; see
// shared/notes/cpu-engine-measurements.md section 6). mallopt is not reachable from Swift's Glibc.
static inline void promptvtg_tune_malloc(void) {
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

#endif
