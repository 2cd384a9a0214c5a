import CCurl
import Foundation

/// One request in flight.
///
/// `@unchecked Sendable`: the submitting task fills it in before handing it over through the
/// driver's mutex; from then on only the driver thread reads or writes it.
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let url: String
    let body: Data?
    let headers: [String]
    let maxResponseBytes: Int
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var response = Data()
    var exceededCap = false
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(id: UInt64, url: String, body: Data?, headers: [String], maxResponseBytes: Int) {
        self.id = id
        self.url = url
        self.body = body
        self.headers = headers
        self.maxResponseBytes = maxResponseBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    var errorText: String { String(cString: errorBuffer) }

    func finish(_ result: Result<HTTPResponse, any Error>) {
        continuation?.resume(with: result)
        continuation = nil
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }
}
