// Loop helpers shared by the bf16 and int8 kernels (private to the CKernels target).
#ifndef PROMPTVTG_PANEL_LOOPS_H
#define PROMPTVTG_PANEL_LOOPS_H

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

// Store masks of the two 16-column halves of the panel starting at `column`: one bit per column
// that exists (the last panel may be partly padding).
static inline void panel_masks(
    int32_t column, int32_t output_size, uint16_t *first_half, uint16_t *second_half) {
    const int32_t width = min_int32(PROMPTVTG_PANEL_WIDTH, output_size - column);
    *first_half = (uint16_t)(width >= 16 ? 0xFFFFu : (1u << width) - 1u);
    *second_half = (uint16_t)(width <= 16 ? 0u : width >= 32 ? 0xFFFFu : (1u << (width - 16)) - 1u);
}

// The `index`-th of `count` near-equal register blocks covering `rows` rows: 15 rows become
// blocks of 8 and 7 (not 10 and 5).
static inline void row_block(int32_t rows, int32_t count, int32_t index, int32_t *start,
    int32_t *size) {
    *start = rows * index / count;
    *size = rows * (index + 1) / count - *start;
}

// Calls BLOCK(n, start) with the row count as a compile-time constant 1...BLOCK_ROWS, so that the
// always-inline block kernel unrolls its row loops and keeps its accumulators in registers.
#define DISPATCH_ROW_BLOCK(size, BLOCK, start)                                                   \
    switch (size) {                                                                              \
    case 1: BLOCK(1, start); break;                                                              \
    case 2: BLOCK(2, start); break;                                                              \
    case 3: BLOCK(3, start); break;                                                              \
    case 4: BLOCK(4, start); break;                                                              \
    case 5: BLOCK(5, start); break;                                                              \
    case 6: BLOCK(6, start); break;                                                              \
    case 7: BLOCK(7, start); break;                                                              \
    case 8: BLOCK(8, start); break;                                                              \
    case 9: BLOCK(9, start); break;                                                              \
    default: BLOCK(10, start); break;                                                            \
    }

#endif
