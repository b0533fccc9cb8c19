import Tensors

/// The frozen encoder's output for one text: its token ids and the last layer's state of every
/// real token (`[CLS]` and `[SEP]` included, no padding), after the soft prompt's positions when
/// those were asked for.
///
/// Shapes: `states` is row-major `[promptLength + tokenCount, hiddenSize]`.
public struct TextTokenStates: Equatable, Sendable {
    /// The ids, `[CLS]` first and `[SEP]` last.
    public let tokenIDs: [Int]
    /// Whether the text was cut to the tokenizer's maximum sequence length.
    public let wasTruncated: Bool
    /// The width of each state (384 for all-MiniLM-L6-v2).
    public let hiddenSize: Int
    /// The number of soft-prompt rows in front of the tokens' rows (0 unless the prompt's
    /// positions were included).
    public let promptLength: Int
    /// `[promptLength + tokenCount, hiddenSize]`, row-major.
    public let states: [Float]

    /// Creates token states; `states` must hold `(promptLength + tokenIDs.count) × hiddenSize`
    /// values.
    public init(
        tokenIDs: [Int], wasTruncated: Bool, hiddenSize: Int, promptLength: Int = 0,
        states: [Float]
    ) {
        precondition(
            promptLength >= 0 && states.count == (promptLength + tokenIDs.count) * hiddenSize,
            "TextTokenStates: \(states.count) values for \(promptLength) prompt rows and"
                + " \(tokenIDs.count) tokens × \(hiddenSize)")
        self.tokenIDs = tokenIDs
        self.wasTruncated = wasTruncated
        self.hiddenSize = hiddenSize
        self.promptLength = promptLength
        self.states = states
    }

    /// The number of real tokens.
    public var tokenCount: Int { tokenIDs.count }

    /// The number of rows of `states`: prompt rows, then tokens.
    public var rowCount: Int { promptLength + tokenCount }

    /// The state of token `index` (0 is `[CLS]`): `hiddenSize` values.
    public func state(ofToken index: Int) -> ArraySlice<Float> {
        precondition(
            index >= 0 && index < tokenCount,
            "TextTokenStates.state(ofToken:): token \(index) of \(tokenCount)")
        let row = promptLength + index
        return states[row * hiddenSize..<(row + 1) * hiddenSize]
    }

    /// The states as a tensor `[rowCount, hiddenSize]` (a copy, not on any tape).
    public var tensor: Tensor { Tensor(shape: [rowCount, hiddenSize], scalars: states) }
}
