// Loop helpers shared by the bf16 and int8 kernels (private to the CKernels target).
#ifndef PROMPTVTG_PANEL_LOOPS_H
#define PROMPTVTG_PANEL_LOOPS_H

#include "CKernels.h"

#include <stdint.h>

// Rows per register block: BLOCK_ROWS rows x 2 vectors = 20 accumulators, of the 32 zmm
// registers. Measured (bf16, 384 x 384): 1 dot-product instruction per cycle, the core's peak,
// for blocks of 3 to 10 rows; blocks of 11 or 12 rows ran at 40 % of it (the compiler spills).
#define BLOCK_ROWS 10

// Rows whose converted activations sit in the scratch at once. Each chunk is converted once and
// then every panel of the call passes over it, so it should stay in L2 (100 rows x 1536 inputs x
// 2 bytes = 300 KiB of the 1 MiB here).
#define CHUNK_ROWS 100

static inline int32_t min_int32(int32_t a, int32_t b) { return a < b ? a : b; }

// The number of packed panels of `output_size` columns.
static inline int32_t panel_count(int32_t output_size) {
    return (output_size + PROMPTVTG_PANEL_WIDTH - 1) / PROMPTVTG_PANEL_WIDTH;
}

// The mask of the first `count` of 16 lanes (none for count <= 0, all for count >= 16).
static inline uint16_t first_lanes(int32_t count) {
    return (uint16_t)(count <= 0 ? 0u : count >= 16 ? 0xFFFFu : (1u << count) - 1u);
}

// Store masks of the two 16-column halves of the panel starting at `column`: one bit per column
// that exists (the last panel may be partly padding).
static inline void panel_masks(
    int32_t column, int32_t output_size, uint16_t *first_half, uint16_t *second_half) {
    const int32_t width = output_size - column;
    *first_half = first_lanes(width);
    *second_half = first_lanes(width - 16);
}

// A register block of a product: rows first_row..<first_row + rows of the converted chunk, and
// panel `panel` (output columns column..<column + 32, masks of the ones that exist); output
// points at the block's first row and column.
typedef struct {
    int32_t first_row, rows, panel, column;
    uint16_t first_mask, second_mask;
    float *output;
} register_block;

// Walks output[rows, output_size] (panels panel_begin..<panel_end) as both kernels do: for each
// chunk of CHUNK_ROWS input rows, `convert(context, rows, count)` fills the scratch once; then
// every panel passes over the chunk in near-equal register blocks of at most BLOCK_ROWS rows, each
// computed by `compute(context, block)`. Always inlined, so the calls become direct.
static inline __attribute__((always_inline)) void walk_register_blocks(
    const float *input, int32_t rows, int32_t input_size, int32_t output_size,
    int32_t panel_begin, int32_t panel_end, float *output, void *context,
    void (*convert)(void *context, const float *rows, int32_t count),
    void (*compute)(void *context, const register_block *block)) {
    for (int32_t chunk = 0; chunk < rows; chunk += CHUNK_ROWS) {
        const int32_t chunk_rows = min_int32(CHUNK_ROWS, rows - chunk);
        convert(context, input + (size_t)chunk * input_size, chunk_rows);
        // 15 rows become blocks of 8 and 7 (not 10 and 5).
        const int32_t blocks = (chunk_rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
        for (int32_t panel = panel_begin; panel < panel_end; panel++) {
            register_block block;
            block.panel = panel;
            block.column = panel * PROMPTVTG_PANEL_WIDTH;
            panel_masks(block.column, output_size, &block.first_mask, &block.second_mask);
            for (int32_t index = 0; index < blocks; index++) {
                block.first_row = chunk_rows * index / blocks;
                block.rows = chunk_rows * (index + 1) / blocks - block.first_row;
                block.output =
                    output + (size_t)(chunk + block.first_row) * output_size + block.column;
                compute(context, &block);
            }
        }
    }
}

// Calls BLOCK(n) with the row count as a compile-time constant 1...BLOCK_ROWS, so that the
// always-inline block kernel unrolls its row loops and keeps its accumulators in registers.
#define DISPATCH_ROW_BLOCK(size, BLOCK)                                                          \
    switch (size) {                                                                              \
    case 1: BLOCK(1); break;                                                                     \
    case 2: BLOCK(2); break;                                                                     \
    case 3: BLOCK(3); break;                                                                     \
    case 4: BLOCK(4); break;                                                                     \
    case 5: BLOCK(5); break;                                                                     \
    case 6: BLOCK(6); break;                                                                     \
    case 7: BLOCK(7); break;                                                                     \
    case 8: BLOCK(8); break;                                                                     \
    case 9: BLOCK(9); break;                                                                     \
    default: BLOCK(10); break;                                                                   \
    }

#if defined(__x86_64__)
#include <immintrin.h>

// e^y on 16 lanes, y clamped to [lowest, 88]: Cephes' polynomial after y = n ln2 + r (the
// engine's `VectorMath.exp`: relative error about 1.2e-7), scaled by 2^n with vscalefps (which
// rounds to subnormals and 0 below 2^-126).
static inline __attribute__((always_inline, target("avx512f"))) __m512 exp_ps(
    __m512 y, float lowest) {
    y = _mm512_min_ps(_mm512_max_ps(y, _mm512_set1_ps(lowest)), _mm512_set1_ps(88.0f));
    const __m512 n = _mm512_roundscale_ps(
        _mm512_mul_ps(y, _mm512_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512 r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f),
        _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), y));
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    const __m512 value = _mm512_add_ps(
        _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(value, n);
}

// Quick GELU, x * sigmoid(1.702 x) = x / (1 + e^(-1.702 x)), on 16 lanes: the activation the
// reduced-precision kernels can apply to their outputs before storing them (CLIP's MLP), so that
// the [rows, intermediate] product is not read and written again by a separate pass. e^y with y
// clamped to [-87.3, 88].
static inline __attribute__((always_inline, target("avx512f"))) __m512 quick_gelu_ps(__m512 x) {
    const __m512 exponential = exp_ps(_mm512_mul_ps(x, _mm512_set1_ps(-1.702f)), -87.3f);
    return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), exponential));
}

// The boundary of exact_gelu_ps's two erf approximations, |x/sqrt(2)| = 475/512.
#define ERF_SERIES_LIMIT 0.927734375f

// The exact GELU, x * Phi(x) with Phi(x) = (1 + erf(x / sqrt(2))) / 2, on 16 lanes (BERT's and
// MiniLM's feed-forward). With z = x / sqrt(2), both of Norbert Juffa's minimax approximations of
// erff run and a mask picks one per lane:
// - |z| <= 475/512: erf(z) = z + z * P(z^2), P of degree 5 (erf's relative error <= 1 ulp);
// - beyond: erfc(|z|) = e^(R(|z|)), R of degree 7 with R(a) = -a^2 + ..., and Phi is
//   erfc/2 for x < 0 (no cancellation: 1 + erf is never formed) or 1 - erfc/2 for x > 0.
// Against libm's erf in double precision: erf within 8.9e-8 relative over [-12, 12] (tested);
// GELU within 8e-7 relative for x >= -2 and 4e-7 absolute everywhere. e^y is clamped at -104,
// so Phi underflows to 0 (GELU to -0) below x of about -14, as the true value does in float.
static inline __attribute__((always_inline, target("avx512f"))) __m512 exact_gelu_ps(__m512 x) {
    const __m512 z = _mm512_mul_ps(x, _mm512_set1_ps(0.707106781f));
    const __m512 a = _mm512_abs_ps(z);
    const __m512 square = _mm512_mul_ps(z, z);
    const __m512 half = _mm512_set1_ps(0.5f);
    __m512 series = _mm512_set1_ps(-5.96761703e-4f);
    series = _mm512_fmadd_ps(series, square, _mm512_set1_ps(4.99119423e-3f));
    series = _mm512_fmadd_ps(series, square, _mm512_set1_ps(-2.67681349e-2f));
    series = _mm512_fmadd_ps(series, square, _mm512_set1_ps(1.12819925e-1f));
    series = _mm512_fmadd_ps(series, square, _mm512_set1_ps(-3.76125336e-1f));
    series = _mm512_fmadd_ps(series, square, _mm512_set1_ps(1.28379166e-1f));
    // Phi = (1 + erf) / 2 near 0.
    const __m512 central = _mm512_fmadd_ps(_mm512_fmadd_ps(series, z, z), half, half);
    __m512 tail = _mm512_fmadd_ps(
        _mm512_set1_ps(-1.72853470e-5f), a, _mm512_set1_ps(3.83197126e-4f));
    const __m512 odd = _mm512_fmadd_ps(
        _mm512_set1_ps(-3.88396438e-3f), a, _mm512_set1_ps(2.42546219e-2f));
    tail = _mm512_fmadd_ps(tail, square, odd);
    tail = _mm512_fmadd_ps(tail, a, _mm512_set1_ps(-1.06777877e-1f));
    tail = _mm512_fmadd_ps(tail, a, _mm512_set1_ps(-6.34846687e-1f));
    tail = _mm512_fmadd_ps(tail, a, _mm512_set1_ps(-1.28717512e-1f));
    tail = _mm512_fmsub_ps(tail, a, a);
    const __m512 half_erfc = _mm512_mul_ps(exp_ps(tail, -104.0f), half);
    const __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    const __m512 outer = _mm512_mask_blend_ps(
        negative, _mm512_sub_ps(_mm512_set1_ps(1.0f), half_erfc), half_erfc);
    const __mmask16 beyond = _mm512_cmp_ps_mask(a, _mm512_set1_ps(ERF_SERIES_LIMIT), _CMP_GT_OQ);
    return _mm512_mul_ps(x, _mm512_mask_blend_ps(beyond, central, outer));
}

// The output of a reduced-precision kernel as stored: `activation` (a promptvtg_activation)
// applied to the sum with its bias.
static inline __attribute__((always_inline, target("avx512f"))) __m512 activated_ps(
    __m512 value, int activation) {
    switch (activation) {
    case PROMPTVTG_ACTIVATION_QUICK_GELU: return quick_gelu_ps(value);
    case PROMPTVTG_ACTIVATION_GELU: return exact_gelu_ps(value);
    default: return value;
    }
}
#endif

#endif
