//! The Instagram Graph API client: media listing with carousel children
//! expanded, single items for fresh links, token calls, usage headers, and
//! a typed error for every failure a caller must act on.
//!
//! - `client`: [`GraphClient`], requests, retries and logging.
//! - `types`: parsed answers ([`MediaPage`], [`GraphMedia`], [`PageCursor`]).
//! - `error`: [`GraphError`] and the classification of error responses.
//! - `usage`: the rate-limit usage headers.
//! - `retry`: [`RetryPolicy`], bounded backoff with full jitter.

mod client;
mod error;
mod retry;
mod token;
mod types;
mod usage;

pub use client::GraphClient;
pub use error::GraphError;
pub use retry::RetryPolicy;
pub use token::AccessToken;
pub use types::{Account, GraphMedia, IssuedToken, MediaPage, PageCursor, parse_timestamp};
pub use usage::{Usage, parse_usage};
