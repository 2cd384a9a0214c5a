import Foundation
import RefGateCore
import X509

/// Validates that an authority certificate chains to the regional CA, is in its validity
/// period, and carries the usages of its kind.
public enum ChainValidator {
    /// Throws `certificate-invalid` with the verifier's reasons when the certificate fails.
    public static func validate(
        _ certificate: Certificate, kind: CertificateKind, anchor: Certificate, at time: Date
    ) async throws {
        var verifier = Verifier(rootCertificates: CertificateStore([anchor])) {
            RFC5280Policy(fixedValidationTime: time)
            AuthorityCertificatePolicy(kind: kind)
        }
        let result = await verifier.validate(leaf: certificate, intermediates: CertificateStore())
        if case .couldNotValidate(let failures) = result {
            let reasons = failures.map { "\($0.policyFailureReason)" }.joined(separator: "; ")
            throw RefGateError(
                .certificateInvalid,
                "\(kind.rawValue) certificate \(certificate.subject) does not validate against the regional CA: \(reasons.isEmpty ? "no chain to the CA" : reasons)"
            )
        }
    }
}
