//! The mirror: one SQS batch in, partial failures out.
//!
//! - [`handler`]: a message's steps (parse, fetch, check and resize, store,
//!   file) and the batch answer naming exactly the messages that failed.
//! - [`fetch`]: downloads from the allowed CDN hosts only, bounded in bytes
//!   and time.
//! - [`image`]: the pure image path (format and size checks, variants,
//!   placeholder, sha256).
//! - [`media`]: storing a processed image under its content address.
//! - [`drain`]: `galleon mirror --drain`, the SQS event source reproduced
//!   locally.
//! - [`guest`]: guest photos brought in through the same image path.

pub mod drain;
pub mod fetch;
pub mod guest;
pub mod handler;
pub mod image;
pub mod media;

use chrono_tz::Tz;
use galleon_common::Config;
use galleon_common::config::MediaHosts;
use galleon_common::graph::GraphClient;
use galleon_common::store::{Aws, Bucket, Table, access_token};

pub use handler::{MirrorError, handle_batch, mirror_message};

/// What the mirror needs, built once per cold start and borrowed.
pub struct Context {
    pub table: Table,
    pub bucket: Bucket,
    pub fetcher: fetch::Fetcher,
    /// For fresh links when a CDN link has expired. Without a token, an
    /// expired link is a failure to retry once one is configured.
    pub graph: Option<GraphClient>,
    pub limits: image::Limits,
    pub timezone: Tz,
}

impl Context {
    pub async fn new(config: &Config, aws: &Aws) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let graph = match &config.token {
            Some(source) => {
                let token = access_token(&aws.secrets, source)
                    .await
                    .context("failed to read the Instagram access token")?;
                let http = fetch::graph_http_client()?;
                Some(GraphClient::new(http, config.api_base.clone(), token))
            }
            None => None,
        };
        Ok(Context {
            table: Table::new(aws.dynamo.clone(), &config.table),
            bucket: Bucket::new(aws.s3.clone(), &config.bucket),
            fetcher: fetch::Fetcher::new(
                config.media_hosts.clone(),
                fetch::FetchLimits::default(),
            )?,
            graph,
            limits: image::Limits::default(),
            timezone: config.timezone,
        })
    }

    /// A context over given parts, for tests and the CLI.
    pub fn from_parts(
        table: Table,
        bucket: Bucket,
        hosts: MediaHosts,
        graph: Option<GraphClient>,
        timezone: Tz,
    ) -> anyhow::Result<Self> {
        Ok(Context {
            table,
            bucket,
            fetcher: fetch::Fetcher::new(hosts, fetch::FetchLimits::default())?,
            graph,
            limits: image::Limits::default(),
            timezone,
        })
    }
}
