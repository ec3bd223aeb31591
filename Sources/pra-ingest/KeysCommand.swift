import ArgumentParser
import Foundation
import OrderCore
import OrderStore
import PraIngest
import Server

extension APIKeyStore.Role: ExpressibleByArgument {}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "API keys of the HTTP server: create, list, revoke.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; it is printed once, alone on the last line (only its hash is stored).")

        @OptionGroup var options: HomeOptions

        @Option(help: "seller (one seller's uploads, webhooks, jobs and page), operator (everything read-only), or admin (everything).")
        var role: APIKeyStore.Role

        @Option(help: "The seller of a seller's key (its inbox/<seller>/ folder).")
        var seller: String?

        @Option(help: "A name to tell the key apart in `keys list`.")
        var name: String?

        func validate() throws {
            if role == .seller {
                guard let seller else { throw ValidationError("a seller's key needs --seller CODE") }
                if let problem = SellerCode.problem(seller) { throw ValidationError("--seller: \(problem)") }
            } else if seller != nil {
                throw ValidationError("an \(role.rawValue) key takes no --seller")
            }
        }

        func run() throws {
            let home = try options.openHome()
            try home.prepare()
            let (id, key) = try KeyAdmin.create(home: home, role: role, seller: seller, name: name)
            print("key \(id) (\(role.rawValue)\(seller.map { ", seller \($0)" } ?? "")) created; it is shown only now:")
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every key: id, role, seller, name, created, revoked.")
        @OptionGroup var options: HomeOptions

        func run() throws {
            for k in try KeyAdmin.list(home: try options.openHome()) {
                print([String(k.id), k.role.rawValue, k.seller ?? "-", k.name ?? "-", k.createdAt,
                       k.revokedAt.map { "revoked \($0)" } ?? "live"].joined(separator: "  "))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: requests with it get 401 from then on.")
        @OptionGroup var options: HomeOptions
        @Argument(help: "The key's id (keys list).") var id: Int64

        func run() throws {
            guard try KeyAdmin.revoke(home: try options.openHome(), id: id) else {
                throw ValidationError("no live key \(id)")
            }
            print("key \(id) revoked")
        }
    }
}
