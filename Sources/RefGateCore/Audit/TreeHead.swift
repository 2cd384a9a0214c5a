import Foundation

/// What a signed tree head says (`tree-head.schema.json`): an authority's audit log held
/// `treeSize` entries whose RFC 6962 Merkle root was `rootHash` at `timestamp`.
public struct TreeHead: Codable, Sendable, Hashable {
    /// Always `tree-head`.
    public var type = "tree-head"
    /// Whose log.
    public var authority: AuthorityID
    /// Entries covered.
    public var treeSize: Int
    /// Merkle root, lower-case hex.
    public var rootHash: String
    /// When it was signed.
    public var timestamp: Date

    /// Creates a head.
    public init(authority: AuthorityID, treeSize: Int, rootHash: String, timestamp: Date) {
        self.authority = authority
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.timestamp = timestamp
    }

    /// Validates a payload against `tree-head.schema.json`, then decodes it.
    public static func decode(payload: Data, validator: SchemaValidator = .shared) throws -> TreeHead {
        let json: JSONValue
        do {
            json = try JSONValue.parse(payload)
        } catch {
            throw RefGateError(.schemaInvalid, "tree head payload is not JSON: \(error)")
        }
        try validator.validate(json, against: "tree-head.schema.json")
        do {
            return try MessageCoding.decoder().decode(TreeHead.self, from: payload)
        } catch {
            throw RefGateError(.schemaInvalid, "tree head payload does not decode: \(error)")
        }
    }
}
