import NeuralNet
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import TextEncoding

/// A small BERT for fast tests: vocabulary 16, hidden 8, 2 layers of 2 heads, feed-forward 16,
/// 32 positions.
func tinyBertConfiguration() -> BertConfiguration {
    BertConfiguration(
        vocabularySize: 16, hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 16,
        maximumPositionEmbeddings: 32, typeVocabularySize: 2, layerNormEpsilon: 1e-12)
}

/// A batch of token-id rows (each already with its special tokens) padded with id 0.
func tinyBatch(_ rows: [[Int]]) -> EncodedBatch {
    EncodedBatch(rows.map { EncodedText(tokenIDs: $0, wasTruncated: false) }, paddingID: 0)
}

@Suite struct BertModelTests {
    @Test func takesHuggingFacePaths() {
        let store = ParameterStore(seed: 1)
        _ = BertModel(tinyBertConfiguration(), parameters: store.root)
        let paths = Set(store.entries.map(\.path))
        #expect(paths.count == 5 + 2 * 16)
        for path in [
            "embeddings.word_embeddings.weight", "embeddings.LayerNorm.bias",
            "encoder.layer.0.attention.self.query.weight",
            "encoder.layer.1.attention.self.key.bias",
            "encoder.layer.1.attention.output.dense.weight",
            "encoder.layer.0.attention.output.LayerNorm.weight",
            "encoder.layer.1.intermediate.dense.weight", "encoder.layer.1.output.dense.bias",
            "encoder.layer.0.output.LayerNorm.bias",
        ] {
            #expect(paths.contains(path), "\(path)")
        }
    }

    /// Padding never changes a sequence's states: keys at padded positions get zero weight.
    @Test func paddedPositionsAreNotAttendedTo() {
        let model = BertModel(tinyBertConfiguration(), parameters: ParameterStore(seed: 2).root)
        var context = ForwardContext.evaluation
        let alone = model(tinyBatch([[1, 5, 6, 2]]), context: &context).states
        let padded = model(tinyBatch([[1, 9, 9, 9, 9, 9, 2], [1, 5, 6, 2]]), context: &context)
            .states
        #expect(padded.shape == [2, 7, 8])
        let row = padded.slice(axis: 0, range: 1..<2).slice(axis: 1, range: 0..<4)
        // The same sums; masked keys add exact zeros, BLAS may block the products differently.
        let tolerance: Float = 1e-6
        #expect(maximumDifference(row.scalars, alone.scalars) <= tolerance)
    }

    @Test func dropoutOnlyWhenAskedFor() {
        let configuration = tinyBertConfiguration()
        let batch = tinyBatch([[1, 5, 6, 7, 8, 2]])
        let frozen = BertModel(configuration, parameters: ParameterStore(seed: 3).root)
        let dropping = BertModel(
            configuration, parameters: ParameterStore(seed: 3).root, usesDropout: true)
        var evaluation = ForwardContext.evaluation
        var training = ForwardContext.training(generator: SeededGenerator(seed: 4))
        let reference = frozen(batch, context: &evaluation).states.scalars
        #expect(frozen(batch, context: &training).states.scalars == reference)
        #expect(dropping(batch, context: &evaluation).states.scalars == reference)
        #expect(dropping(batch, context: &training).states.scalars != reference)
    }

    @Test func convertsTheEncoderLayersOnly() {
        let store = ParameterStore(seed: 1)
        let model = BertModel(tinyBertConfiguration(), parameters: store.root)
        let expected = CPUFeatures.current.supportedPrecision(.bf16)
        let converted = model.converted(to: .bf16)
        #expect(converted.encoder.layers.allSatisfy { $0.output.precision == expected })
        let wordVectors = model.embeddings.wordEmbeddings.weight
        #expect(converted.embeddings.wordEmbeddings.weight === wordVectors)
        let batch = tinyBatch([[1, 5, 7, 2], [1, 9, 2]])
        var context = ForwardContext.evaluation
        let float32 = withGradientsDisabled { model(batch, context: &context).states }
        let reduced = withGradientsDisabled { converted(batch, context: &context).states }
        // Layer-normed states (unit scale) after two layers of bf16 products of width 8 to 16.
        #expect(maximumDifference(reduced.scalars, float32.scalars) <= 0.05)
    }
}
