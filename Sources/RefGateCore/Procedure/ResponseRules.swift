/// What a response does to a case (paras 5, 10, 11, 13). Pure.
///
/// An answer, whatever it says, resolves the chase: every open escalation of the case closes on
/// both sides and the level returns to 0. If the answer is that the referee was not eligible to
/// give the reference (a colleague or first line manager, para 5), the commissioning authority's
/// service manager must obtain a suitable reference from their equivalent (para 10), so level 1
/// is raised at once, on the commissioning side only.
public enum ResponseRules {
    /// The effect of one response.
    public struct Effect: Sendable, Hashable {
        /// The case's status after it.
        public var status: CaseStatus
        /// The escalation level after it (every open escalation is closed).
        public var escalationLevel: Int
        /// An escalation to raise at once, if any.
        public var raise: EscalationReason?
    }

    /// The effect of a response with `outcome` on the `side` this authority holds.
    public static func effect(of outcome: VerificationOutcome, side: CaseSide) -> Effect {
        Effect(
            status: CaseStatus(outcome: outcome), escalationLevel: 0,
            raise: outcome == .refereeIneligible && side == .requester ? .suitableReferenceRequired : nil)
    }
}
