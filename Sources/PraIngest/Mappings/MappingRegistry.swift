import Foundation
import OrderCore
import Parsers

/// All mapping files of a home, loaded and checked, and the choice of mapping for a file.
public struct MappingRegistry: Sendable {
    public let mappings: [MappingSpec]
    /// Files that failed to load, with the error an admin must fix.
    public let problems: [MappingError]

    /// Loads every `*.yaml` / `*.yml` in `directory` (sorted by name).
    public init(directory: URL) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var specs: [MappingSpec] = [], problems: [MappingError] = []
        for name in names {
            let path = directory.appendingPathComponent(name).path
            do { specs.append(try MappingFileLoader.load(path: Self.displayPath(path))) } catch { problems.append(error) }
        }
        mappings = specs
        self.problems = problems
    }

    public init(mappings: [MappingSpec]) {
        self.mappings = mappings
        problems = []
    }

    /// Paths relative to the working directory read better in messages.
    static func displayPath(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    /// The one mapping that claims `path`: by file name first, then by a look inside
    /// (XML root element, or header columns). No match or two matches is an error that says why.
    public func mapping(for path: String) throws(IngestError) -> MappingSpec {
        let sniff = FileSniff(path: path)
        if sniff.container == .xml, case .failure(let e) = XMLRecordReader.rootElement(path: path) {
            throw IngestError(.malformed, file: path, e.positionedMessage)
        }
        var reasons: [String] = []
        var hits: [MappingSpec] = []
        for spec in mappings {
            if let why = sniff.mismatch(spec) { reasons.append("\(spec.name): \(why)") } else { hits.append(spec) }
        }
        if hits.count > 1 {
            throw IngestError(.ambiguousMapping, file: path,
                              "more than one mapping matches (\(hits.map(\.file).joined(separator: ", "))); "
                                + "make their match rules (file_name, header, xml_root) tell the files apart")
        }
        guard let hit = hits.first else {
            let tried = reasons.isEmpty ? "there are no mappings" : reasons.joined(separator: "; ")
            throw IngestError(.noMapping, file: path, "no mapping matches this file (\(sniff.kindDescription)); tried: \(tried)")
        }
        return hit
    }
}
