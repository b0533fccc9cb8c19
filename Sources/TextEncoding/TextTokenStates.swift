import Tensors

/// The frozen encoder's output for one text: its token ids and the last layer's state of every
/// real token (`[CLS]` and `[SEP]` included, no padding).
///
/// Shapes: `states` is row-major `[tokenCount, hiddenSize]`.
public struct TextTokenStates: Equatable, Sendable {
    /// The ids, `[CLS]` first and `[SEP]` last.
    public let tokenIDs: [Int]
    /// Whether the text was cut to the tokenizer's maximum sequence length.
    public let wasTruncated: Bool
    /// The width of each state (384 for all-MiniLM-L6-v2).
    public let hiddenSize: Int
    /// `[tokenCount, hiddenSize]`, row-major.
    public let states: [Float]

    /// Creates token states; `states` must hold `tokenIDs.count × hiddenSize` values.
    public init(tokenIDs: [Int], wasTruncated: Bool, hiddenSize: Int, states: [Float]) {
        precondition(
            states.count == tokenIDs.count * hiddenSize,
            "TextTokenStates: \(states.count) values for \(tokenIDs.count) tokens × \(hiddenSize)")
        self.tokenIDs = tokenIDs
        self.wasTruncated = wasTruncated
        self.hiddenSize = hiddenSize
        self.states = states
    }

    /// The number of real tokens.
    public var tokenCount: Int { tokenIDs.count }

    /// The state of token `index` (0 is `[CLS]`): `hiddenSize` values.
    public func state(ofToken index: Int) -> ArraySlice<Float> {
        precondition(
            index >= 0 && index < tokenCount,
            "TextTokenStates.state(ofToken:): token \(index) of \(tokenCount)")
        return states[index * hiddenSize..<(index + 1) * hiddenSize]
    }

    /// The states as a tensor `[tokenCount, hiddenSize]` (a copy, not on any tape).
    public var tensor: Tensor { Tensor(shape: [tokenCount, hiddenSize], scalars: states) }
}
