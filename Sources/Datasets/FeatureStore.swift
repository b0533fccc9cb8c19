import Foundation
import VTGCore

/// How a ``FeatureStore`` finds, checks and shapes features.
public struct FeatureStoreConfiguration: Hashable, Sendable {
    /// Where the features are.
    public var location: FeatureLocation
    /// The feature dimension every video must have; `nil` accepts the first one seen and then
    /// requires it of every other video.
    public var expectedFeatureDimension: Int?
    /// Videos with more clips are shortened to this many with ``resampling``; `nil` keeps all.
    public var maxClips: Int?
    /// How videos longer than ``maxClips`` are shortened.
    public var resampling: TemporalResampling
    /// Divide every clip's vector by its L2 norm (after resampling).
    public var l2Normalize: Bool
    /// The most bytes of (resampled) features kept in memory; older videos are evicted first.
    public var cacheCapacityBytes: Int

    /// Creates a configuration. Defaults: no clip limit, average pooling, no normalisation,
    /// a 256 MiB cache.
    public init(
        location: FeatureLocation, expectedFeatureDimension: Int? = nil, maxClips: Int? = nil,
        resampling: TemporalResampling = .averagePooling, l2Normalize: Bool = false,
        cacheCapacityBytes: Int = 256 << 20
    ) {
        self.location = location
        self.expectedFeatureDimension = expectedFeatureDimension
        self.maxClips = maxClips
        self.resampling = resampling
        self.l2Normalize = l2Normalize
        self.cacheCapacityBytes = cacheCapacityBytes
    }
}

/// Loads clip features of videos on demand, checks them (dimension, finite values), shortens
/// them to `maxClips`, optionally L2-normalises them, and caches the result within a memory
/// budget. Safe to use from several threads.
public final class FeatureStore: @unchecked Sendable {
    /// The configuration the store was created with.
    public let configuration: FeatureStoreConfiguration
    private let cache: FeatureCache
    private let hdf5File: HDF5File?
    private let dimensionLock = NSLock()
    private var observedFeatureDimension: Int?

    /// Opens the source; throws ``FeatureStoreError/sourceNotFound(path:)`` if the directory or
    /// file is missing, or ``FeatureStoreError/malformedFile(videoID:file:reason:)`` (video `*`)
    /// if the HDF5 file cannot be opened.
    public init(_ configuration: FeatureStoreConfiguration) throws(FeatureStoreError) {
        let location = configuration.location
        let path = location.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw .sourceNotFound(path: path)
        }
        if location.format == .hdf5 {
            do {
                hdf5File = try HDF5File(readingFrom: location.url)
            } catch {
                throw .malformedFile(videoID: "*", file: path, reason: "not a readable HDF5 file")
            }
        } else {
            hdf5File = nil
        }
        self.configuration = configuration
        self.cache = FeatureCache(capacityBytes: configuration.cacheCapacityBytes)
        self.observedFeatureDimension = configuration.expectedFeatureDimension
    }

    /// The features of `videoID`: `[clips, featureDimension]` with `clips ≤ maxClips`.
    public func features(forVideo videoID: String) throws(FeatureStoreError) -> ClipFeatures {
        if let cached = cache.features(forVideo: videoID) { return cached }
        let file = configuration.location.file(forVideo: videoID).path
        var features = try loadRaw(videoID: videoID)
        try checkDimension(features.featureDimension, videoID: videoID, file: file)
        if let (clip, dimension) = features.firstNonFiniteValue() {
            throw .nonFiniteValue(videoID: videoID, file: file, clip: clip, dimension: dimension)
        }
        if features.clipCount == 0 {
            throw .malformedFile(videoID: videoID, file: file, reason: "the array has no clips")
        }
        if let maxClips = configuration.maxClips {
            features = configuration.resampling.resample(features, maxClips: maxClips)
        }
        if configuration.l2Normalize { features = features.l2Normalized() }
        cache.store(features, forVideo: videoID)
        return features
    }

    /// Bytes of features currently cached.
    public var cachedByteCount: Int { cache.byteCount }

    /// Number of videos currently cached.
    public var cachedVideoCount: Int { cache.count }

    private func checkDimension(_ dimension: Int, videoID: String, file: String)
        throws(FeatureStoreError)
    {
        dimensionLock.lock()
        defer { dimensionLock.unlock() }
        if let expected = observedFeatureDimension {
            guard expected == dimension else {
                throw .wrongFeatureDimension(
                    videoID: videoID, file: file, expected: expected, actual: dimension)
            }
        } else {
            observedFeatureDimension = dimension
        }
    }

    private func loadRaw(videoID: String) throws(FeatureStoreError) -> ClipFeatures {
        let fileURL = configuration.location.file(forVideo: videoID)
        let file = fileURL.path
        switch configuration.location.format {
        case .npyDirectory:
            let data = try readFile(fileURL, videoID: videoID)
            do {
                return try NumpyArray.decode(data)
            } catch {
                throw .malformedFile(videoID: videoID, file: file, reason: error.reason)
            }
        case .npzDirectory:
            let key = configuration.location.archiveKey
            guard FileManager.default.fileExists(atPath: file) else {
                throw .missingVideo(videoID: videoID, file: file)
            }
            do {
                return try NumpyArchive.read(fileURL, key: key)
            } catch {
                switch error {
                case .notAnArchive(let reason):
                    throw .malformedFile(
                        videoID: videoID, file: file, reason: "not a ZIP archive (\(reason))")
                case .missingKey(let available):
                    throw .missingKey(videoID: videoID, file: file, key: key, available: available)
                case .malformedMember(let reason):
                    throw .malformedFile(videoID: videoID, file: file, reason: "\(key): \(reason)")
                case .checksumMismatch(let member, let expected, let actual):
                    throw .malformedFile(
                        videoID: videoID, file: file,
                        reason: "member \(member) fails its CRC-32 check (recorded "
                            + "\(String(expected, radix: 16)), computed \(String(actual, radix: 16)))"
                    )
                }
            }
        case .hdf5:
            let groupMember = configuration.location.key
            guard let hdf5File else { throw .sourceNotFound(path: file) }
            let path = groupMember.map { "\(videoID)/\($0)" } ?? videoID
            do {
                return try hdf5File.read(path: path)
            } catch {
                switch error {
                case .missing:
                    throw .missingVideo(videoID: videoID, file: "\(file) (dataset /\(path))")
                case .notADataset:
                    throw .malformedFile(
                        videoID: videoID, file: file,
                        reason: "/\(path) is a group, not a dataset; set the group member "
                            + "(e.g. c3d_features)")
                case .notFloatingPoint:
                    throw .malformedFile(
                        videoID: videoID, file: file, reason: "/\(path) is not floating point")
                case .notTwoDimensional(let shape):
                    throw .malformedFile(
                        videoID: videoID, file: file,
                        reason: "/\(path) has shape \(shape), not [clips, featureDimension]")
                case .cannotOpen, .libraryFailure:
                    throw .malformedFile(
                        videoID: videoID, file: file, reason: "libhdf5 failed to read /\(path)")
                }
            }
        }
    }

    private func readFile(_ url: URL, videoID: String) throws(FeatureStoreError) -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .missingVideo(videoID: videoID, file: url.path)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .malformedFile(videoID: videoID, file: url.path, reason: FileErrorReason.of(error))
        }
    }
}
