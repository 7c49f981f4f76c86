//! `galleon replay`: move the dead-letter queue back to the mirror queue.
//!
//! SQS's own redrive (`StartMessageMoveTask`) is the way in AWS. The local
//! emulator lacks that call, and it cannot pick one message, so there is
//! also a receive, re-send and delete path, which serves `--only`.

use std::time::Duration;

use clap::Args;
use galleon_common::Config;
use galleon_common::domain::{MediaId, MirrorMessage};
use galleon_common::store::{Aws, Queue};

/// How long a message skipped by `--only` stays hidden while the rest of
/// the dead-letter queue is looked through.
const SCAN_VISIBILITY: Duration = Duration::from_secs(60);

#[derive(Args)]
pub struct ReplayArgs {
    /// Replay only the message of this post (receive, re-send, delete).
    #[arg(long)]
    only: Option<MediaId>,
    /// Use receive, re-send and delete even for the whole queue.
    #[arg(long)]
    manual: bool,
}

pub async fn run(args: ReplayArgs, config: &Config, aws: &Aws) -> anyhow::Result<()> {
    let dlq = Queue::new(aws.sqs.clone(), config.dlq_url()?);
    let queue = Queue::new(aws.sqs.clone(), config.queue_url()?);
    if args.only.is_none() && !args.manual {
        match dlq.start_redrive().await {
            Ok(task) => {
                println!("redrive started (task {task}); SQS moves the messages back by itself");
                return Ok(());
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "sqs redrive unavailable, moving messages by hand");
            }
        }
    }
    let moved = move_by_hand(&dlq, &queue, args.only.as_ref()).await?;
    println!("{moved} messages moved back to the mirror queue");
    Ok(())
}

/// Receives from the dead-letter queue, sends each wanted message to the
/// mirror queue and only then deletes it, so a crash in between duplicates
/// a message (which the mirror absorbs) and never loses one.
async fn move_by_hand(dlq: &Queue, queue: &Queue, only: Option<&MediaId>) -> anyhow::Result<usize> {
    let mut moved = 0;
    let mut skipped = Vec::new();
    loop {
        let batch = dlq.receive(10, Duration::ZERO).await?;
        if batch.is_empty() {
            break;
        }
        for m in batch {
            let wanted = only.is_none_or(|id| {
                MirrorMessage::parse(&m.body).is_ok_and(|msg| msg.media_id == *id)
            });
            if !wanted {
                dlq.change_visibility(&m.receipt_handle, SCAN_VISIBILITY)
                    .await?;
                skipped.push(m.receipt_handle);
                continue;
            }
            queue.send(&m.body).await?;
            dlq.delete_all(&[m.receipt_handle.as_str()]).await?;
            moved += 1;
        }
    }
    for receipt in &skipped {
        dlq.change_visibility(receipt, Duration::ZERO).await?;
    }
    if let Some(id) = only
        && moved == 0
    {
        anyhow::bail!("no message for media {id} in the dead-letter queue");
    }
    Ok(moved)
}
