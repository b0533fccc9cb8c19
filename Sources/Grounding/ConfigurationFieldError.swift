/// A field of a saved configuration (`run.json`, a checkpoint's metadata) whose value the
/// library cannot run with: a hand-edited or corrupted file. `field` is the JSON path
/// (`model.maxClips`), so the user can find and fix it.
public struct ConfigurationFieldError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSON path of the field, e.g. `model.headCount`.
    public var field: String
    /// The value found, as text.
    public var value: String
    /// The values allowed, in words ("at least 1", "a divisor of model.hiddenSize (256)").
    public var expected: String

    /// An error about `field`, which holds `value` where `expected` is allowed.
    public init(field: String, value: String, expected: String) {
        self.field = field
        self.value = value
        self.expected = expected
    }

    /// "model.maxClips is 0; expected at least 1".
    public var description: String { "\(field) is \(value); expected \(expected)" }

    /// Throws unless `value` is at least `minimum`.
    static func requireAtLeast(_ minimum: Int, _ value: Int, _ field: String)
        throws(ConfigurationFieldError)
    {
        guard value >= minimum else {
            throw ConfigurationFieldError(
                field: field, value: "\(value)", expected: "at least \(minimum)")
        }
    }

    /// Throws unless `value` is finite and above 0 (`allowingZero`: at least 0).
    static func requireFinitePositive(
        _ value: Float, _ field: String, allowingZero: Bool = false
    ) throws(ConfigurationFieldError) {
        guard value.isFinite, allowingZero ? value >= 0 : value > 0 else {
            throw ConfigurationFieldError(
                field: field, value: "\(value)",
                expected: allowingZero ? "a finite number of 0 or more" : "a finite number above 0")
        }
    }

    /// Throws unless `value` is a probability in [0, 1).
    static func requireProbability(_ value: Float, _ field: String) throws(ConfigurationFieldError)
    {
        guard (0..<1).contains(value) else {
            throw ConfigurationFieldError(
                field: field, value: "\(value)", expected: "a probability in [0, 1)")
        }
    }
}
