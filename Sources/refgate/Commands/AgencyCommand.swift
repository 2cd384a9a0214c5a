import ArgumentParser
import Foundation
import RefGateCore
import RefGateNode
import RefGateStore

struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency",
        abstract: "Employing agencies (para 3): list, add or change, merge duplicates, record a concern.",
        subcommands: [List.self, Add.self, Merge.self, Concern.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The agencies this node knows.")
        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let rows = try await APIClient(configurationPath: config).get("/agencies", as: [AgencyRecord].self)
            if json { return print(try Printing.json(rows)) }
            if rows.isEmpty { return print("no agencies yet") }
            for row in rows {
                print("\(row.number)  \(row.name.escapedForDisplay())  \(row.contactEmail ?? "(no contact)")")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an agency, or change the name and compliance contact of one held.")
        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "Companies House number (8 characters).") var number: String
        @Option(help: "Registered name.") var name: String
        @Option(help: "Compliance contact e-mail (para 8 notices and para 9 links go there).") var contactEmail: String?

        func run() async throws {
            var body = ["companiesHouseNumber": number, "name": name]
            body["contactEmail"] = contactEmail
            let record = try await APIClient(configurationPath: config).post("/agencies", body, as: AgencyRecord.self)
            print("agency \(record.number) saved: \(record.name.escapedForDisplay())")
        }
    }

    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a duplicate agency record into the one it stands for (operators).")
        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The duplicate's Companies House number.") var duplicate: String
        @Option(help: "The number it stands for.") var into: String

        func run() async throws {
            let path = "/agencies/\(try CompaniesHouseNumber(validating: duplicate))/merge"
            let record = try await APIClient(configurationPath: config).post(
                path, ["into": into], as: AgencyRecord.self)
            print("agency \(duplicate) merged into \(record.number) (\(record.name.escapedForDisplay()))")
        }
    }

    struct Concern: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a concern about an agency (para 3).")
        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The agency's Companies House number.") var number: String
        @Option(
            help: "\(AgencyConcern.Category.allCases.map(\.rawValue).joined(separator: ", ")).")
        var category: String
        @Option(help: "What happened, up to 1,000 characters.") var text: String
        @Option(help: "Your name (with the node's token).") var name: String
        @Option(help: "Your role (with the node's token).") var role: String = "recruiter"

        func run() async throws {
            guard AgencyConcern.Category(rawValue: category) != nil else {
                throw ValidationError(
                    "--category is one of \(AgencyConcern.Category.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            struct Body: Encodable {
                var category: String
                var text: String
                var recordedBy: Person
            }
            let path = "/agencies/\(try CompaniesHouseNumber(validating: number))/concerns"
            let concern = try await APIClient(configurationPath: config).post(
                path, Body(category: category, text: text, recordedBy: Person(name: name, role: role)),
                as: AgencyConcern.self)
            print("concern \(concern.id) recorded about \(concern.agency)")
        }
    }
}

struct RegionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "region",
        abstract: "The regional picture (paras 1, 3): send this node's figures, or show the region at the coordinator.",
        subcommands: [Send.self, Show.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign this month's and last month's figures to the coordinator now.")
        @Option(help: "This node's configuration file.") var config: String

        func run() async throws {
            struct Sent: Decodable { var months: Int }
            let sent = try await APIClient(configurationPath: config).post(
                "/region/figures", [String: String](), as: Sent.self)
            print(
                sent.months == 0
                    ? "the directory names no coordinator: no figures sent" : "figures for \(sent.months) months queued"
            )
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "At the coordinator: each authority's ratings, small numbers suppressed.")
        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "A month, YYYY-MM (default: every month held).") var period: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let query = period.map { "?period=\($0)" } ?? ""
            let picture = try await APIClient(configurationPath: config).get(
                "/region\(query)", as: RegionalPicture.self)
            if json { return print(try Printing.json(picture)) }
            print("\(picture.region): \(picture.period ?? "every month held"), \(picture.sources.count) signed figures")
            for row in picture.authorities where row.reported || row.requests != "0" {
                let ratings = row.standards.map { "\($0.standard.rawValue)=\($0.rating?.rawValue ?? "-")" }
                print("\(row.authority)  \(row.name)  requests \(row.requests)  \(ratings.joined(separator: " "))")
            }
        }
    }
}
