import Tensors

/// The worker threads of the numeric engine, for front ends that use the grounding library
/// without the tensor engine's API.
public enum WorkerThreads {
    /// The threads in use (default: `VTG_THREADS`, else every core); set it before any work.
    public static var count: Int {
        get { ComputeThreads.count }
        set { ComputeThreads.count = newValue }
    }

    /// Checks a thread count a user gave before it is set (the setter's precondition is for
    /// programmers; this is for what a user typed).
    public static func validate(_ count: Int?) throws(GroundingError) {
        if let count, count < 1 {
            throw .invalidValue(.threads, value: "\(count)", expected: "at least 1")
        }
    }
}
