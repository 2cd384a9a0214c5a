import Foundation
import Prometheus
import RefGateCore

/// The node's Prometheus metrics. Counters and the latency histogram are recorded as things
/// happen (since the process started); the gauges of what is outstanding, open escalations
/// and days to expiry are read from the store and the certificates when `/metrics` is asked.
public final class NodeMetrics: Sendable {
    /// The registry `/metrics` emits.
    let registry = PrometheusCollectorRegistry()
    private let latency: DurationHistogram

    /// Creates the metrics with their fixed series.
    public init() {
        latency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "refgate", metricName: "delivery_latency", unitName: "seconds",
                helpText: "Time from a message being queued to its signed receipt."),
            labels: [],
            buckets: [
                .milliseconds(10), .milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30),
                .seconds(300), .seconds(3600), .seconds(86_400),
            ])
    }

    /// What became of one delivery attempt.
    public enum DeliveryResult: String, Sendable, CaseIterable {
        /// Receipted by the peer.
        case receipted
        /// Refused in a way that may heal; tried again later.
        case retry
        /// Refused for good; parked for operators.
        case parked
        /// The peer could not be reached.
        case unavailable
        /// Not receipted before its expiry.
        case expired
    }

    /// Counts a connection a listener's ``ConnectionPolicy`` closed, by listener and reason.
    func connectionRefused(listener: String, _ reason: ConnectionGuard.Refusal) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "refgate", metricName: "connections_refused", unitName: "total",
                helpText: "Connections closed by a listener's connection policy, by listener and reason."),
            labels: [("listener", listener), ("reason", reason.rawValue)]
        ).increment()
    }

    /// Counts a delivery attempt's result for `peer`.
    public func delivery(_ result: DeliveryResult, peer: AuthorityID, count: Int = 1) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "refgate", metricName: "deliveries", unitName: "total",
                helpText: "Delivery attempts to peers, by peer and result."),
            labels: [("peer", peer.rawValue), ("result", result.rawValue)]
        ).increment(by: Int64(count))
    }

    /// Records the time from queueing to receipt.
    public func deliveryLatency(_ seconds: TimeInterval) {
        latency.record(.milliseconds(Int64(max(0, seconds) * 1000)))
    }

    /// Counts an exchange that brought `messages` messages in, by endpoint (`single` or `batch`).
    public func inboundExchange(batch: Bool, messages: Int) {
        let endpoint = [("endpoint", batch ? "batch" : "single")]
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "refgate", metricName: "inbound_exchanges", unitName: "total",
                helpText: "HTTP exchanges that brought peer messages in, by endpoint."),
            labels: endpoint
        ).increment()
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "refgate", metricName: "inbound_messages", unitName: "total",
                helpText: "Peer messages that came in, by the endpoint that brought them."),
            labels: endpoint
        ).increment(by: Int64(messages))
    }

    /// Counts a message refused by the peer API, by problem type.
    public func inboundRejection(code: String) {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "refgate", metricName: "inbound_rejections", unitName: "total",
                helpText: "Messages from peers refused, by problem type."),
            labels: [("type", code)]
        ).increment()
    }

    /// Sets a gauge read at scrape time; `unit` ends its name unless empty (a count).
    func gauge(_ name: String, unit: String = "", _ help: String, labels: [(String, String)] = [], _ value: Double) {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "refgate", metricName: name, unitName: unit, helpText: help),
            labels: labels
        ).set(value)
    }

    /// The exposition text.
    func text() -> String { registry.emitToString() }
}
