import Foundation
import Glibc
import OrderCore

/// Lists the files waiting in `inbox/`: `inbox/<seller>/…` belongs to that seller, files directly
/// in `inbox/` to the default seller. Temporary and hidden names are skipped.
struct InboxScanner {
    let inbox: URL
    let defaultSeller: String

    struct Entry: Equatable {
        /// Absolute path.
        var path: String
        var seller: String
        var stat: FileReadiness.Stat
        /// Why the entry is refused without being read (not a regular file).
        var refusal: String?
    }

    func scan() -> [Entry] {
        var out: [Entry] = []
        walk(inbox.path, seller: nil, into: &out)
        return out.sorted { $0.path < $1.path }
    }

    /// Every folder under the inbox (to watch), the inbox first.
    func folders() -> [String] {
        var out = [inbox.path]
        var i = 0
        while i < out.count {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: out[i])) ?? [] where !name.hasPrefix(".") {
                let p = out[i] + "/" + name
                if Self.stat(p)?.isDirectory == true { out.append(p) }
            }
            i += 1
        }
        return out
    }

    private func walk(_ dir: String, seller: String?, into out: inout [Entry]) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            guard !FileReadiness.isTemporaryName(name) else { continue }
            let p = dir + "/" + name
            guard let st = Self.stat(p) else { continue }
            if st.isDirectory {
                walk(p, seller: seller ?? name, into: &out)
            } else if st.isRegular {
                out.append(Entry(path: p, seller: seller ?? defaultSeller, stat: st.readiness))
            } else {
                // A symbolic link could point anywhere (/etc/passwd); a pipe would block the reader.
                out.append(Entry(path: p, seller: seller ?? defaultSeller, stat: st.readiness,
                                 refusal: "not a regular file (a symbolic link, pipe or device): only files themselves are taken"))
            }
        }
    }

    struct Info {
        var isDirectory: Bool
        var isRegular: Bool
        var readiness: FileReadiness.Stat
    }

    static func stat(_ path: String) -> Info? {
        var s = Glibc.stat()
        guard lstat(path, &s) == 0 else { return nil }
        let type = s.st_mode & S_IFMT
        let mtime = Int64(s.st_mtim.tv_sec) * 1_000_000_000 + Int64(s.st_mtim.tv_nsec)
        return Info(isDirectory: type == S_IFDIR, isRegular: type == S_IFREG,
                    readiness: FileReadiness.Stat(size: Int64(s.st_size), modified: mtime, inode: UInt64(s.st_ino)))
    }

    /// Whether some process still has the file open for writing. Uses a read lease, which the
    /// kernel refuses while a writer has the file open; `nil` when leases are not available
    /// (another owner, a network file system), so only the stability rule applies.
    static func isOpenForWriting(_ path: String) -> Bool? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let F_SETLEASE: Int32 = 1024
        if fcntl(fd, F_SETLEASE, Int32(F_RDLCK)) == 0 {
            _ = fcntl(fd, F_SETLEASE, Int32(F_UNLCK))
            return false
        }
        return errno == EAGAIN ? true : nil
    }
}
