/// Sees the bytes a reader reads from a file, in file order from its first byte: the ingest
/// hashes what it parses as it parses it instead of reading the file a second time.
///
/// Readers that stream a file from its start (CSV, XML, JSON) take one; a reader that reads
/// out of order (a workbook's or a zip's entries) does not.
public protocol ReadObserver: AnyObject, Sendable {
    /// The next bytes of the file, right after those of the previous call.
    func observe(_ bytes: UnsafeRawBufferPointer)
    /// A read returned no bytes: every byte of the file was observed.
    func reachedEnd()
}
