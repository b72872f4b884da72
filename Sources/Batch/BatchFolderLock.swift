import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a batch folder (flock on the folder itself, so no lock file is left
/// behind), held while a batch runs: two batches in one folder would run the same variants
/// into the same folders. The kernel releases it when the process ends, however it ends.
final class BatchFolderLock {
    private let fd: Int32

    init(_ folder: URL) throws {
        fd = open(folder.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CommandFailure(message: "\(folder.path): cannot open the batch folder: \(String(cString: strerror(errno)))", code: 2)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CommandFailure(message: "\(folder.path): another bbplan batch is running in this folder", code: 2)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
