import Tensors

/// An element-wise non-linearity, chosen by configuration (Hugging Face's `hidden_act`).
public enum Activation: String, Sendable, Codable, Equatable, CaseIterable {
    /// max(x, 0).
    case relu
    /// Exact GELU x·Φ(x), as BERT (`"gelu"`) and PyTorch's default.
    case gelu
    /// The tanh approximation of GELU (`"gelu_new"`, `approximate="tanh"`).
    case geluTanh = "gelu_new"

    /// Applies the function element by element; shapes are unchanged.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        switch self {
        case .relu: return input.relu()
        case .gelu: return input.gelu()
        case .geluTanh: return input.geluTanh()
        }
    }

    /// The same on a row-selected product's output (`rows` kept, the others 0; see
    /// `RowSelection`): the exact GELU skips the other rows (they stay 0, as GELU(0) is 0), the
    /// others compute every row.
    public func callAsFunction(_ input: Tensor, rows: RowSelection?) -> Tensor {
        self == .gelu ? input.gelu(rows: rows) : self(input)
    }
}
