import CXML2
import Foundation
import Testing

/// The official GİB checks, run on invoices the project wrote: the UBL-TR XSD in-process
/// through libxml2, and GİB's schematron through `scripts/validate-ubl` (Saxon, XPath 2).
enum UBLValidation {
    static let repo = Fixture.root.deletingLastPathComponent().deletingLastPathComponent()
    static let xsd = Fixture.path("ubl-official/xsdrt/maindoc/UBL-Invoice-2.1.xsd")

    /// XSD errors of one file (empty when valid).
    static func xsdErrors(_ path: String) -> [String] {
        let errors = ErrorSink()
        guard let parser = xmlSchemaNewParserCtxt(xsd), let schema = xmlSchemaParse(parser) else {
            return ["cannot load \(xsd)"]
        }
        defer { xmlSchemaFree(schema); xmlSchemaFreeParserCtxt(parser) }
        guard let ctx = xmlSchemaNewValidCtxt(schema) else { return ["no validation context"] }
        defer { xmlSchemaFreeValidCtxt(ctx) }
        xmlSchemaSetValidStructuredErrors(ctx, { sink, error in
            guard let sink, let error else { return }
            let s = Unmanaged<ErrorSink>.fromOpaque(sink).takeUnretainedValue()
            s.messages.append("line \(error.pointee.line): " + (error.pointee.message.map { String(cString: $0) } ?? "?"))
        }, Unmanaged.passUnretained(errors).toOpaque())
        let rc = xmlSchemaValidateFile(ctx, path, 0)
        if rc != 0 && errors.messages.isEmpty { errors.messages.append("validation failed (\(rc))") }
        return errors.messages
    }

    final class ErrorSink { var messages: [String] = [] }

    /// Schematron (and XSD again, in Python) results per file, from `scripts/validate-ubl --json`.
    static func officialResults(_ paths: [String]) throws -> [String: [String]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", repo.appendingPathComponent("scripts/validate-ubl").path, "--json"] + paths
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if !problems.isEmpty { Issue.record("validate-ubl: \(problems)") }
        var results: [String: [String]] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let file = obj["file"] as? String else { continue }
            results[file] = ((obj["xsd"] as? [String]) ?? []).map { "xsd: \($0)" }
                + ((obj["schematron"] as? [String]) ?? []).map { "schematron: \($0)" }
        }
        return results
    }

    /// Expects every file to pass both official layers.
    static func expectValid(_ paths: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(!paths.isEmpty, "no invoices to validate", sourceLocation: sourceLocation)
        for path in paths {
            #expect(xsdErrors(path) == [], "\(path)", sourceLocation: sourceLocation)
        }
        let official = try officialResults(paths)
        for path in paths {
            #expect(official[path] == [], "\(path): \(official[path] ?? ["not validated"])", sourceLocation: sourceLocation)
        }
    }
}
