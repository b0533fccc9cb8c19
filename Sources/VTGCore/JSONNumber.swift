/// A JSON number, kept as the text it is written as.
///
/// Keeping the text lets a reader demand what a `Double` would blur: a safetensors offset must be
/// plain digits and exact beyond 2^53 (``JSONValue/nonNegativeInteger``), while annotation
/// readers take any number as a `Double` (``doubleValue``). Two numbers are equal when their
/// texts are (`1.5` and `1.50` are not).
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number as JSON text: `150`, `-2.5e3`, or Python's `NaN`, `Infinity`, `-Infinity`.
    public let text: String

    /// The number written as ``JSONValue/serialized(spacing:)`` writes a `Double`: an integral
    /// value below 9·10^15 without a fraction (`150`), others in Swift's shortest round-trip form
    /// (`0.1`), non-finite values as Python's `json` module does (`NaN`, `Infinity`).
    public init(_ value: Double) {
        if value.isNaN {
            text = "NaN"
        } else if value.isInfinite {
            text = value < 0 ? "-Infinity" : "Infinity"
        } else if value.rounded() == value, abs(value) < 9.0e15 {
            text = String(Int(value))
        } else {
            text = String(value)
        }
    }

    /// The integer, exactly.
    public init(_ value: Int) {
        text = String(value)
    }

    /// A number whose text the parser has checked against the JSON grammar.
    init(validatedText: String) {
        text = validatedText
    }

    /// The number as a `Double` (rounded to the nearest; ±∞ beyond its range).
    public var doubleValue: Double {
        // The parser only admits texts that Double(_:) reads.
        Double(text) ?? .nan
    }

    /// The text.
    public var description: String { text }
}
