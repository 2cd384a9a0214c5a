import Foundation
import RefGateCore
import RefGateTrust

extension NodeConfiguration {
    /// Every secret file the node reads, with what it is: the auth and sign keys, the local
    /// listener's own key, the admin token (once it exists), the SMTP password, the PostgreSQL password and webhook secrets.
    public var secretFiles: [(path: String, what: String)] {
        var files: [(String, String)] = [(authKey, "auth key"), (signKey, "sign key")]
        if let key = localTLS?.key { files.append((key, "local listener's key (localTLS.key)")) }
        if FileManager.default.fileExists(atPath: adminTokenFile) { files.append((adminTokenFile, "admin token")) }
        if let password = notifications?.smtp?.passwordFile { files.append((password, "SMTP password file")) }
        if let secret = signIn?.oidc?.clientSecretFile { files.append((secret, "OpenID Connect client secret file")) }
        if let key = notifications?.notify?.apiKeyFile { files.append((key, "GOV.UK Notify API key file")) }
        if case .postgres(let settings) = database, let password = settings.passwordFile {
            files.append((password, "PostgreSQL password file (database.postgres.passwordFile)"))
        }
        for webhook in notifications?.webhooks ?? [] {
            files.append((webhook.secretFile, "secret of webhook \(webhook.url)"))
        }
        return files
    }

    /// One check for every secret file: a regular file (not a link) only its owner may read or
    /// write. Throws `configuration-invalid` naming the first that is not, and the fix.
    public func checkSecretFiles() throws {
        for file in secretFiles { try PEMFile.checkPrivate(file.path, what: file.what) }
    }
}
