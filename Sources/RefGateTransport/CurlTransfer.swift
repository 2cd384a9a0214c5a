import CCurl
import Foundation

/// One transfer in flight.
///
/// `@unchecked Sendable`: the submitting task fills it in before handing it over through the
/// driver's mutex; from then on only the driver thread reads or writes it.
final class CurlTransfer: @unchecked Sendable {
    /// Sets the protocol-specific options on the easy handle (runs on the driver thread).
    typealias Setup = @Sendable (UnsafeMutableRawPointer, CurlTransfer) throws -> Void

    let id: UInt64
    let description: String
    /// Whether the transfer runs over TLS (HTTPS, SMTPS or required STARTTLS).
    let overTLS: Bool
    let setup: Setup
    let maxResponseBytes: Int
    /// Bytes libcurl reads (an SMTP message); nil when nothing is uploaded.
    let upload: Data?
    var uploadOffset = 0
    var continuation: CheckedContinuation<ClientResponse, any Error>?
    var easy: UnsafeMutableRawPointer?
    var lists: [UnsafeMutablePointer<curl_slist>] = []
    var response = Data()
    var exceededCap = false
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(
        id: UInt64, description: String, overTLS: Bool, upload: Data?, maxResponseBytes: Int,
        setup: @escaping Setup
    ) {
        self.id = id
        self.description = description
        self.overTLS = overTLS
        self.upload = upload
        self.maxResponseBytes = maxResponseBytes
        self.setup = setup
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    var errorText: String { String(cString: errorBuffer) }

    /// Builds a curl string list that lives as long as the transfer.
    func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = curl_slist_append(list, item) }
        if let list { lists.append(list) }
        return list
    }

    func finish(_ result: Result<ClientResponse, any Error>) {
        continuation?.resume(with: result)
        continuation = nil
    }

    deinit {
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }
}

/// Throws a transport error when a `curl_easy_setopt` fails.
func curlCheck(_ code: CURLcode, _ what: String) throws {
    guard code == CURLE_OK else {
        throw TransportError(.other, "setting \(what) failed: \(String(cString: curl_easy_strerror(code)))")
    }
}
