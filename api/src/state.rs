//! What every request borrows: the table, the bucket, the time zone of date
//! events and the cursor key. Built once per cold start (or per `galleon
//! serve`) and cloned cheaply into each request.

use std::sync::Arc;

use chrono_tz::Tz;
use galleon_common::Config;
use galleon_common::domain::EventId;
use galleon_common::store::{Aws, Bucket, Table};

use crate::cursor::{self, Cursors};
use crate::error::ApiError;
use crate::gallery::{self, Gallery};
use crate::params::PageParams;

#[derive(Clone, Debug)]
pub struct ApiState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    table: Table,
    bucket: Bucket,
    timezone: Tz,
    cursors: Cursors,
}

impl ApiState {
    /// `timezone` places date events (as `GALLEON_TIMEZONE` does);
    /// `cursor_key` signs page cursors and must be the same on every
    /// instance serving the same table.
    pub fn new(table: Table, bucket: Bucket, timezone: Tz, cursor_key: &[u8]) -> Self {
        let cursors = Cursors::new(cursor_key);
        ApiState {
            inner: Arc::new(Inner {
                table,
                bucket,
                timezone,
                cursors,
            }),
        }
    }

    /// The state for a configured deployment: the cursor key is
    /// `GALLEON_CURSOR_KEY`, or, when that is unset, derived from the table
    /// name (see [`cursor::derived_key`] for what that trades away).
    pub fn from_config(config: &Config, aws: &Aws) -> Self {
        let table = Table::new(aws.dynamo.clone(), &config.table);
        let bucket = Bucket::new(aws.s3.clone(), &config.bucket);
        let key = match &config.cursor_key {
            Some(secret) => secret.as_bytes().to_vec(),
            None => cursor::derived_key(&config.table).to_vec(),
        };
        ApiState::new(table, bucket, config.timezone, &key)
    }

    pub fn bucket(&self) -> &Bucket {
        &self.inner.bucket
    }

    /// One page of an event's gallery; see [`gallery::load`].
    pub async fn gallery(&self, event: EventId, params: PageParams) -> Result<Gallery, ApiError> {
        let Inner {
            table,
            timezone,
            cursors,
            ..
        } = &*self.inner;
        gallery::load(table, *timezone, cursors, event, params).await
    }
}
