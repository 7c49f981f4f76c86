//! The access token's home in AWS: a Secrets Manager secret whose value is
//! the long-lived token itself, put there by the operator and renewed by
//! the refresh function.

use super::StoreError;
use crate::config::TokenSource;
use crate::graph::AccessToken;

#[derive(Clone, Debug)]
pub struct TokenSecret {
    client: aws_sdk_secretsmanager::Client,
    id: String,
}

impl TokenSecret {
    pub fn new(client: aws_sdk_secretsmanager::Client, id: impl Into<String>) -> Self {
        TokenSecret {
            client,
            id: id.into(),
        }
    }

    pub async fn read(&self) -> Result<AccessToken, StoreError> {
        let out = self
            .client
            .get_secret_value()
            .secret_id(&self.id)
            .send()
            .await
            .map_err(StoreError::aws("get secret value"))?;
        match out.secret_string {
            Some(s) if !s.trim().is_empty() => Ok(AccessToken::new(s)),
            _ => Err(StoreError::Corrupt {
                what: "token secret",
                reason: "the secret holds no token yet; put the long-lived token in it".into(),
            }),
        }
    }

    pub async fn write(&self, token: &AccessToken) -> Result<(), StoreError> {
        self.client
            .put_secret_value()
            .secret_id(&self.id)
            .secret_string(token.expose())
            .send()
            .await
            .map_err(StoreError::aws("put secret value"))?;
        Ok(())
    }
}

/// The token from wherever the configuration says it lives.
pub async fn access_token(
    secrets: &aws_sdk_secretsmanager::Client,
    source: &TokenSource,
) -> Result<AccessToken, StoreError> {
    match source {
        TokenSource::Direct(token) => Ok(token.clone()),
        TokenSource::Secret(id) => TokenSecret::new(secrets.clone(), id).read().await,
    }
}
