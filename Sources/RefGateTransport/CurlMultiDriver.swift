import CCurl
import Foundation
import HTTPTypes
import Logging
import Synchronization

/// Owns the curl multi handle and the thread that drives it.
///
/// `@unchecked Sendable`: `multi` and `active` are touched only on the driver thread; the
/// other threads reach the driver only through `inbox` (a `Mutex`) and `curl_multi_wakeup`,
/// which libcurl documents as safe to call from any thread.
final class CurlMultiDriver: @unchecked Sendable {
    private struct Inbox {
        var submitted: [CurlTransfer] = []
        var cancelled: [UInt64] = []
        var stopping = false
        var stopped: [CheckedContinuation<Void, Never>] = []
        var finished = false
        var nextID: UInt64 = 0
    }

    private static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    private let multi: UnsafeMutableRawPointer
    private let configuration: HTTPClientConfiguration
    private let logger: Logger
    private let inbox = Mutex(Inbox())
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(configuration: HTTPClientConfiguration, logger: Logger) throws {
        guard Self.globalInit, let multi = curl_multi_init() else {
            throw TransportError(.other, "libcurl failed to initialise")
        }
        self.multi = multi
        self.configuration = configuration
        self.logger = logger
        _ = refgate_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        // A dedicated thread (not a Task) because curl_multi_poll blocks; it lives until shutdown().
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "refgate-curl"
        thread.start()
    }

    /// Runs a transfer whose protocol options `setup` sets, and returns its response.
    func perform(
        description: String, overTLS: Bool, upload: Data? = nil, setup: @escaping CurlTransfer.Setup
    ) async throws -> ClientResponse {
        let id = inbox.withLock { inbox -> UInt64 in
            inbox.nextID += 1
            return inbox.nextID
        }
        let transfer = CurlTransfer(
            id: id, description: description, overTLS: overTLS, upload: upload,
            maxResponseBytes: configuration.maxResponseBytes,
            setup: setup)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                let accepted = inbox.withLock { inbox -> Bool in
                    guard !inbox.stopping else { return false }
                    inbox.submitted.append(transfer)
                    return true
                }
                if accepted {
                    curl_multi_wakeup(multi)
                } else {
                    transfer.finish(.failure(TransportError(.shutdown, "the client is shut down")))
                }
            }
        } onCancel: {
            inbox.withLock { $0.cancelled.append(id) }
            curl_multi_wakeup(multi)
        }
    }

    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyDone = inbox.withLock { inbox -> Bool in
                if inbox.finished { return true }
                inbox.stopping = true
                inbox.stopped.append(continuation)
                return false
            }
            if alreadyDone { continuation.resume() } else { curl_multi_wakeup(multi) }
        }
    }

    // MARK: Driver thread

    private func runLoop() {
        var running: Int32 = 0
        while true {
            let (submitted, cancelled, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.submitted.removeAll()
                    inbox.cancelled.removeAll()
                }
                return (inbox.submitted, inbox.cancelled, inbox.stopping)
            }
            for transfer in submitted { start(transfer) }
            for id in cancelled { cancel(id) }
            if stopping { break }
            curl_multi_perform(multi, &running)
            collectCompleted()
            var descriptors: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &descriptors)
        }
        for transfer in Array(active.values) {
            remove(transfer)
            transfer.finish(.failure(TransportError(.shutdown, "the HTTP client shut down during the request")))
        }
        // Transfers submitted after the last drain but before `stopping` was seen.
        let late = inbox.withLock { inbox in
            defer { inbox.submitted.removeAll() }
            return inbox.submitted
        }
        for transfer in late { transfer.finish(.failure(TransportError(.shutdown, "the HTTP client is shut down"))) }
        curl_multi_cleanup(multi)
        let waiters = inbox.withLock { inbox in
            inbox.finished = true
            defer { inbox.stopped.removeAll() }
            return inbox.stopped
        }
        for waiter in waiters { waiter.resume() }
    }

    private func start(_ transfer: CurlTransfer) {
        guard let easy = curl_easy_init() else {
            transfer.finish(.failure(TransportError(.other, "curl_easy_init failed")))
            return
        }
        transfer.easy = easy
        do {
            try configure(easy, for: transfer)
        } catch {
            curl_easy_cleanup(easy)
            transfer.easy = nil
            transfer.finish(.failure(error))
            return
        }
        active[easy] = transfer
        curl_multi_add_handle(multi, easy)
    }

    // Options every transfer shares; the client's setup adds the protocol's own.
    private func configure(_ easy: UnsafeMutableRawPointer, for transfer: CurlTransfer) throws {
        let c = configuration
        try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "nosignal")
        try curlCheck(
            refgate_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(c.connectTimeout)),
            "connect timeout")
        try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(c.totalTimeout)), "timeout")
        try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "keepalive")
        // A pooled connection idle this long is not reused: refgate's listeners close idle
        // connections after 30 s (`limits.idleTimeoutSeconds`), and libcurl's default (118 s)
        // let it write a request into a connection the peer was closing that moment.
        try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_MAXAGE_CONN, Self.maxIdleAge), "max connection age")
        try curlCheck(refgate_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer), "error buffer")
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        try curlCheck(
            refgate_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, Self.writeCallback), "write function")
        try curlCheck(refgate_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context), "write data")
        if transfer.upload != nil {
            try curlCheck(
                refgate_easy_setopt_data_callback(easy, CURLOPT_READFUNCTION, Self.readCallback), "read function")
            try curlCheck(refgate_easy_setopt_pointer(easy, CURLOPT_READDATA, context), "read data")
            // So libcurl can send the body again on a fresh connection when a reused one turns
            // out to be closed (it retries that case by itself only if it can rewind).
            try curlCheck(
                refgate_easy_setopt_seek_callback(easy, CURLOPT_SEEKFUNCTION, Self.seekCallback), "seek function")
            try curlCheck(refgate_easy_setopt_pointer(easy, CURLOPT_SEEKDATA, context), "seek data")
            try curlCheck(refgate_easy_setopt_long(easy, CURLOPT_UPLOAD, 1), "upload")
        }
        try transfer.setup(easy, transfer)
    }

    /// Seconds a pooled connection may have been idle and still be reused.
    static let maxIdleAge = 20

    private static let seekCallback: refgate_seek_callback = { context, offset, origin in
        guard let context, origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        guard let upload = transfer.upload, offset >= 0, offset <= upload.count else {
            return Int32(CURL_SEEKFUNC_FAIL)
        }
        transfer.uploadOffset = Int(offset)
        return Int32(CURL_SEEKFUNC_OK)
    }

    private static let readCallback: refgate_data_callback = { buffer, size, count, context in
        guard let context, let buffer else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        guard let upload = transfer.upload else { return 0 }
        let length = min(size * count, upload.count - transfer.uploadOffset)
        guard length > 0 else { return 0 }
        upload.withUnsafeBytes { raw in
            let start = raw.baseAddress!.advanced(by: transfer.uploadOffset)
            UnsafeMutableRawPointer(buffer).copyMemory(from: start, byteCount: length)
        }
        transfer.uploadOffset += length
        return length
    }

    private static let writeCallback: refgate_data_callback = { data, size, count, context in
        guard let context, let data else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        if transfer.response.count + length > transfer.maxResponseBytes {
            transfer.exceededCap = true
            return 0  // makes libcurl fail the transfer with CURLE_WRITE_ERROR
        }
        data.withMemoryRebound(to: UInt8.self, capacity: length) { transfer.response.append($0, count: length) }
        return length
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    private func collectCompleted() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = active[easy]
            else { continue }
            let code = message.pointee.data.result
            let result = outcome(of: transfer, easy: easy, code: code)
            remove(transfer)
            transfer.finish(result)
        }
    }

    private func outcome(of transfer: CurlTransfer, easy: UnsafeMutableRawPointer, code: CURLcode) -> Result<
        ClientResponse, any Error
    > {
        guard code == CURLE_OK else {
            var connects = 0
            _ = refgate_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
            var error = Self.classify(
                code: code, message: transfer.errorText, exceededCap: transfer.exceededCap,
                firstExchangeOnNewTLSConnection: transfer.overTLS && connects > 0)
            var reply = 0
            _ = refgate_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &reply)
            if reply > 0 { error.status = reply }
            logger.debug(
                "transfer failed",
                metadata: [
                    "transfer": "\(transfer.description)", "curl": "\(code.rawValue)",
                    "error": "\(error.code.rawValue)",
                ])
            return .failure(error)
        }
        var status = 0
        _ = refgate_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var connects = 0
        _ = refgate_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        var retryAfter: curl_off_t = 0
        _ = refgate_easy_getinfo_off_t(easy, CURLINFO_RETRY_AFTER, &retryAfter)
        return .success(
            ClientResponse(
                status: .init(code: status), headerFields: Self.headerFields(easy), body: transfer.response,
                retryAfter: retryAfter > 0 ? TimeInterval(retryAfter) : nil, newConnections: connects))
    }

    /// The last response's header fields, read back from libcurl after the transfer.
    static func headerFields(_ easy: UnsafeMutableRawPointer) -> HTTPFields {
        var fields = HTTPFields()
        // -1: the last request of the transfer (after redirects or 1xx, the final response).
        var previous: UnsafeMutablePointer<curl_header>?
        while let header = curl_easy_nextheader(easy, UInt32(CURLH_HEADER), -1, previous) {
            previous = header
            guard let name = HTTPField.Name(String(cString: header.pointee.name)) else { continue }
            fields.append(HTTPField(name: name, value: String(cString: header.pointee.value)))
        }
        return fields
    }

    /// Maps a libcurl failure to a stable transport code.
    static func classify(
        code: CURLcode, message: String, exceededCap: Bool, firstExchangeOnNewTLSConnection: Bool = false
    ) -> TransportError {
        let detail = message.isEmpty ? String(cString: curl_easy_strerror(code)) : message
        let number = Int(code.rawValue)
        let kind: TransportError.Code
        switch code {
        case CURLE_COULDNT_CONNECT: kind = .connectRefused
        case CURLE_COULDNT_RESOLVE_HOST: kind = .unresolvable
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_SSL_CONNECT_ERROR: kind = .tlsRejected
        // TLS 1.3 finishes the handshake before the server checks our certificate; its refusal
        // (an alert, then the close) meets us on first read (56) or, if we write first, on send
        // (55). On a new connection that is a refusal; on a reused one, a dropped connection.
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR:
            kind =
                firstExchangeOnNewTLSConnection || detail.localizedCaseInsensitiveContains("alert")
                ? .tlsRejected : .other
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_PINNEDPUBKEYNOTMATCH: kind = .tlsPeerUntrusted
        case CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER: kind = .localCredentials
        case CURLE_FILESIZE_EXCEEDED: kind = .responseTooLarge
        case CURLE_LOGIN_DENIED: kind = .loginDenied
        case CURLE_WRITE_ERROR where exceededCap: kind = .responseTooLarge
        default: kind = .other
        }
        return TransportError(kind, detail, curlCode: number)
    }

    private func cancel(_ id: UInt64) {
        guard let transfer = active.values.first(where: { $0.id == id }) else { return }
        remove(transfer)
        transfer.finish(.failure(CancellationError()))
    }

    private func remove(_ transfer: CurlTransfer) {
        guard let easy = transfer.easy else { return }
        curl_multi_remove_handle(multi, easy)
        curl_easy_cleanup(easy)
        active[easy] = nil
        transfer.easy = nil
    }
}
