//! The token refresh Lambda: renews the token in its secret, daily.

use galleon_common::{Config, config::TokenSource, store::Aws, store::TokenSecret, telemetry};
use galleon_ingest::{http_client, refresh::refresh};
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init();
    let config = Config::from_env()?;
    let TokenSource::Secret(id) = config.token_source()? else {
        return Err("the refresh function needs IG_TOKEN_SECRET_ID, not IG_ACCESS_TOKEN".into());
    };
    let secret = TokenSecret::new(Aws::from_env().await.secrets, id);
    let http = http_client()?;
    lambda_runtime::run(service_fn(|_: LambdaEvent<Value>| async {
        refresh(http.clone(), config.api_base.clone(), &secret)
            .await
            .map_err(|e| {
                tracing::error!(error = %telemetry::error_chain(&e), "token refresh failed");
                Error::from("token refresh failed")
            })
    }))
    .await
}
