#ifndef PROMPTVTG_CKERNELS_H
#define PROMPTVTG_CKERNELS_H

// Reduced-precision products for inference: y[rows, out] = x[rows, in] * W[out, in]^T + b, with
// the weights converted once (bf16 pairs, or int8 with one scale per output channel) and the
// activations converted per call, accumulated in float32 (bf16) or int32 (int8).
//
// The fast kernels use AVX-512 instructions that not every x86-64 CPU has (vdpbf16ps for bf16,
// vpdpbusd for int8); each is compiled for those instructions alone (a per-function target
// attribute), so the rest of the package keeps its baseline code generation. Call one only after
// promptvtg_cpu_features() reports its feature. Each kernel has a plain reference loop with the
// same arithmetic, the tests' oracle.
//
// Packed weight layout: output columns in panels of PROMPTVTG_PANEL_WIDTH (the last panel padded
// with zero columns); inside a panel, for each group of consecutive inputs (2 for bf16, 4 for
// int8; the input axis padded with zeros to whole groups), the group of every column in turn:
// exactly what one 16-lane instruction multiplies against a broadcast group of activations.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Output columns per packed panel: two 16-lane vectors.
#define PROMPTVTG_PANEL_WIDTH 32

/// AVX-512 F/BW/VL with BF16 dot products (vdpbf16ps), and the OS saves the zmm registers.
#define PROMPTVTG_FEATURE_AVX512_BF16 1u
/// AVX-512 F/BW/VL with VNNI int8 dot products (vpdpbusd), and the OS saves the zmm registers.
#define PROMPTVTG_FEATURE_AVX512_VNNI 2u
/// AVX-512 F/BW/VL (16-lane float32 FMA), and the OS saves the zmm registers.
#define PROMPTVTG_FEATURE_AVX512_F 4u
/// AVX2 with FMA (8-lane float32 FMA), and the OS saves the ymm registers.
#define PROMPTVTG_FEATURE_AVX2_FMA 8u

/// The PROMPTVTG_FEATURE_* bits this CPU and OS support, from cpuid and xgetbv.
unsigned promptvtg_cpu_features(void);

/// What a reduced-precision kernel applies to each output (after the bias) before storing it.
typedef enum {
    /// The affine output as it is.
    PROMPTVTG_ACTIVATION_NONE = 0,
    /// Quick GELU, x * sigmoid(1.702 x) (CLIP's MLP), with a polynomial e^x of relative error
    /// about 1.2e-7 (the engine's own).
    PROMPTVTG_ACTIVATION_QUICK_GELU = 1,
    /// The exact GELU, x * Phi(x) = x * (1 + erf(x / sqrt(2))) / 2 (BERT's feed-forward), with
    /// minimax approximations of erf (relative error about 9e-8) and erfc (see
    /// promptvtg_exact_gelu_avx512).
    PROMPTVTG_ACTIVATION_GELU = 2,
} promptvtg_activation;

/// output[i] = the kernels' PROMPTVTG_ACTIVATION_GELU of input[i] for i in 0..<count, 16 lanes at
/// a time (the tail masked): what a kernel stores for a sum with its bias of input[i]. The tests'
/// way to compare it with erf from libm. Needs PROMPTVTG_FEATURE_AVX512_F.
void promptvtg_exact_gelu_avx512(const float *input, float *output, int32_t count);

/// Weights packed for the bf16 kernel (see promptvtg_bf16_pack).
typedef struct {
    int32_t input_size;
    int32_t output_size;
    /// Panels of (input_size + 1) / 2 pairs x PROMPTVTG_PANEL_WIDTH columns x 2 bf16 values.
    const uint16_t *panels;
} promptvtg_bf16_weights;

/// The bytes promptvtg_bf16_pack writes for a [output_size, input_size] weight.
size_t promptvtg_bf16_packed_bytes(int32_t output_size, int32_t input_size);

/// Rounds weight[output_size, input_size] (row-major, PyTorch's layout) to bf16 (nearest, ties
/// to even) and writes it in the panel layout to `panels` (promptvtg_bf16_packed_bytes bytes).
void promptvtg_bf16_pack(
    const float *weight, int32_t output_size, int32_t input_size, uint16_t *panels);

/// The scratch bytes one promptvtg_bf16_linear call needs (activations of a block of rows).
size_t promptvtg_bf16_scratch_bytes(int32_t input_size);

/// output[r, c] = bias[c] + sum_i bf16(input[r, i]) * bf16(weight[c, i]) for every row r and
/// the columns of panels panel_begin..<panel_end, products exact and sums in float32 (vdpbf16ps).
/// input: [rows, input_size]; output: [rows, output_size] (only those columns written); bias:
/// output_size values or NULL; scratch: promptvtg_bf16_scratch_bytes(input_size) bytes, 64-byte
/// aligned. Needs PROMPTVTG_FEATURE_AVX512_BF16.
void promptvtg_bf16_linear(
    const float *input, int32_t rows, const promptvtg_bf16_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch);

/// promptvtg_bf16_linear with `activation` applied to every output before it is stored.
void promptvtg_bf16_linear_activated(
    const float *input, int32_t rows, const promptvtg_bf16_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch,
    promptvtg_activation activation);

/// The same arithmetic as promptvtg_bf16_linear in plain loops over the unpacked weight
/// [output_size, input_size], every column: per input pair, the odd product is added before the
/// even one (the order vdpbf16ps specifies), then the bias.
void promptvtg_bf16_linear_reference(
    const float *input, int32_t rows, const float *weight, int32_t output_size,
    int32_t input_size, const float *bias, float *output);

/// The bf16 value nearest to `value` (ties to even; NaN stays NaN), as its 16 bits.
uint16_t promptvtg_bf16_from_float(float value);

/// Weights packed for the int8 kernel (see promptvtg_int8_pack).
typedef struct {
    int32_t input_size;
    int32_t output_size;
    /// Panels of (input_size + 3) / 4 groups x PROMPTVTG_PANEL_WIDTH columns x 4 int8 values.
    const int8_t *panels;
    /// Per output column (padded to whole panels): max |weight row| / 127.
    const float *scales;
    /// Per output column (padded): the sum of its int8 weights (see promptvtg_int8_linear).
    const int32_t *column_sums;
} promptvtg_int8_weights;

/// The bytes of each array promptvtg_int8_pack writes for a [output_size, input_size] weight.
size_t promptvtg_int8_packed_bytes(int32_t output_size, int32_t input_size);
/// The number of columns of the scale and column-sum arrays (output_size padded to panels).
int32_t promptvtg_int8_padded_columns(int32_t output_size);

/// Quantises each output channel (row of weight[output_size, input_size]) as
/// promptvtg_int8_quantize_row does; writes the panels, the scales and the column sums (arrays
/// of promptvtg_int8_padded_columns values; padding columns get 0).
void promptvtg_int8_pack(
    const float *weight, int32_t output_size, int32_t input_size, int8_t *panels, float *scales,
    int32_t *column_sums);

/// Quantises one weight row of `count` values symmetrically to int8: with m = max |w| and
/// q = round(w * (127 / m)) (ties to even) in [-127, 127], w is about q * scale; returns
/// scale = m / 127 (0 for an all-zero row, whose values all quantise to 0).
float promptvtg_int8_quantize_row(const float *values, int32_t count, int8_t *quantized);

/// Quantises one activation row of `count` values to u8 with a zero point: with lo = min(0, x),
/// hi = max(0, x), inverse = 255 / (hi - lo) and z = round(-lo * inverse),
/// q = clamp(round(x * inverse) + z, 0, 255) (ties to even), x is about (q - z) * scale; returns
/// scale = (hi - lo) / 255 and writes z (0 and 0 for an all-zero row). Zero is exact.
float promptvtg_u8_quantize_row(
    const float *values, int32_t count, uint8_t *quantized, int32_t *zero_point);

/// The scratch bytes one promptvtg_int8_linear call needs.
size_t promptvtg_int8_scratch_bytes(int32_t input_size);

/// Dynamic int8 product: each input row is quantised as promptvtg_u8_quantize_row does (scale
/// s_r, zero point z_r), the int32 sums acc[r, c] = sum_i (q_r[i] - z_r) * q_c[i] are exact,
/// and output[r, c] = fma(float(acc[r, c]), s_r * scale[c], bias[c]) for the columns of panels
/// panel_begin..<panel_end. Arguments as promptvtg_bf16_linear.
/// Needs PROMPTVTG_FEATURE_AVX512_VNNI.
///
/// vpdpbusd multiplies unsigned by signed bytes and sums in int32 without saturating: the kernel
/// sums q_r[i] * q_c[i] and subtracts z_r x (the packed column sum of q_c) afterwards.
void promptvtg_int8_linear(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch);

/// promptvtg_int8_linear with `activation` applied to every output before it is stored.
void promptvtg_int8_linear_activated(
    const float *input, int32_t rows, const promptvtg_int8_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output, void *scratch,
    promptvtg_activation activation);

/// The same arithmetic as promptvtg_int8_linear in plain loops: quantises each weight row with
/// promptvtg_int8_quantize_row and each input row with promptvtg_u8_quantize_row, sums the
/// products (q_r - z_r) * q_c directly, and dequantises with the same formula, so its output is
/// bit-identical to the kernel's.
void promptvtg_int8_linear_reference(
    const float *input, int32_t rows, const float *weight, int32_t output_size,
    int32_t input_size, const float *bias, float *output);

/// Float32 weights packed for the few-row float32 kernels (see promptvtg_f32_pack).
typedef struct {
    int32_t input_size;
    int32_t output_size;
    /// Panels of input_size inputs x PROMPTVTG_PANEL_WIDTH columns (float32).
    const float *panels;
} promptvtg_f32_weights;

/// The bytes promptvtg_f32_pack writes for a [output_size, input_size] weight.
size_t promptvtg_f32_packed_bytes(int32_t output_size, int32_t input_size);

/// Writes weight[output_size, input_size] (row-major, PyTorch's layout) unchanged in the panel
/// layout (one float per input of every column) to `panels` (promptvtg_f32_packed_bytes bytes).
void promptvtg_f32_pack(
    const float *weight, int32_t output_size, int32_t input_size, float *panels);

/// output[r, c] = bias[c] + sum_i input[r, i] * weight[c, i] for every row r and the columns of
/// panels panel_begin..<panel_end, one float32 FMA per input in input order, then the bias.
/// For few rows (one short text), where sgemm's per-call copy of the weights dominates: the
/// activations are read in place, no scratch. Arguments as promptvtg_bf16_linear.
/// Needs PROMPTVTG_FEATURE_AVX512_F.
void promptvtg_f32_linear_avx512(
    const float *input, int32_t rows, const promptvtg_f32_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output);

/// The same as promptvtg_f32_linear_avx512 with 8-lane vectors, the same values bit for bit.
/// Needs PROMPTVTG_FEATURE_AVX2_FMA.
void promptvtg_f32_linear_avx2(
    const float *input, int32_t rows, const promptvtg_f32_weights *weights,
    int32_t panel_begin, int32_t panel_end, const float *bias, float *output);

/// The same arithmetic in plain loops over the unpacked weight [output_size, input_size]:
/// sum = fma(input[r, i], weight[c, i], sum) for i in order from 0, then + bias[c]; the kernels
/// give the same bits.
void promptvtg_f32_linear_reference(
    const float *input, int32_t rows, const float *weight, int32_t output_size,
    int32_t input_size, const float *bias, float *output);

#ifdef __cplusplus
}
#endif

#endif
