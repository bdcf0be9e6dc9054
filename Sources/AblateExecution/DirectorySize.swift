import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The bytes under a directory: the apparent sizes of its regular files, each inode once (hard links
/// count once), symbolic links not followed (a checkpoint linked into another job's directory counts
/// where it lives). One `openat`/`fstatat` per entry, no `Foundation` enumeration: `ablate du` walks
/// every job directory of a sweep, 100,000 of them at the paper's scale.
public struct DirectorySize {
    private var seen = Set<UInt64>()
    private var device: UInt64 = 0

    /// A walker; inodes seen by one walker are counted once across all the directories it sizes.
    public init() {}

    /// The bytes under `path` (0 when it does not exist), and how many files.
    public mutating func size(of path: String) -> (bytes: UInt64, files: Int) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return (0, 0) }
        var status = stat()
        if fstat(descriptor, &status) == 0 { device = UInt64(status.st_dev) }
        return walk(descriptor)
    }

    /// Sizes the directory open at `descriptor`, and closes it.
    private mutating func walk(_ descriptor: Int32) -> (bytes: UInt64, files: Int) {
        guard let directory = fdopendir(descriptor) else {
            close(descriptor)
            return (0, 0)
        }
        defer { closedir(directory) }
        var bytes: UInt64 = 0
        var files = 0
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var status = stat()
            guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                if status.st_nlink > 1 {
                    let identity = UInt64(status.st_ino) ^ (UInt64(status.st_dev) << 48)
                    guard seen.insert(identity).inserted else { continue }
                }
                bytes += UInt64(max(status.st_size, 0))
                files += 1
            case S_IFDIR:
                let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                guard child >= 0 else { continue }
                let inner = walk(child)
                bytes += inner.bytes
                files += inner.files
            default:
                continue
            }
        }
        return (bytes, files)
    }
}
