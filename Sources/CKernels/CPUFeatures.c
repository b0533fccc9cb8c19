// Which reduced-precision instructions this CPU has and the OS lets programs use.

#include "CKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>

// XCR0 bits the OS sets when it saves the state of: SSE (1), AVX (2), AVX-512 opmasks (5), the
// upper halves of zmm0-15 (6) and zmm16-31 (7). Without all of them, AVX-512 instructions fault
// even on a CPU that has them (and AVX ones without the first two).
#define XCR0_AVX512_STATE 0xE6u
#define XCR0_AVX_STATE 0x06u

static unsigned long long read_xcr0(void) {
    unsigned int low, high;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return ((unsigned long long)high << 32) | low;
}

unsigned promptvtg_cpu_features(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int osxsave = 1u << 27;
    if (!(ecx & osxsave)) return 0;
    const unsigned int fma = 1u << 12;
    const int has_fma = (ecx & fma) != 0;
    const unsigned long long xcr0 = read_xcr0();
    if ((xcr0 & XCR0_AVX_STATE) != XCR0_AVX_STATE) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    unsigned features = 0;
    const unsigned int avx2 = 1u << 5;
    if (has_fma && (ebx & avx2)) features |= PROMPTVTG_FEATURE_AVX2_FMA;
    if ((xcr0 & XCR0_AVX512_STATE) != XCR0_AVX512_STATE) return features;
    const unsigned int avx512f = 1u << 16, avx512bw = 1u << 30, avx512vl = 1u << 31;
    const unsigned int required = avx512f | avx512bw | avx512vl;
    if ((ebx & required) != required) return features;
    features |= PROMPTVTG_FEATURE_AVX512_F;
    const unsigned int max_subleaf = eax;
    const unsigned int avx512vnni = 1u << 11;
    if (ecx & avx512vnni) features |= PROMPTVTG_FEATURE_AVX512_VNNI;
    if (max_subleaf >= 1 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx)) {
        const unsigned int avx512bf16 = 1u << 5;
        if (eax & avx512bf16) features |= PROMPTVTG_FEATURE_AVX512_BF16;
    }
    return features;
}

#else

// Other architectures: none of these kernels (the float32 path runs).
unsigned promptvtg_cpu_features(void) { return 0; }

#endif
