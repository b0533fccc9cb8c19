import Foundation

/// The system's words for why a file operation failed ("Permission denied", "Is a directory",
/// "No space left on device"), for errors that name the path themselves: the POSIX error under
/// a Foundation error when there is one, never Foundation's `NSCocoaErrorDomain` text.
public enum FileErrorReason {
    /// The reason of `error` in a few words.
    public static func of(_ error: any Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if error.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(error.code)))
        }
        guard error.domain == NSCocoaErrorDomain else { return "\(error)" }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteFileExists: return "a file of that name exists"
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileWriteVolumeReadOnly: return "the volume is read-only"
        case .fileReadCorruptFile: return "the file is not readable as expected"
        default: return "the system refused (Foundation error \(error.code))"
        }
    }
}
