import CBLAS
import Synchronization

/// A dense, row-major tensor of `Float` on the CPU, with reverse-mode automatic differentiation.
///
/// **Reference semantics.** `Tensor` is a class, as in PyTorch: a parameter is one object shared by
/// the layer that reads it, the optimizer that updates it and the tape that records its uses, and
/// `grad` accumulates on that object. Every op returns a new tensor and never changes its inputs;
/// the only in-place writes are the explicit `withUnsafeMutableScalars` (optimizers, loaders).
/// `reshaped(to:)` shares storage with its source, as a PyTorch view does.
///
/// **Autodiff.** When gradients are enabled (see `withGradientsDisabled`) and an input has
/// `requiresGrad`, an op attaches a `GradientNode` that holds its inputs and a pullback; the
/// output never references itself, so the tape has no reference cycles and is freed with the loss.
public final class Tensor {
    /// The size of each axis; `[]` is a scalar.
    public let shape: [Int]
    /// The number of elements: the product of `shape`.
    public let count: Int
    let storage: TensorStorage
    /// When true, `backward()` computes a gradient for this tensor (leaves) or through it.
    public var requiresGrad: Bool
    /// The accumulated gradient of a leaf tensor after `backward()`; nil until then.
    public var grad: Tensor?
    var gradientNode: GradientNode?

    init(shape: [Int], storage: TensorStorage, requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative axis size in shape \(shape)")
        let count = shape.reduce(1, *)
        precondition(
            storage.count >= count,
            "Tensor: storage of \(storage.count) elements is too small for shape \(shape)")
        self.shape = shape
        self.count = count
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A tensor with the given scalars in row-major order.
    public convenience init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
        let count = shape.reduce(1, *)
        precondition(
            scalars.count == count,
            "Tensor(shape:scalars:): shape \(shape) needs \(count) scalars, got \(scalars.count)")
        let storage = TensorStorage(count: count)
        scalars.withUnsafeBufferPointer { source in
            if count > 0 { storage.pointer.update(from: source.baseAddress!, count: count) }
        }
        self.init(shape: shape, storage: storage, requiresGrad: requiresGrad)
    }

    /// A tensor whose every element is `value`.
    public convenience init(shape: [Int], repeating value: Float, requiresGrad: Bool = false) {
        let storage = TensorStorage(count: shape.reduce(1, *))
        storage.pointer.update(repeating: value, count: storage.count)
        self.init(shape: shape, storage: storage, requiresGrad: requiresGrad)
    }

    /// A scalar (shape `[]`).
    public convenience init(_ value: Float, requiresGrad: Bool = false) {
        self.init(shape: [], repeating: value, requiresGrad: requiresGrad)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 0, requiresGrad: requiresGrad)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 1, requiresGrad: requiresGrad)
    }

    /// A tensor whose storage is allocated but not initialised: the caller writes every element.
    static func uninitialized(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(count: shape.reduce(1, *)))
    }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// A copy of the elements in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// The value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "Tensor.item: needs exactly one element, shape is \(shape)")
        return storage.pointer[0]
    }

    /// The element at a multi-dimensional index (slow; for tests and small reads).
    public subscript(_ index: Int...) -> Float {
        precondition(index.count == rank, "Tensor subscript: \(index) for shape \(shape)")
        var offset = 0
        for axis in 0..<rank {
            precondition(index[axis] >= 0 && index[axis] < shape[axis],
                "Tensor subscript: index \(index) out of range for shape \(shape)")
            offset = offset * shape[axis] + index[axis]
        }
        return storage.pointer[offset]
    }

    /// Calls `body` with the elements (read-only).
    public func withUnsafeScalars<Result>(
        _ body: (UnsafeBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage.pointer, count: count))
    }

    /// Calls `body` with the elements for writing in place. Writing to a tensor that the tape has
    /// saved for a backward pass changes that pass: only optimizers and loaders should do this.
    public func withUnsafeMutableScalars<Result>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try body(UnsafeMutableBufferPointer(start: storage.pointer, count: count))
    }

    /// Overwrites this tensor's elements with those of `source` (same element count).
    public func assign(_ source: Tensor) {
        precondition(source.count == count,
            "Tensor.assign: source shape \(source.shape) vs destination shape \(shape)")
        if count > 0 { storage.pointer.update(from: source.storage.pointer, count: count) }
    }

    /// A tensor with the same elements that is cut from the tape: no gradient flows through it.
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// An independent copy of the elements (not recorded on the tape).
    public func copied() -> Tensor {
        let result = Tensor.uninitialized(shape)
        if count > 0 { result.storage.pointer.update(from: storage.pointer, count: count) }
        return result
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = count <= 12 ? "\(scalars)" : "\(Array(scalars.prefix(12))) …"
        return "Tensor(shape: \(shape), \(preview))"
    }
}

/// The elements of a tensor: one aligned allocation, freed when the last tensor using it goes.
final class TensorStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    /// The scope's ledger this storage counts against (see `TensorMemory.withLedger`).
    let ledger: TensorMemoryLedger?

    init(count: Int) {
        _ = Engine.configured
        self.count = count
        TensorMemory.record(allocatedBytes: count * MemoryLayout<Float>.stride)
        ledger = TensorMemoryLedger.current
        ledger?.record(allocatedBytes: count * MemoryLayout<Float>.stride)
        // 64-byte aligned; large buffers are reused from `StoragePool`.
        let raw = StoragePool.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    deinit {
        TensorMemory.record(allocatedBytes: -count * MemoryLayout<Float>.stride)
        ledger?.record(allocatedBytes: -count * MemoryLayout<Float>.stride)
        StoragePool.release(
            UnsafeMutableRawPointer(pointer), byteCount: max(count, 1) * MemoryLayout<Float>.stride)
    }
}

/// Process-wide accounting of tensor storage: bytes alive now and the peak since the last reset.
/// Two relaxed atomic adds per allocation; used for leak tests and peak-memory reports.
public enum TensorMemory {
    private static let live = Atomic<Int>(0)
    private static let peak = Atomic<Int>(0)

    /// Bytes of tensor storage alive now.
    public static var liveBytes: Int { live.load(ordering: .relaxed) }

    /// The largest `liveBytes` seen since the last `resetPeak()`.
    public static var peakBytes: Int { peak.load(ordering: .relaxed) }

    /// Starts a new peak measurement from the current live bytes.
    public static func resetPeak() { peak.store(liveBytes, ordering: .relaxed) }

    static func record(allocatedBytes: Int) {
        let now = live.add(allocatedBytes, ordering: .relaxed).newValue
        if allocatedBytes > 0 { peak.max(now, ordering: .relaxed) }
    }
}

/// Process-wide engine set-up, done once before the first allocation or product.
enum Engine {
    /// Keeps OpenBLAS single-threaded (its own threads spin-wait and lose whenever the other core
    /// is busy; we parallelise over independent products instead) and keeps freed activation
    /// memory in the heap (see `promptvtg_tune_malloc`).
    static let configured: Void = {
        openblas_set_num_threads(1)
        promptvtg_tune_malloc()
    }()
}
