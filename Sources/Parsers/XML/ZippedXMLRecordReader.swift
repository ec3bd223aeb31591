import CXML2
import OrderCore

/// Streams the records of every XML file in a zip, one entry after the other (a provider's batch
/// of invoices, each its own UBL document): entries are inflated as libxml2 reads them, never
/// unpacked to disk, with the zip reader's size, ratio and checksum checks. Records carry the
/// entry they came from (``SourceRecord/part``).
public final class ZippedXMLRecordReader: RecordReader {
    private let path: String
    private let archive: ZipArchive
    private var pending: [ZipArchive.Entry]
    private var current: (reader: XMLRecordReader, stream: ZipEntryStream, entry: String)?
    private let layout: SourceLayout
    private let recordPath: [String]
    private let linePath: [String]
    private let limits: Limits
    private var records = 0
    private var unseen: UnseenFields?
    public let header: [String] = []

    public init(path: String, layout: SourceLayout, recordPath: [String], linePath: [String],
                limits: Limits = Limits()) throws(ParseError) {
        self.path = path
        archive = try ZipArchive(path: path)
        pending = archive.entries.filter(Self.isXMLFile)
        guard !pending.isEmpty else { throw ParseError(.malformed, file: path, message: "the zip holds no XML file") }
        // Two entries of one name: which one a record came from could not be told (nor kept as its copy).
        var names = Set<String>()
        for entry in archive.entries where !names.insert(entry.name).inserted {
            throw ParseError(.malformed, file: path, message: "the zip holds two files named \(entry.name); "
                                + "a provider's archive never does, and which one is meant cannot be told")
        }
        self.layout = layout
        self.recordPath = recordPath
        self.linePath = linePath
        self.limits = limits
    }

    /// An XML document in the archive (not a folder, not macOS's resource forks).
    static func isXMLFile(_ e: ZipArchive.Entry) -> Bool {
        e.name.lowercased().hasSuffix(".xml") && !e.name.hasPrefix("__MACOSX/") && !e.name.hasSuffix("/")
    }

    /// The root element of the first XML file in the zip at `path`, for matching it to a mapping.
    public static func rootElement(path: String) -> String? {
        guard let zip = try? ZipArchive(path: path), zip["xl/workbook.xml"] == nil,
              let entry = zip.entries.first(where: isXMLFile),
              let stream = try? ZipEntryStream(archive: zip, entry: entry, limits: Limits(), stopAfter: 65_536),
              let r = XLSXReader.xmlReader(stream, name: entry.name) else { return nil }
        defer { xmlFreeTextReader(r) }
        while xmlTextReaderRead(r) == 1 {
            if xmlTextReaderNodeType(r) == 10 { return nil }
            if xmlTextReaderNodeType(r) == 1 { return xmlTextReaderConstLocalName(r).map { String(cString: $0) } }
        }
        return nil
    }

    public var bytesRead: Int64 { 0 }

    public var unseenFields: UnseenFields { unseen ?? UnseenFields() }

    public func next() throws(ParseError) -> RecordResult? {
        while true {
            if current == nil {
                guard !pending.isEmpty else { return nil }
                let entry = pending.removeFirst()
                let stream = try ZipEntryStream(archive: archive, entry: entry, limits: limits, stopAfter: nil)
                current = (XMLRecordReader(stream: stream, path: "\(path) (\(entry.name))", layout: layout,
                                           recordPath: recordPath, linePath: linePath, limits: limits), stream, entry.name)
            }
            guard let (reader, stream, entry) = current else { continue }
            let next: RecordResult?
            do { next = try reader.next() } catch { throw stream.failure ?? error }
            guard let next else {
                if let failure = stream.failure { throw failure }
                unseen = unseen.map { $0.intersection(reader.unseenFields) } ?? reader.unseenFields
                current = nil
                continue
            }
            records += 1
            guard records <= limits.maxRecordsPerFile else {
                throw ParseError(.malformed, file: path, message: "the zip has more than \(limits.maxRecordsPerFile) records "
                                    + "(limits.max_records_per_file in pra.yaml)")
            }
            if case .record(var record) = next {
                record.part = entry
                return .record(record)
            }
            return next
        }
    }
}
