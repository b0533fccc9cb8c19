import Testing

@testable import Tensors

@Suite struct VectorMathTests {
    /// Whole vectors and every tail length go through the same function, and nothing past
    /// `count` is written.
    @Test func appliesOverWholeVectorsAndTails() {
        let source = (0..<40).map { Float($0) - 17.5 }
        let other = (0..<40).map { Float($0) * 0.25 }
        for count in 0...33 {
            var destination = [Float](repeating: .nan, count: 40)
            source.withUnsafeBufferPointer { source in
                destination.withUnsafeMutableBufferPointer { destination in
                    VectorMath.apply(source.baseAddress!, destination.baseAddress!, count: count) {
                        $0 * 2 + 1
                    }
                }
            }
            #expect(Array(destination[..<count]) == source[..<count].map { $0 * 2 + 1 })
            #expect(destination[count...].allSatisfy { $0.isNaN }, "count \(count)")
            source.withUnsafeBufferPointer { source in
                other.withUnsafeBufferPointer { other in
                    destination.withUnsafeMutableBufferPointer { destination in
                        VectorMath.apply(
                            source.baseAddress!, other.baseAddress!, destination.baseAddress!,
                            count: count
                        ) { $0 - $1 }
                    }
                }
            }
            #expect(
                Array(destination[..<count]) == zip(source, other).prefix(count).map { $0 - $1 })
            #expect(destination[count...].allSatisfy { $0.isNaN }, "count \(count)")
        }
    }
}
