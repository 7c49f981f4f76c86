//! Token refresh. Instagram's long-lived tokens last 60 days and can be
//! renewed once they are a day old; the refresh function runs daily, so a
//! token is renewed long before it expires and an operator never sees a
//! gallery go stale because of it.

use galleon_common::graph::{GraphClient, GraphError};
use galleon_common::store::{StoreError, TokenSecret};
use tracing::info;

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("instagram refused to refresh the token")]
    Graph(#[from] GraphError),
    #[error("the token secret could not be read or written")]
    Store(#[from] StoreError),
}

/// What a refresh did, without the token.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Refreshed {
    pub expires_in_days: Option<u64>,
}

/// Reads the token from the secret, has Instagram renew it, and stores
/// the new one. The old token stays valid until its own expiry, so a
/// failure between the two calls loses nothing.
pub async fn refresh(
    http: reqwest::Client,
    api_base: url::Url,
    secret: &TokenSecret,
) -> Result<Refreshed, RefreshError> {
    let token = secret.read().await?;
    let issued = GraphClient::new(http, api_base, token)
        .refresh_token()
        .await?;
    secret.write(&issued.token).await?;
    let expires_in_days = issued.expires_in.map(|s| s / 86_400);
    info!(expires_in_days, "access token refreshed");
    Ok(Refreshed { expires_in_days })
}
