//! `galleon mirror --drain`: consume the mirror queue until it is empty.

use std::time::Duration;

use clap::Args;
use galleon_common::Config;
use galleon_common::store::{Aws, Queue};
use galleon_mirror::Context;
use galleon_mirror::drain::{DrainOptions, drain};

#[derive(Args)]
pub struct MirrorArgs {
    /// Consume until nothing is visible or in flight, then return.
    #[arg(long)]
    drain: bool,
    /// The first retry delay of a failed message, doubling per receive.
    #[arg(long, default_value_t = 1000)]
    backoff_ms: u64,
}

pub async fn run(args: MirrorArgs, config: &Config, aws: &Aws) -> anyhow::Result<()> {
    if !args.drain {
        anyhow::bail!(
            "only `galleon mirror --drain` exists: in AWS the Lambda event source consumes the queue"
        );
    }
    let ctx = Context::new(config, aws).await?;
    let queue = Queue::new(aws.sqs.clone(), config.queue_url()?);
    let options = DrainOptions {
        backoff: Duration::from_millis(args.backoff_ms),
        ..Default::default()
    };
    let summary = drain(&ctx, &queue, &options, |s| {
        eprintln!(
            "batch {}: {} mirrored, {} failed attempts so far",
            s.batches, s.succeeded, s.failed_attempts
        );
    })
    .await?;
    let dead = Queue::new(aws.sqs.clone(), config.dlq_url()?)
        .depth()
        .await?
        .visible;
    println!(
        "{} messages mirrored, {} failed attempts, {} in the dead-letter queue",
        summary.succeeded, summary.failed_attempts, dead
    );
    Ok(())
}
