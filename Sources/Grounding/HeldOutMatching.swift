import Datasets
import NeuralNet
import Tensors
import VTGCore

/// The held-out checks of a pretraining epoch, on the evaluation split in evaluation mode.
struct HeldOutMatching {
    /// Mean matching loss per held-out pair.
    var loss: Double
    /// Held-out pairs classified right, in percent.
    var accuracy: Double
    /// Held-out sentences whose own moment scores highest in their batch, in percent.
    var retrieval: Double
}

extension VideoTextMatchingTrainer {
    /// The held-out pairs are drawn from a generator with this fixed seed, whatever the run's
    /// seed: the same pairs every epoch, so that epochs compare.
    static let heldOutPairSeed: UInt64 = 0xE7A1

    /// Pairs per forward pass of the retrieval check (every sentence against every moment of a
    /// batch: batch size² pairs).
    static let retrievalPairsPerPass = 64

    /// Held-out matching loss and accuracy (pairs drawn with a fixed seed, the same every
    /// epoch) and the in-batch retrieval check, in evaluation mode.
    func evaluateHeldOut(batchSize: Int) throws -> HeldOutMatching {
        var generator = SeededGenerator(seed: Self.heldOutPairSeed)
        var lossTotal = 0.0
        var correct = 0
        var pairCount = 0
        var retrieved = 0
        var ranked = 0
        let samples = heldOutSet.samples
        var start = 0
        while start < samples.count {
            let chunk = Array(samples[start..<min(start + batchSize, samples.count)])
            start += chunk.count
            let pairs = VideoTextMatching.pairs(for: chunk, style: style, using: &generator)
            var context = ForwardContext.evaluation
            try withGradientsDisabled {
                let logits = try logits(pairs, samples: chunk, context: &context)
                let labels = pairs.map(\.isMatch)
                lossTotal +=
                    Double(
                        VideoTextMatching.loss(logits: logits, isMatch: labels, style: style).item)
                    * Double(pairs.count)
                let probabilities = VideoTextMatching.matchProbabilities(
                    logits: logits, style: style)
                correct +=
                    zip(probabilities, labels).filter {
                        ($0 > VideoTextMatching.matchThreshold) == $1
                    }.count
                pairCount += pairs.count
                guard chunk.count > 1 else { return }
                // Every sentence against every moment of the chunk.
                let all = chunk.indices.flatMap { text in
                    chunk.indices.map {
                        MatchingPair(videoIndex: $0, textIndex: text, isMatch: $0 == text)
                    }
                }
                var scores: [Float] = []
                for offset in stride(from: 0, to: all.count, by: Self.retrievalPairsPerPass) {
                    let part = Array(
                        all[offset..<min(offset + Self.retrievalPairsPerPass, all.count)])
                    scores += VideoTextMatching.matchProbabilities(
                        logits: try self.logits(part, samples: chunk, context: &context),
                        style: style)
                }
                for text in chunk.indices {
                    let row = scores[(text * chunk.count)..<((text + 1) * chunk.count)]
                    let own = row[row.startIndex + text]
                    if !row.enumerated().contains(where: { $0.offset != text && $0.element >= own })
                    {
                        retrieved += 1
                    }
                    ranked += 1
                }
            }
        }
        return HeldOutMatching(
            loss: lossTotal / Double(max(pairCount, 1)),
            accuracy: 100 * Double(correct) / Double(max(pairCount, 1)),
            retrieval: 100 * Double(retrieved) / Double(max(ranked, 1)))
    }
}
