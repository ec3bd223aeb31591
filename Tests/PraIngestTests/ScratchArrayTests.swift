import Testing
@testable import Parsers

/// The readers' scratch memory: what is appended is what is read back, across growth, and a row
/// copied out keeps its bytes when the scratch is reused.
@Suite struct ScratchArrayTests {
    @Test func keepsEveryElementAcrossGrowthAndDropsFromTheEnd() {
        var scratch = ScratchArray<Int>(capacity: 2)
        var expected: [Int] = []
        for i in 0..<1_000 {
            scratch.append(i)
            expected.append(i)
        }
        let run = Array(5_000..<7_000)
        run.withUnsafeBufferPointer { scratch.append(contentsOf: $0) } // one run past the room there is
        expected += run
        #expect(scratch.count == 3_000)
        #expect(Array(scratch.elements) == expected)
        #expect(scratch[999] == 999 && scratch.last == 6_999)
        scratch[0] = -1
        #expect(scratch.removeLast() == 6_999)
        scratch.removeLast(1_998)
        #expect(Array(scratch.elements) == [-1] + Array(1..<1_000) + [5_000])
        scratch.removeAll()
        #expect(scratch.isEmpty && scratch.last == nil)
        scratch.append(7)
        #expect(Array(scratch.elements) == [7])
    }

    @Test func aRowCopiedOutKeepsItsBytesWhenTheScratchIsReused() {
        var scratch = ScratchArray<UInt8>(capacity: 4)
        Array("first row".utf8).withUnsafeBufferPointer { scratch.append(contentsOf: $0) }
        let first = scratch.bytes
        scratch.removeAll()
        Array("a second, longer row that makes the scratch grow".utf8).withUnsafeBufferPointer { scratch.append(contentsOf: $0) }
        #expect(String(decoding: first, as: UTF8.self) == "first row")
        #expect(String(decoding: scratch.bytes, as: UTF8.self) == "a second, longer row that makes the scratch grow")
        #expect(first.count == 9) // the exact size, not the scratch's room
    }
}
