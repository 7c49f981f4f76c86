//! The ingest Lambda: one tick per scheduled invocation.

use galleon_common::{Config, store::Aws, telemetry};
use galleon_ingest::{Context, TickOptions, tick};
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init();
    let config = Config::from_env()?;
    let ctx = Context::new(&config, &Aws::from_env().await).await?;
    lambda_runtime::run(service_fn(|_: LambdaEvent<Value>| async {
        tick(&ctx, TickOptions::default()).await.map_err(|e| {
            if e.kind() == "throttled" {
                telemetry::count_metric("InstagramThrottled");
            }
            tracing::error!(error_kind = e.kind(), error = %telemetry::error_chain(&e), "tick failed");
            Error::from("tick failed; see the error_kind field of the log line before this")
        })
    }))
    .await
}
