import CKernels

/// An activation a packed product applies to its outputs as it stores them
/// (`linear(_:packedWeight:bias:activation:)`), so that a separate pass does not read and write
/// the whole output again: CLIP's MLP computes quick GELU of a `[rows, 4 · hidden]` product,
/// BERT's and MiniLM's feed-forward the exact GELU of one.
public enum ProductActivation: Sendable {
    /// Quick GELU, x·σ(1.702·x) (`Tensor.quickGELU()`).
    case quickGELU
    /// The exact GELU, x·Φ(x) (`Tensor.gelu()`); the kernels' erf is a minimax polynomial of
    /// relative error about 9e-8, closer to libm's than `gelu()`'s own (Abramowitz-Stegun).
    case gelu

    /// The kernels' code for it.
    var kernelCode: promptvtg_activation {
        switch self {
        case .quickGELU: PROMPTVTG_ACTIVATION_QUICK_GELU
        case .gelu: PROMPTVTG_ACTIVATION_GELU
        }
    }

    /// Applies it as a separate pass (where no kernel fuses it) to a product computed on the
    /// rows `selection` keeps (the exact GELU skips the others, which are 0).
    func apply(_ tensor: Tensor, rows selection: RowSelection?) -> Tensor {
        switch self {
        case .quickGELU: tensor.quickGELU()
        case .gelu: tensor.gelu(rows: selection)
        }
    }
}
