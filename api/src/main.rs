//! The api Lambda: the read API and gallery page behind CloudFront.

use galleon_api::{ApiState, router};
use galleon_common::store::Aws;
use galleon_common::{Config, telemetry};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    telemetry::init();
    let config = Config::from_env()?;
    let aws = Aws::from_env().await;
    let state = ApiState::from_config(&config, &aws);
    lambda_http::run(router(state)).await
}
