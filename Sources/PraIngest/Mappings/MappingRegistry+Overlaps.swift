import Foundation
import OrderCore

extension MappingRegistry {
    /// What `pra-ingest check` says beyond each mapping's own problems: mappings that would claim
    /// the same files, a mapping that would not claim its own test inputs, mappings without tests.
    public struct Finding: Sendable, CustomStringConvertible {
        public var file: String
        public var message: String
        /// An error makes `check` fail; a warning is printed.
        public var isError: Bool
        public var description: String { "\(file): \(isError ? "error" : "warning"): \(message)" }
    }

    /// Runs every mapping's embedded test inputs, and each file under `samples` (real exports),
    /// against every mapping's match rules.
    public func findings(samples: [String] = []) -> [Finding] {
        var out: [Finding] = []
        for spec in mappings where spec.tests.isEmpty {
            out.append(Finding(file: spec.file, message: "the mapping has no tests: add one with a few rows of a real export "
                                + "(tests: input, expect) so a mistake in it is caught before a file lands", isError: false))
        }
        for spec in mappings {
            for test in spec.tests {
                guard let file = try? UnlinkedFile(contents: Array(test.input.utf8)) else { continue }
                let sniff = FileSniff(path: file.path, limits: limits)
                if let why = sniff.mismatch(Self.readingText(spec, like: spec, sniff), ignoringName: true) {
                    out.append(Finding(file: spec.file, message: "the mapping does not claim the input of its own test '\(test.name)' "
                                        + "(\(test.location)): \(why)", isError: true))
                    continue
                }
                for other in mappings where other.file != spec.file && other.priority == spec.priority
                    && sniff.mismatch(Self.readingText(other, like: spec, sniff), ignoringName: true) == nil
                    && !Self.namesTellApart(spec, other) {
                    out.append(Finding(file: spec.file, message: "\(other.file) also claims the input of test '\(test.name)'; a file "
                                        + "like it would be refused as matching both: tell them apart with match.absent_columns "
                                        + "(absent_elements) or a header/element only one has, or give the one that should "
                                        + "take such files a higher priority:", isError: true))
                }
            }
        }
        for path in samples {
            do { _ = try mapping(for: path) } catch where error.code == .ambiguousMapping {
                out.append(Finding(file: path, message: error.message, isError: true))
            } catch {}
        }
        return out
    }

    /// `spec` as it would read a test input of `owner`: an xlsx mapping's test input is CSV text.
    private static func readingText(_ spec: MappingSpec, like owner: MappingSpec, _ sniff: FileSniff) -> MappingSpec {
        var s = spec
        let tabular: Set<FormatSpec.Kind> = [.csv, .xlsx]
        if sniff.container == .text, !tabular.isDisjoint(with: s.format.kinds), !tabular.isDisjoint(with: owner.format.kinds) {
            s.format.kinds = [.csv]
        }
        return s
    }

    /// Both mappings claim files by name, with other globs: the names tell their files apart.
    private static func namesTellApart(_ a: MappingSpec, _ b: MappingSpec) -> Bool {
        !a.match.fileNames.isEmpty && !b.match.fileNames.isEmpty
            && Set(a.match.fileNames.map { $0.lowercased() }) != Set(b.match.fileNames.map { $0.lowercased() })
    }
}
