import SwiftASN1
import X509

/// Requires an authority certificate to carry the usages of its kind: auth certificates
/// EKU serverAuth and clientAuth, sign certificates key usage digitalSignature.
/// swift-certificates has no built-in EKU policy.
struct AuthorityCertificatePolicy: VerifierPolicy {
    let kind: CertificateKind

    var verifyingCriticalExtensions: [ASN1ObjectIdentifier] { [] }

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let leaf = chain.leaf
        do {
            switch kind {
            case .auth:
                guard let eku = try leaf.extensions.extendedKeyUsage, eku.contains(.serverAuth),
                    eku.contains(.clientAuth)
                else {
                    return .failsToMeetPolicy(reason: "auth certificate lacks EKU serverAuth and clientAuth")
                }
            case .sign:
                guard let usage = try leaf.extensions.keyUsage, usage.digitalSignature else {
                    return .failsToMeetPolicy(reason: "sign certificate lacks key usage digitalSignature")
                }
            }
            return .meetsPolicy
        } catch {
            return .failsToMeetPolicy(reason: "certificate extensions do not decode: \(error)")
        }
    }
}
