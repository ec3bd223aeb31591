import ArgumentParser
import Exporters
import Foundation
import OrderStore
import PraIngest

struct FeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feed",
        abstract: "Write each seller's whole catalogue as a product feed to outbox/feeds/.",
        discussion: """
            --format google writes Google Merchant Center's RSS 2.0 feed (g: namespace). A product missing a required
            attribute (id, title, description, link, image_link, availability from the stock, price) is left out and listed
            with its reason in outbox/feeds/<format>-<seller>-refused.csv. Akakçe and Cimri publish no open format: write their
            elements into a template (feeds/akakce.example.yaml shows how) from the spec your account manager gives you and
            pass it with --template. Links a product file lacks come from sellers.<code>.feed.link and image_link in pra.yaml.
            """
    )

    @OptionGroup var options: HomeOptions

    @Option(help: "google, or the name of a feed given by --template.")
    var format = "google"

    @Option(help: "A feed template (YAML): root, item, fields (element: attribute), required.")
    var template: String?

    @Option(help: "Only this seller. Default: every seller with products.")
    var seller: String?

    func run() throws {
        let home = try options.openHome()
        let config = try Configuration.load(home: home)
        let feed: ProductFeed
        do {
            if let template {
                feed = try FeedTemplate.load(path: template)
            } else {
                guard format == "google" else {
                    throw ValidationError("--format google is built in; another feed needs --template FILE (see feeds/akakce.example.yaml)")
                }
                feed = .google
            }
            let results = try FeedRun(feed: feed, outbox: OutboxWriter(root: home.outbox))
                .run(store: try OrderStore(location: home.store), config: config, sellers: seller.map { [$0] } ?? [])
            if results.isEmpty { print("no products stored: drop a products file (kind: products) first") }
            for r in results {
                print("\(r.seller): outbox/\(r.path): \(r.written) products, \(r.refused.count) refused")
                for refusal in r.refused.prefix(10) { Terminal.error("\(r.seller): \(refusal.sku): \(refusal.reason)") }
                if r.refused.count > 10 { Terminal.error("\(r.seller): \(r.refused.count - 10) more refused, listed in the -refused.csv file") }
            }
            if results.isEmpty || results.contains(where: { $0.written == 0 }) { throw ExitCode(1) }
        } catch let e as ReportError {
            Terminal.error(e.description)
            throw ExitCode(2)
        }
    }
}
