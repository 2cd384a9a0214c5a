extension String {
    /// This text made safe to put in a log line or on a terminal: control characters (line
    /// breaks, escape sequences) and Unicode direction overrides become `\u{…}` escapes, and
    /// anything past `limit` characters is cut with `…`. For text a peer or a remote server
    /// wrote (problem details, SMTP replies), which must not forge log lines or rewrite a
    /// terminal.
    public func escapedForDisplay(limit: Int = 1_000) -> String {
        var out = ""
        var count = 0
        for scalar in unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            let value = scalar.value
            let unsafe =
                value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
            out += unsafe ? "\\u{\(String(value, radix: 16))}" : String(scalar)
            count += 1
        }
        return out
    }
}
