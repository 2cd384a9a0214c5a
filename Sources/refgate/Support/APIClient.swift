import Foundation
import HTTPTypes
import RefGateCore
import RefGateNode
import RefGateTransport

/// Talks to a running node's local API `/api/v1`, as the user whose token is in
/// `REFGATE_TOKEN`, or else with the node's own token file (which only the node's machine holds).
struct APIClient {
    let baseURL: String
    let token: String
    let client: CurlHTTPClient

    init(configurationPath: String) throws {
        let configuration = try NodeConfiguration.load(path: configurationPath)
        guard configuration.localListener.port != 0 else {
            throw RefGateError(
                .configurationInvalid,
                "localListener.port is 0 in \(configurationPath): set a fixed port to use the CLI")
        }
        let host =
            configuration.localListener.host.contains(":")
            ? "[\(configuration.localListener.host)]" : configuration.localListener.host
        let scheme = configuration.localTLS == nil ? "http" : "https"
        baseURL = "\(scheme)://\(host):\(configuration.localListener.port)/api/v1"
        if let token = ProcessInfo.processInfo.environment["REFGATE_TOKEN"], !token.isEmpty {
            self.token = token
        } else {
            token = try AdminToken.load(path: configuration.adminTokenFile)
        }
        // The auth certificate is checked against the regional CA; a certificate the operator
        // provides, against its own anchor or the system's.
        let tls = configuration.localTLS.map { settings in
            HTTPClientConfiguration.TLS(
                caCertificatePath: settings.caCertificate
                    ?? (settings.certificate == nil ? configuration.caCertificate : nil))
        }
        client = try CurlHTTPClient(configuration: HTTPClientConfiguration(tls: tls, totalTimeout: .seconds(60)))
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try await call(path, body: nil, as: type)
    }

    func post<Body: Encodable, T: Decodable>(
        _ path: String, _ body: Body, as type: T.Type, headerFields: HTTPFields = [:]
    ) async throws -> T {
        try await call(path, body: try MessageCoding.encoder().encode(body), as: type, headerFields: headerFields)
    }

    /// One exchange; the client is single-use, so it is shut down before returning.
    func call<T: Decodable>(
        _ path: String, body: Data?, as type: T.Type, headerFields: HTTPFields = [:], method: String? = nil
    ) async throws -> T {
        try MessageCoding.decoder().decode(
            T.self, from: try await raw(path, body: body, headerFields: headerFields, method: method))
    }

    /// One exchange answering bytes (a bundle), not JSON.
    func raw(_ path: String, body: Data? = nil, headerFields: HTTPFields = [:], method: String? = nil) async throws
        -> Data
    {
        do {
            let result = try await exchange(path, body: body, headerFields: headerFields, method: method)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func exchange(_ path: String, body: Data?, headerFields: HTTPFields, method: String?) async throws
        -> Data
    {
        let response: ClientResponse
        var fields: HTTPFields = [
            .authorization: "Bearer \(token)", .contentType: "application/json", .accept: "application/json",
        ]
        fields.append(contentsOf: headerFields)
        do {
            response = try await client.send(url: baseURL + path, body: body, headerFields: fields, method: method)
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
