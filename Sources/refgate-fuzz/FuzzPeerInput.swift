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
        _ = try? RefGateMessage.decode(payload: jws.payload)
    }
    _ = try? RefGateMessage.decode(payload: bytes)
    return 0
}
