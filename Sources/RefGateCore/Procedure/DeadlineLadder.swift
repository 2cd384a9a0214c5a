import Foundation

/// The escalation ladder in time (paras 6, 11, 13, 14): which deadline a case waits on, and
/// what is due when it passes. Pure; the store keeps `nextDue` as its scheduling index and the
/// engine carries out the steps, but neither decides them.
///
/// On the commissioning side (`requester`) an unanswered request waits on its response
/// deadline (para 6: "as a matter of urgency"); when that passes, service managers are
/// engaged (level 1, para 11); when level 1 passes unanswered, heads of service (level 2,
/// para 13); when level 2 passes, the ladder is spent and what follows is a human decision
/// (para 14). On the providing side (`responder`) the node reminds the holders of the
/// addressed role until they acknowledge, and marks the ladder spent when level 2 passes.
public enum DeadlineLadder {
    /// A case as the ladder sees it.
    public struct CaseState: Sendable, Hashable {
        /// Which side of the case this authority is.
        public var side: CaseSide
        /// The case's status.
        public var status: CaseStatus
        /// 0 none, 1 service managers, 2 heads of service, 3 spent.
        public var escalationLevel: Int
        /// The response deadline of the request.
        public var respondBy: Date
        /// The case's open (unclosed) escalations.
        public var open: [OpenEscalation]
        /// When the request itself expired unreceipted (a non-delivery), if it did: the peer
        /// never had it, so the case is treated as unanswered from then, not from `respondBy`.
        public var requestExpiredAt: Date?

        /// Creates a state.
        public init(
            side: CaseSide, status: CaseStatus, escalationLevel: Int, respondBy: Date, open: [OpenEscalation],
            requestExpiredAt: Date? = nil
        ) {
            self.side = side
            self.status = status
            self.escalationLevel = escalationLevel
            self.respondBy = respondBy
            self.open = open
            self.requestExpiredAt = requestExpiredAt
        }
    }

    /// An open escalation as the ladder sees it.
    public struct OpenEscalation: Sendable, Hashable {
        /// Its id (a reminder names it).
        public var id: String
        /// 1 or 2.
        public var level: Int
        /// When an answer is due at this level.
        public var dueAt: Date
        /// When a holder of the addressed role acknowledged it (providing side), if anyone has.
        public var acknowledgedAt: Date?
        /// When the holders are reminded next (providing side, while unacknowledged).
        public var nextReminderAt: Date?

        /// Creates one.
        public init(id: String, level: Int, dueAt: Date, acknowledgedAt: Date? = nil, nextReminderAt: Date? = nil) {
            self.id = id
            self.level = level
            self.dueAt = dueAt
            self.acknowledgedAt = acknowledgedAt
            self.nextReminderAt = nextReminderAt
        }
    }

    /// What is due when a case's deadline passes.
    public enum Step: Sendable, Hashable {
        /// Raise an escalation (the engine signs and sends its notice).
        case raise(EscalationReason)
        /// The ladder is spent (para 14): close the open escalations, tell people.
        case exhaust
        /// Remind the holders of an unacknowledged escalation's role, and again at `next`.
        case remind(escalationID: String, next: Date)
    }

    /// The instant the case waits on next, or nil when nothing is due for it: on the
    /// commissioning side the response deadline while unanswered and unescalated (or the
    /// request's expiry, if it was never delivered), else the open level's deadline; on the providing side the next reminder of an unacknowledged escalation
    /// or the level 2 deadline, whichever is first.
    public static func nextDue(_ state: CaseState) -> Date? {
        var candidates: [Date] = []
        switch state.side {
        case .requester:
            if state.escalationLevel == 0, state.status == .awaitingResponse {
                candidates.append(state.respondBy)
                if let expired = state.requestExpiredAt { candidates.append(expired) }
            }
            if (1...2).contains(state.escalationLevel) {
                candidates += state.open.filter { $0.level == state.escalationLevel }.map(\.dueAt)
            }
        case .responder:
            candidates += state.open.filter { $0.acknowledgedAt == nil }.compactMap(\.nextReminderAt)
            candidates += state.open.filter { $0.level == 2 }.map(\.dueAt)
        }
        return candidates.min()
    }

    /// What is due at `now` (nothing when the case's next deadline has not passed).
    public static func due(_ state: CaseState, now: Date, policy: Policy) -> [Step] {
        guard let due = nextDue(state), due <= now else { return [] }
        switch state.side {
        case .requester:
            switch state.escalationLevel {
            case 0 where state.status == .awaitingResponse: return [.raise(.responseOverdue)]
            case 1: return [.raise(.levelOneOverdue)]
            case 2: return [.exhaust]
            default: return []
            }
        case .responder:
            if state.open.contains(where: { $0.level == 2 && $0.dueAt <= now }) { return [.exhaust] }
            return state.open.compactMap { escalation in
                guard escalation.acknowledgedAt == nil, let reminder = escalation.nextReminderAt, reminder <= now
                else { return nil }
                return .remind(escalationID: escalation.id, next: nextReminder(after: now, policy: policy))
            }
        }
    }

    /// When an answer is due once level `level` is raised at `raisedAt` (paras 11, 13).
    public static func escalationDue(level: Int, raisedAt: Date, policy: Policy) -> Date {
        policy.calendar.adding(
            workingDays: level == 1 ? policy.level1WorkingDays : policy.level2WorkingDays, to: raisedAt)
    }

    /// When the holders of an unacknowledged escalation's role are reminded next.
    public static func nextReminder(after time: Date, policy: Policy) -> Date {
        policy.calendar.adding(workingHours: policy.reminderWorkingHours, to: time)
    }
}
