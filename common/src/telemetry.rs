//! Logging setup shared by every binary: structured logs through
//! `tracing`, JSON when Lambda's log format says so (or `GALLEON_LOG_JSON`
//! is set), compact text on a terminal. `RUST_LOG` filters as usual, and
//! Lambda's `AWS_LAMBDA_LOG_LEVEL` is honoured when it is unset.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .or_else(|| {
            std::env::var("AWS_LAMBDA_LOG_LEVEL")
                .ok()
                .map(|l| l.to_lowercase())
        })
        .unwrap_or_else(|| "info".into());
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"))
        || std::env::var_os("GALLEON_LOG_JSON").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_target(false);
    // A second init (tests, a CLI that re-enters) keeps the first subscriber.
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.compact().try_init()
    };
}

/// Counts one occurrence of `name` in the `galleon` CloudWatch namespace,
/// through the embedded metric format: Lambda turns this stdout line into
/// a metric, with no API call and no extra permission. Alarms watch these.
pub fn count_metric(name: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let line = serde_json::json!({
        "_aws": {
            "Timestamp": now,
            "CloudWatchMetrics": [{
                "Namespace": "galleon",
                "Dimensions": [[]],
                "Metrics": [{ "Name": name, "Unit": "Count" }],
            }],
        },
        name: 1,
    });
    println!("{line}");
}

/// An error and every cause under it on one line (`a: b: c`), for the one
/// log line written where the error is handled.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}
