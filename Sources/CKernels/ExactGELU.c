// The kernels' exact GELU (PanelLoops.h's exact_gelu_ps) over an array, for the tests.

#include "CKernels.h"
#include "PanelLoops.h"

#include <stdlib.h>

#if defined(__x86_64__)

__attribute__((target("avx512f"))) void promptvtg_exact_gelu_avx512(
    const float *input, float *output, int32_t count) {
    for (int32_t index = 0; index < count; index += 16) {
        const __mmask16 lanes = first_lanes(count - index);
        const __m512 x = _mm512_maskz_loadu_ps(lanes, input + index);
        _mm512_mask_storeu_ps(output + index, lanes, exact_gelu_ps(x));
    }
}

#else

// Other architectures never call it: promptvtg_cpu_features() reports no AVX-512 there.
void promptvtg_exact_gelu_avx512(const float *input, float *output, int32_t count) {
    (void)input; (void)output; (void)count;
    abort();
}

#endif
