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

// Quick GELU, x * sigmoid(1.702 x) = x / (1 + e^(-1.702 x)), on 16 lanes: the activation the
// reduced-precision kernels can apply to their outputs before storing them (CLIP's MLP), so that
// the [rows, intermediate] product is not read and written again by a separate pass. e^y is
// Cephes' polynomial after y = n ln2 + r (the engine's `VectorMath.exp`: relative error about
// 1.2e-7), y clamped to [-87.3, 88].
static inline __attribute__((always_inline, target("avx512f"))) __m512 quick_gelu_ps(__m512 x) {
    __m512 y = _mm512_mul_ps(x, _mm512_set1_ps(-1.702f));
    y = _mm512_min_ps(_mm512_max_ps(y, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.0f));
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
    const __m512 exponential = _mm512_scalef_ps(value, n);
    return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), exponential));
}

// The output of a reduced-precision kernel as stored: `activation` (a promptvtg_activation)
// applied to the sum with its bias.
static inline __attribute__((always_inline, target("avx512f"))) __m512 activated_ps(
    __m512 value, int activation) {
    return activation == PROMPTVTG_ACTIVATION_QUICK_GELU ? quick_gelu_ps(value) : value;
}
#endif

#endif
