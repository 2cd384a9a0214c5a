import Foundation
import HTTPTypes
import RefGateCore
import RefGateNode
import RefGateTransport

/// Talks to a running node's loopback admin API with the bearer token from its configuration.
struct AdminClient {
    let baseURL: String
    let token: String
    let client: CurlHTTPClient

    init(configurationPath: String) throws {
        let configuration = try NodeConfiguration.load(path: configurationPath)
        guard configuration.adminListener.port != 0 else {
            throw RefGateError(
                .configurationInvalid,
                "adminListener.port is 0 in \(configurationPath): set a fixed port to use the CLI")
        }
        let host =
            configuration.adminListener.host.contains(":")
            ? "[\(configuration.adminListener.host)]" : configuration.adminListener.host
        baseURL = "http://\(host):\(configuration.adminListener.port)/admin/v1"
        token = try AdminToken.load(path: configuration.adminTokenFile)
        client = try CurlHTTPClient(configuration: HTTPClientConfiguration(tls: nil, totalTimeout: .seconds(60)))
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try await call(path, body: nil, as: type)
    }

    func post<Body: Encodable, T: Decodable>(_ path: String, _ body: Body, as type: T.Type) async throws -> T {
        try await call(path, body: try MessageCoding.encoder().encode(body), as: type)
    }

    /// One exchange; the client is single-use, so it is shut down before returning.
    func call<T: Decodable>(_ path: String, body: Data?, as type: T.Type) async throws -> T {
        try MessageCoding.decoder().decode(T.self, from: try await raw(path, body: body))
    }

    /// One exchange answering bytes (a bundle), not JSON.
    func raw(_ path: String, body: Data? = nil) async throws -> Data {
        do {
            let result = try await exchange(path, body: body)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func exchange(_ path: String, body: Data?) async throws -> Data {
        let response: ClientResponse
        do {
            response = try await client.send(
                url: baseURL + path, body: body,
                headerFields: [
                    .authorization: "Bearer \(token)", .contentType: "application/json", .accept: "application/json",
                ])
        } catch let error as TransportError where error.code == .connectRefused {
            throw RefGateError(
                .invalidInput, "no node answers at \(baseURL): start it with 'refgate node run --config FILE'")
        }
        guard response.status.kind == .successful else {
            if let problem = try? JSONDecoder().decode(ProblemDetails.self, from: response.body) {
                let code =
                    RefGateError.Code.known(problem.code)
                    ?? .init(problem.code, problem.status < 500 ? .badInput : .serverFault, title: problem.title)
                throw RefGateError(code, problem.detail)
            }
            throw RefGateError(.internalError, "the node answered HTTP \(response.status.code)")
        }
        return response.body
    }
}
