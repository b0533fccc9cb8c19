import Foundation

/// The mean paired difference of two methods measured on the same units (seeds, in the
/// study: the same data order and initialisation where the methods share parameters), with a
/// two-sided paired t confidence interval over the units:
/// mean ± t(1 − (1 − level)/2, n − 1) · s / √n, where s is the sample standard deviation of the
/// per-unit differences.
///
/// The interval is over seeds only (training variability); it does not resample test queries.
public struct PairedDifference: Sendable, Equatable, Codable {
    /// The per-unit differences, first minus second, in unit order.
    public var differences: [Double]
    /// The mean difference.
    public var mean: Double
    /// The sample standard deviation of the differences (0 with one unit).
    public var standardDeviation: Double
    /// The interval's lower end (−∞ with fewer than two units).
    public var lower: Double
    /// The interval's upper end (+∞ with fewer than two units).
    public var upper: Double
    /// The confidence level (0.95 by default).
    public var level: Double

    /// The confidence level of the study's intervals.
    public static let standardLevel = 0.95

    /// The paired difference of `first` and `second` (one value per unit each, in the same
    /// order, at least one unit) at `level` (only 0.95 is tabulated exactly; others use the
    /// Cornish–Fisher expansion of the t quantile, accurate to about 1e-3 from 3 units).
    public init(_ first: [Double], _ second: [Double], level: Double = Self.standardLevel) {
        precondition(
            first.count == second.count && !first.isEmpty,
            "PairedDifference: \(first.count) and \(second.count) values are not paired")
        precondition(level > 0 && level < 1, "PairedDifference: level \(level) not in (0, 1)")
        let differences = zip(first, second).map { $0 - $1 }
        let count = Double(differences.count)
        let mean = differences.reduce(0, +) / count
        self.differences = differences
        self.mean = mean
        self.level = level
        guard differences.count > 1 else {
            standardDeviation = 0
            lower = -.infinity
            upper = .infinity
            return
        }
        let squares = differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        standardDeviation = (squares / (count - 1)).squareRoot()
        let half =
            Self.tQuantile(
                probability: 1 - (1 - level) / 2, degreesOfFreedom: differences.count - 1)
            * standardDeviation / count.squareRoot()
        lower = mean - half
        upper = mean + half
    }

    /// True when the interval lies wholly above or wholly below zero.
    public var excludesZero: Bool { lower > 0 || upper < 0 }

    /// The sign the interval shows: +1 (first better, if higher is better), −1, or 0 when it
    /// includes zero.
    public var sign: Int { lower > 0 ? 1 : (upper < 0 ? -1 : 0) }

    /// Student's t quantile: exact to three decimals from a table at probability 0.975 (up to
    /// 30 degrees of freedom), else the Cornish–Fisher expansion around the normal quantile.
    public static func tQuantile(probability: Double, degreesOfFreedom: Int) -> Double {
        precondition(degreesOfFreedom >= 1, "tQuantile: degrees of freedom must be at least 1")
        if abs(probability - 0.975) < 1e-12, degreesOfFreedom <= t975.count {
            return t975[degreesOfFreedom - 1]
        }
        let z = normalQuantile(probability)
        let df = Double(degreesOfFreedom)
        let z3 = z * z * z
        let z5 = z3 * z * z
        return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df)
    }

    /// t(0.975, df) for df = 1…30.
    static let t975: [Double] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]

    /// The standard normal quantile (Acklam's rational approximation, relative error below
    /// 1.2e-9).
    public static func normalQuantile(_ probability: Double) -> Double {
        precondition(probability > 0 && probability < 1, "normalQuantile: p not in (0, 1)")
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [
            7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
            3.754408661907416e+00,
        ]
        let low = 0.02425
        if probability < low || probability > 1 - low {
            let q = (-2 * log(min(probability, 1 - probability))).squareRoot()
            let value =
                (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
            return probability < low ? value : -value
        }
        let q = probability - 0.5
        let r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
