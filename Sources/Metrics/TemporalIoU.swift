import VTGCore

extension TimeSpan {
    /// Temporal intersection over union with the true union, on seconds:
    /// `inter / (len₁ + len₂ − inter)`, `inter = max(0, min(e₁, e₂) − max(s₁, s₂))`.
    ///
    /// This is the form of 2D-TAN's NMS and of moment_detr's window matching and mAP. A zero union
    /// (two zero-length spans at one instant) gives 0 where the reference code gives NaN, and an
    /// inverted span (end before start) counts as empty.
    public func intersectionOverUnion(with other: TimeSpan) -> Double {
        guard lengthSeconds >= 0, other.lengthSeconds >= 0 else { return 0 }
        let intersection = max(
            0, min(endSeconds, other.endSeconds) - max(startSeconds, other.startSeconds))
        let union = lengthSeconds + other.lengthSeconds - intersection
        return union > 0 ? intersection / union : 0
    }

    /// Temporal IoU with the hull as denominator: `inter / (max(e₁, e₂) − min(s₁, s₂))`, the
    /// form of VSLNet's and 2D-TAN's evaluation and of moment_detr's R1.
    ///
    /// For well-formed spans it equals ``intersectionOverUnion(with:)`` mathematically (when the
    /// spans overlap the union is the hull; when they do not, the intersection is 0), but the two
    /// round differently in floating point, which decides hits at IoU exactly equal to a threshold;
    /// each protocol therefore uses the form its reference code uses. A zero hull gives 0, an
    /// inverted span counts as empty.
    public func intersectionOverHull(with other: TimeSpan) -> Double {
        guard lengthSeconds >= 0, other.lengthSeconds >= 0 else { return 0 }
        return Self.intersectionOverHull(
            startSeconds, endSeconds, other.startSeconds, other.endSeconds)
    }

    /// Hull IoU of `[start1, end1]` and `[start2, end2]`, both well-formed (the inner loop of the
    /// baseline search, without building spans).
    @inline(__always)
    static func intersectionOverHull(
        _ start1: Double, _ end1: Double, _ start2: Double, _ end2: Double
    ) -> Double {
        let intersection = max(0, min(end1, end2) - max(start1, start2))
        let hull = max(end1, end2) - min(start1, start2)
        return hull > 0 ? intersection / hull : 0
    }

    /// The largest ``intersectionOverHull(with:)`` with any of `targets` (0 if there are none).
    public func bestIntersectionOverHull(with targets: [TimeSpan]) -> Double {
        targets.reduce(0) { max($0, intersectionOverHull(with: $1)) }
    }
}
