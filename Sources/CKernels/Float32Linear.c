// The float32 product for few rows: weights packed once into the panel layout (one float per
// input and column), activations read in place and broadcast, float32 FMA sums.
//
// Why: OpenBLAS's sgemm copies the whole weight operand into its own panel layout on every call.
// With many rows that copy is a small share of the work; with a few rows (one short text query)
// it was 48 % of a CLIP text pass (Docs/clip-text-encoder.md). Packed once, the weights are only
// streamed.

#include "CKernels.h"
#include "PanelLoops.h"

#include <stdlib.h>

size_t promptvtg_f32_packed_bytes(int32_t output_size, int32_t input_size) {
    return (size_t)panel_count(output_size) * (size_t)input_size * PROMPTVTG_PANEL_WIDTH
        * sizeof(float);
}

void promptvtg_f32_pack(
    const float *weight, int32_t output_size, int32_t input_size, float *panels) {
    float *destination = panels;
    for (int32_t panel = 0; panel < panel_count(output_size); panel++) {
        for (int32_t input = 0; input < input_size; input++) {
            for (int32_t lane = 0; lane < PROMPTVTG_PANEL_WIDTH; lane++) {
                const int32_t column = panel * PROMPTVTG_PANEL_WIDTH + lane;
                *destination++ =
                    column < output_size ? weight[(size_t)column * input_size + input] : 0.0f;
            }
        }
    }
}

void promptvtg_f32_linear_reference(
    const float *input, int32_t rows, const float *weight, int32_t output_size,
    int32_t input_size, const float *bias, float *output) {
    for (int32_t row = 0; row < rows; row++) {
        const float *x = input + (size_t)row * input_size;
        for (int32_t column = 0; column < output_size; column++) {
            const float *w = weight + (size_t)column * input_size;
            float sum = 0;
            // One fused multiply-add per input, in input order, as the kernels do per lane.
            for (int32_t index = 0; index < input_size; index++) {
                sum = __builtin_fmaf(x[index], w[index], sum);
            }
            output[(size_t)row * output_size + column] = sum + (bias ? bias[column] : 0.0f);
        }
    }
}

#if defined(__x86_64__)

#include <immintrin.h>

#define F32_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl")))
#define F32_AVX2_TARGET __attribute__((target("avx2,fma")))

typedef struct {
    const promptvtg_f32_weights *weights;
    const float *bias;
    // The first row of the chunk being walked (no conversion: rows are read in place).
    const float *chunk;
} f32_product;

static void f32_convert(void *context, const float *rows, int32_t count) {
    (void)count;
    ((f32_product *)context)->chunk = rows;
}

// AVX-512: one register block of `rows` rows (a compile-time constant after inlining) x one
// 32-column panel, two 16-lane accumulators per row.
static inline __attribute__((always_inline)) F32_AVX512_TARGET void f32_block_avx512(
    const int32_t rows, const float *activations, int32_t input_size, const float *panel,
    const float *bias, __mmask16 first_mask, __mmask16 second_mask, float *output,
    int32_t output_stride) {
    __m512 first[BLOCK_ROWS], second[BLOCK_ROWS];
    for (int32_t row = 0; row < rows; row++) {
        first[row] = _mm512_setzero_ps();
        second[row] = _mm512_setzero_ps();
    }
    for (int32_t input = 0; input < input_size; input++) {
        const __m512 weights_first = _mm512_loadu_ps(panel + (size_t)input * 32);
        const __m512 weights_second = _mm512_loadu_ps(panel + (size_t)input * 32 + 16);
        for (int32_t row = 0; row < rows; row++) {
            const __m512 broadcast =
                _mm512_set1_ps(activations[(size_t)row * input_size + input]);
            first[row] = _mm512_fmadd_ps(broadcast, weights_first, first[row]);
            second[row] = _mm512_fmadd_ps(broadcast, weights_second, second[row]);
        }
    }
    const __m512 bias_first = bias ? _mm512_maskz_loadu_ps(first_mask, bias) : _mm512_setzero_ps();
    const __m512 bias_second =
        bias ? _mm512_maskz_loadu_ps(second_mask, bias + 16) : _mm512_setzero_ps();
    for (int32_t row = 0; row < rows; row++) {
        float *destination = output + (size_t)row * output_stride;
        _mm512_mask_storeu_ps(destination, first_mask, _mm512_add_ps(first[row], bias_first));
        _mm512_mask_storeu_ps(
            destination + 16, second_mask, _mm512_add_ps(second[row], bias_second));
    }
}

static F32_AVX512_TARGET void f32_compute_avx512(void *context, const register_block *block) {
    const f32_product *product = context;
    const int32_t input_size = product->weights->input_size;
    const float *activations = product->chunk + (size_t)block->first_row * input_size;
    const float *panel =
        product->weights->panels + (size_t)block->panel * input_size * PROMPTVTG_PANEL_WIDTH;
    const float *bias = product->bias ? product->bias + block->column : NULL;
#define F32_BLOCK(n)                                                                             \
    f32_block_avx512(n, activations, input_size, panel, bias, block->first_mask,                \
        block->second_mask, block->output, product->weights->output_size)
    DISPATCH_ROW_BLOCK(block->rows, F32_BLOCK)
#undef F32_BLOCK
}

F32_AVX512_TARGET void promptvtg_f32_linear_avx512(
    const float *input, int32_t rows, const promptvtg_f32_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output) {
    f32_product product = {weights, bias, input};
    walk_register_blocks(input, rows, weights->input_size, weights->output_size, panel_begin,
        panel_end, output, &product, f32_convert, f32_compute_avx512);
}

// AVX2 (16 ymm registers): a 32-column panel is done as two 16-column halves, each in
// sub-blocks of at most AVX2_ROWS rows x two 8-lane accumulators (10 accumulators, 2 weight
// vectors and a broadcast: 13 registers).
#define AVX2_ROWS 5

// The store mask of the first `count` of 8 lanes.
static inline F32_AVX2_TARGET __m256i avx2_lane_mask(int32_t count) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lanes);
}

static inline __attribute__((always_inline)) F32_AVX2_TARGET void f32_block_avx2(
    const int32_t rows, const float *activations, int32_t input_size, const float *panel,
    const float *bias, int32_t width, float *output, int32_t output_stride) {
    __m256 first[AVX2_ROWS], second[AVX2_ROWS];
    for (int32_t row = 0; row < rows; row++) {
        first[row] = _mm256_setzero_ps();
        second[row] = _mm256_setzero_ps();
    }
    for (int32_t input = 0; input < input_size; input++) {
        const __m256 weights_first = _mm256_loadu_ps(panel + (size_t)input * 32);
        const __m256 weights_second = _mm256_loadu_ps(panel + (size_t)input * 32 + 8);
        for (int32_t row = 0; row < rows; row++) {
            const __m256 broadcast =
                _mm256_broadcast_ss(activations + (size_t)row * input_size + input);
            first[row] = _mm256_fmadd_ps(broadcast, weights_first, first[row]);
            second[row] = _mm256_fmadd_ps(broadcast, weights_second, second[row]);
        }
    }
    const __m256i first_mask = avx2_lane_mask(width);
    const __m256i second_mask = avx2_lane_mask(width - 8);
    const __m256 bias_first = bias ? _mm256_maskload_ps(bias, first_mask) : _mm256_setzero_ps();
    const __m256 bias_second =
        bias ? _mm256_maskload_ps(bias + 8, second_mask) : _mm256_setzero_ps();
    for (int32_t row = 0; row < rows; row++) {
        float *destination = output + (size_t)row * output_stride;
        _mm256_maskstore_ps(destination, first_mask, _mm256_add_ps(first[row], bias_first));
        _mm256_maskstore_ps(
            destination + 8, second_mask, _mm256_add_ps(second[row], bias_second));
    }
}

static F32_AVX2_TARGET void f32_compute_avx2(void *context, const register_block *block) {
    const f32_product *product = context;
    const int32_t input_size = product->weights->input_size;
    const int32_t output_size = product->weights->output_size;
    const float *panel =
        product->weights->panels + (size_t)block->panel * input_size * PROMPTVTG_PANEL_WIDTH;
    for (int32_t half = 0; half < 2; half++) {
        const int32_t width = output_size - block->column - 16 * half;
        if (width <= 0) break;
        const float *bias = product->bias ? product->bias + block->column + 16 * half : NULL;
        for (int32_t first = 0; first < block->rows; first += AVX2_ROWS) {
            const int32_t rows = min_int32(AVX2_ROWS, block->rows - first);
            const float *activations =
                product->chunk + (size_t)(block->first_row + first) * input_size;
            float *output = block->output + (size_t)first * output_size + 16 * half;
#define F32_BLOCK(n)                                                                             \
    f32_block_avx2(n, activations, input_size, panel + 16 * half, bias, width, output,          \
        output_size)
            switch (rows) {
            case 1: F32_BLOCK(1); break;
            case 2: F32_BLOCK(2); break;
            case 3: F32_BLOCK(3); break;
            case 4: F32_BLOCK(4); break;
            default: F32_BLOCK(5); break;
            }
#undef F32_BLOCK
        }
    }
}

F32_AVX2_TARGET void promptvtg_f32_linear_avx2(
    const float *input, int32_t rows, const promptvtg_f32_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output) {
    f32_product product = {weights, bias, input};
    walk_register_blocks(input, rows, weights->input_size, weights->output_size, panel_begin,
        panel_end, output, &product, f32_convert, f32_compute_avx2);
}

#else

// Other architectures never call them: promptvtg_cpu_features() reports neither feature there.
void promptvtg_f32_linear_avx512(
    const float *input, int32_t rows, const promptvtg_f32_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output) {
    (void)input; (void)rows; (void)weights; (void)panel_begin; (void)panel_end; (void)bias;
    (void)output;
    abort();
}

void promptvtg_f32_linear_avx2(
    const float *input, int32_t rows, const promptvtg_f32_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output) {
    promptvtg_f32_linear_avx512(input, rows, weights, panel_begin, panel_end, bias, output);
}

#endif
