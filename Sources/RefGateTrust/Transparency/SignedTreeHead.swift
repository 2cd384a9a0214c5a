import Crypto
import Foundation
import RefGateCore

/// A tree head with the JWS that signs it, checked against a known sign key.
public struct SignedTreeHead: Sendable, Hashable {
    /// What it says.
    public let head: TreeHead
    /// The root, as bytes.
    public let root: Data
    /// The compact JWS.
    public let jws: JWS

    /// Parses `compact` and checks it is a tree head (`typ`, schema). The signature is checked
    /// by the caller, who knows which keys to trust (``verified(with:)`` or the directory).
    public init(compact: String) throws {
        let jws = try JWS(compact: compact)
        guard jws.header.typ == JWSHeader.treeHeadType else {
            throw RefGateError(
                .malformedMessage, "a tree head has typ \(JWSHeader.treeHeadType), not \(jws.header.typ)")
        }
        let head = try TreeHead.decode(payload: jws.payload)
        guard let root = Data(hexEncoded: head.rootHash), root.count == 32 else {
            throw RefGateError(.schemaInvalid, "/rootHash: not a SHA-256 in hex")
        }
        self.head = head
        self.root = root
        self.jws = jws
    }

    /// Checks the signature with `key`; returns self for chaining.
    @discardableResult
    public func verified(with key: P256.Signing.PublicKey) throws -> SignedTreeHead {
        try jws.verify(with: key)
        return self
    }
}

extension Data {
    /// Parses hexadecimal (either case); nil if it is not.
    public init?(hexEncoded text: String) {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }

    /// Lower-case hexadecimal.
    public var hexEncoded: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension SignedTreeHead {
    /// The head carried by a checkpoint message (compact JWS), as stored by its sender. The
    /// message's own signature is not checked here.
    public init(checkpointMessage compact: String) throws {
        let message = try RefGateMessage.decode(payload: try JWS(compact: compact).payload)
        guard case .checkpoint(let checkpoint) = message else {
            throw RefGateError(.invalidInput, "message \(message.id) is a \(message.kind.rawValue), not a checkpoint")
        }
        try self.init(compact: checkpoint.treeHead)
    }
}
