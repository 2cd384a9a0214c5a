import Testing

@testable import RefGateCore

/// Peer-written text cannot forge a log line or rewrite a terminal.
@Suite(.timeLimit(.minutes(2))) struct DisplayTextTests {
    @Test(arguments: [
        ("plain text, unchanged: é ✓", "plain text, unchanged: é ✓"),
        ("line\ninjected: level=critical", "line\\u{a}injected: level=critical"),
        ("\u{1B}[2Jcleared", "\\u{1b}[2Jcleared"),
        ("cr\rtab\t", "cr\\u{d}tab\\u{9}"),
        ("abc\u{202E}fdp.exe", "abc\\u{202e}fdp.exe"),
        ("nul\u{0}", "nul\\u{0}"),
    ])
    func controlsAreEscaped(input: String, shown: String) {
        #expect(input.escapedForDisplay() == shown)
    }

    @Test func longTextIsCut() {
        #expect(String(repeating: "a", count: 2_000).escapedForDisplay(limit: 10) == "aaaaaaaaaa…")
        #expect("short".escapedForDisplay(limit: 10) == "short")
    }
}
