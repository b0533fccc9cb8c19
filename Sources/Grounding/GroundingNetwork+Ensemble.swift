import NeuralNet
import Tensors

extension GroundingNetwork {
    /// The losses of one training batch, one per trained member: all K members of an
    /// `average` ensemble, else one (an `augment` ensemble draws each row's prompt from
    /// `context.generator`).
    public func trainingLosses(
        _ batch: GroundingBatch, training: GroundingTrainingConfiguration,
        context: inout ForwardContext
    ) -> [GroundingLoss] {
        func loss(_ rowMembers: [Int]) -> GroundingLoss {
            GroundingLoss(
                logits: logits(batch, rowMembers: rowMembers, context: &context), batch: batch,
                boundaryWeight: training.boundaryLossWeight,
                insideWeight: training.insideLossWeight)
        }
        let same = { (member: Int) in [Int](repeating: member, count: batch.size) }
        guard let prompts = run.prompts, members.count > 1 else { return [loss(same(0))] }
        switch prompts.ensemble {
        case .average:
            return members.indices.map { loss(same($0)) }
        case .augment:
            let draws = (0..<batch.size).map { _ in
                Int.random(in: 0..<members.count, using: &context.generator)
            }
            return [loss(draws)]
        }
    }

    /// The members whose probabilities are averaged at test time.
    public var evaluationMembers: [Int] {
        guard !members.isEmpty else { return [] }
        if let prompts = run.prompts, prompts.ensemble == .augment, let test = prompts.testPrompt {
            return [test]
        }
        return Array(members.indices)
    }

    /// The per-clip probabilities of every row of `batch` in evaluation mode, off the tape:
    /// the model's, one prompt's, or the mean of the members' (`members`, default
    /// `evaluationMembers`).
    public func spanProbabilities(_ batch: GroundingBatch, members used: [Int]? = nil)
        -> [SpanProbabilities]
    {
        let used = used ?? evaluationMembers
        return withGradientsDisabled {
            var context = ForwardContext.evaluation
            guard !used.isEmpty else {
                return SpanDecoder.probabilities(
                    from: model(batch, context: &context), batch: batch)
            }
            let perMember = used.map { member in
                SpanDecoder.probabilities(
                    from: logits(
                        batch, rowMembers: .init(repeating: member, count: batch.size),
                        context: &context),
                    batch: batch)
            }
            guard perMember.count > 1 else { return perMember[0] }
            return batch.samples.indices.map { row in
                SpanProbabilities.averaged(perMember.map { $0[row] })
            }
        }
    }
}
