import NeuralNet
import Tensors
import VTGCore

/// Test support (not a test file): a toy sequence task, sorting a sequence of tokens (which needs
/// content-based attention: each output position must count the smaller tokens), and a small
/// transformer that learns it. Used by the training and resume tests.
struct SortingTask {
    static let vocabularySize = 8
    static let length = 8

    /// A batch of random sequences (row-major `[batch, length]`) and their sorted versions.
    static func batch(size: Int, using generator: inout SeededGenerator) -> (
        inputs: [Int], targets: [Int]
    ) {
        var inputs: [Int] = []
        var targets: [Int] = []
        for _ in 0..<size {
            let sequence = (0..<length).map { _ in Int(generator.next() % UInt64(vocabularySize)) }
            inputs += sequence
            targets += sequence.sorted()
        }
        return (inputs, targets)
    }
}

/// Token and position embeddings, a transformer encoder and a per-token classifier.
struct SortingModel {
    let store: ParameterStore
    let tokens: Embedding
    let positions: LearnedPositionEmbedding
    let encoder: TransformerEncoder
    let classifier: Linear

    init(
        seed: UInt64, layerCount: Int = 2, hiddenSize: Int = 32, hiddenDropout: Float = 0,
        attentionDropout: AttentionDropoutSchedule = .constant(.none)
    ) {
        store = ParameterStore(seed: seed)
        let initialization = WeightInitialization.normal(standardDeviation: 0.1)
        tokens = Embedding(
            .init(
                count: SortingTask.vocabularySize, size: hiddenSize, initialization: initialization),
            parameters: store.scope("embeddings.word_embeddings"))
        positions = LearnedPositionEmbedding(
            .init(count: SortingTask.length, size: hiddenSize, initialization: initialization),
            parameters: store.scope("embeddings.position_embeddings"))
        encoder = TransformerEncoder(
            .init(
                layerCount: layerCount,
                layer: .init(
                    hiddenSize: hiddenSize, headCount: 4, intermediateSize: 2 * hiddenSize,
                    layerNormEpsilon: 1e-5, normalization: .preLayerNorm,
                    hiddenDropout: hiddenDropout, initialization: initialization),
                attentionDropout: attentionDropout, finalLayerNorm: true),
            parameters: store.scope("encoder"))
        classifier = Linear(
            .init(inputSize: hiddenSize, outputSize: SortingTask.vocabularySize),
            parameters: store.scope("classifier"))
    }

    /// Logits `[batch, length, vocabulary]` for row-major token ids `[batch, length]`.
    func logits(_ inputs: [Int], context: inout ForwardContext) -> Tensor {
        let batch = inputs.count / SortingTask.length
        let embedded =
            tokens(inputs, shape: [batch, SortingTask.length])
            + positions(length: SortingTask.length)
        return classifier(encoder(embedded, context: &context))
    }

    /// The fraction of tokens predicted right.
    func accuracy(_ inputs: [Int], targets: [Int]) -> Double {
        var context = ForwardContext.evaluation
        let scores = withGradientsDisabled { logits(inputs, context: &context) }.scalars
        let classes = SortingTask.vocabularySize
        var correct = 0
        for (position, target) in targets.enumerated() {
            let row = scores[(position * classes)..<((position + 1) * classes)]
            if row.indices.max(by: { row[$0] < row[$1] }).map({ $0 - position * classes }) == target
            {
                correct += 1
            }
        }
        return Double(correct) / Double(targets.count)
    }
}

/// One training step on a fresh batch drawn from `context.generator`; returns the loss.
func sortingTrainingStep(
    model: SortingModel, optimizer: any Optimizer, batchSize: Int,
    context: inout ForwardContext
) -> Float {
    let (inputs, targets) = SortingTask.batch(size: batchSize, using: &context.generator)
    let loss = model.logits(inputs, context: &context).crossEntropy(targets: targets)
    loss.backward()
    optimizer.step()
    optimizer.zeroGradients()
    return loss.item
}
