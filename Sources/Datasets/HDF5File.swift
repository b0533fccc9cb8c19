import CHDF5
import Foundation

/// An HDF5 file of clip features, one 2-D dataset per video (through Debian's libhdf5).
///
/// libhdf5's serial build is not thread-safe, so every call into it holds ``libraryLock``.
final class HDF5File: @unchecked Sendable {
    /// Why a dataset could not be read or written.
    enum AccessError: Error {
        /// The file could not be opened or created.
        case cannotOpen
        /// No object at the path.
        case missing
        /// The object exists but is not a dataset (a group without the expected member, say).
        case notADataset
        /// The dataset is not floating point.
        case notFloatingPoint
        /// The dataset is not 2-D; `shape` is what it has.
        case notTwoDimensional(shape: [Int])
        /// libhdf5 reported a failure during the operation named.
        case libraryFailure(String)
    }

    /// Serializes all libhdf5 calls in the process.
    static let libraryLock = NSLock()

    private let identifier: hid_t

    /// Opens an existing file read-only.
    init(readingFrom url: URL) throws(AccessError) {
        let identifier = Self.withLibrary {
            H5Fopen(url.path, chdf5_access_read_only(), hid_t(H5P_DEFAULT))
        }
        guard identifier >= 0 else { throw .cannotOpen }
        self.identifier = identifier
    }

    /// Creates (or truncates) a file for writing. Object modification times are not recorded,
    /// so equal contents give byte-identical files.
    init(creating url: URL) throws(AccessError) {
        let identifier = Self.withLibrary { () -> hid_t in
            let properties = H5Pcreate(chdf5_file_create_properties())
            defer { H5Pclose(properties) }
            H5Pset_obj_track_times(properties, false)
            return H5Fcreate(url.path, chdf5_access_truncate(), properties, hid_t(H5P_DEFAULT))
        }
        guard identifier >= 0 else { throw .cannotOpen }
        self.identifier = identifier
    }

    deinit {
        _ = Self.withLibrary { H5Fclose(identifier) }
    }

    /// Runs `body` holding the library lock, with libhdf5's own error printing off.
    static func withLibrary<Result, Failure: Error>(_ body: () throws(Failure) -> Result)
        throws(Failure) -> Result
    {
        libraryLock.lock()
        defer { libraryLock.unlock() }
        chdf5_silence_error_printing()
        return try body()
    }

    /// Whether an object exists at `path` (every intermediate group is checked).
    private func exists(_ path: String) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if H5Lexists(identifier, prefix, hid_t(H5P_DEFAULT)) <= 0 { return false }
        }
        return true
    }

    /// Reads the 2-D dataset at `path` (e.g. `s13-d21.avi` or `v_abc/c3d_features`) as Float32.
    func read(path: String) throws(AccessError) -> ClipFeatures {
        try Self.withLibrary { () throws(AccessError) -> ClipFeatures in
            guard exists(path) else { throw .missing }
            let object = H5Oopen(identifier, path, hid_t(H5P_DEFAULT))
            guard object >= 0 else { throw .libraryFailure("H5Oopen") }
            defer { H5Oclose(object) }
            guard H5Iget_type(object) == H5I_DATASET else { throw .notADataset }
            let type = H5Dget_type(object)
            defer { H5Tclose(type) }
            guard H5Tget_class(type) == H5T_FLOAT else { throw .notFloatingPoint }
            let space = H5Dget_space(object)
            defer { H5Sclose(space) }
            let rank = Int(H5Sget_simple_extent_ndims(space))
            var dimensions = [hsize_t](repeating: 0, count: max(rank, 1))
            H5Sget_simple_extent_dims(space, &dimensions, nil)
            guard rank == 2 else {
                throw .notTwoDimensional(shape: dimensions.prefix(rank).map { Int($0) })
            }
            let clipCount = Int(dimensions[0])
            let featureDimension = Int(dimensions[1])
            var values = [Float](repeating: 0, count: clipCount * featureDimension)
            // The library converts float16/float64 on disk to native Float32 while reading.
            let status = values.withUnsafeMutableBytes { buffer in
                H5Dread(
                    object, chdf5_native_float(), hid_t(H5S_ALL), hid_t(H5S_ALL),
                    hid_t(H5P_DEFAULT), buffer.baseAddress)
            }
            guard status >= 0 else { throw .libraryFailure("H5Dread") }
            return ClipFeatures(
                values: values, clipCount: clipCount, featureDimension: featureDimension)
        }
    }

    /// Writes `features` as a Float32 dataset at `path`, creating a parent group if the path has
    /// two components (`video/c3d_features`).
    func write(_ features: ClipFeatures, path: String) throws(AccessError) {
        try Self.withLibrary { () throws(AccessError) in
            let components = path.split(separator: "/")
            if components.count == 2, !exists(String(components[0])) {
                let properties = H5Pcreate(chdf5_group_create_properties())
                defer { H5Pclose(properties) }
                H5Pset_obj_track_times(properties, false)
                let group = H5Gcreate2(
                    identifier, String(components[0]), hid_t(H5P_DEFAULT), properties,
                    hid_t(H5P_DEFAULT))
                guard group >= 0 else { throw .libraryFailure("H5Gcreate2 \(components[0])") }
                H5Gclose(group)
            }
            var dimensions = [hsize_t(features.clipCount), hsize_t(features.featureDimension)]
            let space = H5Screate_simple(2, &dimensions, nil)
            defer { H5Sclose(space) }
            let properties = H5Pcreate(chdf5_dataset_create_properties())
            defer { H5Pclose(properties) }
            H5Pset_obj_track_times(properties, false)
            let dataset = H5Dcreate2(
                identifier, path, chdf5_native_float(), space, hid_t(H5P_DEFAULT), properties,
                hid_t(H5P_DEFAULT))
            guard dataset >= 0 else { throw .libraryFailure("H5Dcreate2 \(path)") }
            defer { H5Dclose(dataset) }
            let status = features.values.withUnsafeBytes { buffer in
                H5Dwrite(
                    dataset, chdf5_native_float(), hid_t(H5S_ALL), hid_t(H5S_ALL),
                    hid_t(H5P_DEFAULT), buffer.baseAddress)
            }
            guard status >= 0 else { throw .libraryFailure("H5Dwrite \(path)") }
        }
    }
}
