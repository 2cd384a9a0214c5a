import Foundation
import RefGateCore
import RefGateStore

/// How a person is told: the channels they chose (or their role's), and their mobile number.
public struct ChannelSetting: Codable, Sendable, Hashable {
    /// The channels in use.
    public var channels: [PersonalChannel]
    /// Whether they chose them (false: their role's default).
    public var chosen: Bool
    /// Their mobile number for text messages, if given.
    public var phone: String?
    /// The channels this node can use (text messages need GOV.UK Notify).
    public var available: [PersonalChannel]
}

/// Body of `PUT /api/v1/me/channels`.
public struct ChannelsInput: Codable, Sendable {
    /// The channels wanted; nil or empty returns to the role's default.
    public var channels: [PersonalChannel]?
    /// A mobile number for text messages (UK or international); empty removes it.
    public var phone: String?

    /// Creates an input.
    public init(channels: [PersonalChannel]?, phone: String?) {
        self.channels = channels
        self.phone = phone
    }
}

extension Accounts {
    /// A user's channels as they stand.
    public func channels(user id: String) async throws -> ChannelSetting {
        guard let user = try await store.read({ try $0.user(idOrEmail: id) }) else {
            throw RefGateError(.notFound, "no user '\(id)'")
        }
        let (chosen, phone) = try await store.read { try $0.personalChannels(userID: user.id) }
        return ChannelSetting(
            channels: planner.channels(role: user.role, chosen: chosen), chosen: chosen != nil, phone: phone,
            available: planner.availableChannels)
    }

    /// Sets a user's channels and number; a text message needs a number and Notify.
    public func setChannels(user id: String, _ input: ChannelsInput) async throws
        -> ChannelSetting
    {
        let phone = try input.phone.flatMap { try Self.normalisePhone($0) }
        let channels = input.channels.flatMap { $0.isEmpty ? nil : Array(Set($0)).sorted { $0.rawValue < $1.rawValue } }
        if channels?.contains(.sms) == true {
            guard planner.availableChannels.contains(.sms) else {
                throw RefGateError(
                    .invalidInput, "this node sends no text messages (GOV.UK Notify is not set up): choose e-mail")
            }
            guard phone != nil else {
                throw RefGateError(.invalidInput, "give a mobile number (phone) for text messages")
            }
        }
        let now = clock.now()
        try await store.write { tx in
            guard let user = try tx.reader.user(idOrEmail: id) else {
                throw RefGateError(.notFound, "no user '\(id)'")
            }
            // Each person sets their own: the actor is the signed-in user.
            try tx.setPersonalChannels(
                channels?.map(\.rawValue), phone: phone, userID: user.id,
                actor: AuditActor(name: user.name, role: user.role.rawValue, user: user.id), at: now)
        }
        return try await self.channels(user: id)
    }

    /// A mobile number as Notify takes it: digits with an optional leading +, 10 to 15 of them.
    static func normalisePhone(_ text: String) throws -> String? {
        let compact = text.filter { !" -()".contains($0) }
        guard !compact.isEmpty else { return nil }
        guard compact.wholeMatch(of: /\+?[0-9]{10,15}/) != nil else {
            throw RefGateError(
                .invalidInput, "phone '\(text.prefix(30))' is not a mobile number: 10 to 15 digits, e.g. 07700 900123")
        }
        return compact
    }
}

extension NotificationPlanner {
    /// The channels a person is told through: their own choice, else their role's, else e-mail.
    func channels(role: UserRole, chosen: [String]?) -> [PersonalChannel] {
        if let chosen {
            let parsed = chosen.compactMap(PersonalChannel.init(rawValue:))
            if !parsed.isEmpty { return parsed }
        }
        return settings.channelsByRole?[role.rawValue] ?? [.email]
    }

    /// The channels this node can send through.
    var availableChannels: [PersonalChannel] {
        settings.notify?.smsTemplateId != nil ? [.email, .sms] : [.email]
    }
}
