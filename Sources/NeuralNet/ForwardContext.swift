import Tensors
import VTGCore

/// What a forward pass needs besides its inputs: training or evaluation mode, and the seeded
/// generator that dropout and DropKey draw from (passed `inout`, so a run reproduces and a
/// checkpoint can save the generator's state).
///
/// Layers without randomness or mode-dependent behaviour (Linear, LayerNorm) do not take it.
public struct ForwardContext {
    /// True in training: dropout and DropKey are active. False in evaluation: they do nothing.
    public var isTraining: Bool
    /// The source of every random draw in the forward pass.
    public var generator: SeededGenerator

    /// A context in the given mode.
    public init(isTraining: Bool, generator: SeededGenerator) {
        self.isTraining = isTraining
        self.generator = generator
    }

    /// Training mode, drawing from `generator`.
    public static func training(generator: SeededGenerator) -> ForwardContext {
        ForwardContext(isTraining: true, generator: generator)
    }

    /// Evaluation mode: deterministic, the generator is never used.
    public static var evaluation: ForwardContext {
        ForwardContext(isTraining: false, generator: SeededGenerator(seed: 0))
    }
}
