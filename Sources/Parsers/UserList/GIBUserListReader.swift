import CXML2
import Foundation
import OrderCore

/// Streams GİB's e-Fatura registered-user list (`UserList/User`, `NewUserList.xsd`), plain or
/// zipped, one user at a time: flat memory however many million users it holds. A list is
/// checked as it is read, since it decides every seller's invoices: an identifier that is not a
/// VKN or TCKN, a date that does not parse, or a title longer than ``maxTitleBytes`` fails it
/// with the user's line.
public final class GIBUserListReader {
    /// One user and the periods its Invoice aliases were registered.
    public struct User: Sendable, Equatable {
        public var identifier: String
        public var title: String
        public var isPublicBody: Bool
        /// Merged, sorted periods (epoch seconds) during which the user had an Invoice alias;
        /// `end` is `nil` while one is still open.
        public var invoicePeriods: [(start: Int64, end: Int64?)]

        public static func == (a: User, b: User) -> Bool {
            a.identifier == b.identifier && a.title == b.title && a.isPublicBody == b.isPublicBody
                && a.invoicePeriods.map { "\($0.start)-\($0.end ?? -1)" } == b.invoicePeriods.map { "\($0.start)-\($0.end ?? -1)" }
        }
    }

    private let path: String
    private let reader: xmlTextReaderPtr
    /// The plain file's reader (which frees `reader`); `nil` for a zipped list.
    private let plainFile: XMLTextReaderFile?
    private let stream: ZipEntryStream?
    private let archive: ZipArchive?
    private let zone = TimeZone(identifier: "Europe/Istanbul")!
    public private(set) var count = 0
    /// The longest title accepted (GİB's titles are a few hundred bytes at most).
    public static let maxTitleBytes = 1_024

    /// Whether the file at `path` is a user list: an XML file whose root is `UserList`, or a zip
    /// (not a workbook) holding one.
    public static func isUserList(path: String) -> Bool {
        if case .success("UserList") = XMLRecordReader.rootElement(path: path) { return true }
        return isZippedUserList(path: path)
    }

    /// Whether the file at `path` is a zip (not a workbook) holding a user list.
    public static func isZippedUserList(path: String) -> Bool {
        guard let zip = try? ZipArchive(path: path), zip["xl/workbook.xml"] == nil,
              let entry = zip.entries.first(where: { $0.name.lowercased().hasSuffix(".xml") }),
              let stream = try? ZipEntryStream(archive: zip, entry: entry, limits: Limits(), stopAfter: 4096),
              let r = XLSXReader.xmlReader(stream, name: entry.name) else { return false }
        defer { xmlFreeTextReader(r) }
        while xmlTextReaderRead(r) == 1 {
            if xmlTextReaderNodeType(r) == 1 {
                return xmlTextReaderConstLocalName(r).map { String(cString: $0) } == "UserList"
            }
        }
        return false
    }

    public init(path: String, limits: Limits = Limits()) throws(ParseError) {
        self.path = path
        if case .success = XMLRecordReader.rootElement(path: path) {
            let file = try XMLTextReaderFile(path: path, options: XMLRecordReader.options)
            plainFile = file
            reader = file.reader
            stream = nil
            archive = nil
        } else {
            let zip = try ZipArchive(path: path, what: "zipped user list")
            guard let entry = zip.entries.first(where: { $0.name.lowercased().hasSuffix(".xml") }) else {
                throw ParseError(.malformed, file: path, message: "the zip holds no XML user list")
            }
            let s = try ZipEntryStream(archive: zip, entry: entry, limits: limits, stopAfter: nil)
            guard let r = XLSXReader.xmlReader(s, name: entry.name) else {
                throw ParseError(.malformed, file: path, message: "cannot read \(entry.name)")
            }
            plainFile = nil
            reader = r
            stream = s
            archive = zip
        }
    }

    deinit { if plainFile == nil { xmlFreeTextReader(reader) } }

    /// The next user with its Invoice registration periods; `nil` at the end.
    public func next() throws(ParseError) -> User? {
        var user: User?
        var field: String?
        var text = ""
        var inInvoiceDocument = false
        var alias: (created: Int64?, deleted: Int64?)?
        var periods: [(Int64, Int64?)] = []
        while true {
            let ret = xmlTextReaderRead(reader)
            if ret == 0 {
                if let failure = stream?.failure { throw failure }
                return nil
            }
            if ret < 0 {
                throw stream?.failure ?? ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                                    message: "the user list is not well-formed")
            }
            let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            switch xmlTextReaderNodeType(reader) {
            case 1:
                switch name {
                case "User": user = User(identifier: "", title: "", isPublicBody: false, invoicePeriods: []); periods = []
                case "Document":
                    let type = xmlTextReaderGetAttribute(reader, "type").map { p -> String in
                        defer { cxml2_free(p) }
                        return String(cString: p)
                    }
                    inInvoiceDocument = type == "Invoice"
                case "Alias" where inInvoiceDocument: alias = (nil, nil)
                case "Identifier", "Title", "Type", "CreationTime", "DeletionTime": field = name; text = ""
                default: break
                }
            case 3, 4:
                if field != nil, let v = xmlTextReaderConstValue(reader) {
                    text += String(cString: v)
                    guard text.utf8.count <= Self.maxTitleBytes else {
                        throw invalid("its \(field ?? "") is longer than \(Self.maxTitleBytes) bytes")
                    }
                }
            case 5, 10:
                throw ParseError(.forbiddenConstruct, file: path, message: XMLRecordReader.doctypeRefusal)
            case 15:
                switch name {
                case "Identifier":
                    let id = text.trimmingBlanks()
                    guard (id.utf8.count == 10 || id.utf8.count == 11), id.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                        throw invalid("the identifier '\(id.prefix(40))' is not a VKN (10 digits) or TCKN (11 digits)")
                    }
                    user?.identifier = id
                case "Title": user?.title = text
                case "Type": user?.isPublicBody = text.trimmingBlanks() == "KAMU"
                case "CreationTime" where alias != nil, "DeletionTime" where alias != nil:
                    guard let t = epoch(text) else {
                        throw invalid("\(name) '\(text.trimmingBlanks().prefix(40))' is not a date (2014-03-27T16:13:26.000+03:00)")
                    }
                    if name == "CreationTime" { alias?.created = t } else { alias?.deleted = t }
                case "Alias":
                    if let a = alias, let created = a.created { periods.append((created, a.deleted)) }
                    alias = nil
                case "Document": inInvoiceDocument = false
                case "User":
                    guard var u = user else { break }
                    u.invoicePeriods = Self.merge(periods)
                    count += 1
                    if !u.identifier.isEmpty { return u }
                    user = nil
                default: break
                }
                if name == field { field = nil }
            default: break
            }
        }
    }

    /// The list is refused at the current user, with its line.
    private func invalid(_ why: String) -> ParseError {
        ParseError(.malformed, file: path, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                   message: "user \(count + 1) of the list: \(why); the list is refused and the one in force stays")
    }

    /// `2014-03-27T16:13:26.000+03:00`, `2014-03-27T16:13:26`, `2014-03-27 16:13:26`, `2014-03-27`.
    func epoch(_ text: String) -> Int64? {
        let t = text.trimmingBlanks()
        for f in [DateFormat.iso8601, .pattern("yyyy-MM-dd HH:mm:ss"), .pattern("yyyy-MM-dd HH:mm:ss.SSS")] {
            if let d = f.parse(t, zone: zone) { return d.epochSeconds }
        }
        return nil
    }

    /// Overlapping or touching periods joined, sorted by start.
    static func merge(_ periods: [(Int64, Int64?)]) -> [(start: Int64, end: Int64?)] {
        var out: [(start: Int64, end: Int64?)] = []
        for (start, end) in periods.sorted(by: { $0.0 < $1.0 }) {
            if let last = out.last, last.end.map({ start <= $0 }) ?? true {
                let merged: Int64? = last.end == nil || end == nil ? nil : max(last.end!, end!)
                out[out.count - 1] = (last.start, merged)
            } else {
                out.append((start, end))
            }
        }
        return out
    }
}
