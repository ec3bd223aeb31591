import CXML2
import Glibc

/// libxml2's pull reader over a file opened through ``SourceFile`` (no links, the held file when
/// there is one), for the small reads that match a file to a mapping and for the user list.
final class XMLTextReaderFile {
    let reader: xmlTextReaderPtr
    private let fd: Int32

    init(path: String, options: Int32) throws(ParseError) {
        fd = try SourceFile.open(path)
        guard let r = xmlReaderForFd(fd, path, nil, options) else {
            Glibc.close(fd)
            throw ParseError(.unreadable, file: path, message: "cannot open the file")
        }
        Self.silence(r)
        reader = r
    }

    /// libxml2 prints a pull reader's errors to stderr, with the bytes around them (a buyer's name,
    /// say) whatever the options: customer data stays out of logs, and errors are reported by us.
    static func silence(_ reader: xmlTextReaderPtr) {
        xmlTextReaderSetErrorHandler(reader, { _, _, _, _ in }, nil)
    }

    deinit {
        xmlFreeTextReader(reader)
        Glibc.close(fd) // libxml2 leaves a descriptor it was given open
    }
}
