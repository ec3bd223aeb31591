import Foundation
import PraIngest
import Testing

/// The checksum that finds a file ingested before: the published SHA-256 values, and a file
/// read in several chunks hashing as one.
@Suite struct SHA256Tests {
    @Test func knownDigests() {
        #expect(SHA256Digest.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(of: [UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func aFileLargerThanOneReadHashesAsAWhole() throws {
        let path = NSTemporaryDirectory() + "/pra-sha-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = (0..<600_000).map { UInt8(($0 * 7 + 3) % 251) } // hashlib.sha256 of the same bytes below
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try SHA256.hex(ofFile: path) == "9789d2fe663d53312adaa8d34351ca5a3e81a87e56bfed417f85d95f6a561e01")
        #expect(SHA256Digest.hex(of: bytes) == "9789d2fe663d53312adaa8d34351ca5a3e81a87e56bfed417f85d95f6a561e01")
    }
}
