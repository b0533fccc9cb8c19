import Tensors

/// Reading one tower of a CLIP `model.safetensors`: a full `CLIPModel` checkpoint holds the image
/// tower, the text tower and `logit_scale`, and older ones integer `position_ids` buffers.
public enum CLIPCheckpoint {
    /// The tensors of `file` whose names `include` accepts, in Float32, without the integer
    /// `position_ids` buffers (which are not parameters).
    public static func tensors(of file: SafetensorsFile, where include: (String) -> Bool)
        throws(SafetensorsError) -> [String: Tensor]
    {
        var tensors: [String: Tensor] = [:]
        for name in file.tensorNames where include(name) {
            if name.hasSuffix("position_ids") {
                switch try file.dataType(of: name) {
                case .int64, .int32: continue
                default: break
                }
            }
            tensors[name] = try file.tensor(named: name)
        }
        return tensors
    }
}
