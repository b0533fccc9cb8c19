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
