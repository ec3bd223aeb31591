@testable import PraIngest
import Testing

/// When the watcher's export thread runs an export (``ExportPacing``), on a clock the tests move.
@Suite struct ExportPacingTests {
    /// Pacing whose last export ended at `t`.
    static func exported(at t: Double, batchSeconds: Double = 1) -> ExportPacing {
        var pacing = ExportPacing(batchSeconds: batchSeconds)
        pacing.started()
        pacing.ended(at: t, ran: true)
        return pacing
    }

    /// New pacing owes nothing (the watcher has just run the exports a crash may have left half
    /// done); its first file is exported at once, and after an export nothing is owed.
    @Test func whatIsOwedAtTheStart() {
        var pacing = ExportPacing(batchSeconds: 1)
        #expect(!pacing.owed)
        #expect(!pacing.isDue(now: 0))
        pacing.landed()
        #expect(pacing.isDue(now: 0)) // no export yet: a lone first file goes at once
        pacing.started()
        pacing.ended(at: 0.1, ran: true)
        #expect(!pacing.owed)
        #expect(!pacing.isDue(now: 50))
    }

    /// A lone file is exported as soon as the watcher finds the queue empty, even right after an export.
    @Test func aLoneFileIsExportedAtOnce() {
        var pacing = Self.exported(at: 0)
        pacing.landed()
        #expect(!pacing.isDue(now: 0.2)) // more files may follow
        pacing.queueDrained()
        #expect(pacing.isDue(now: 0.2))
    }

    /// While files keep landing, one export per `batchSeconds`; the rest when the queue is empty.
    @Test func aFloodIsExportedInBatches() {
        var pacing = Self.exported(at: 0)
        var exports: [Double] = []
        for step in 1...25 {
            let now = Double(step) * 0.1
            pacing.landed()
            if pacing.isDue(now: now) {
                exports.append(now)
                pacing.started()
                pacing.ended(at: now, ran: true)
            }
        }
        #expect(exports == [1.0, 2.0])
        #expect(pacing.owed)
        pacing.queueDrained()
        #expect(pacing.isDue(now: 2.5))
    }

    /// With no batching, every landed file is due at once.
    @Test func noBatchingExportsEveryFile() {
        var pacing = Self.exported(at: 5, batchSeconds: 0)
        pacing.landed()
        #expect(pacing.isDue(now: 5))
    }

    /// An export that could not run (another worker was exporting, or it failed) stays owed and is
    /// tried again at the watcher's next look at the queue, not over and over meanwhile.
    @Test func anExportThatCouldNotRunIsTriedAtTheNextLook() {
        var pacing = ExportPacing(batchSeconds: 1)
        pacing.landed()
        pacing.queueDrained()
        pacing.started()
        pacing.ended(at: 0, ran: false)
        #expect(pacing.owed)
        #expect(!pacing.isDue(now: 10))
        pacing.queueDrained()
        #expect(pacing.isDue(now: 10))
    }

    /// Orders that land while an export runs are owed to the next one.
    @Test func ordersLandingDuringAnExportAreOwed() {
        var pacing = ExportPacing(batchSeconds: 1)
        pacing.started()
        pacing.landed()
        pacing.ended(at: 0, ran: true)
        #expect(pacing.owed)
        pacing.queueDrained()
        #expect(pacing.isDue(now: 0))
    }
}
