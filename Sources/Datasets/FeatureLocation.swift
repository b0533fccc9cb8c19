import Foundation

/// Where a dataset's clip features are and in which of the field's layouts: PromptVTG's one
/// description of a feature source, read by ``FeatureStore``, written by the synthetic
/// benchmarks and stored in a run's `run.json` as `{"format": "npy-directory", "path": ...,
/// "key": ...}`.
public struct FeatureLocation: Hashable, Codable, Sendable {
    /// The on-disk layouts (raw values as stored in `run.json` and benchmark manifests).
    public enum Format: String, Codable, Sendable, CaseIterable {
        /// One numpy `.npy` file per video, `path/VIDEO.npy` (Charades-STA I3D, VSLNet).
        case npyDirectory = "npy-directory"
        /// One numpy `.npz` archive per video, `path/VIDEO.npz`, the features stored under
        /// ``FeatureLocation/key`` (QVHighlights: `features`, the default).
        case npzDirectory = "npz-directory"
        /// One HDF5 file at `path` holding a dataset per video at `/VIDEO` (TACoS C3D, Charades
        /// VGG), or at `/VIDEO/KEY` when ``FeatureLocation/key`` is given (ActivityNet C3D:
        /// `c3d_features`).
        case hdf5 = "hdf5"

        /// The extension of one video's file in this layout; nil for HDF5, one file for all.
        public var fileExtension: String? {
            switch self {
            case .npyDirectory: "npy"
            case .npzDirectory: "npz"
            case .hdf5: nil
            }
        }
    }

    /// The `.npz` array key when none is given: the QVHighlights release's.
    public static let defaultArchiveKey = "features"

    /// The layout.
    public var format: Format
    /// The directory (`.npy`, `.npz`) or the file (HDF5).
    public var path: String
    /// The `.npz` member name or the HDF5 group member, where the layout has one.
    public var key: String?

    /// Creates a location.
    public init(format: Format, path: String, key: String? = nil) {
        self.format = format
        self.path = path
        self.key = key
    }

    /// ``path`` as a file URL.
    public var url: URL { URL(fileURLWithPath: path) }

    /// The `.npz` array that holds the features: ``key``, else ``defaultArchiveKey``.
    public var archiveKey: String { key ?? Self.defaultArchiveKey }

    /// The file that holds `videoID`'s features.
    public func file(forVideo videoID: String) -> URL {
        guard let fileExtension = format.fileExtension else { return url }
        return url.appendingPathComponent("\(videoID).\(fileExtension)")
    }

    /// Works out the layout of a dataset's features from what is at `path`: a folder of `.npz`
    /// files (key `key`, else `features`) or of `.npy` files, or else a file, read as HDF5.
    public static func detect(path: String, key: String? = nil) throws(FeatureStoreError)
        -> FeatureLocation
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .sourceNotFound(path: path)
        }
        guard isDirectory.boolValue else { return detected(.hdf5, path: path, key: key) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for format in [Format.npzDirectory, .npyDirectory] {
            guard let fileExtension = format.fileExtension,
                names.contains(where: { $0.hasSuffix(".\(fileExtension)") })
            else { continue }
            return detected(format, path: path, key: key)
        }
        throw .noFeatureFiles(path: path)
    }

    /// Where one video's features are, from the path of its own `.npy` or `.npz` file (the
    /// video's identifier is the file's name), or of an HDF5 file that holds `videoID`.
    public static func detect(videoFile path: String, key: String? = nil, videoID: String? = nil)
        throws(FeatureStoreError) -> (location: FeatureLocation, videoID: String)
    {
        let url = URL(fileURLWithPath: path)
        let perVideoFormat = [Format.npyDirectory, .npzDirectory].first {
            $0.fileExtension == url.pathExtension.lowercased()
        }
        guard let format = perVideoFormat else {
            guard let videoID else { throw .videoIDNeeded(path: path) }
            let location = try detect(path: path, key: key)
            return (location, videoID)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw .sourceNotFound(path: path)
        }
        return (
            detected(format, path: url.deletingLastPathComponent().path, key: key),
            url.deletingPathExtension().lastPathComponent
        )
    }

    /// A detected location records the key its layout uses: the `.npz` array (the default when
    /// none is given), the HDF5 group member (when given), none for `.npy`.
    private static func detected(_ format: Format, path: String, key: String?) -> FeatureLocation {
        switch format {
        case .npyDirectory: FeatureLocation(format: format, path: path)
        case .npzDirectory:
            FeatureLocation(format: format, path: path, key: key ?? defaultArchiveKey)
        case .hdf5: FeatureLocation(format: format, path: path, key: key)
        }
    }
}
