import Datasets

extension TimeSpan {
    /// Temporal intersection over union, on seconds:
    /// `max(0, min(e₁, e₂) − max(s₁, s₂)) / (len₁ + len₂ − intersection)`.
    ///
    /// For well-formed spans this equals the "hull" form of VSLNet, 2D-TAN and moment_detr's R1
    /// (intersection / (max(e₁, e₂) − min(s₁, s₂))): when the spans overlap the union is the
    /// hull, and when they do not the intersection is 0. Two cases the reference code leaves to
    /// NaN are 0 here: a zero union (two zero-length spans at one instant) and an inverted span
    /// (end before start), which is treated as empty.
    public func intersectionOverUnion(with other: TimeSpan) -> Double {
        guard lengthSeconds >= 0, other.lengthSeconds >= 0 else { return 0 }
        let intersection = max(
            0, min(endSeconds, other.endSeconds) - max(startSeconds, other.startSeconds))
        let union = lengthSeconds + other.lengthSeconds - intersection
        return union > 0 ? intersection / union : 0
    }

    /// The largest ``intersectionOverUnion(with:)`` with any of `targets` (0 if there are none).
    public func bestIntersectionOverUnion(with targets: [TimeSpan]) -> Double {
        targets.reduce(0) { max($0, intersectionOverUnion(with: $1)) }
    }
}
