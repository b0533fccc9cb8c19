import NeuralNet
import Tensors

extension GroundingNetwork {
    /// The prompts of `rowMembers` (one member index per batch row) laid out for the batch.
    public func promptInputs(
        for batch: GroundingBatch, rowMembers: [Int], context: inout ForwardContext
    ) -> PromptInputs {
        guard !members.isEmpty else { return PromptInputs() }
        precondition(
            rowMembers.count == batch.size,
            "GroundingNetwork: \(rowMembers.count) member indices for a batch of \(batch.size)")
        var inputs = PromptInputs()
        let training = context.isTraining
        if let first = members[0].fusionVectors(isTraining: training) {
            let stacked =
                members.count == 1
                ? first.reshaped(to: [1] + first.shape)
                : Tensor.stack(members.compactMap { $0.fusionVectors(isTraining: training) })
            // [K, n, hidden]
            inputs.fusion = stacked.indexSelect(rowMembers)  // [batch, n, hidden]
        }
        if let first = members[0].deepVectors(isTraining: training) {
            let (layers, length, hidden) = (first.shape[0], first.shape[1], first.shape[2])
            let stacked =
                members.count == 1
                ? first.reshaped(to: [1] + first.shape)
                : Tensor.stack(members.compactMap { $0.deepVectors(isTraining: training) })
            // [K, layers, m, hidden]
            let rows = stacked.indexSelect(rowMembers)  // [batch, layers, m, hidden]
            inputs.deep = (0..<layers).map { layer in
                rows.slice(axis: 1, range: layer..<(layer + 1))
                    .reshaped(to: [batch.size, length, hidden])
            }
        }
        if let textEncoder {
            let (states, tokenLimits) = promptedTextStates(
                batch, rowMembers: rowMembers, encoder: textEncoder, context: &context)
            inputs.textStates = states
            inputs.textMask = Self.textMask(batch.textMask, limitedTo: tokenLimits)
        }
        return inputs
    }

    /// The queries' text-encoder states with each row's text prompt in front (prompt positions
    /// left out), on the tape: `[batch, words, stateSize]`, aligned with `batch.textMask`; and
    /// the prompted pass's token count of each row's group (a query truncated further under its
    /// prompt has no states past it).
    private func promptedTextStates(
        _ batch: GroundingBatch, rowMembers: [Int], encoder: any QueryEncoder,
        context: inout ForwardContext
    ) -> (states: Tensor, tokenLimits: [Int]) {
        let words = batch.textMask.shape[1]
        var groups: [Tensor] = []
        var order: [Int] = []
        var tokenLimits = [Int](repeating: words, count: batch.size)
        for member in Set(rowMembers).sorted() {
            let rows = rowMembers.indices.filter { rowMembers[$0] == member }
            guard let prompt = members[member].textPrompt else {
                preconditionFailure("GroundingNetwork: member \(member) has no text prompt")
            }
            var states = encoder.promptedTokenStates(
                of: rows.map { batch.samples[$0].query }, prompt: prompt, context: &context)
            let (count, groupWords, width) = (states.shape[0], states.shape[1], states.shape[2])
            precondition(
                groupWords <= words,
                "GroundingNetwork: prompted text has \(groupWords) tokens, the batch \(words)")
            for row in rows { tokenLimits[row] = groupWords }
            if groupWords < words {
                states = Tensor.concatenate(
                    [states, Tensor.zeros([count, words - groupWords, width])], axis: 1)
            }
            groups.append(states)
            order += rows
        }
        let joined = groups.count == 1 ? groups[0] : Tensor.concatenate(groups, axis: 0)
        guard order != Array(0..<batch.size) else { return (joined, tokenLimits) }
        // Back to batch order: row `order[i]` of the batch is row i of `joined`.
        var position = [Int](repeating: 0, count: batch.size)
        for (index, row) in order.enumerated() { position[row] = index }
        let width = joined.shape[2]
        let states = joined.reshaped(to: [batch.size, words * width]).indexSelect(position)
            .reshaped(to: [batch.size, words, width])
        return (states, tokenLimits)
    }

    /// `mask` `[batch, words]` with row b's positions from `tokenLimits[b]` on marked invalid,
    /// or nil when that changes nothing.
    ///
    /// Why: a text prompt of N vectors leaves a query 77 − N of CLIP's positions, so a query
    /// longer than that has fewer prompted states than its cached (77-token) states have
    /// valid positions; the rows past them are zeros and must not count as tokens.
    static func textMask(_ mask: Mask, limitedTo tokenLimits: [Int]) -> Mask? {
        let words = mask.shape[1]
        var values = mask.values
        for (row, limit) in tokenLimits.enumerated() where limit < words {
            for word in limit..<words { values[row * words + word] = false }
        }
        return values == mask.values ? nil : Mask(shape: mask.shape, values: values)
    }

    /// The logits of every batch row through its member's prompts and head (rows of one call
    /// share a head: `rowMembers` must name one member unless heads are shared).
    public func logits(
        _ batch: GroundingBatch, rowMembers: [Int], context: inout ForwardContext
    ) -> GroundingLogits {
        let head = members.isEmpty ? model.head : members[rowMembers[0]].head
        let prompts = promptInputs(for: batch, rowMembers: rowMembers, context: &context)
        var batch = batch
        if let textMask = prompts.textMask { batch.textMask = textMask }
        return model(batch, prompts: prompts, head: head, side: side, context: &context)
    }
}
