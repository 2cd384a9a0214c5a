/// A call whose answer was lost (a timeout, a dropped connection): the node may or may not have
/// done it, and the message says how to find out or try again safely.
struct OutcomeUnknown: Error, CustomStringConvertible {
    /// What was asked, e.g. "the request".
    var what: String
    /// What failed.
    var cause: String
    /// How to try again without doing it twice.
    var retry: String

    var description: String {
        "the node's answer was lost (\(cause)), so \(what) may or may not have been made: \(retry)"
    }
}
