/// How a batch of sequences of different lengths is padded to one length, and which positions
/// are real: `validMask[b · paddedLength + t]` is `true` for a real element (the convention
/// everywhere in PromptVTG; it turns into an additive attention bias in one place).
public struct PaddingPlan: Hashable, Sendable {
    /// The real length of each sequence in the batch.
    public let lengths: [Int]
    /// The common length after padding (at least the longest sequence).
    public let paddedLength: Int
    /// `[batch, paddedLength]` row-major; `true` = real element, `false` = padding.
    public let validMask: [Bool]

    /// Plans padding to `paddedLength`, or to the longest sequence when `nil`.
    public init(lengths: [Int], paddedLength: Int? = nil) {
        let longest = lengths.max() ?? 0
        let length = paddedLength ?? longest
        precondition(
            length >= longest, "PaddingPlan: paddedLength \(length) < longest sequence \(longest)")
        precondition(lengths.allSatisfy { $0 >= 0 }, "PaddingPlan: negative length in \(lengths)")
        self.lengths = lengths
        self.paddedLength = length
        var mask = [Bool](repeating: false, count: lengths.count * length)
        for (row, count) in lengths.enumerated() {
            for position in 0..<count { mask[row * length + position] = true }
        }
        self.validMask = mask
    }

    /// Number of sequences.
    public var batchSize: Int { lengths.count }

    /// The rows laid out as `[batch, paddedLength, width]`, padded with `padding`. Row `b` must
    /// hold `lengths[b] × width` elements (for example a token-id list with `width` 1, or a
    /// video's `[clips, featureDimension]` values with `width` = featureDimension).
    public func padded<Element>(_ rows: [[Element]], width: Int = 1, padding: Element) -> [Element]
    {
        precondition(
            rows.count == lengths.count,
            "PaddingPlan.padded: \(rows.count) rows for \(lengths.count) lengths")
        var result = [Element](repeating: padding, count: lengths.count * paddedLength * width)
        for (row, elements) in rows.enumerated() {
            precondition(
                elements.count == lengths[row] * width,
                "PaddingPlan.padded: row \(row) has \(elements.count) elements, expected "
                    + "\(lengths[row]) × \(width)")
            let offset = row * paddedLength * width
            for (position, element) in elements.enumerated() { result[offset + position] = element }
        }
        return result
    }

    /// Plans padding for the clip sequences of `features`.
    public init(features: [ClipFeatures], paddedLength: Int? = nil) {
        self.init(lengths: features.map(\.clipCount), paddedLength: paddedLength)
    }

    /// The features laid out as `[batch, paddedLength, featureDimension]`, padded with zeros.
    /// All videos must share one feature dimension.
    public func paddedFeatures(_ features: [ClipFeatures]) -> [Float] {
        let width = features.first?.featureDimension ?? 0
        precondition(
            features.allSatisfy { $0.featureDimension == width },
            "PaddingPlan.paddedFeatures: feature dimensions differ: "
                + "\(features.map(\.featureDimension))"
        )
        return padded(features.map(\.values), width: width, padding: 0)
    }
}
