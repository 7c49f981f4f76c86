//! galleon's shared library.
//!
//! - [`domain`]: validated ids, events and their windows, gallery items,
//!   media records and the queue message; pure rules, no I/O.
//! - [`events`]: putting and removing named events, with re-filing.
//! - [`graph`]: the Instagram Graph API client.
//! - [`store`]: the DynamoDB, S3 and SQS adapters.
//! - [`local`]: creating the resources in a local emulator.
//! - [`config`]: the one place that reads the environment.
//! - [`telemetry`]: logging setup for every binary.

pub mod config;
pub mod domain;
pub mod events;
pub mod graph;
pub mod local;
pub mod store;
pub mod telemetry;

pub use config::Config;
