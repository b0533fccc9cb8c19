// The int8 product: symmetric int8 weights with one scale per output channel (quantised once),
// activations quantised to u8 per row and per call (asymmetric: a scale and a zero point), exact
// int32 sums through vpdpbusd (16 lanes, each adding four u8 x s8 products per instruction: four
// times the multiply-adds of a float32 FMA), dequantised to float32 with the bias.
//
// Why asymmetric activations: vpdpbusd wants unsigned activations anyway, and rows are often far
// from symmetric (GELU outputs lie in [-0.17, max]); spreading [min, max] over 0...255 halves the
// rounding step of such rows compared with a symmetric [-max, max] over -127...127.

#include "CKernels.h"
#include "PanelLoops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline int32_t group_count(int32_t input_size) { return (input_size + 3) / 4; }

float promptvtg_int8_quantize_row(const float *values, int32_t count, int8_t *quantized) {
    float largest = 0;
    for (int32_t index = 0; index < count; index++) largest = fmaxf(largest, fabsf(values[index]));
    if (largest == 0) {
        memset(quantized, 0, (size_t)count);
        return 0;
    }
    const float inverse = 127.0f / largest;
    for (int32_t index = 0; index < count; index++) {
        // lrintf rounds as the kernel's vcvtps2dq does (the default: nearest, ties to even).
        long rounded = lrintf(values[index] * inverse);
        rounded = rounded > 127 ? 127 : rounded < -127 ? -127 : rounded;
        quantized[index] = (int8_t)rounded;
    }
    return largest / 127.0f;
}

float promptvtg_u8_quantize_row(
    const float *values, int32_t count, uint8_t *quantized, int32_t *zero_point) {
    float lowest = 0, highest = 0;
    for (int32_t index = 0; index < count; index++) {
        lowest = fminf(lowest, values[index]);
        highest = fmaxf(highest, values[index]);
    }
    if (highest == lowest) {
        memset(quantized, 0, (size_t)count);
        *zero_point = 0;
        return 0;
    }
    const float inverse = 255.0f / (highest - lowest);
    const int32_t zero = (int32_t)lrintf(-lowest * inverse);
    for (int32_t index = 0; index < count; index++) {
        long rounded = lrintf(values[index] * inverse) + zero;
        rounded = rounded > 255 ? 255 : rounded < 0 ? 0 : rounded;
        quantized[index] = (uint8_t)rounded;
    }
    *zero_point = zero;
    return (highest - lowest) / 255.0f;
}

size_t promptvtg_int8_packed_bytes(int32_t output_size, int32_t input_size) {
    return (size_t)panel_count(output_size) * (size_t)group_count(input_size)
        * PROMPTVTG_PANEL_WIDTH * 4;
}

int32_t promptvtg_int8_padded_columns(int32_t output_size) {
    return panel_count(output_size) * PROMPTVTG_PANEL_WIDTH;
}

void promptvtg_int8_pack(
    const float *weight, int32_t output_size, int32_t input_size, int8_t *panels, float *scales,
    int32_t *column_sums) {
    const int32_t groups = group_count(input_size);
    const int32_t padded_columns = promptvtg_int8_padded_columns(output_size);
    memset(panels, 0, promptvtg_int8_packed_bytes(output_size, input_size));
    int8_t quantized[input_size > 0 ? input_size : 1];
    for (int32_t column = 0; column < padded_columns; column++) {
        if (column >= output_size) {
            scales[column] = 0;
            column_sums[column] = 0;
            continue;
        }
        scales[column] = promptvtg_int8_quantize_row(
            weight + (size_t)column * input_size, input_size, quantized);
        int32_t sum = 0;
        const int32_t panel = column / PROMPTVTG_PANEL_WIDTH;
        const int32_t lane = column % PROMPTVTG_PANEL_WIDTH;
        for (int32_t index = 0; index < input_size; index++) {
            sum += quantized[index];
            const int32_t group = index / 4;
            panels[(((size_t)panel * groups + group) * PROMPTVTG_PANEL_WIDTH + lane) * 4
                + index % 4] = quantized[index];
        }
        column_sums[column] = sum;
    }
}

size_t promptvtg_int8_scratch_bytes(int32_t input_size) {
    return (size_t)CHUNK_ROWS * group_count(input_size) * 4
        + CHUNK_ROWS * (sizeof(float) + sizeof(int32_t));
}

void promptvtg_int8_linear_reference(
    const float *input, int32_t rows, const float *weight, int32_t output_size,
    int32_t input_size, const float *bias, float *output) {
    const size_t count = input_size > 0 ? (size_t)input_size : 1;
    uint8_t row_values[count];
    int8_t column_values[count];
    for (int32_t row = 0; row < rows; row++) {
        int32_t zero_point;
        const float row_scale = promptvtg_u8_quantize_row(
            input + (size_t)row * input_size, input_size, row_values, &zero_point);
        for (int32_t column = 0; column < output_size; column++) {
            const float column_scale = promptvtg_int8_quantize_row(
                weight + (size_t)column * input_size, input_size, column_values);
            int32_t sum = 0;
            for (int32_t index = 0; index < input_size; index++) {
                sum += ((int32_t)row_values[index] - zero_point) * (int32_t)column_values[index];
            }
            output[(size_t)row * output_size + column] =
                fmaf((float)sum, row_scale * column_scale, bias ? bias[column] : 0.0f);
        }
    }
}

#if defined(__x86_64__)

#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// Quantises `rows` rows exactly as promptvtg_u8_quantize_row does, into [rows, groups] 4-byte
// groups (padding inputs quantise 0, to the zero point), with each row's scale and zero point.
static VNNI_TARGET void quantize_rows(
    const float *input, int32_t rows, int32_t input_size, uint8_t *quantized, float *scales,
    int32_t *zero_points) {
    const int32_t padded = 4 * group_count(input_size);
    for (int32_t row = 0; row < rows; row++) {
        const float *source = input + (size_t)row * input_size;
        uint8_t *destination = quantized + (size_t)row * padded;
        __m512 lowest = _mm512_setzero_ps(), highest = _mm512_setzero_ps();
        for (int32_t index = 0; index < input_size; index += 16) {
            const __m512 values =
                _mm512_maskz_loadu_ps(first_lanes(input_size - index), source + index);
            lowest = _mm512_min_ps(lowest, values);
            highest = _mm512_max_ps(highest, values);
        }
        const float low = _mm512_reduce_min_ps(lowest), high = _mm512_reduce_max_ps(highest);
        if (high == low) {
            memset(destination, 0, (size_t)padded);
            scales[row] = 0;
            zero_points[row] = 0;
            continue;
        }
        const float inverse = 255.0f / (high - low);
        const int32_t zero = (int32_t)lrintf(-low * inverse);
        scales[row] = (high - low) / 255.0f;
        zero_points[row] = zero;
        for (int32_t index = 0; index < padded; index += 16) {
            const __m512 values =
                _mm512_maskz_loadu_ps(first_lanes(input_size - index), source + index);
            // vcvtps2dq rounds as lrintf does (the default: nearest, ties to even).
            const __m512i rounded = _mm512_add_epi32(
                _mm512_cvtps_epi32(_mm512_mul_ps(values, _mm512_set1_ps(inverse))),
                _mm512_set1_epi32(zero));
            const __m512i clamped = _mm512_max_epi32(
                _mm512_setzero_si512(), _mm512_min_epi32(_mm512_set1_epi32(255), rounded));
            _mm512_mask_cvtepi32_storeu_epi8(
                destination + index, first_lanes(padded - index), clamped);
        }
    }
}

// One register block: `rows` rows (a compile-time constant after inlining) x one panel.
static inline __attribute__((always_inline)) VNNI_TARGET void int8_block(
    const int32_t rows, const uint32_t *activations, const float *row_scales,
    const int32_t *row_zero_points, int32_t groups, const int8_t *panel,
    const float *column_scales, const int32_t *column_sums, const float *bias,
    __mmask16 first_mask, __mmask16 second_mask, float *output, int32_t output_stride,
    int activation) {
    __m512i first[BLOCK_ROWS], second[BLOCK_ROWS];
    for (int32_t row = 0; row < rows; row++) {
        first[row] = _mm512_setzero_si512();
        second[row] = _mm512_setzero_si512();
    }
    for (int32_t group = 0; group < groups; group++) {
        const __m512i weights_first = _mm512_loadu_si512(panel + group * 128);
        const __m512i weights_second = _mm512_loadu_si512(panel + group * 128 + 64);
        for (int32_t row = 0; row < rows; row++) {
            const __m512i broadcast =
                _mm512_set1_epi32((int)activations[(size_t)row * groups + group]);
            first[row] = _mm512_dpbusd_epi32(first[row], broadcast, weights_first);
            second[row] = _mm512_dpbusd_epi32(second[row], broadcast, weights_second);
        }
    }
    const __m512i sums_first = _mm512_loadu_si512(column_sums);
    const __m512i sums_second = _mm512_loadu_si512(column_sums + 16);
    const __m512 scales_first = _mm512_loadu_ps(column_scales);
    const __m512 scales_second = _mm512_loadu_ps(column_scales + 16);
    const __m512 bias_first = bias ? _mm512_maskz_loadu_ps(first_mask, bias) : _mm512_setzero_ps();
    const __m512 bias_second =
        bias ? _mm512_maskz_loadu_ps(second_mask, bias + 16) : _mm512_setzero_ps();
    for (int32_t row = 0; row < rows; row++) {
        // sum (q - z) w = sum q w - z sum w: the zero point's share comes off per column.
        const __m512i zero = _mm512_set1_epi32(row_zero_points[row]);
        const __m512 row_scale = _mm512_set1_ps(row_scales[row]);
        const __m512 exact_first = _mm512_cvtepi32_ps(
            _mm512_sub_epi32(first[row], _mm512_mullo_epi32(zero, sums_first)));
        const __m512 exact_second = _mm512_cvtepi32_ps(
            _mm512_sub_epi32(second[row], _mm512_mullo_epi32(zero, sums_second)));
        float *destination = output + (size_t)row * output_stride;
        _mm512_mask_storeu_ps(destination, first_mask,
            activated_ps(
                _mm512_fmadd_ps(exact_first, _mm512_mul_ps(row_scale, scales_first), bias_first),
                activation));
        _mm512_mask_storeu_ps(destination + 16, second_mask,
            activated_ps(
                _mm512_fmadd_ps(
                    exact_second, _mm512_mul_ps(row_scale, scales_second), bias_second),
                activation));
    }
}

typedef struct {
    const promptvtg_int8_weights *weights;
    const float *bias;
    uint8_t *quantized;
    float *row_scales;
    int32_t *row_zero_points;
    int32_t groups;
    int activation;
} int8_product;

static VNNI_TARGET void int8_convert(void *context, const float *rows, int32_t count) {
    const int8_product *product = context;
    quantize_rows(rows, count, product->weights->input_size, product->quantized,
        product->row_scales, product->row_zero_points);
}

static VNNI_TARGET void int8_compute(void *context, const register_block *block) {
    const int8_product *product = context;
    const promptvtg_int8_weights *weights = product->weights;
    const int32_t groups = product->groups, first = block->first_row, column = block->column;
    const uint32_t *activations = (const uint32_t *)product->quantized + (size_t)first * groups;
    const int8_t *panel =
        weights->panels + (size_t)block->panel * groups * PROMPTVTG_PANEL_WIDTH * 4;
    const float *bias = product->bias ? product->bias + column : NULL;
#define INT8_BLOCK(n)                                                                            \
    int8_block(n, activations, product->row_scales + first, product->row_zero_points + first,     \
        groups, panel, weights->scales + column, weights->column_sums + column, bias,            \
        block->first_mask, block->second_mask, block->output, weights->output_size,            \
        product->activation)
    DISPATCH_ROW_BLOCK(block->rows, INT8_BLOCK)
#undef INT8_BLOCK
}

VNNI_TARGET void promptvtg_int8_linear_activated(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch,
    promptvtg_activation activation) {
    const int32_t groups = group_count(weights->input_size);
    uint8_t *quantized = scratch;
    float *row_scales = (float *)(quantized + (size_t)CHUNK_ROWS * groups * 4);
    int8_product product = {weights, bias, quantized, row_scales,
        (int32_t *)(row_scales + CHUNK_ROWS), groups, (int)activation};
    walk_register_blocks(input, rows, weights->input_size, weights->output_size, panel_begin,
        panel_end, output, &product, int8_convert, int8_compute);
}

void promptvtg_int8_linear(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch) {
    promptvtg_int8_linear_activated(input, rows, weights, panel_begin, panel_end, bias, output,
        scratch, PROMPTVTG_ACTIVATION_NONE);
}

#else

// Other architectures never call them: promptvtg_cpu_features() reports no AVX-512 there.
void promptvtg_int8_linear_activated(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch,
    promptvtg_activation activation) {
    (void)input; (void)rows; (void)weights; (void)panel_begin; (void)panel_end; (void)bias;
    (void)output; (void)scratch; (void)activation;
    abort();
}

void promptvtg_int8_linear(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch) {
    promptvtg_int8_linear_activated(input, rows, weights, panel_begin, panel_end, bias, output,
        scratch, PROMPTVTG_ACTIVATION_NONE);
}

#endif
