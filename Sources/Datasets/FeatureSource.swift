import Foundation

/// Where a dataset's clip features live on disk, in one of the layouts the field uses.
public enum FeatureSource: Hashable, Sendable {
    /// One numpy `.npy` file per video: `directory/VIDEO.npy` (Charades-STA I3D, VSLNet).
    case numpyDirectory(URL)
    /// One numpy `.npz` archive per video, `directory/VIDEO.npz`, the features stored under
    /// `key` (QVHighlights: `features`).
    case numpyArchiveDirectory(URL, key: String = "features")
    /// One HDF5 file holding a dataset per video at `/VIDEO` (TACoS C3D, Charades VGG), or at
    /// `/VIDEO/groupMember` when `groupMember` is given (ActivityNet C3D: `c3d_features`).
    case hdf5File(URL, groupMember: String? = nil)

    /// The directory or file.
    public var url: URL {
        switch self {
        case .numpyDirectory(let url), .numpyArchiveDirectory(let url, _),
            .hdf5File(let url, _):
            return url
        }
    }

    /// The file that holds `videoID`'s features.
    public func file(forVideo videoID: String) -> URL {
        switch self {
        case .numpyDirectory(let directory):
            return directory.appendingPathComponent("\(videoID).npy")
        case .numpyArchiveDirectory(let directory, _):
            return directory.appendingPathComponent("\(videoID).npz")
        case .hdf5File(let file, _):
            return file
        }
    }
}
