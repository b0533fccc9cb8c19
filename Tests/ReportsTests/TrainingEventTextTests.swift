import Datasets
import Metrics
import Testing

@testable import Grounding
@testable import Reports
import VTGCore

/// The trainers' events in words: the lines the trainers printed before they reported events.
@Suite struct TrainingEventTextTests {
    /// Two queries, one found exactly and one missed: R1@0.5 = 50.
    static let report = MetricsReport.evaluate(
        samples: [0, 1].map {
            GroundingSample(
                queryID: $0, videoID: "v\($0)", durationSeconds: 30, query: "q\($0)",
                targets: [TimeSpan(startSeconds: 0, endSeconds: 10)])
        },
        windows: [
            [ScoredSpan(startSeconds: 0, endSeconds: 10, score: 1)],
            [ScoredSpan(startSeconds: 20, endSeconds: 30, score: 1)],
        ],
        evaluationProtocol: .vslnet)

    @Test func eventsPrintAsTheTrainersLinesDid() {
        let line = RunEventText.text(of:)
        #expect(line(.note("demo: step 1")) == "demo: step 1")
        #expect(
            line(.parameters(trainable: 10, frozen: 90, textEncoder: 900))
                == "parameters: 10 trainable (10.00% of the grounding model's 100, 1.00% with "
                + "the frozen text encoder's 900), 90 frozen")
        #expect(
            line(.pretrainingParameters(trainable: 7, frozen: 3))
                == "parameters: 7 trainable (backbone and matching head), 3 frozen (span heads)")
        let data = TrainingDataSummary(
            trainingCount: 120, trainSplit: "train", evaluationCount: 40, evaluationSplit: "test")
        #expect(
            line(.data(data))
                == "data: 120 training queries (train), 40 evaluation queries (test)")
        var moments = data
        moments.momentContextFraction = 0.1
        #expect(
            line(.data(moments))
                == "data: 120 training moments (train), 40 held-out moments (test), context 0.1 of "
                + "each moment's length")
        #expect(line(.resumed(afterEpoch: 3, totalEpochs: 20)) == "resuming after epoch 3 of 20")
        var anomalous = data
        anomalous.trainingAnomalies.record(
            Anomaly(kind: .endPastDuration, location: SourceLocation(file: "a.txt"), detail: ""))
        anomalous.trainingAnomalies.record(
            Anomaly(kind: .malformedRecord, location: SourceLocation(file: "a.txt"), detail: ""))
        anomalous.trainingAnomalies.record(
            Anomaly(kind: .malformedRecord, location: SourceLocation(file: "a.txt"), detail: ""))
        #expect(
            line(.data(anomalous))
                == "data: 120 training queries (train), 40 evaluation queries (test)\n"
                + "annotation anomalies in train: 1 end-past-duration (repaired), "
                + "2 malformed-record (dropped) (`vtg stats` shows where)")
    }

    @Test func epochLinesCarryTheRecordsFigures() {
        let record = EpochRecord(
            epoch: 2, trainingLoss: 1.23456, startLoss: 0.5, endLoss: 0.5, insideLoss: 0.23456,
            trainingSeconds: 12.34, evaluationSeconds: 1.5, samplesPerSecond: 81.04,
            learningRate: 1e-3, metrics: Self.report, bestMetric: 62.5, isBest: false)
        #expect(
            RunEventText.text(
                of: .epochFinished(record, totalEpochs: 20, bestMetric: .recall(rank: 1, iouThreshold: 0.5)))
                == "epoch 3/20: loss 1.2346, R1@0.5 50.00 (best 62.50), train 12.3 s "
                + "(81 samples/s), eval 1.5 s")
        let pretraining = PretrainingEpochRecord(
            epoch: 0, trainingLoss: 0.5, clipMatchingLoss: 0.25, trainingAccuracy: 75,
            heldOutLoss: 0.6, heldOutAccuracy: 70, retrievalAccuracy: 40, retrievalCandidates: 16,
            trainingSeconds: 3.2, evaluationSeconds: 0.4, pairsPerSecond: 100, learningRate: 1e-3)
        #expect(
            RunEventText.text(of: .pretrainingEpochFinished(pretraining, totalEpochs: 5))
                == "VTM epoch 1/5: loss 0.5000 (clip matching 0.2500), accuracy 75.0%; held-out "
                + "loss 0.6000, accuracy 70.0%, retrieval R@1 among 16 40.0%; train 3.2 s "
                + "(100 pairs/s), eval 0.4 s")
    }
}
