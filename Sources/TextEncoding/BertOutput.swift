import Tensors

/// The last layer of a `BertModel` pass, with the soft prompt's positions when there was one.
///
/// Shape legend: `batch` texts, `promptLength` virtual tokens (0 without a prompt), `tokens`
/// text positions (padding included), `hidden` the model width.
public struct BertOutput {
    /// `[batch, promptLength + tokens, hidden]`: the prompt's positions first.
    public let states: Tensor
    /// `[batch, promptLength + tokens]`: true for the prompt's positions and the real tokens
    /// (the mask the attention used).
    public let validMask: Mask
    /// The number of prompt positions in front of each text.
    public let promptLength: Int

    /// Creates an output; `validMask` must match the first two axes of `states`.
    public init(states: Tensor, validMask: Mask, promptLength: Int) {
        precondition(
            states.rank == 3 && validMask.shape == Array(states.shape.prefix(2))
                && promptLength >= 0 && promptLength <= states.shape[1],
            "BertOutput: states \(states.shape), validMask \(validMask.shape), prompt length"
                + " \(promptLength) disagree")
        self.states = states
        self.validMask = validMask
        self.promptLength = promptLength
    }

    /// The text positions (by default) or every position, with the matching mask: states
    /// `[batch, tokens, hidden]` or `[batch, promptLength + tokens, hidden]` (on the tape, so
    /// gradients flow back to the prompt). This choice is what pooling and token outputs use.
    public func tokenStates(includingPrompt: Bool = false) -> (states: Tensor, validMask: Mask) {
        if includingPrompt || promptLength == 0 { return (states, validMask) }
        let (batch, positions) = (validMask.shape[0], validMask.shape[1])
        let tokens = positions - promptLength
        var mask: [Bool] = []
        mask.reserveCapacity(batch * tokens)
        for row in 0..<batch {
            mask += validMask.values[(row * positions + promptLength)..<((row + 1) * positions)]
        }
        return (
            states.slice(axis: 1, range: promptLength..<positions),
            Mask(shape: [batch, tokens], values: mask)
        )
    }
}
