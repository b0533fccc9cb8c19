import Foundation

extension SafetensorsFile {
    /// The tensor stored under `name`, converted to Float32.
    public func tensor(named name: String) throws(SafetensorsError) -> Tensor {
        Tensor(shape: try shape(of: name), scalars: try scalars(of: name))
    }

    /// Every floating-point tensor of the file by name (integer tensors, such as BERT's
    /// `embeddings.position_ids`, are left out).
    public func floatTensors() throws(SafetensorsError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in tensorNames {
            switch try dataType(of: name) {
            case .float32, .float16, .bfloat16, .float64: result[name] = try tensor(named: name)
            default: continue
            }
        }
        return result
    }

    /// Every tensor of the file by name, converted to Float32 (see `scalars(of:)`).
    public func tensors() throws(SafetensorsError) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for name in tensorNames {
            result[name] = try tensor(named: name)
        }
        return result
    }
}

extension SafetensorsEntry {
    /// An entry holding a tensor's current values.
    public init(name: String, tensor: Tensor) {
        self.init(name: name, shape: tensor.shape, scalars: tensor.scalars)
    }
}
