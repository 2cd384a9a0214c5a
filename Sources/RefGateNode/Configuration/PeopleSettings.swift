/// The `people` section of a node's configuration: who holds the roles escalations are routed
/// to. Several people may hold a role; each gets the e-mail.
///
/// ```json
/// "people": {
///   "serviceManagers": [{ "name": "Sam Okafor", "email": "sam.okafor@salford.example" }],
///   "headsOfService": [{ "name": "Dana Reid", "email": "dana.reid@salford.example" }],
///   "operators": [{ "name": "Ops desk", "email": "refgate-ops@salford.example" }]
/// }
/// ```
public struct PeopleSettings: Codable, Sendable {
    /// A person and their e-mail address.
    public struct Contact: Codable, Sendable, Hashable {
        /// Their name, used in the greeting of notifications.
        public var name: String
        /// E-mail address.
        public var email: String

        /// Creates a contact.
        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    /// Level 1 escalations (paras 10–11).
    public var serviceManagers: [Contact]?
    /// Level 2 escalations and the end of the ladder (paras 13–14).
    public var headsOfService: [Contact]?
    /// Delivery trouble and the end of the ladder.
    public var operators: [Contact]?

    /// Creates settings.
    public init(serviceManagers: [Contact]? = nil, headsOfService: [Contact]? = nil, operators: [Contact]? = nil) {
        self.serviceManagers = serviceManagers
        self.headsOfService = headsOfService
        self.operators = operators
    }
}
