/// The legal transitions of a case. Pure: the engine applies the result in one transaction.
public enum CaseStateMachine {
    /// The status after `event`, or `invalid-transition` saying why the event is not allowed.
    ///
    /// A case awaits an answer while no response has come, and again while it is escalated
    /// (a suitable reference after `referee-ineligible`, a better answer after an unsatisfactory one).
    public static func apply(_ event: CaseEvent, to status: CaseStatus, side: CaseSide, escalated: Bool = false) throws
        -> CaseStatus
    {
        switch (event, side) {
        case (.responseSent(let outcome), .responder), (.responseReceived(let outcome), .requester):
            guard status == .awaitingResponse || escalated else {
                throw RefGateError(.invalidTransition, "the case is already answered (\(status.rawValue))")
            }
            return CaseStatus(outcome: outcome)
        case (.responseSent, .requester):
            throw RefGateError(.invalidTransition, "only the providing authority can respond to a case")
        case (.responseReceived, .responder):
            throw RefGateError(.invalidTransition, "a response can only be received by the commissioning authority")
        }
    }
}
