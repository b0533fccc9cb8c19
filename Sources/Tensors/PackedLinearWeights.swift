import CKernels

/// A linear layer's weight converted once for inference, in the panel layout the CKernels
/// products read: bf16 pairs, int8 with one scale per output channel (see `Precision`), or
/// float32 as it is for products of few rows (below). A snapshot: later writes to `weight` do
/// not reach it. Its product is `linear(_:packedWeight:bias:)`.
///
/// float32: OpenBLAS's `sgemm` copies the whole weight into its panel layout on every call, which
/// dominates a product of a few rows (one short text: 48 % of a float32 CLIP text pass). Packed
/// once, a product of at most `float32RowLimit` rows runs an FMA kernel (AVX-512, or AVX2) over
/// the panels; larger products, and CPUs without either, use `linear(_:weight:bias:)` unchanged.
public final class PackedLinearWeights: @unchecked Sendable {
    /// `.bf16`, `.int8`, or `.float32` (the few-row kernel).
    public let precision: Precision
    /// The float32 weight `[outputSize, inputSize]` it was converted from (PyTorch's layout):
    /// what a pass that records gradients multiplies by instead.
    public let weight: Tensor
    /// Features in.
    public let inputSize: Int
    /// Features out.
    public let outputSize: Int
    /// The bytes of the converted copy (panels, and for int8 the scales and column sums).
    public let byteCount: Int

    /// The most rows a float32 product runs the packed kernel for; above, OpenBLAS's `sgemm`,
    /// whose per-call copy of the weights is then a small share. Measured on Zen 4 (one thread,
    /// medians, products of 512 × 512, 2048 × 512, 512 × 2048, 768 × 768 and 3072 × 768): the
    /// kernel took 0.16-0.5 of sgemm's time at 1 to 14 rows, 0.45-0.8 at 32 to 64 rows, 0.8-0.9
    /// at 128 to 256 rows and 0.75-0.95 beyond (to 1088, on a loaded machine); the limit keeps
    /// batches of many texts on OpenBLAS, as before.
    public static let float32RowLimit = 256

    private let panels: UnsafeMutableRawPointer
    /// int8 only: per padded output column, the weight scale and the sum of its int8 values.
    private let scales: UnsafeMutablePointer<Float>?
    private let columnSums: UnsafeMutablePointer<Int32>?
    /// float32 only: whether the AVX-512 form of the kernel runs (else the AVX2 one).
    private let usesAVX512: Bool

    /// Whether `features` (and this CPU) have a few-row float32 kernel: AVX-512 F or AVX2 + FMA.
    public static func hasFloat32Kernel(_ features: CPUFeatures = .current) -> Bool {
        !features.intersection(.detected).intersection([.avx512F, .avx2FMA]).isEmpty
    }

    /// Converts `weight` `[outputSize, inputSize]` to `precision`. The CPU must have the
    /// precision's kernel: convert only to `CPUFeatures.current.supportedPrecision(_:)`, and to
    /// `.float32` only where `hasFloat32Kernel(features)`; `features` picks the float32 kernel's
    /// form (AVX-512 where they include `.avx512F`).
    public init(_ weight: Tensor, precision: Precision, features: CPUFeatures = .current) {
        precondition(
            weight.rank == 2 && weight.shape.allSatisfy { $0 > 0 && $0 < Int(Int32.max) },
            "PackedLinearWeights: weight \(weight.shape) is not a non-empty [output, input]")
        precondition(
            precision != .float32 || Self.hasFloat32Kernel(features),
            "PackedLinearWeights: no float32 kernel with features \(features)")
        precondition(
            CPUFeatures.detected.isSuperset(of: precision.requiredFeatures),
            "PackedLinearWeights: this CPU lacks \(precision.requiredFeatures) for \(precision)")
        self.precision = precision
        self.weight = weight
        outputSize = weight.shape[0]
        inputSize = weight.shape[1]
        usesAVX512 = features.intersection(.detected).contains(.avx512F)
        let (output, input) = (Int32(outputSize), Int32(inputSize))
        switch precision {
        case .float32:
            byteCount = promptvtg_f32_packed_bytes(output, input)
            panels = .allocate(byteCount: byteCount, alignment: 64)
            promptvtg_f32_pack(
                weight.storage.pointer, output, input,
                panels.bindMemory(to: Float.self, capacity: byteCount / 4))
            scales = nil
            columnSums = nil
        case .bf16:
            byteCount = promptvtg_bf16_packed_bytes(output, input)
            panels = .allocate(byteCount: byteCount, alignment: 64)
            promptvtg_bf16_pack(
                weight.storage.pointer, output, input,
                panels.bindMemory(to: UInt16.self, capacity: byteCount / 2))
            scales = nil
            columnSums = nil
        case .int8:
            let panelBytes = promptvtg_int8_packed_bytes(output, input)
            let columns = Int(promptvtg_int8_padded_columns(output))
            byteCount = panelBytes + columns * 8
            panels = .allocate(byteCount: panelBytes, alignment: 64)
            let scales = UnsafeMutablePointer<Float>.allocate(capacity: columns)
            let columnSums = UnsafeMutablePointer<Int32>.allocate(capacity: columns)
            promptvtg_int8_pack(
                weight.storage.pointer, output, input,
                panels.bindMemory(to: Int8.self, capacity: panelBytes), scales, columnSums)
            self.scales = scales
            self.columnSums = columnSums
        }
    }

    /// Whether a product of `rows` rows runs this copy's kernel: always at bf16 and int8, at
    /// float32 for at most `float32RowLimit` rows (else `linear(_:weight:bias:)` runs).
    public func runsKernel(rows: Int) -> Bool {
        precision != .float32 || rows <= Self.float32RowLimit
    }

    deinit {
        panels.deallocate()
        scales?.deallocate()
        columnSums?.deallocate()
    }

    /// The number of 32-column panels (the unit of splitting across threads).
    var panelCount: Int {
        (outputSize + Int(PROMPTVTG_PANEL_WIDTH) - 1) / Int(PROMPTVTG_PANEL_WIDTH)
    }

    /// How many times a thread's minimum work a product of few rows needs before its panels are
    /// split across threads: at float32 the minimum itself, as OpenBLAS's products split their
    /// columns (`LinearKernels.affine`), so one query's MLP products (14 × 512 × 2048 in CLIP's
    /// text tower) use both threads and its 512 × 512 ones stay on one.
    var panelSplitFactor: Int {
        precision == .float32 ? 1 : 4
    }

    /// The scratch bytes one kernel call needs.
    var scratchBytes: Int {
        switch precision {
        case .float32: 0
        case .bf16: promptvtg_bf16_scratch_bytes(Int32(inputSize))
        case .int8: promptvtg_int8_scratch_bytes(Int32(inputSize))
        }
    }

    /// output[rows, outputSize] (columns of panels `panelRange` only) = input[rows, inputSize] ·
    /// Wᵀ + bias, on the calling thread.
    func affine(
        rows: Int, input: UnsafePointer<Float>, panelRange: Range<Int>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutableRawPointer,
        activation: promptvtg_activation = PROMPTVTG_ACTIVATION_NONE
    ) {
        let (rowCount, begin, end) = (
            Int32(rows), Int32(panelRange.lowerBound),
            Int32(panelRange.upperBound)
        )
        switch precision {
        case .float32:
            var weights = promptvtg_f32_weights(
                input_size: Int32(inputSize), output_size: Int32(outputSize),
                panels: UnsafePointer(panels.assumingMemoryBound(to: Float.self)))
            if usesAVX512 {
                promptvtg_f32_linear_avx512(input, rowCount, &weights, begin, end, bias, output)
            } else {
                promptvtg_f32_linear_avx2(input, rowCount, &weights, begin, end, bias, output)
            }
        case .bf16:
            var weights = promptvtg_bf16_weights(
                input_size: Int32(inputSize), output_size: Int32(outputSize),
                panels: UnsafePointer(panels.assumingMemoryBound(to: UInt16.self)))
            promptvtg_bf16_linear_activated(
                input, rowCount, &weights, begin, end, bias, output, scratch, activation)
        case .int8:
            var weights = promptvtg_int8_weights(
                input_size: Int32(inputSize), output_size: Int32(outputSize),
                panels: UnsafePointer(panels.assumingMemoryBound(to: Int8.self)),
                scales: UnsafePointer(scales), column_sums: UnsafePointer(columnSums))
            promptvtg_int8_linear_activated(
                input, rowCount, &weights, begin, end, bias, output, scratch, activation)
        }
    }
}

/// y = x·Wᵀ + b with a packed weight, for inference: bf16 or int8 products (see `Precision`),
/// or float32 ones of few rows (more rows: `linear(_:weight:bias:)`), float32 out. Shapes as
/// `linear(_:weight:bias:)`: `input` `[..., inputSize]` (at least 2 axes), `bias`
/// `[outputSize]` or nil → `[..., outputSize]`.
///
/// With an `activation`, the bf16 and int8 kernels apply it to each output as they store it (quick
/// GELU with its own polynomial e^x, within 2e-7 relative of `Tensor.quickGELU`'s; the exact GELU
/// with a minimax erf, see `ProductActivation.gelu`); everywhere else it runs as its own pass
/// after the product (the exact GELU on the kept rows alone, `Tensor.gelu(rows:)`).
///
/// With `rows` (the real tokens of a padded batch, see `RowSelection`), only the kept rows are
/// multiplied, each run of them in place, and every other row is 0: a kept row's value is the
/// same bits as without the selection (the kernels quantise and sum each row on its own).
///
/// Not differentiable: when the tape would record (gradients enabled and `input`, the weight
/// or `bias` requiring them), it computes the float32 `linear` with `packedWeight.weight`
/// (then the activation's own op) instead, so a training pass sees the float32 layer and its
/// exact gradients.
///
/// Threads: row blocks across `ComputeThreads` for many rows, 32-column panels for few (one
/// query), and the calling thread alone when the product is too small to pay for a worker.
public func linear(
    _ input: Tensor, packedWeight: PackedLinearWeights, bias: Tensor?,
    rows selection: RowSelection? = nil, activation: ProductActivation? = nil
) -> Tensor {
    let (inputSize, outputSize) = (packedWeight.inputSize, packedWeight.outputSize)
    precondition(
        input.rank >= 2 && input.shape.last == inputSize,
        "linear: input \(input.shape) does not end in the packed weight's \(inputSize) features")
    if let bias {
        precondition(
            bias.shape == [outputSize],
            "linear: bias \(bias.shape) vs packed weight [\(outputSize), \(inputSize)]")
    }
    let recordsGradient =
        Tensor.needsGradient(input, packedWeight.weight)
        || bias.map { Tensor.needsGradient($0) } == true
    let rowCount = input.count / inputSize
    // The rows computed: the kept ones (the others are 0), or all.
    let kept = selection.flatMap { $0.rowCount == rowCount ? $0 : nil }
    let rows = kept?.keptCount ?? rowCount
    if recordsGradient || !packedWeight.runsKernel(rows: rows) {
        let product = linear(input, weight: packedWeight.weight, bias: bias, rows: selection)
        return activation.map { $0.apply(product, rows: selection) } ?? product
    }
    if let activation, packedWeight.precision == .float32 {
        // The float32 kernel applies no activation.
        return activation.apply(
            linear(input, packedWeight: packedWeight, bias: bias, rows: selection),
            rows: selection)
    }
    let kernelActivation = activation?.kernelCode ?? PROMPTVTG_ACTIVATION_NONE
    let result = Tensor.uninitialized(Array(input.shape.dropLast()) + [outputSize])
    if rowCount == 0 { return result }
    kept?.zeroingOthers(result.storage.pointer, width: outputSize)
    let panels = packedWeight.panelCount
    // Each thread takes at least float32's `BLAS.minimumParallelMultiplyAdds` (about a worker's
    // wake-up) times the kernel's speed-up (4 M multiply-adds at bf16, 8 M at int8) and, in row
    // blocks, at least two of the kernel's 10-row register blocks. With fewer rows, panels are
    // split only for 4 times that work: a one-query MiniLM pass at bf16 (its 15 × 384 × 1536
    // products split in two) took 2.3-2.5 ms, unsplit 2.2-2.3 ms (medians, quiet machine).
    let multiplyAdds = rows * inputSize * outputSize
    let perThread = BLAS.minimumParallelMultiplyAdds * packedWeight.precision.speedupOverFloat32
    let rowTasks = Swift.min(ComputeThreads.count, rows / 20, multiplyAdds / perThread)
    let splitsRows = rowTasks > 1
    let tasks =
        splitsRows
        ? rowTasks
        : Swift.max(
            1,
            Swift.min(
                ComputeThreads.count, panels,
                multiplyAdds / (packedWeight.panelSplitFactor * perThread)))
    let pointers = UncheckedSendable(
        (input.storage.pointer, bias?.storage.pointer, result.storage.pointer))
    let scratchBytes = packedWeight.scratchBytes
    let task: (Int) -> Void = { part in
        let (input, bias, output) = pointers.value
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: Swift.max(scratchBytes, 64), alignment: 64)
        defer { scratch.deallocate() }
        // Row blocks: this part's share of the computed rows, run by run; panels: every row.
        let share =
            splitsRows ? (rows * part / tasks)..<(rows * (part + 1) / tasks) : 0..<rows
        let panelRange =
            splitsRows ? 0..<panels : (panels * part / tasks)..<(panels * (part + 1) / tasks)
        let multiply = { (rows: Range<Int>) in
            packedWeight.affine(
                rows: rows.count, input: input + rows.lowerBound * inputSize,
                panelRange: panelRange, bias: bias, output: output + rows.lowerBound * outputSize,
                scratch: scratch, activation: kernelActivation)
        }
        if let kept {
            kept.forEachPiece(ofKept: share, width: 1, multiply)
        } else {
            multiply(share)
        }
    }
    if tasks > 1 {
        ComputeThreads.forEachTask(total: tasks, task)
    } else {
        task(0)
    }
    return result
}
