//! `galleon token exchange|inspect|refresh`.
//!
//! The token is printed only where the operator asked for a new one and
//! has nowhere else to keep it (a local `IG_ACCESS_TOKEN`); with a secret
//! configured, the new token goes into the secret and is never printed.

use clap::Subcommand;
use galleon_common::Config;
use galleon_common::config::TokenSource;
use galleon_common::graph::{AccessToken, GraphClient, IssuedToken};
use galleon_common::store::{Aws, TokenSecret, access_token};
use galleon_ingest::http_client;

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Exchange a short-lived token (IG_ACCESS_TOKEN or the secret) for a
    /// long-lived one; needs the app secret in IG_APP_SECRET.
    Exchange,
    /// Show which account the token belongs to (never the token).
    Inspect,
    /// Renew the long-lived token for another 60 days.
    Refresh,
}

pub async fn run(command: TokenCommand, config: &Config, aws: &Aws) -> anyhow::Result<()> {
    let source = config.token_source()?;
    let token = access_token(&aws.secrets, source).await?;
    let graph = GraphClient::new(http_client()?, config.api_base.clone(), token);
    match command {
        TokenCommand::Inspect => {
            let account = graph.me().await?;
            let from = match source {
                TokenSource::Direct(_) => "IG_ACCESS_TOKEN".to_owned(),
                TokenSource::Secret(id) => format!("secret {id}"),
            };
            println!(
                "user id {}, username {}, token from {from}",
                account.user_id,
                account.username.as_deref().unwrap_or("?")
            );
        }
        TokenCommand::Refresh => keep(graph.refresh_token().await?, source, aws).await?,
        TokenCommand::Exchange => {
            let secret = std::env::var("IG_APP_SECRET")
                .map_err(|_| anyhow::anyhow!("IG_APP_SECRET is required for exchange"))?;
            keep(graph.exchange_token(&secret).await?, source, aws).await?;
        }
    }
    Ok(())
}

/// Stores a newly issued token where the old one came from.
async fn keep(issued: IssuedToken, source: &TokenSource, aws: &Aws) -> anyhow::Result<()> {
    let days = issued
        .expires_in
        .map_or("an unknown number of".into(), |s| (s / 86_400).to_string());
    match source {
        TokenSource::Secret(id) => {
            TokenSecret::new(aws.secrets.clone(), id)
                .write(&issued.token)
                .await?;
            println!("new token stored in secret {id}; it expires in {days} days");
        }
        TokenSource::Direct(_) => {
            eprintln!("new token below; it expires in {days} days. Put it in IG_ACCESS_TOKEN.");
            println!("{}", AccessToken::expose(&issued.token));
        }
    }
    Ok(())
}
