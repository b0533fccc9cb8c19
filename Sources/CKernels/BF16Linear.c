// The bf16 product: weights rounded to bf16 once, activations rounded per call, float32 sums
// through vdpbf16ps (16 lanes, each adding two exact bf16 x bf16 products per instruction:
// twice the multiply-adds of a float32 FMA).

#include "CKernels.h"
#include "PanelLoops.h"

#include <stdlib.h>
#include <string.h>

static inline int32_t pair_count(int32_t input_size) { return (input_size + 1) / 2; }

static inline float float_from_bf16(uint16_t bits) {
    const uint32_t widened = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &widened, sizeof value);
    return value;
}

uint16_t promptvtg_bf16_from_float(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((bits >> 16) | 0x0040u);
    // Round to nearest, ties to even: add 0x7FFF plus the lowest kept bit, then truncate.
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

size_t promptvtg_bf16_packed_bytes(int32_t output_size, int32_t input_size) {
    return (size_t)panel_count(output_size) * (size_t)pair_count(input_size)
        * PROMPTVTG_PANEL_WIDTH * 2 * sizeof(uint16_t);
}

void promptvtg_bf16_pack(
    const float *weight, int32_t output_size, int32_t input_size, uint16_t *panels) {
    const int32_t pairs = pair_count(input_size);
    uint16_t *destination = panels;
    for (int32_t panel = 0; panel < panel_count(output_size); panel++) {
        for (int32_t pair = 0; pair < pairs; pair++) {
            for (int32_t lane = 0; lane < PROMPTVTG_PANEL_WIDTH; lane++) {
                const int32_t column = panel * PROMPTVTG_PANEL_WIDTH + lane;
                for (int32_t half = 0; half < 2; half++) {
                    const int32_t input = 2 * pair + half;
                    *destination++ = column < output_size && input < input_size
                        ? promptvtg_bf16_from_float(weight[(size_t)column * input_size + input])
                        : 0;
                }
            }
        }
    }
}

size_t promptvtg_bf16_scratch_bytes(int32_t input_size) {
    return (size_t)CHUNK_ROWS * pair_count(input_size) * 2 * sizeof(uint16_t);
}

void promptvtg_bf16_linear_reference(
    const float *input, int32_t rows, const float *weight, int32_t output_size,
    int32_t input_size, const float *bias, float *output) {
    for (int32_t row = 0; row < rows; row++) {
        const float *x = input + (size_t)row * input_size;
        for (int32_t column = 0; column < output_size; column++) {
            const float *w = weight + (size_t)column * input_size;
            float sum = 0;
            for (int32_t index = 0; index < input_size; index += 2) {
                // Each bf16 x bf16 product is exact in float32; only the additions round.
                if (index + 1 < input_size) {
                    const float odd = float_from_bf16(promptvtg_bf16_from_float(x[index + 1]))
                        * float_from_bf16(promptvtg_bf16_from_float(w[index + 1]));
                    sum += odd;
                }
                const float even = float_from_bf16(promptvtg_bf16_from_float(x[index]))
                    * float_from_bf16(promptvtg_bf16_from_float(w[index]));
                sum += even;
            }
            output[(size_t)row * output_size + column] = sum + (bias ? bias[column] : 0.0f);
        }
    }
}

#if defined(__x86_64__)

#include <immintrin.h>

#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

// Rounds `rows` rows of `input_size` floats to bf16 pairs (ties to even), the last pair of each
// row padded with zero: [rows, pairs] 32-bit pairs.
static BF16_TARGET void convert_rows(
    const float *input, int32_t rows, int32_t input_size, uint16_t *converted) {
    const int32_t padded = 2 * pair_count(input_size);
    for (int32_t row = 0; row < rows; row++) {
        const float *source = input + (size_t)row * input_size;
        uint16_t *destination = converted + (size_t)row * padded;
        for (int32_t index = 0; index < padded; index += 16) {
            const __m256bh rounded = _mm512_cvtneps_pbh(
                _mm512_maskz_loadu_ps(first_lanes(input_size - index), source + index));
            _mm256_mask_storeu_epi16(
                destination + index, first_lanes(padded - index), (__m256i)rounded);
        }
    }
}

// One register block: `rows` rows (a compile-time constant after inlining) x one panel.
static inline __attribute__((always_inline)) BF16_TARGET void bf16_block(
    const int32_t rows, const uint32_t *activations, int32_t pairs, const uint16_t *panel,
    const float *bias, __mmask16 first_mask, __mmask16 second_mask, float *output,
    int32_t output_stride, int activation) {
    __m512 first[BLOCK_ROWS], second[BLOCK_ROWS];
    for (int32_t row = 0; row < rows; row++) {
        first[row] = _mm512_setzero_ps();
        second[row] = _mm512_setzero_ps();
    }
    for (int32_t pair = 0; pair < pairs; pair++) {
        const __m512bh weights_first = (__m512bh)_mm512_loadu_si512(panel + pair * 64);
        const __m512bh weights_second = (__m512bh)_mm512_loadu_si512(panel + pair * 64 + 32);
        for (int32_t row = 0; row < rows; row++) {
            const __m512bh broadcast =
                (__m512bh)_mm512_set1_epi32((int)activations[(size_t)row * pairs + pair]);
            first[row] = _mm512_dpbf16_ps(first[row], broadcast, weights_first);
            second[row] = _mm512_dpbf16_ps(second[row], broadcast, weights_second);
        }
    }
    const __m512 bias_first = bias ? _mm512_maskz_loadu_ps(first_mask, bias) : _mm512_setzero_ps();
    const __m512 bias_second =
        bias ? _mm512_maskz_loadu_ps(second_mask, bias + 16) : _mm512_setzero_ps();
    for (int32_t row = 0; row < rows; row++) {
        float *destination = output + (size_t)row * output_stride;
        _mm512_mask_storeu_ps(destination, first_mask,
            activated_ps(_mm512_add_ps(first[row], bias_first), activation));
        _mm512_mask_storeu_ps(destination + 16, second_mask,
            activated_ps(_mm512_add_ps(second[row], bias_second), activation));
    }
}

typedef struct {
    const promptvtg_bf16_weights *weights;
    const float *bias;
    uint16_t *converted;
    int32_t pairs;
    int activation;
} bf16_product;

static BF16_TARGET void bf16_convert(void *context, const float *rows, int32_t count) {
    const bf16_product *product = context;
    convert_rows(rows, count, product->weights->input_size, product->converted);
}

static BF16_TARGET void bf16_compute(void *context, const register_block *block) {
    const bf16_product *product = context;
    const int32_t pairs = product->pairs;
    const uint32_t *activations =
        (const uint32_t *)product->converted + (size_t)block->first_row * pairs;
    const uint16_t *panel =
        product->weights->panels + (size_t)block->panel * pairs * PROMPTVTG_PANEL_WIDTH * 2;
    const float *bias = product->bias ? product->bias + block->column : NULL;
#define BF16_BLOCK(n)                                                                            \
    bf16_block(n, activations, pairs, panel, bias, block->first_mask, block->second_mask,        \
        block->output, product->weights->output_size, product->activation)
    DISPATCH_ROW_BLOCK(block->rows, BF16_BLOCK)
#undef BF16_BLOCK
}

BF16_TARGET void promptvtg_bf16_linear_activated(
    const float *input, int32_t rows, const promptvtg_bf16_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch,
    promptvtg_activation activation) {
    bf16_product product = {
        weights, bias, scratch, pair_count(weights->input_size), (int)activation};
    walk_register_blocks(input, rows, weights->input_size, weights->output_size, panel_begin,
        panel_end, output, &product, bf16_convert, bf16_compute);
}

void promptvtg_bf16_linear(
    const float *input, int32_t rows, const promptvtg_bf16_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch) {
    promptvtg_bf16_linear_activated(input, rows, weights, panel_begin, panel_end, bias, output,
        scratch, PROMPTVTG_ACTIVATION_NONE);
}

#else

// Other architectures never call them: promptvtg_cpu_features() reports no AVX-512 there.
void promptvtg_bf16_linear_activated(
    const float *input, int32_t rows, const promptvtg_bf16_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch,
    promptvtg_activation activation) {
    (void)input; (void)rows; (void)weights; (void)panel_begin; (void)panel_end; (void)bias;
    (void)output; (void)scratch; (void)activation;
    abort();
}

void promptvtg_bf16_linear(
    const float *input, int32_t rows, const promptvtg_bf16_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch) {
    promptvtg_bf16_linear_activated(input, rows, weights, panel_begin, panel_end, bias, output,
        scratch, PROMPTVTG_ACTIVATION_NONE);
}

#endif
