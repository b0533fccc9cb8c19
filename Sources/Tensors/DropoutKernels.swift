/// The inverted-dropout product, split over threads: element i is multiplied by its
/// `CounterRandom` keep factor, so the mask depends only on the seed, never on the thread
/// count, and the backward pass regenerates it instead of reading a stored mask.
enum DropoutKernels {
    /// output[i] = input[i]·factor(i): the forward (input x) and the backward (input g).
    static func apply(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int,
        probability: Float, seed: UInt64
    ) {
        let pointers = UncheckedSendable((input, output))
        ComputeThreads.forEachChunk(total: count, unitsPerElement: 3) { range in
            let (input, output) = pointers.value
            CounterRandom.applyKeepFactors(
                input + range.lowerBound, output + range.lowerBound, first: range.lowerBound,
                count: range.count, probability: probability, seed: seed)
        }
    }
}
