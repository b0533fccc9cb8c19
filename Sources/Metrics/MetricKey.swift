/// One figure of a `MetricsReport`, by the short name the field's tables use: `R1@0.5`, `R5@0.7`,
/// `mIoU`, `mAP`, `mAP@0.75`, `HIT@1`. It picks the best checkpoint of a training run, names the
/// columns of the study, and is stored in `run.json` as that short name.
public enum MetricKey: Hashable, Sendable, Codable, LosslessStringConvertible {
    /// R@`rank` at temporal IoU `iouThreshold`, in percent (`R1@0.5`). On QVHighlights, where
    /// only R@1 is computed, R@1 of the full moment-length range.
    case recall(rank: Int, iouThreshold: Double)
    /// Mean IoU of the top-1 predictions, in percent (`mIoU`; protocols `vslnet` and `2d-tan`).
    case meanIoU
    /// QVHighlights mean average precision averaged over IoU 0.5:0.05:0.95 (`mAP`).
    case meanAveragePrecision
    /// QVHighlights mean average precision at one IoU threshold (`mAP@0.5`).
    case meanAveragePrecisionAt(iouThreshold: Double)
    /// QVHighlights HIT@1 of the "very good" saliency level (`HIT@1`).
    case hitAtOne

    /// R@1 at IoU `iouThreshold`, the field's headline figure.
    public static func recallAtOne(iouThreshold: Double) -> MetricKey {
        .recall(rank: 1, iouThreshold: iouThreshold)
    }

    /// Parses the short name: `R<rank>@<IoU>` (rank ≥ 1, IoU in (0, 1]), `mIoU`, `mAP`,
    /// `mAP@<IoU>` or `HIT@1`; nil for anything else.
    public init?(_ description: String) {
        switch description {
        case "mIoU": self = .meanIoU
        case "mAP": self = .meanAveragePrecision
        case "HIT@1": self = .hitAtOne
        default:
            if description.hasPrefix("mAP@") {
                guard let threshold = Self.threshold(description.dropFirst(4)) else { return nil }
                self = .meanAveragePrecisionAt(iouThreshold: threshold)
                return
            }
            guard description.hasPrefix("R"), let at = description.firstIndex(of: "@"),
                let rank = Int(description[description.index(after: description.startIndex)..<at]),
                rank >= 1,
                let threshold = Self.threshold(description[description.index(after: at)...])
            else { return nil }
            self = .recall(rank: rank, iouThreshold: threshold)
        }
    }

    /// An IoU threshold in (0, 1], or nil.
    private static func threshold(_ text: Substring) -> Double? {
        guard let value = Double(text), value > 0, value <= 1 else { return nil }
        return value
    }

    /// The short name (`R1@0.5`), as stored in `run.json` and printed in reports.
    public var description: String {
        switch self {
        case .recall(let rank, let threshold): return "R\(rank)@\(threshold)"
        case .meanIoU: return "mIoU"
        case .meanAveragePrecision: return "mAP"
        case .meanAveragePrecisionAt(let threshold): return "mAP@\(threshold)"
        case .hitAtOne: return "HIT@1"
        }
    }

    /// Decodes the short name; anything else is a data-corruption error naming the text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let key = MetricKey(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a metric (R1@0.5, mIoU, mAP, mAP@0.5, HIT@1)")
        }
        self = key
    }

    /// Encodes the short name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension MetricsReport {
    /// The figure `key` names, or nil when this report's protocol does not compute it.
    public func value(_ key: MetricKey) -> Double? {
        let full = qvHighlights?.momentRetrieval(.full)
        switch key {
        case .meanIoU:
            return recall?.meanIoUPercent
        case .recall(let rank, let threshold):
            if let recall { return recall.percent(rank: rank, iouThreshold: threshold) }
            return rank == 1 ? full?.recallAtOne(iouThreshold: threshold) : nil
        case .meanAveragePrecision:
            return full?.averageMeanAveragePrecisionPercent
        case .meanAveragePrecisionAt(let threshold):
            return full?.meanAveragePrecision(iouThreshold: threshold)
        case .hitAtOne:
            return qvHighlights?.highlight(.veryGood)?.hitAtOnePercent
        }
    }
}
