//! Creating galleon's resources in a local emulator: what `galleon local
//! init` does, and what each integration test does with names of its own.
//!
//! The definitions follow the CDK app (`cdk/`): the same keys, the same TTL
//! attribute, and the same redrive policy, so local and deployed behave
//! alike. Every step tolerates a resource that already exists.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;

use crate::store::{Aws, Bucket, Queue, StoreError, Table};

/// The attribute DynamoDB's TTL reads.
pub const TTL_ATTRIBUTE: &str = "expires_at";
/// How many receives a message gets before SQS moves it to the DLQ; the
/// CDK app sets the same.
pub const MAX_RECEIVE_COUNT: u32 = 5;
/// The mirror queue's visibility timeout: six times the mirror Lambda's
/// 120 s timeout, as the CDK app sets it. The local drain shortens it per
/// failed message for its retry backoff.
const VISIBILITY_SECS: u32 = 720;

/// The resources of one stack, by name.
#[derive(Debug, Clone)]
pub struct Names {
    pub table: String,
    pub bucket: String,
    pub queue: String,
    pub dlq: String,
}

impl Names {
    /// Names from the `GALLEON_*` configuration: queue names are the last
    /// segment of the queue URLs.
    pub fn from_config(config: &crate::Config) -> Result<Self, crate::config::ConfigError> {
        let last = |url: &str| url.rsplit('/').next().unwrap_or(url).to_owned();
        Ok(Names {
            table: config.table.clone(),
            bucket: config.bucket.clone(),
            queue: last(config.queue_url()?),
            dlq: last(config.dlq_url()?),
        })
    }

    /// Fresh names for one test, so that tests never share state.
    pub fn unique(prefix: &str) -> Self {
        let tag = format!("{prefix}-{:016x}", rand::random::<u64>());
        Names {
            table: format!("{tag}-table"),
            bucket: format!("{tag}-media"),
            queue: format!("{tag}-mirror"),
            dlq: format!("{tag}-mirror-dlq"),
        }
    }
}

/// Handles on a created stack.
#[derive(Debug, Clone)]
pub struct Stack {
    pub table: Table,
    pub bucket: Bucket,
    pub queue: Queue,
    pub dlq: Queue,
}

/// Creates the table, bucket, queue and dead-letter queue; safe to run twice.
pub async fn init(aws: &Aws, names: &Names) -> Result<Stack, StoreError> {
    create_table(aws, &names.table).await?;
    create_bucket(aws, &names.bucket).await?;
    let dlq_url = create_queue(aws, &names.dlq, None).await?;
    let dlq = Queue::new(aws.sqs.clone(), dlq_url);
    let queue_url = create_queue(aws, &names.queue, Some(&dlq.arn().await?)).await?;
    Ok(Stack {
        table: Table::new(aws.dynamo.clone(), &names.table),
        bucket: Bucket::new(aws.s3.clone(), &names.bucket),
        queue: Queue::new(aws.sqs.clone(), queue_url),
        dlq,
    })
}

async fn create_table(aws: &Aws, name: &str) -> Result<(), StoreError> {
    let attr = |n: &str| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .expect("name and type are set")
    };
    let key = |n: &str, t| {
        KeySchemaElement::builder()
            .attribute_name(n)
            .key_type(t)
            .build()
            .expect("set")
    };
    let created = aws
        .dynamo
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr("pk"))
        .attribute_definitions(attr("sk"))
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .send()
        .await;
    match created {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_in_use_exception()) =>
        {
            return Ok(());
        }
        Err(e) => return Err(StoreError::aws("create table")(e)),
    }
    let ttl = TimeToLiveSpecification::builder()
        .attribute_name(TTL_ATTRIBUTE)
        .enabled(true)
        .build()
        .expect("name and flag are set");
    aws.dynamo
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(ttl)
        .send()
        .await
        .map_err(StoreError::aws("update time to live"))?;
    Ok(())
}

async fn create_bucket(aws: &Aws, name: &str) -> Result<(), StoreError> {
    match aws.s3.create_bucket().bucket(name).send().await {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error().is_some_and(|s| {
                s.is_bucket_already_owned_by_you() || s.is_bucket_already_exists()
            }) =>
        {
            Ok(())
        }
        Err(e) => Err(StoreError::aws("create bucket")(e)),
    }
}

/// Creates a queue (or finds it) and returns its URL.
async fn create_queue(aws: &Aws, name: &str, dlq_arn: Option<&str>) -> Result<String, StoreError> {
    let mut req = aws.sqs.create_queue().queue_name(name).attributes(
        QueueAttributeName::VisibilityTimeout,
        VISIBILITY_SECS.to_string(),
    );
    if let Some(arn) = dlq_arn {
        let policy = serde_json::json!({
            "deadLetterTargetArn": arn,
            "maxReceiveCount": MAX_RECEIVE_COUNT.to_string(),
        });
        req = req.attributes(QueueAttributeName::RedrivePolicy, policy.to_string());
    } else {
        // The dead-letter queue keeps messages the longest SQS allows.
        req = req.attributes(QueueAttributeName::MessageRetentionPeriod, "1209600");
    }
    let out = req.send().await.map_err(StoreError::aws("create queue"))?;
    Ok(out.queue_url.unwrap_or_default())
}
