//! Prometheus metrics: request counts and latency histograms by route and status, and the
//! database pool's gauges (read at scrape time).

use std::time::Duration;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("fupin".to_owned()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests served, by method, route pattern and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to serve a request, by method, route pattern and status",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "db_pool_connections",
                "Database pool connections by state (open, idle, max)",
            ),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            pool,
        })
    }

    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// The text exposition, with the pool gauges set from `state` first.
    pub fn render(&self, open: u32, idle: u32, max: u32) -> String {
        self.pool.with_label_values(&["open"]).set(i64::from(open));
        self.pool.with_label_values(&["idle"]).set(i64::from(idle));
        self.pool.with_label_values(&["max"]).set(i64::from(max));
        let mut out = Vec::new();
        if TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .is_err()
        {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_pool_gauges_appear_in_the_exposition() {
        let m = Metrics::new().unwrap();
        m.observe("GET", "/api/v1/regions", 200, Duration::from_millis(3));
        m.observe("GET", "/api/v1/regions", 200, Duration::from_millis(4));
        let text = m.render(3, 2, 10);
        assert!(
            text.contains(
                r#"fupin_http_requests_total{method="GET",route="/api/v1/regions",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"fupin_db_pool_connections{state="max"} 10"#),
            "{text}"
        );
        assert!(
            text.contains("fupin_http_request_duration_seconds_bucket"),
            "{text}"
        );
    }
}
