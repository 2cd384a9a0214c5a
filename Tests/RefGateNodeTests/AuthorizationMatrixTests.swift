import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RefGateCore
import RefGateStore
import Testing

@testable import RefGateNode

/// Every local API endpoint × every role: allowed roles get past the role check (whatever the
/// endpoint then says about the empty request), the others get 403 `role-forbidden`, and no
/// token gets 401. The expected matrix is written out here, not read from the code.
@Suite(.timeLimit(.minutes(3))) struct AuthorizationMatrixTests {
    // R recruiter, P responder, S service-manager, H head-of-service, O operator, A admin.
    static let expected: [(String, String)] = [
        ("GET /me", "RPSHOA"),
        ("GET /me/alerts", "RPSHOA"),
        ("PUT /me/alerts", "RPSHOA"),
        ("GET /me/channels", "RPSHOA"),
        ("PUT /me/channels", "RPSHOA"),
        ("GET /status", "OA"),
        ("POST /requests", "R"),
        ("GET /cases", "RPSHOA"),
        ("GET /cases/{id}", "RPSHOA"),
        ("POST /cases/{id}/response", "PSH"),
        ("POST /cases/{id}/escalations", "RSH"),
        ("GET /cases/{id}/evidence", "HOA"),
        ("POST /cases/{id}/decisions", "H"),
        ("POST /cases/{id}/legal-hold", "HA"),
        ("POST /cases/{id}/legal-hold/release", "HA"),
        ("GET /escalations", "SHOA"),
        ("POST /escalations/{id}/acknowledgement", "SH"),
        ("GET /candidates", "RHO"),
        ("GET /candidates/{registration}", "RHO"),
        ("POST /candidates/{registration}/checklist", "R"),
        ("POST /candidates/{registration}/offline-verifications", "R"),
        ("POST /candidates/{registration}/appointments", "RH"),
        ("GET /appointments", "RHOA"),
        ("GET /outstanding", "SHOA"),
        ("GET /deliveries", "OA"),
        ("GET /deliveries/problems", "OA"),
        ("POST /deliveries/retry", "OA"),
        ("GET /trust", "OA"),
        ("POST /directory", "A"),
        ("GET /performance", "SHOA"),
        ("GET /performance.csv", "SHOA"),
        ("POST /audit/heads", "OA"),
        ("POST /retention/run", "A"),
        ("POST /recovery", "A"),
        ("GET /subjects/{registration}", "A"),
        ("GET /users", "A"),
        ("POST /users", "A"),
        ("PATCH /users/{id}", "A"),
        ("GET /users/{id}/tokens", "A"),
        ("POST /users/{id}/tokens", "A"),
        ("POST /users/{id}/tokens/{token}/revocation", "A"),
        ("POST /users/{id}/sign-in-codes", "A"),
        ("POST /users/{id}/revocation", "A"),
        ("GET /agencies", "RSHOA"),
        ("POST /agencies", "RA"),
        ("POST /agencies/{number}/merge", "OA"),
        ("GET /agencies/{number}/concerns", "SH"),
        ("POST /agencies/{number}/concerns", "RSH"),
        ("POST /candidates/{registration}/agency-checks", "R"),
        ("POST /candidates/{registration}/agency-link", "R"),
        ("GET /region", "HOA"),
        ("GET /region.csv", "HOA"),
        ("POST /region/figures", "OA"),
    ]
    static let letters: [Character: UserRole] = [
        "R": .recruiter, "P": .responder, "S": .serviceManager, "H": .headOfService, "O": .operator, "A": .admin,
    ]

    @Test func everyEndpointAllowsOnlyItsRoles() async throws {
        let documented = Set(LocalAPI.endpoints.map { "\($0.method) \($0.path)" })
        #expect(documented == Set(Self.expected.map(\.0)), "the matrix here and the API's endpoints differ")

        let region = try TestRegion()
        let node = try await region.makeEngine(TestRegion.manchester)
        var tokens: [UserRole: String] = [:]
        for role in UserRole.allCases {
            tokens[role] = try await node.engine.accounts.add(
                name: "A \(role.title)", email: "\(role.rawValue)@manchester.example", role: role, by: nil
            ).token
        }
        let api = LocalAPI(
            engine: node.engine, token: "node-token-for-tests",
            status: {
                NodeStatus(
                    authority: TestRegion.manchester, name: "M", directoryVersion: 1, directoryExpiresAt: Date(),
                    outbox: [:], databaseSynchronous: 2)
            },
            installDirectory: { _ in throw RefGateError(.directoryInvalid, "not in this test") })
        let app = Application(router: api.router())
        let tokensByRole = tokens
        let checked = try await app.test(.router) { client in
            var checked = 0
            for (endpoint, allowed) in Self.expected {
                let parts = endpoint.split(separator: " ")
                let method = HTTPRequest.Method(String(parts[0]))!
                // Parameters name nothing that exists: allowed roles then meet 400 or 404.
                let uri =
                    "/api/v1"
                    + parts[1].replacingOccurrences(of: "{id}", with: "nothing-here")
                    .replacingOccurrences(of: "{registration}", with: "SW000000")
                let none = try await client.execute(uri: uri, method: method)
                #expect(none.status == .unauthorized, "\(endpoint) without a token")
                for role in UserRole.allCases {
                    let response = try await client.execute(
                        uri: uri, method: method,
                        headers: [.authorization: "Bearer \(tokensByRole[role]!)", .contentType: "application/json"],
                        body: ByteBuffer(string: "{}"))
                    let problem = try? JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                    let mayUse = allowed.contains { Self.letters[$0] == role }
                    if mayUse {
                        #expect(
                            response.status != .forbidden && response.status != .unauthorized
                                && response.status.code < 500,
                            "\(endpoint) as \(role.rawValue): \(response.status) \(problem?.detail ?? "")")
                    } else {
                        #expect(
                            response.status == .forbidden && problem?.code == "role-forbidden",
                            "\(endpoint) as \(role.rawValue) should be refused: \(response.status)")
                    }
                    checked += 1
                }
            }
            return checked
        }
        #expect(checked == Self.expected.count * UserRole.allCases.count)
    }

    /// schemas/openapi.yaml describes exactly the API's operations, no more and no fewer.
    @Test func theOpenAPIDocumentNamesEveryOperation() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("schemas/openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var path: String?
        for line in text.split(separator: "\n") {
            if let match = line.wholeMatch(of: /\ {2}(\/[^:]*):/) {
                path = String(match.1)
            } else if line.hasPrefix("components:") {
                path = nil
            } else if let path, let match = line.wholeMatch(of: /\ {4}(get|post|put|patch|delete):/) {
                operations.insert("\(match.1.uppercased()) \(path)")
            }
        }
        #expect(operations == Set(LocalAPI.endpoints.map { "\($0.method) \($0.path)" }))
        // And each operation's summary names the roles the matrix allows.
        for endpoint in LocalAPI.endpoints {
            let roles =
                endpoint.roles.count == UserRole.allCases.count
                ? "Roles — all."
                : "Roles — " + UserRole.allCases.filter(endpoint.roles.contains).map(\.rawValue).joined(separator: ", ")
                    + "."
            #expect(text.contains(roles), "\(endpoint.method) \(endpoint.path): expected '\(roles)' in its summary")
        }
    }

    @Test func revokedUsersAndUnknownTokensAreRefused() async throws {
        let region = try TestRegion()
        let node = try await region.makeEngine(TestRegion.manchester)
        let issued = try await node.engine.accounts.add(
            name: "Sam Operator", email: "sam@manchester.example", role: .operator, by: nil)
        #expect(issued.token.hasPrefix("rgt_"))
        let api = LocalAPI(
            engine: node.engine, token: "node-token-for-tests", status: { throw RefGateError(.internalError, "no") },
            installDirectory: { _ in 0 })
        let app = Application(router: api.router())
        try await app.test(.router) { client in
            let me = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(issued.token)"])
            let user = try MessageCoding.decoder().decode(UserView.self, from: Data(buffer: me.body))
            #expect(me.status == .ok && user.email == "sam@manchester.example" && user.role == .operator)

            // Only the hash is stored: the token appears nowhere in the database.
            let stored = try await node.store.read { reader in
                try reader.users().count
            }
            #expect(stored == 1)

            let again = try await client.execute(
                uri: "/api/v1/users", method: .post,
                headers: [.authorization: "Bearer node-token-for-tests", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"name":"Sam Again","email":"SAM@manchester.example","role":"admin"}"#))
            #expect(again.status == .conflict)

            _ = try await node.engine.accounts.revoke(user: "sam@manchester.example", by: nil)
            let revoked = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(issued.token)"])
            #expect(revoked.status == .unauthorized)
            let unknown = try await client.execute(
                uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer rgt_nothing"])
            #expect(unknown.status == .unauthorized)
        }
        let database = try Data(
            contentsOf: URL(fileURLWithPath: try region.configuration(TestRegion.manchester).database.description))
        #expect(database.range(of: Data(issued.token.utf8)) == nil)
    }

    /// A service manager's inbox holds what a peer raised to this authority's service managers,
    /// not what this authority raised to the peer's.
    @Test func aManagersInboxHoldsWhatWasRaisedToThem() async throws {
        let region = try TestRegion()
        let a = try await region.makeNode(TestRegion.manchester)
        let b = try await region.makeNode(TestRegion.salford)
        try await withRunning([a, b]) {
            let opened = try await a.engine.commands.sendRequest(TestRegion.draft())
            try await eventually("request arrives") { try await b.store.read { try $0.case(opened.id) } != nil }
            _ = try await b.engine.commands.respond(caseID: opened.id, TestRegion.verifiedBySeniorManager)
            try await eventually("response arrives") {
                try await a.store.read { try $0.case(opened.id) }?.status == .verified
            }
            let raised = try await a.engine.commands.raiseEscalation(
                caseID: opened.id, reason: .unsatisfactoryResponse,
                raisedBy: Person(name: "Mo Ahmed", role: "Service Manager"), note: nil)
            try await eventually("notice arrives") { try await b.engine.queries.escalation(raised.id) != nil }
            for (node, expected) in [(a, [String]()), (b, [raised.id])] {
                let token = try await node.engine.accounts.add(
                    name: "SM", email: "sm@\(node.engine.authority.rawValue).example", role: .serviceManager, by: nil
                ).token
                let api = LocalAPI(
                    engine: node.engine, token: "node-token", status: { throw RefGateError(.internalError, "no") },
                    installDirectory: { _ in 0 })
                try await Application(router: api.router()).test(.router) { client in
                    let response = try await client.execute(
                        uri: "/api/v1/escalations", method: .get, headers: [.authorization: "Bearer \(token)"])
                    let listed = try MessageCoding.decoder().decode(
                        [EscalationView].self, from: Data(buffer: response.body))
                    #expect(listed.map(\.id) == expected, "\(node.engine.authority)")
                }
            }
        }
    }
}
