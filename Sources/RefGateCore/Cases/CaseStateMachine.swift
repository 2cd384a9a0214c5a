/// The legal transitions of a case. Pure: the engine applies the result in one transaction.
public enum CaseStateMachine {
    /// The status after `event`, or `invalid-transition` saying why the event is not allowed.
    public static func apply(_ event: CaseEvent, to status: CaseStatus, side: CaseSide) throws -> CaseStatus {
        switch (event, side) {
        case (.responseSent(let outcome), .responder), (.responseReceived(let outcome), .requester):
            guard status == .awaitingResponse else {
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
