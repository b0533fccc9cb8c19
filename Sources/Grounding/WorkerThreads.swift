import Tensors

/// The worker threads of the numeric engine, for front ends that use the grounding library
/// without the tensor engine's API.
public enum WorkerThreads {
    /// The threads in use (default: `VTG_THREADS`, else every core); set it before any work.
    public static var count: Int {
        get { ComputeThreads.count }
        set { ComputeThreads.count = newValue }
    }
}
