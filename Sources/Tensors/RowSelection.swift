/// The rows of a `[rows, width]` matrix that matter: the real tokens of a padded batch. A
/// linear layer given one computes only those rows (their values are the same bits as without
/// it) and leaves the others 0, in the forward pass and in its input gradient.
///
/// Why this is exact for padded tokens: nothing a real token computes reads a padded token
/// except through masked attention, whose weight on it is exactly 0; and the gradients that
/// reach padded rows are exactly 0, so they add nothing to the weight gradients (which still
/// sum over every row, in the same order as before).
public struct RowSelection: Sendable, Equatable {
    /// The rows of the whole matrix.
    public let rowCount: Int
    /// The kept rows as ascending runs `start..<end`.
    public let runs: [Range<Int>]
    /// The number of kept rows.
    public let keptCount: Int

    /// The true elements of `mask` as rows (row-major: `[batch, tokens]` → batch·tokens rows);
    /// nil when every row is kept (nothing to skip).
    public init?(keeping mask: Mask) {
        var runs: [Range<Int>] = []
        var start: Int? = nil
        for (index, keep) in mask.values.enumerated() {
            if keep, start == nil { start = index }
            if !keep, let first = start {
                runs.append(first..<index)
                start = nil
            }
        }
        if let first = start { runs.append(first..<mask.values.count) }
        let kept = runs.reduce(0) { $0 + $1.count }
        guard kept < mask.values.count else { return nil }
        rowCount = mask.values.count
        self.runs = runs
        keptCount = kept
    }

    /// Copies the kept rows of `source` (`rowCount` rows of `width`) into `destination`
    /// (`keptCount` rows), in order.
    func gather(
        _ source: UnsafePointer<Float>, width: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        var next = destination
        for run in runs {
            next.update(from: source + run.lowerBound * width, count: run.count * width)
            next += run.count * width
        }
    }

    /// Writes the `keptCount` rows of `source` to their rows of `destination` (`rowCount` rows
    /// of `width`) and 0 to every other row.
    func scatter(
        _ source: UnsafePointer<Float>, width: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        var next = source
        var row = 0
        for run in runs {
            (destination + row * width).update(
                repeating: 0, count: (run.lowerBound - row) * width)
            (destination + run.lowerBound * width).update(from: next, count: run.count * width)
            next += run.count * width
            row = run.upperBound
        }
        (destination + row * width).update(repeating: 0, count: (rowCount - row) * width)
    }

    /// Writes 0 to every row of `matrix` (`rowCount` rows of `width`) that is not kept.
    func zeroingOthers(_ matrix: UnsafeMutablePointer<Float>, width: Int) {
        var row = 0
        for run in runs + [rowCount..<rowCount] {
            (matrix + row * width).update(repeating: 0, count: (run.lowerBound - row) * width)
            row = run.upperBound
        }
    }

    /// Calls `body` with the element ranges of the whole matrix (rows of `width`) that hold
    /// the elements `kept` of the kept rows laid end to end, in order.
    func forEachPiece(ofKept kept: Range<Int>, width: Int, _ body: (Range<Int>) -> Void) {
        var before = 0  // kept elements in the runs before `run`
        for run in runs {
            let length = run.count * width
            defer { before += length }
            let first = Swift.max(kept.lowerBound - before, 0)
            let end = Swift.min(kept.upperBound - before, length)
            guard first < end else { continue }
            let start = run.lowerBound * width
            body((start + first)..<(start + end))
        }
    }
}
