import Foundation
import Hummingbird
import NIOCore
import RefGateCore

extension LocalAPI {
    func addAgenciesAndRegion(_ routes: Routes) {
        routes.on(.get, "/agencies") { request, _, _ in
            Self.json(try await self.agencies.list(includingMerged: request.uri.queryParameters["merged"] == "true"))
        }
        routes.on(.post, "/agencies") { request, context, principal in
            let input = try await Self.decode(AgencyInput.self, from: request, context: context)
            return Self.json(
                try await self.agencies.save(
                    number: input.companiesHouseNumber, name: input.name, contactEmail: input.contactEmail,
                    by: principal))
        }
        routes.on(.post, "/agencies/{number}/merge") { request, context, principal in
            let input = try await Self.decode(MergeInput.self, from: request, context: context)
            return Self.json(
                try await self.agencies.merge(
                    try context.parameters.require("number"), into: input.into, by: principal))
        }
        routes.on(.get, "/agencies/{number}/concerns") { _, context, _ in
            Self.json(try await self.agencies.concerns(agency: try context.parameters.require("number")))
        }
        routes.on(.post, "/agencies/{number}/concerns") { request, context, principal in
            let input = try await Self.decode(ConcernInput.self, from: request, context: context)
            return Self.json(
                try await self.agencies.recordConcern(
                    agency: try context.parameters.require("number"), category: input.category, text: input.text,
                    recordedBy: input.recordedBy, by: principal),
                status: .created)
        }
        routes.on(.post, "/candidates/{registration}/agency-checks") { request, context, principal in
            let input = try await Self.decode(AgencyChecksInput.self, from: request, context: context)
            return Self.json(
                try await self.agencies.recordChecks(
                    registration: try context.parameters.require("registration"), input, by: principal),
                status: .created)
        }
        routes.on(.post, "/candidates/{registration}/agency-link") { _, context, principal in
            let sent = try await self.agencies.sendLink(
                registration: try context.parameters.require("registration"), by: principal)
            return Self.json(LinkSent(sentTo: sent.sentTo, expiresAt: sent.expiresAt), status: .created)
        }
        routes.on(.get, "/region") { request, _, _ in
            Self.json(try await self.region.picture(period: request.uri.queryParameters["period"].map(String.init)))
        }
        routes.on(.get, "/region.csv") { request, _, _ in
            Self.regionCSV(
                try await self.region.picture(period: request.uri.queryParameters["period"].map(String.init)))
        }
        routes.on(.post, "/region/figures") { _, _, _ in
            Self.json(FiguresSent(months: try await self.region.sendFigures()), status: .accepted)
        }
    }

    /// The regional picture as a CSV download (suppressed as shown).
    static func regionCSV(_ picture: RegionalPicture) -> Response {
        let csv = ([RegionalPicture.csvHeader] + picture.csvRows).joined(separator: "\r\n") + "\r\n"
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"region-\(picture.period ?? "all").csv\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: csv)))
    }
}

/// `POST /agencies`.
struct AgencyInput: Codable, Sendable {
    var companiesHouseNumber: String
    var name: String
    var contactEmail: String?
}

/// `POST /agencies/{number}/merge`.
struct MergeInput: Codable, Sendable {
    var into: String
}

/// `POST /agencies/{number}/concerns`.
struct ConcernInput: Codable, Sendable {
    var category: AgencyConcern.Category
    var text: String
    var recordedBy: Person?
}

/// The answer to `POST /candidates/{registration}/agency-link`: where it went, not the link.
struct LinkSent: Codable, Sendable {
    var sentTo: String
    var expiresAt: Date
}

/// The answer to `POST /region/figures`.
struct FiguresSent: Codable, Sendable {
    var months: Int
}
