import Foundation
import Metrics
import Tensors
import TestSupport
import Testing
import VTGCore

@testable import Grounding

/// The frozen MiniLM at reduced precision under a trained grounding model: issue 16's second
/// accuracy bound, also with the grounding model's own products at the same precision.
@Suite struct MiniLMQueryEncoderTests {
    /// The bound: R@1 at IoU 0.5 and 0.7 and mIoU (in points, 0-100) of a model trained
    /// on float32 text states and evaluated on bf16 or int8 states, against float32 states.
    static let maximumPointDifference = 0.5

    /// The metrics the bound covers.
    static let boundedMetrics: [MetricKey] = [
        .recall(rank: 1, iouThreshold: 0.5), .recall(rank: 1, iouThreshold: 0.7), .meanIoU,
    ]

    @Test func statesFollowTheRequestedPrecision() throws {
        let precision = CPUFeatures.current.supportedPrecision(.int8)
        let encoder = try MiniLMQueryEncoder(precision: precision)
        #expect(encoder.precision == precision)
        #expect(try MiniLMQueryEncoder().precision == .float32)
        #expect(
            try MiniLMQueryEncoder(precision: .bf16).encoder.converted(to: .float32).precision
                == .float32)
    }

    @Test(.enabled(if: CPUFeatures.current.isSuperset(of: [.avx512BF16, .avx512VNNI])))
    func groundingMetricsAtReducedPrecisionStayWithinTheBound() throws {
        let directory = try TemporaryDirectory(label: "text-precision")
        // 20 epochs: after 6, the best spans' scores (about 0.0013, near uniform) tied within
        // 1.5e-4 relative, below the bf16 products' own 3e-4, so the top span of one query
        // flipped with any change of rounding (issue 16's fused exact GELU: mIoU 0.61 points).
        var run = try tinyRun(in: directory.url, epochs: 20)
        let float32 = try MiniLMQueryEncoder()
        run.model.textStateSize = float32.stateSize
        let url = directory.url.appendingPathComponent("run")
        _ = try GroundingTrainer(
            run: run, directory: url, encoder: float32, reporter: RecordingReporter()
        ).train(resume: false)
        func metrics(_ precision: Precision, model: Precision = .float32) throws
            -> MetricsReport
        {
            let encoder = try MiniLMQueryEncoder(precision: precision)
            #expect(encoder.precision == precision)
            let grounder = try Grounder(runDirectory: url, encoder: encoder, modelPrecision: model)
            #expect(grounder.network.modelPrecision == model)
            return try grounder.evaluate().report
        }
        let reference = try metrics(.float32)
        // The text states alone at reduced precision, then the grounding model's products too.
        for (text, model) in [
            (Precision.bf16, Precision.float32), (.int8, .float32), (.bf16, .bf16), (.int8, .int8),
        ] {
            let report = try metrics(text, model: model)
            for key in Self.boundedMetrics {
                let expected = try #require(reference.value(key))
                let value = try #require(report.value(key))
                print(
                    "grounding with \(text) text states, \(model) model: \(key) \(value)"
                        + " (float32 \(expected))")
                #expect(
                    abs(value - expected) <= Self.maximumPointDifference,
                    "\(text) text, \(model) model, \(key): \(value) vs float32 \(expected)")
            }
        }
    }
}
