import Foundation
import Yams

/// Settings from `pra.yaml`. Every key is optional.
///
/// ```yaml
/// default_seller: demo     # seller of files dropped directly in inbox/
/// ```
public struct Configuration: Sendable {
    /// The seller code of files that are not in an `inbox/<seller>/` folder.
    public var defaultSeller = "demo"

    public init() {}

    /// Reads `pra.yaml` in `home`, or the defaults when there is none.
    public static func load(home: Home) throws -> Configuration {
        var c = Configuration()
        guard let data = FileManager.default.contents(atPath: home.configFile.path) else { return c }
        guard let root = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) as? [String: Any] else { return c }
        let known = ["default_seller"]
        if let unknown = root.keys.first(where: { !known.contains($0) }) {
            throw IngestError(.internal, file: home.configFile.path, "unknown key '\(unknown)' (known: \(known.joined(separator: ", ")))")
        }
        if let s = root["default_seller"] as? String { c.defaultSeller = s }
        return c
    }
}
