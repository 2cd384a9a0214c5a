import Foundation
import RefGateCore

/// A Microsoft Teams message with one Adaptive Card (schema 1.4), as incoming webhooks and
/// Workflows take it: a title, the facts (who, which case, the deadline), the text, and a
/// button to the case page. Built when the notification is planned; posted as it is.
enum TeamsCard {
    /// The message JSON.
    static func message(title: String, facts: [(String, String)], text: String, link: String?) -> String {
        var card: [String: JSONValue] = [
            "$schema": .string("http://adaptivecards.io/schemas/adaptive-card.json"),
            "type": .string("AdaptiveCard"), "version": .string("1.4"),
            "body": .array([
                .object([
                    "type": .string("TextBlock"), "size": .string("Medium"), "weight": .string("Bolder"),
                    "text": .string(title), "wrap": .bool(true),
                ]),
                .object([
                    "type": .string("FactSet"),
                    "facts": .array(facts.map { .object(["title": .string($0.0), "value": .string($0.1)]) }),
                ]),
                .object(["type": .string("TextBlock"), "text": .string(text), "wrap": .bool(true)]),
            ]),
        ]
        if let link {
            card["actions"] = .array([
                .object(["type": .string("Action.OpenUrl"), "title": .string("Open the case"), "url": .string(link)])
            ])
        }
        let message: JSONValue = .object([
            "type": .string("message"),
            "attachments": .array([
                .object([
                    "contentType": .string("application/vnd.microsoft.card.adaptive"), "contentUrl": .null,
                    "content": .object(card),
                ])
            ]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(message)) ?? Data(), as: UTF8.self)
    }
}
