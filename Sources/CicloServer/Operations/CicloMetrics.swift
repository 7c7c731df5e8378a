import Metrics
import Prometheus

/// The process's Prometheus registry, bootstrapped into swift-metrics on first use so every `Counter` lands in `/metrics`.
public enum CicloMetrics {
    /// The registry `/metrics` renders.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
