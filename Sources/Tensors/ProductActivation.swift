import CKernels

/// An activation a packed product applies to its outputs as it stores them
/// (`linear(_:packedWeight:bias:activation:)`), so that a separate pass does not read and write
/// the whole output again: CLIP's MLP computes quick GELU of a `[rows, 4 · hidden]` product.
public enum ProductActivation: Sendable {
    /// Quick GELU, x·σ(1.702·x) (`Tensor.quickGELU()`).
    case quickGELU

    /// The kernels' code for it.
    var kernelCode: promptvtg_activation {
        switch self {
        case .quickGELU: PROMPTVTG_ACTIVATION_QUICK_GELU
        }
    }

    /// Applies it as a separate pass (where no kernel fuses it).
    func apply(_ tensor: Tensor) -> Tensor {
        switch self {
        case .quickGELU: tensor.quickGELU()
        }
    }
}
