//! The scheduled poll and the token refresh.
//!
//! - [`tick`]: one ingest tick: read the sync state, list new media newest
//!   first, enqueue each new post, then advance the state. The ingest
//!   Lambda, `galleon sync` and `galleon backfill` all run it.
//! - [`refresh`]: renew the long-lived access token before it expires.
//! - [`Context`]: what both need, built once per cold start.

pub mod refresh;
pub mod tick;

use std::time::Duration;

use chrono_tz::Tz;
use galleon_common::Config;
use galleon_common::graph::GraphClient;
use galleon_common::store::{Aws, Queue, Table, access_token};

pub use tick::{TickError, TickOptions, TickSummary, tick};

/// Every Graph request's own deadline; the client retries transient
/// failures within the Lambda's timeout.
const HTTP_TIMEOUT: Duration = Duration::from_secs(20);

/// The clients and settings of a tick, borrowed by every call.
pub struct Context {
    pub table: Table,
    pub queue: Queue,
    pub graph: GraphClient,
    pub user_id: String,
    pub timezone: Tz,
}

impl Context {
    /// Builds the context from the configuration, reading the token from
    /// wherever it lives (the environment locally, Secrets Manager in AWS).
    pub async fn new(config: &Config, aws: &Aws) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let token = access_token(&aws.secrets, config.token_source()?)
            .await
            .context("failed to read the Instagram access token")?;
        Ok(Context {
            table: Table::new(aws.dynamo.clone(), &config.table),
            queue: Queue::new(aws.sqs.clone(), config.queue_url()?),
            graph: GraphClient::new(http_client()?, config.api_base.clone(), token),
            user_id: config.ig_user_id()?.to_owned(),
            timezone: config.timezone,
        })
    }
}

/// The HTTP client for Graph calls: bounded, and never following a
/// redirect (the Graph API does not send any).
pub fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(HTTP_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("galleon/", env!("CARGO_PKG_VERSION")))
        .build()?)
}
