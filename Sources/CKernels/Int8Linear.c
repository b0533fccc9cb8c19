// The int8 product: symmetric int8 weights with one scale per output channel (quantised once),
// activations quantised per row and per call, exact int32 sums through vpdpbusd (16 lanes, each
// adding four u8 x s8 products per instruction: four times the multiply-adds of a float32 FMA),
// dequantised to float32 with the bias.

#include "CKernels.h"
#include "PanelLoops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// vpdpbusd takes unsigned activations: a signed q in [-127, 127] goes in as q + ZERO_POINT.
#define ZERO_POINT 128

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

size_t promptvtg_int8_packed_bytes(int32_t output_size, int32_t input_size) {
    return (size_t)panel_count(output_size) * (size_t)group_count(input_size)
        * PROMPTVTG_PANEL_WIDTH * 4;
}

int32_t promptvtg_int8_padded_columns(int32_t output_size) {
    return panel_count(output_size) * PROMPTVTG_PANEL_WIDTH;
}

void promptvtg_int8_pack(
    const float *weight, int32_t output_size, int32_t input_size, int8_t *panels, float *scales,
    int32_t *compensation) {
    const int32_t groups = group_count(input_size);
    const int32_t padded_columns = promptvtg_int8_padded_columns(output_size);
    memset(panels, 0, promptvtg_int8_packed_bytes(output_size, input_size));
    int8_t quantized[input_size > 0 ? input_size : 1];
    for (int32_t column = 0; column < padded_columns; column++) {
        if (column >= output_size) {
            scales[column] = 0;
            compensation[column] = 0;
            continue;
        }
        scales[column] =
            promptvtg_int8_quantize_row(weight + (size_t)column * input_size, input_size, quantized);
        int32_t sum = 0;
        const int32_t panel = column / PROMPTVTG_PANEL_WIDTH;
        const int32_t lane = column % PROMPTVTG_PANEL_WIDTH;
        for (int32_t index = 0; index < input_size; index++) {
            sum += quantized[index];
            const int32_t group = index / 4;
            panels[(((size_t)panel * groups + group) * PROMPTVTG_PANEL_WIDTH + lane) * 4
                + index % 4] = quantized[index];
        }
        compensation[column] = ZERO_POINT * sum;
    }
}

size_t promptvtg_int8_scratch_bytes(int32_t input_size) {
    return (size_t)CHUNK_ROWS * group_count(input_size) * 4 + CHUNK_ROWS * sizeof(float);
}

void promptvtg_int8_linear_reference(
    const float *input, int32_t rows, const float *weight, int32_t output_size,
    int32_t input_size, const float *bias, float *output) {
    const size_t count = input_size > 0 ? (size_t)input_size : 1;
    int8_t row_values[count], column_values[count];
    for (int32_t row = 0; row < rows; row++) {
        const float row_scale =
            promptvtg_int8_quantize_row(input + (size_t)row * input_size, input_size, row_values);
        for (int32_t column = 0; column < output_size; column++) {
            const float column_scale = promptvtg_int8_quantize_row(
                weight + (size_t)column * input_size, input_size, column_values);
            int32_t sum = 0;
            for (int32_t index = 0; index < input_size; index++) {
                sum += (int32_t)row_values[index] * (int32_t)column_values[index];
            }
            output[(size_t)row * output_size + column] =
                fmaf((float)sum, row_scale * column_scale, bias ? bias[column] : 0.0f);
        }
    }
}

#if defined(__x86_64__)

#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// Quantises `rows` rows as promptvtg_int8_quantize_row does, stored as q + ZERO_POINT in
// [rows, groups] 4-byte groups (padding inputs store ZERO_POINT, i.e. q = 0), and their scales.
static VNNI_TARGET void quantize_rows(
    const float *input, int32_t rows, int32_t input_size, uint8_t *quantized, float *scales) {
    const int32_t padded = 4 * group_count(input_size);
    for (int32_t row = 0; row < rows; row++) {
        const float *source = input + (size_t)row * input_size;
        uint8_t *destination = quantized + (size_t)row * padded;
        __m512 largest = _mm512_setzero_ps();
        for (int32_t index = 0; index < input_size; index += 16) {
            const int32_t loaded = min_int32(16, input_size - index);
            const __mmask16 mask = (__mmask16)(loaded >= 16 ? 0xFFFFu : (1u << loaded) - 1u);
            largest = _mm512_max_ps(largest, _mm512_abs_ps(_mm512_maskz_loadu_ps(mask, source + index)));
        }
        const float largest_value = _mm512_reduce_max_ps(largest);
        const __m512 inverse =
            _mm512_set1_ps(largest_value == 0 ? 0.0f : 127.0f / largest_value);
        scales[row] = largest_value == 0 ? 0.0f : largest_value / 127.0f;
        for (int32_t index = 0; index < padded; index += 16) {
            const int32_t loaded = min_int32(16, input_size - index);
            const __mmask16 load_mask = (__mmask16)(loaded <= 0 ? 0u
                : loaded >= 16 ? 0xFFFFu : (1u << loaded) - 1u);
            const int32_t stored = min_int32(16, padded - index);
            const __mmask16 store_mask = (__mmask16)(stored >= 16 ? 0xFFFFu : (1u << stored) - 1u);
            __m512i rounded = _mm512_cvtps_epi32(
                _mm512_mul_ps(_mm512_maskz_loadu_ps(load_mask, source + index), inverse));
            rounded = _mm512_max_epi32(_mm512_set1_epi32(-127),
                _mm512_min_epi32(_mm512_set1_epi32(127), rounded));
            _mm512_mask_cvtepi32_storeu_epi8(destination + index, store_mask,
                _mm512_add_epi32(rounded, _mm512_set1_epi32(ZERO_POINT)));
        }
    }
}

// One register block: `rows` rows (a compile-time constant after inlining) x one panel.
static inline __attribute__((always_inline)) VNNI_TARGET void int8_block(
    const int32_t rows, const uint32_t *activations, const float *row_scales, int32_t groups,
    const int8_t *panel, const float *column_scales, const int32_t *compensation,
    const float *bias, __mmask16 first_mask, __mmask16 second_mask, float *output,
    int32_t output_stride) {
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
    const __m512i compensation_first = _mm512_loadu_si512(compensation);
    const __m512i compensation_second = _mm512_loadu_si512(compensation + 16);
    const __m512 scales_first = _mm512_loadu_ps(column_scales);
    const __m512 scales_second = _mm512_loadu_ps(column_scales + 16);
    const __m512 bias_first = bias ? _mm512_maskz_loadu_ps(first_mask, bias) : _mm512_setzero_ps();
    const __m512 bias_second =
        bias ? _mm512_maskz_loadu_ps(second_mask, bias + 16) : _mm512_setzero_ps();
    for (int32_t row = 0; row < rows; row++) {
        const __m512 row_scale = _mm512_set1_ps(row_scales[row]);
        const __m512 sums_first =
            _mm512_cvtepi32_ps(_mm512_sub_epi32(first[row], compensation_first));
        const __m512 sums_second =
            _mm512_cvtepi32_ps(_mm512_sub_epi32(second[row], compensation_second));
        float *destination = output + (size_t)row * output_stride;
        _mm512_mask_storeu_ps(destination, first_mask,
            _mm512_fmadd_ps(sums_first, _mm512_mul_ps(row_scale, scales_first), bias_first));
        _mm512_mask_storeu_ps(destination + 16, second_mask,
            _mm512_fmadd_ps(sums_second, _mm512_mul_ps(row_scale, scales_second), bias_second));
    }
}

VNNI_TARGET void promptvtg_int8_linear(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch) {
    const int32_t input_size = weights->input_size, output_size = weights->output_size;
    const int32_t groups = group_count(input_size);
    uint8_t *quantized = (uint8_t *)scratch;
    float *row_scales = (float *)(quantized + (size_t)CHUNK_ROWS * groups * 4);
    const uint32_t *activations = (const uint32_t *)scratch;
    for (int32_t chunk = 0; chunk < rows; chunk += CHUNK_ROWS) {
        const int32_t chunk_rows = min_int32(CHUNK_ROWS, rows - chunk);
        quantize_rows(input + (size_t)chunk * input_size, chunk_rows, input_size, quantized,
            row_scales);
        const int32_t blocks = (chunk_rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
        for (int32_t panel = panel_begin; panel < panel_end; panel++) {
            const int32_t column = panel * PROMPTVTG_PANEL_WIDTH;
            uint16_t first_mask, second_mask;
            panel_masks(column, output_size, &first_mask, &second_mask);
            const int8_t *panel_weights =
                weights->panels + (size_t)panel * groups * PROMPTVTG_PANEL_WIDTH * 4;
            const float *panel_bias = bias ? bias + column : NULL;
            float *panel_output = output + (size_t)chunk * output_size + column;
            for (int32_t block = 0; block < blocks; block++) {
                int32_t start, size;
                row_block(chunk_rows, blocks, block, &start, &size);
#define INT8_BLOCK(n, start)                                                                     \
    int8_block(n, activations + (size_t)(start) * groups, row_scales + (start), groups,          \
        panel_weights, weights->scales + column, weights->compensation + column, panel_bias,     \
        first_mask, second_mask, panel_output + (size_t)(start) * output_size, output_size)
                DISPATCH_ROW_BLOCK(size, INT8_BLOCK, start)
#undef INT8_BLOCK
            }
        }
    }
}

#else

// Other architectures never call it: promptvtg_cpu_features() reports no AVX-512 there.
void promptvtg_int8_linear(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch) {
    (void)input; (void)rows; (void)weights; (void)panel_begin; (void)panel_end; (void)bias;
    (void)output; (void)scratch;
    abort();
}

#endif
