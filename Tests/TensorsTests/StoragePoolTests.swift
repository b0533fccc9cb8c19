import Testing

@testable import Tensors

@Suite struct StoragePoolTests {
    @Test func sizeClassesCoverTheRequestWithLittleWaste() {
        for bytes in [1, 100, StoragePool.minimumBytes - 4] {
            #expect(StoragePool.classBytes(bytes) == bytes)
        }
        for bytes in stride(from: StoragePool.minimumBytes, to: 64 << 20, by: 999_983) {
            let size = StoragePool.classBytes(bytes)
            #expect(size >= bytes && Double(size) <= Double(bytes) * 1.125, "\(bytes) → \(size)")
            // Requests in the same class share buffers.
            #expect(StoragePool.classBytes(size) == size)
        }
    }

    @Test func reusedBuffersHoldNewValues() {
        // A freed buffer comes back for the next tensor of its class; its contents are rewritten.
        for round in 0..<3 {
            let tensor = Tensor(shape: [300_000], repeating: Float(round))
            #expect(tensor.scalars.allSatisfy { $0 == Float(round) })
            #expect(Tensor.zeros([300_000]).scalars.allSatisfy { $0 == 0 })
        }
        TensorMemory.releaseCachedBuffers()
        #expect(TensorMemory.cachedBytes >= 0)
    }
}
