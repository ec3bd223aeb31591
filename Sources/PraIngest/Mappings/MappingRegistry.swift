import Foundation
import OrderCore
import Parsers

/// All mapping files of a home, loaded and checked, and the choice of mapping for a file.
public struct MappingRegistry: Sendable {
    public let mappings: [MappingSpec]
    /// Files that failed to load, with the error an admin must fix.
    public let problems: [MappingError]
    /// Mappings that load but are not used because their own tests fail, with the first failure:
    /// a file only they would take is refused naming them.
    public let disabled: [(spec: MappingSpec, reason: String)]
    let limits: Limits

    /// Loads every `*.yaml` / `*.yml` in `directory` (sorted by name) and runs the tests embedded
    /// in each: a mapping that does not load, or whose own tests fail, is not used.
    public init(directory: URL, limits: Limits = Limits()) {
        self.limits = limits
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var specs: [MappingSpec] = [], problems: [MappingError] = [], disabled: [(MappingSpec, String)] = []
        for name in names {
            let path = directory.appendingPathComponent(name).path
            // Messages name the file as an admin sees it from the home folder.
            do {
                let spec = try MappingFileLoader.load(path: path, as: "mappings/" + name, limits: limits)
                let failures = MappingTestRunner.run(spec)
                if let first = failures.first {
                    var e = MappingError("test '\(first.test)' failed: \(first.message)", at: first.location)
                    e.more = failures.dropFirst().map { MappingError("test '\($0.test)' failed: \($0.message)", at: $0.location) }
                        + [MappingError("the mapping is not used until its tests pass", at: SpecLocation(file: spec.file, line: 1, column: 1))]
                    problems.append(e)
                    disabled.append((spec, "its test '\(first.test)' fails (\(first.location))"))
                } else {
                    specs.append(spec)
                }
            } catch {
                problems.append(error)
            }
        }
        mappings = specs
        self.problems = problems
        self.disabled = disabled
    }

    public init(mappings: [MappingSpec], problems: [MappingError] = [], disabled: [(spec: MappingSpec, reason: String)] = [],
                limits: Limits = Limits()) {
        self.mappings = mappings
        self.problems = problems
        self.disabled = disabled
        self.limits = limits
    }

    /// Loads `directory` again after an edit. A file that no longer loads (or whose tests now
    /// fail) keeps its last good version in force (reported in ``problems``), so a broken edit
    /// never stops ingestion.
    public func reloaded(from directory: URL) -> MappingRegistry {
        let fresh = MappingRegistry(directory: directory, limits: limits)
        var specs = fresh.mappings
        for problem in fresh.problems {
            if let lastGood = mappings.first(where: { $0.file == problem.location.file }),
               !specs.contains(where: { $0.file == lastGood.file }) {
                specs.append(lastGood)
            }
        }
        return MappingRegistry(mappings: specs.sorted { $0.file < $1.file }, problems: fresh.problems,
                               disabled: fresh.disabled.filter { d in !specs.contains { $0.file == d.spec.file } }, limits: limits)
    }

    /// The platform of the mapping named `name` ("none" when there is none).
    public func platform(of name: String?) -> String {
        mappings.first { $0.name == name }?.platform ?? (name == "gib-user-list" ? "GİB" : "none")
    }

    /// The one mapping that claims `path`: by file name first, then by a look inside
    /// (XML root element, or header columns). No match or two matches is an error that says why.
    public func mapping(for path: String) throws(IngestError) -> MappingSpec {
        let sniff = FileSniff(path: path, limits: limits)
        if sniff.container == .xml, case .failure(let e) = sniff.xmlRoot {
            var error = IngestError(e)
            (error.code, error.file) = (.malformed, path)
            throw error
        }
        var reasons: [String] = []
        var hits: [MappingSpec] = []
        for spec in mappings {
            if let why = sniff.mismatch(spec) { reasons.append("\(spec.name): \(why)") } else { hits.append(spec) }
        }
        // Of several, the one of the highest priority takes it; a tie is an error that says how to settle it.
        let top = hits.map(\.priority).max()
        hits = hits.filter { $0.priority == top }
        if hits.count > 1 {
            throw IngestError(.ambiguousMapping, file: path,
                              "more than one mapping matches (\(hits.map(\.file).joined(separator: ", "))); "
                                + "make their match rules tell the files apart (file_name, header, absent_columns / "
                                + "absent_elements, xml_root, element), or give the one that should take such files a higher "
                                + "priority:")
        }
        guard let hit = hits.first else {
            // A mapping that would take the file but is not used: named, with why.
            if let (spec, reason) = disabled.first(where: { sniff.mismatch($0.spec) == nil }) {
                throw IngestError(.noMapping, file: path, "only \(spec.file) matches this file, and it is not used: \(reason); "
                                    + "fix the mapping (pra-ingest check) and replay the file")
            }
            // A file that cannot be read says so, rather than "no column …" for every mapping.
            if let cause = mappings.lazy.filter({ sniff.claimsKind($0) }).compactMap({ sniff.unreadable($0) }).first {
                var error = IngestError(cause)
                error.file = path
                throw error
            }
            let tried = reasons.isEmpty ? "there are no mappings" : reasons.joined(separator: "; ")
            throw IngestError(.noMapping, file: path, "no mapping matches this file (\(sniff.kindDescription)); tried: \(tried)")
        }
        return hit
    }
}
