import Foundation
import OrderCore
import Parsers

/// Runs the tests embedded in mapping files through the real readers and mapping engine.
public enum MappingTestRunner {
    /// One failed expectation, placed at the line of the test or field that failed.
    public struct Failure: Sendable, CustomStringConvertible {
        public var location: SpecLocation
        public var test: String
        public var message: String
        public var description: String { "\(location): test '\(test)' failed: \(message)" }
    }

    /// Runs every test of `spec`; an empty result means all passed.
    public static func run(_ spec: MappingSpec) -> [Failure] {
        var failures: [Failure] = []
        for test in spec.tests {
            failures += run(test, spec: spec)
        }
        return failures
    }

    static func run(_ test: MappingTest, spec: MappingSpec) -> [Failure] {
        func fail(_ m: String, _ at: SpecLocation? = nil) -> Failure {
            Failure(location: at ?? test.location, test: test.name, message: m)
        }
        var textSpec = spec
        textSpec.format.encoding = .utf8
        let file: UnlinkedFile
        do {
            file = try UnlinkedFile(contents: Array(test.input.utf8))
        } catch {
            return [fail("cannot write the input: \(error)")]
        }
        let mapper: OrderMapper
        do { mapper = try OrderMapper(spec: textSpec) } catch { return [fail(error.description)] }
        // Orders render with their lines; shipment and invoice records as their fields.
        var records: [(fields: [TargetField: String], lines: [(key: String, fields: [TargetField: String])])] = []
        var errors: [RecordError] = []
        var warnings: [RecordError] = []
        do {
            var reader = try SourceReaders.open(path: file.path, mapper: mapper)
            while let r = try reader.next() {
                switch r {
                case .rejected(let e, _): errors.append(e)
                case .record(let rec) where spec.kind == .orders:
                    switch mapper.map(rec) {
                    case .success(let m):
                        records.append((m.order.renderedFields, m.order.lines.map { ($0.key, $0.renderedFields) }))
                        warnings += m.warnings
                    case .failure(let e): errors += e.errors
                    }
                case .record(let rec):
                    switch mapper.mapRecord(rec) {
                    case .success(let m):
                        records.append((m.renderedFields, []))
                        warnings += m.warnings
                    case .failure(let e): errors += e.errors
                    }
                }
            }
            // A column or path the input lacks while it has a lookalike: the mapping misspells it.
            for unmatched in mapper.unmatchedSources(reader.unseenFields) where unmatched.isWarning {
                warnings.append(RecordError(position: SourcePosition(record: 0, line: 0), rule: unmatched.rule,
                                            reason: "nothing in the input matched \(unmatched)"))
            }
        } catch {
            // A missing column points at the rule that reads it.
            let rule = error.code == .missingColumn
                ? mapper.layout.readers.filter { error.message.contains("\"\($0.key)\"") }.map(\.value).min { $0.line < $1.line } : nil
            return [fail("the input does not parse: \(error.positionedMessage)", rule)]
        }

        var failures: [Failure] = []
        let noun = spec.kind == .orders ? "orders" : "records"
        if records.count != test.expectedOrders.count {
            failures.append(fail("expected \(test.expectedOrders.count) \(noun), got \(records.count)"
                                 + (errors.isEmpty ? "" : "; rejected: \(errors.map(\.description).joined(separator: "; "))")))
        }
        // Expected orders are found by their number when they give one (the first not yet paired:
        // packages of one order are records of their own here), else by position.
        let number: TargetField = spec.kind == .orders ? .siparis_numarasi : .fatura_no
        var pairs: [(ExpectedOrder, (fields: [TargetField: String], lines: [(key: String, fields: [TargetField: String])]))] = []
        var paired = Set<Int>()
        for (i, expected) in test.expectedOrders.enumerated() {
            if let wanted = expected.fields.first(where: { $0.0 == number })?.1 {
                guard let j = records.indices.first(where: { !paired.contains($0) && records[$0].fields[number] == wanted }) else {
                    failures.append(fail("no \(spec.kind == .orders ? "order" : "record") \(wanted) among those read", expected.location))
                    continue
                }
                paired.insert(j)
                pairs.append((expected, records[j]))
            } else if i < records.count {
                pairs.append((expected, records[i]))
            }
        }
        for (expected, actual) in pairs {
            for (field, value, at) in expected.fields where actual.fields[field] != value {
                failures.append(fail("\(field.rawValue): expected '\(value)', got '\(actual.fields[field] ?? "(none)")'", at))
            }
            if !expected.lines.isEmpty && expected.lines.count != actual.lines.count {
                failures.append(fail("order \(actual.fields[.siparis_numarasi] ?? ""): expected \(expected.lines.count) lines, "
                                     + "got \(actual.lines.count)", expected.location))
            }
            for (expectedLine, line) in zip(expected.lines, actual.lines) {
                for (field, value, at) in expectedLine where line.fields[field] != value {
                    failures.append(fail("line \(line.key) \(field.rawValue): expected '\(value)', got '\(line.fields[field] ?? "(none)")'", at))
                }
            }
        }
        for (what, expected, got) in [("rejected records", test.expectedErrors, errors), ("warnings", test.expectedWarnings, warnings)] {
            if got.count != expected.count {
                failures.append(fail("expected \(expected.count) \(what), got \(got.count)"
                                     + (got.isEmpty ? "" : ": \(got.map(\.description).joined(separator: "; "))")))
            } else {
                for (want, g) in zip(expected, got) where !g.description.contains(want) {
                    failures.append(fail("expected \(what) containing '\(want)', got '\(g.description)'"))
                }
            }
        }
        return failures
    }
}
