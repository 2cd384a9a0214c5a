/// The two certificates the regional CA issues each authority (as X-Road does).
public enum CertificateKind: String, Sendable, CaseIterable {
    /// TLS client and server (EKU serverAuth + clientAuth).
    case auth
    /// Message signatures (key usage digitalSignature).
    case sign
}
