import Foundation
import RefGateCore

/// An e-mail: plain text in UTF-8, rendered as RFC 5322 with MIME headers.
public struct MailMessage: Sendable, Hashable {
    /// A mailbox: address and optional display name.
    public struct Mailbox: Sendable, Hashable {
        /// The address, e.g. `sam.okafor@salford.example`.
        public var address: String
        /// The display name, e.g. "Sam Okafor".
        public var name: String?

        /// Creates a mailbox.
        public init(_ address: String, name: String? = nil) {
            self.address = address
            self.name = name
        }

        var rendered: String {
            guard let name, !name.isEmpty else { return "<\(address)>" }
            return "\(MailMessage.encodeWord(name)) <\(address)>"
        }
    }

    /// Sender.
    public var from: Mailbox
    /// Recipients.
    public var to: [Mailbox]
    /// Subject (any Unicode).
    public var subject: String
    /// Body text (any Unicode).
    public var body: String
    /// The Message-ID, without angle brackets.
    public var messageID: String
    /// The Date header's instant.
    public var date: Date

    /// Creates a message; the Message-ID defaults to a fresh UUID at the sender's domain.
    public init(from: Mailbox, to: [Mailbox], subject: String, body: String, date: Date, messageID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "refgate.invalid"
        self.messageID = messageID ?? "\(UUID().uuidString.lowercased())@\(domain)"
    }

    /// The message as sent: CRLF line endings, base64 body so any server carries the UTF-8 intact.
    public func rendered() -> Data {
        var lines = [
            "From: \(from.rendered)",
            "To: \(to.map(\.rendered).joined(separator: ", "))",
            "Subject: \(Self.encodeWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalized.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// RFC 2047 encoded words for non-ASCII header text (ASCII passes through).
    static func encodeWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 && $0 != "=" && $0 != "?" }) { return text }
        // Split on character boundaries so no encoded word exceeds 75 characters.
        var words: [String] = []
        var chunk = ""
        for character in text {
            if Data((chunk + String(character)).utf8).count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: " ")
    }

    /// `Sun, 22 Nov 2026 20:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let civil = CalendarDate(daysSinceEpoch: days)
        let secondOfDay = seconds - days * 86_400
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(weekdays[civil.isoWeekday - 1]), \(two(civil.day)) \(months[civil.month - 1]) \(civil.year) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) +0000"
    }
}
