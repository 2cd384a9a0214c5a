/// Which refgate this is: the release's semantic version (kept by hand, raised at each release)
/// and the git commit it was built from (embedded at build by `BuildInfoPlugin`).
public enum RefGateVersion {
    /// The release, `MAJOR.MINOR.PATCH`. A node interoperates with nodes of the same and the
    /// previous minor release, both ways (docs/OPERATING.md, "Versions").
    public static let release = "1.3.0"
    /// The previous minor release, whose messages and configuration this one still takes.
    public static let previousRelease = "1.2.0"
    /// The git commit, 12 hex digits, or `unknown` when built outside git.
    public static let commit = buildCommit
    /// `1.1.0 (commit 0123456789ab)`, as `refgate --version` prints it.
    public static var description: String { "\(release) (commit \(commit))" }
}
