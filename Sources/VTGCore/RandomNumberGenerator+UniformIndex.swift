extension RandomNumberGenerator {
    /// A uniform integer in `0..<bound` (Lemire 2019, multiply-shift with rejection).
    ///
    /// PromptVTG's own, rather than the standard library's `Int.random(in:using:)`, whose
    /// algorithm is not promised to stay the same: a seed must give the same draws on every
    /// platform and Swift version.
    public mutating func uniformIndex(below bound: Int) -> Int {
        precondition(bound > 0, "uniformIndex(below:): bound \(bound) <= 0")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }
}
