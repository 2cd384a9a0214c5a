import Foundation
import RefGateCore
import X509

extension Directory {
    /// Signs the directory with the regional CA key as a JWS (`typ` refgate-directory+jws).
    public func signed(by ca: RegionalCA) throws -> JWS {
        let payload = try MessageCoding.encoder().encode(self)
        let header = JWSHeader(kid: try Thumbprint.of(ca.certificate), typ: JWSHeader.directoryType)
        return try JWS.sign(payload: payload, header: header, key: ca.privateKey)
    }
}
