import Testing
import Tensors
import TestSupport

@Suite struct MatmulTests {
    /// A plain triple loop, the oracle.
    func reference(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i * n + j] += a[i * k + p] * b[p * n + j] } } }
        return c
    }

    @Test func twoByTwoByHand() {
        // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
        #expect(matmul(a, b).scalars == [19, 22, 43, 50])
        // Aᵀ·B = [[1,3],[2,4]]·B = [[26,30],[38,44]]; A·Bᵀ = [[17,23],[39,53]]
        #expect(matmul(a, b, transposeA: true).scalars == [26, 30, 38, 44])
        #expect(matmul(a, b, transposeB: true).scalars == [17, 23, 39, 53])
        #expect(matmul(a, b, transposeA: true, transposeB: true).scalars == [23, 31, 34, 46])
    }

    @Test func transposeFlagsAgreeWithExplicitTransposes() {
        let a = randomTensor([3, 4, 5], seed: 1)
        let b = randomTensor([3, 5, 6], seed: 2)
        let expected = matmul(a, b).scalars
        let aT = a.transposed(0, 2, 1)
        let bT = b.transposed(0, 2, 1)
        let tolerance: Float = 1e-5  // float32 sums of 5 products
        #expect(allClose(matmul(aT, b, transposeA: true).scalars, expected, tolerance: tolerance))
        #expect(allClose(matmul(a, bT, transposeB: true).scalars, expected, tolerance: tolerance))
        #expect(allClose(matmul(aT, bT, transposeA: true, transposeB: true).scalars, expected,
            tolerance: tolerance))
    }

    @Test func largeProductsSplitAcrossThreadsMatchTheReference() {
        let (m, n, k) = (300, 70, 130)
        let a = randomTensor([m, k], seed: 3)
        let b = randomTensor([k, n], seed: 4)
        let tolerance: Float = 1e-4  // float32 sums of 130 products of magnitude ≤ 1
        #expect(allClose(matmul(a, b).scalars, reference(a.scalars, b.scalars, m: m, n: n, k: k),
            tolerance: tolerance))
        // Few rows, many columns: the column split.
        let wide = randomTensor([k, 900], seed: 5)
        let short = randomTensor([8, k], seed: 6)
        #expect(allClose(matmul(short, wide).scalars,
            reference(short.scalars, wide.scalars, m: 8, n: 900, k: k), tolerance: tolerance))
        let wideT = wide.transposed(1, 0)
        #expect(allClose(matmul(short, wideT, transposeB: true).scalars,
            reference(short.scalars, wide.scalars, m: 8, n: 900, k: k), tolerance: tolerance))
    }

    @Test(arguments: [false, true])
    func gradientCheckEveryTransposeCombination(transposeA: Bool) {
        for transposeB in [false, true] {
            let a = randomTensor(transposeA ? [2, 4, 3] : [2, 3, 4], seed: 1)
            let b = randomTensor(transposeB ? [2, 5, 4] : [2, 4, 5], seed: 2)
            let result = gradientCheck([a, b]) {
                matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB)
            }
            #expect(result.passed, "transposeA \(transposeA) transposeB \(transposeB): \(result)")
            // One operand shared by the whole batch (a linear layer: x·Wᵀ).
            let shared = randomTensor(transposeB ? [5, 4] : [4, 5], seed: 3)
            let sharedResult = gradientCheck([a, shared]) {
                matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB)
            }
            #expect(sharedResult.passed, "shared B, transposes \(transposeA) \(transposeB): \(sharedResult)")
            let sharedA = randomTensor(transposeA ? [4, 3] : [3, 4], seed: 4)
            let sharedAResult = gradientCheck([sharedA, b]) {
                matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB)
            }
            #expect(sharedAResult.passed, "shared A: \(sharedAResult)")
        }
    }

    @Test func zeroSizedInnerAxisGivesZeros() {
        let a = Tensor.zeros([3, 0])
        let b = Tensor.zeros([0, 2])
        #expect(matmul(a, b).scalars == [0, 0, 0, 0, 0, 0])
    }
}
