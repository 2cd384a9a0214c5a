import RefGateStore

/// Whether this instance runs the periodic work now. One process on a SQLite file always does;
/// several instances on one PostgreSQL database elect one through the database
/// (`Store.holdsLeadership`), and the others ask again every few seconds, so one takes over
/// within seconds of the leader's death.
public struct Leadership: Sendable {
    /// Asked before each round of periodic work.
    let holds: @Sendable () async -> Bool

    /// How often an instance that does not lead asks again.
    static let poll: Duration = .seconds(5)

    /// Always leads (one process, or a test).
    public static let always = Leadership { true }

    /// Leads while the store says so.
    public static func store(_ store: Store) -> Leadership { Leadership { await store.holdsLeadership() } }
}
