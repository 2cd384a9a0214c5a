import Foundation
import RefGateCore
import RefGateTrust

/// libFuzzer entry point over what a peer controls: the request body. Each input is read the
/// way the peer API reads it (compact JWS: split, base64url, strict header; then the payload:
/// strict JSON, schema, typed decode), and also as a bare payload, so inputs that could never
/// carry a valid signature still reach the JSON and schema code. Refusals are expected; a
/// crash, a hang or a sanitizer report is a finding.
///
/// Built only by `scripts/fuzz` (`-sanitize=fuzzer`); libFuzzer supplies `main`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPeerInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: start, count: count))
    if let jws = try? JWS(compact: String(decoding: bytes, as: UTF8.self)) {
        _ = jws.isValid(for: FuzzKey.key)
        read(try? RefGateMessage.decode(payload: jws.payload))
    }
    read(try? RefGateMessage.decode(payload: bytes))
    // A checkpoint's tree head is read by the peer API too.
    _ = try? TreeHead.decode(payload: bytes)
    return 0
}

/// Reads what a decoded message carries further: a checkpoint's signed tree head.
private func read(_ message: RefGateMessage?) {
    if case .checkpoint(let checkpoint)? = message { _ = try? SignedTreeHead(compact: checkpoint.treeHead) }
}
