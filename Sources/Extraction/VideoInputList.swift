import Foundation

/// One video to extract: its id (the file name without its extension, the name of its `.npz`)
/// and its path.
public struct VideoInput: Sendable, Equatable {
    /// The file name without its extension.
    public let videoID: String
    /// The file's path, absolute.
    public let path: String

    /// A video with an explicit id.
    public init(videoID: String, path: String) {
        self.videoID = videoID
        self.path = path
    }

    /// The video at `path`, its id taken from the file name.
    public init(path: String) {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        self.init(videoID: url.deletingPathExtension().lastPathComponent, path: url.path)
    }
}

/// The videos named on a command line: files as given, folders as the video files directly inside
/// them (not their subfolders; hidden files skipped), sorted by video id: the order that sharding
/// splits.
public enum VideoInputList {
    /// The extensions a folder's files must have to count as videos (compared in lower case);
    /// files named one by one are taken whatever their extension.
    public static let videoExtensions: Set<String> = [
        "3gp", "avi", "flv", "m2ts", "m4v", "mkv", "mov", "mp4", "mpeg", "mpg", "mts", "ogv",
        "ts", "vob", "webm", "wmv",
    ]

    /// The videos of `paths` (files or folders), sorted by id; throws when a path is missing, a
    /// folder holds no video, or two files give the same id.
    public static func videos(in paths: [String]) throws(ExtractionError) -> [VideoInput] {
        var videos: [VideoInput] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .inputNotFound(path: path)
            }
            guard isDirectory.boolValue else {
                videos.append(VideoInput(path: path))
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw .unreadableFile(path: path, reason: "\(error)")
            }
            let folder = URL(fileURLWithPath: path, isDirectory: true)
            let found = names.filter {
                !$0.hasPrefix(".")
                    && videoExtensions.contains(
                        URL(fileURLWithPath: $0).pathExtension.lowercased())
            }.map { VideoInput(path: folder.appendingPathComponent($0).path) }
            guard !found.isEmpty else { throw .noVideos(path: path) }
            videos += found
        }
        var byID: [String: [String]] = [:]
        for video in videos { byID[video.videoID, default: []].append(video.path) }
        if let (videoID, duplicates) = byID.filter({ Set($0.value).count > 1 })
            .min(by: { $0.key < $1.key })
        {
            throw .duplicateVideoID(videoID: videoID, paths: Array(Set(duplicates)).sorted())
        }
        // A file named twice (directly and through its folder) is one video.
        var seen: Set<String> = []
        return videos.filter { seen.insert($0.path).inserted }
            .sorted { $0.videoID < $1.videoID }
    }
}
