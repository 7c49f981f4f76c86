//! `galleon mirror --drain`: the Lambda event source, reproduced locally.
//!
//! Receives batches of up to ten, hands each to [`handle_batch`] exactly as
//! the event source would, deletes what succeeded, and puts each failure
//! back with a visibility backoff. The queue's own redrive policy moves a
//! message to the dead-letter queue after `maxReceiveCount` receives. The
//! drain returns once nothing is visible or in flight.

use std::collections::HashSet;
use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use galleon_common::store::{Queue, StoreError};
use tracing::info;

use crate::{Context, handle_batch};

#[derive(Debug, Clone)]
pub struct DrainOptions {
    /// The first retry's delay; each further receive doubles it.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for DrainOptions {
    fn default() -> Self {
        DrainOptions {
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// What a drain did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DrainSummary {
    pub batches: u32,
    pub succeeded: u32,
    pub failed_attempts: u32,
}

/// Consumes `queue` until it is empty. `progress` hears of every batch.
pub async fn drain(
    ctx: &Context,
    queue: &Queue,
    options: &DrainOptions,
    mut progress: impl FnMut(&DrainSummary),
) -> Result<DrainSummary, StoreError> {
    let mut summary = DrainSummary::default();
    loop {
        let received = queue.receive(10, Duration::from_secs(1)).await?;
        if received.is_empty() {
            if queue.depth().await?.is_empty() {
                info!(
                    batches = summary.batches,
                    succeeded = summary.succeeded,
                    "queue drained"
                );
                return Ok(summary);
            }
            // Messages are in flight or delayed: their backoff has not run out.
            continue;
        }

        let mut event = SqsEvent::default();
        event.records = received
            .iter()
            .map(|m| {
                let mut record = SqsMessage::default();
                record.message_id = Some(m.message_id.clone());
                record.receipt_handle = Some(m.receipt_handle.clone());
                record.body = Some(m.body.clone());
                record
            })
            .collect();
        let response = handle_batch(ctx, event).await;
        let failed: HashSet<&str> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();

        let done: Vec<&str> = received
            .iter()
            .filter(|m| !failed.contains(m.message_id.as_str()))
            .map(|m| m.receipt_handle.as_str())
            .collect();
        queue.delete_all(&done).await?;
        for m in received
            .iter()
            .filter(|m| failed.contains(m.message_id.as_str()))
        {
            queue
                .change_visibility(&m.receipt_handle, backoff(options, m.receive_count))
                .await?;
        }

        summary.batches += 1;
        summary.succeeded += done.len() as u32;
        summary.failed_attempts += failed.len() as u32;
        progress(&summary);
    }
}

/// `backoff * 2^(receives - 1)`, capped.
fn backoff(options: &DrainOptions, receive_count: u32) -> Duration {
    let factor = 1u32 << receive_count.saturating_sub(1).min(16);
    options
        .backoff
        .saturating_mul(factor)
        .min(options.max_backoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_per_receive_up_to_the_cap() {
        let o = DrainOptions::default();
        let secs: Vec<u64> = (1..=7).map(|n| backoff(&o, n).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 30, 30]);
    }
}
