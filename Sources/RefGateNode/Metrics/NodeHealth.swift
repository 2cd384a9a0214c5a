import Foundation
import RefGateBuildInfo
import RefGateCore
import RefGateStore
import RefGateTrust
import X509

/// Whether the node can do its work, for `/readyz`.
public struct Readiness: Codable, Sendable, Hashable {
    /// True when every check passed.
    public var ready: Bool
    /// Each check: `ok`, or what is wrong.
    public var checks: [String: String]
}

/// Readiness checks and the scrape-time metrics, from the node's store, directory and
/// certificates.
public struct NodeHealth: Sendable {
    let queries: Queries
    let metrics: NodeMetrics
    let store: Store
    let directory: DirectoryHolder
    let clock: any NodeClock
    /// This node's auth and sign certificates.
    let certificates: [(kind: String, certificate: Certificate)]

    /// Ready when the store takes a write, the directory is in force and this node's own
    /// certificates are valid now.
    public func readiness() async -> Readiness {
        var checks: [String: String] = [:]
        do {
            try await store.write { _ in }
            checks["store"] = "ok"
        } catch {
            checks["store"] = "not writable: \(error)"
        }
        let now = clock.now()
        do {
            try await directory.current.checkInForce(at: now)
            checks["directory"] = "ok"
        } catch {
            checks["directory"] = "\(error)"
        }
        for (kind, certificate) in certificates {
            checks["\(kind)Certificate"] =
                certificate.notValidBefore <= now && now < certificate.notValidAfter
                ? "ok" : "not valid now (valid \(certificate.notValidBefore) to \(certificate.notValidAfter))"
        }
        return Readiness(ready: checks.values.allSatisfy { $0 == "ok" }, checks: checks)
    }

    /// The Prometheus exposition text: the recorded counters and histogram, and gauges read now.
    public func metricsText() async throws -> String {
        let now = clock.now()
        metrics.gauge(
            "build_info", "This node's release and the git commit it was built from (always 1).",
            labels: [("version", RefGateVersion.release), ("commit", RefGateVersion.commit)], 1)
        let outstanding = try await queries.outstandingCounts()
        for side in CaseSide.allCases {
            for rag in RAGStatus.allCases {
                metrics.gauge(
                    "outstanding", "Requests awaiting an answer, by direction and RAG rating.",
                    labels: [("direction", side.direction), ("rag", rag.rawValue)],
                    Double(outstanding.filter { $0.side == side && $0.rag == rag }.reduce(0) { $0 + $1.count }))
            }
        }
        let open = try await queries.escalations(openOnly: true)
        for level in 1...2 {
            for reason in EscalationReason.allCases {
                metrics.gauge(
                    "escalations_open", "Open escalations, by level and reason.",
                    labels: [("level", "\(level)"), ("reason", reason.rawValue)],
                    Double(open.filter { $0.level == level && $0.reason == reason }.count))
            }
        }
        let days = 86_400.0
        metrics.gauge(
            "directory_expiry", unit: "days", "Days until the directory in force expires.",
            await directory.current.directory.expiresAt.timeIntervalSince(now) / days)
        for (kind, certificate) in certificates {
            metrics.gauge(
                "certificate_expiry", unit: "days", "Days until this node's certificates expire.",
                labels: [("certificate", kind)], certificate.notValidAfter.timeIntervalSince(now) / days)
        }
        return metrics.text()
    }
}
