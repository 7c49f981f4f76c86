//! The AWS adapters: the DynamoDB [`Table`], the S3 [`Bucket`] and the SQS
//! [`Queue`], plus [`Aws`], the clients built once per cold start.
//!
//! Every client honours `AWS_ENDPOINT_URL`, so the same code talks to AWS
//! or to the local emulator.

mod bucket;
mod queue;
mod secret;
mod table;

pub use bucket::{Bucket, ObjectBody, PutOutcome};
pub use queue::{Queue, QueueDepth, Received, SendFailure};
pub use secret::{TokenSecret, access_token};
pub use table::{ItemPage, SyncState, Table};

use aws_config::BehaviorVersion;

/// One adapter call failed. Callers decide retry or not by the operation,
/// and log the cause chain once.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{op} failed")]
    Aws {
        op: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("stored {what} is corrupt: {reason}")]
    Corrupt { what: &'static str, reason: String },
}

impl StoreError {
    pub(crate) fn aws<E>(op: &'static str) -> impl FnOnce(E) -> StoreError
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        move |e| StoreError::Aws {
            op,
            source: Box::new(e),
        }
    }
}

/// The SDK clients, built once per cold start and shared by reference.
#[derive(Clone, Debug)]
pub struct Aws {
    pub dynamo: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
}

impl Aws {
    /// Loads the SDK configuration from the environment (region,
    /// credentials, `AWS_ENDPOINT_URL`) and builds every client.
    pub async fn from_env() -> Self {
        let sdk = aws_config::defaults(BehaviorVersion::latest()).load().await;
        // Path-style S3 addressing when an endpoint override points at an
        // emulator: virtual hosts under `localhost` do not resolve.
        let local = std::env::var_os("AWS_ENDPOINT_URL").is_some();
        let s3_config = aws_sdk_s3::config::Builder::from(&sdk)
            .force_path_style(local)
            .build();
        Aws {
            dynamo: aws_sdk_dynamodb::Client::new(&sdk),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sqs: aws_sdk_sqs::Client::new(&sdk),
            secrets: aws_sdk_secretsmanager::Client::new(&sdk),
        }
    }
}
