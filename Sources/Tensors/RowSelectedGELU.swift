extension Tensor {
    /// The exact GELU computed on the rows `selection` keeps (the real tokens of a padded batch,
    /// see `RowSelection`), every other row 0, forward and backward. Where the rows left out
    /// are 0 (as a row-selected `linear` leaves them), this is `gelu()` bit for bit: GELU(0) is
    /// 0, and the gradient reaching such a row is 0, so GELU' there adds 0. Without a
    /// selection, or one whose row count does not divide the tensor into rows, this is `gelu()`.
    ///
    /// Why: in a transformer's feed-forward block the GELU over the padded rows of the
    /// intermediate activations (a quarter to half of a batch's rows) was a tenth of a
    /// reduced-precision grounding or MiniLM pass.
    public func gelu(rows selection: RowSelection?) -> Tensor {
        guard let selection, selection.rowCount > 0, rank >= 1,
            count == selection.rowCount * shape[rank - 1]
        else { return gelu() }
        let width = shape[rank - 1]
        let result = Tensor.uninitialized(shape)
        selection.zeroingOthers(result.storage.pointer, width: width)
        let pointers = UncheckedSendable((storage.pointer, result.storage.pointer))
        ComputeThreads.forEachChunk(
            total: selection.keptCount * width, unitsPerElement: GELUKernels.forwardUnits
        ) { range in
            selection.forEachPiece(ofKept: range, width: width) { piece in
                GELUKernels.forward(pointers.value.0, pointers.value.1, range: piece)
            }
        }
        return result.recorded("gelu (kept rows)", [self]) { gradient in
            let inputGradient = Tensor.uninitialized(self.shape)
            selection.zeroingOthers(inputGradient.storage.pointer, width: width)
            let pointers = UncheckedSendable(
                (gradient.storage.pointer, self.storage.pointer, inputGradient.storage.pointer))
            ComputeThreads.forEachChunk(
                total: selection.keptCount * width, unitsPerElement: GELUKernels.backwardUnits
            ) { range in
                let (gradient, input, destination) = pointers.value
                selection.forEachPiece(ofKept: range, width: width) { piece in
                    GELUKernels.backward(
                        gradient: gradient, input: input, destination, range: piece)
                }
            }
            return [inputGradient]
        }
    }
}

extension RowSelection {
    /// Writes 0 to every row of `matrix` (`rowCount` rows of `width`) that is not kept.
    func zeroingOthers(_ matrix: UnsafeMutablePointer<Float>, width: Int) {
        var row = 0
        for run in runs + [rowCount..<rowCount] {
            (matrix + row * width).update(repeating: 0, count: (run.lowerBound - row) * width)
            row = run.upperBound
        }
    }

    /// Calls `body` with the element ranges of the whole matrix (rows of `width`) that hold
    /// the elements `kept` of the kept rows laid end to end, in order.
    func forEachPiece(ofKept kept: Range<Int>, width: Int, _ body: (Range<Int>) -> Void) {
        var before = 0  // kept elements in the runs before `run`
        for run in runs {
            let length = run.count * width
            defer { before += length }
            let first = Swift.max(kept.lowerBound - before, 0)
            let end = Swift.min(kept.upperBound - before, length)
            guard first < end else { continue }
            let start = run.lowerBound * width
            body((start + first)..<(start + end))
        }
    }
}
