//! An SQS queue: batch sends that retry the entries SQS refused, and the
//! receive, delete and visibility calls the local drain and replay need.

use std::time::Duration;

use aws_sdk_sqs::types::{
    DeleteMessageBatchRequestEntry, MessageSystemAttributeName, QueueAttributeName,
    SendMessageBatchRequestEntry,
};

use super::StoreError;

/// SQS's own batch limit.
pub const BATCH_MAX: usize = 10;
/// How many times an entry SQS refused is sent again before giving up.
const SEND_ATTEMPTS: u32 = 4;

/// Some entries of a batch send were still refused after every retry.
#[derive(Debug, thiserror::Error)]
pub enum SendFailure {
    #[error(
        "{refused} of {total} messages were refused by SQS after {SEND_ATTEMPTS} attempts: {reason}"
    )]
    Refused {
        refused: usize,
        total: usize,
        reason: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A received message.
#[derive(Debug, Clone)]
pub struct Received {
    pub message_id: String,
    pub receipt_handle: String,
    pub body: String,
    /// How many times SQS has handed this message out, this time included.
    pub receive_count: u32,
}

/// Approximate message counts, as SQS reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueDepth {
    pub visible: u64,
    pub in_flight: u64,
    pub delayed: u64,
}

impl QueueDepth {
    pub fn is_empty(&self) -> bool {
        self.visible == 0 && self.in_flight == 0 && self.delayed == 0
    }
}

#[derive(Clone, Debug)]
pub struct Queue {
    client: aws_sdk_sqs::Client,
    url: String,
}

impl Queue {
    pub fn new(client: aws_sdk_sqs::Client, url: impl Into<String>) -> Self {
        Queue {
            client,
            url: url.into(),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sends every body, ten to a `SendMessageBatch`, sending again the
    /// entries SQS refused. Returns only when every message was accepted.
    pub async fn send_all(&self, bodies: &[String]) -> Result<(), SendFailure> {
        for chunk in bodies.chunks(BATCH_MAX) {
            self.send_batch(chunk).await?;
        }
        Ok(())
    }

    async fn send_batch(&self, bodies: &[String]) -> Result<(), SendFailure> {
        let mut pending: Vec<usize> = (0..bodies.len()).collect();
        let mut reason = String::new();
        for attempt in 0..SEND_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
            }
            let entries = pending
                .iter()
                .map(|&i| {
                    SendMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .message_body(&bodies[i])
                        .build()
                        .expect("id and body are set")
                })
                .collect();
            let out = self
                .client
                .send_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(entries))
                .send()
                .await;
            let out = match out {
                Ok(out) => out,
                Err(e) => {
                    reason = aws_sdk_sqs::error::DisplayErrorContext(&e).to_string();
                    continue;
                }
            };
            pending = out
                .failed
                .iter()
                .filter_map(|f| {
                    reason = format!("{}: {}", f.code, f.message.as_deref().unwrap_or(""));
                    f.id.parse().ok()
                })
                .collect();
            if pending.is_empty() {
                return Ok(());
            }
            tracing::warn!(
                refused = pending.len(),
                attempt,
                "sqs refused batch entries, sending again"
            );
        }
        Err(SendFailure::Refused {
            refused: pending.len(),
            total: bodies.len(),
            reason,
        })
    }

    pub async fn send(&self, body: &str) -> Result<(), StoreError> {
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map_err(StoreError::aws("send message"))?;
        Ok(())
    }

    /// Up to `max` messages, waiting up to `wait` for the first one.
    pub async fn receive(&self, max: usize, wait: Duration) -> Result<Vec<Received>, StoreError> {
        let out = self
            .client
            .receive_message()
            .queue_url(&self.url)
            .max_number_of_messages(max.clamp(1, BATCH_MAX) as i32)
            .wait_time_seconds(wait.as_secs() as i32)
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(StoreError::aws("receive messages"))?;
        let messages = out.messages.unwrap_or_default();
        Ok(messages
            .into_iter()
            .filter_map(|m| {
                let receive_count = m
                    .attributes
                    .as_ref()
                    .and_then(|a| a.get(&MessageSystemAttributeName::ApproximateReceiveCount))
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1);
                Some(Received {
                    message_id: m.message_id?,
                    receipt_handle: m.receipt_handle?,
                    body: m.body.unwrap_or_default(),
                    receive_count,
                })
            })
            .collect())
    }

    pub async fn delete_all(&self, receipts: &[&str]) -> Result<(), StoreError> {
        for chunk in receipts.chunks(BATCH_MAX) {
            let entries = chunk
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    DeleteMessageBatchRequestEntry::builder()
                        .id(i.to_string())
                        .receipt_handle(*r)
                        .build()
                        .expect("id and receipt are set")
                })
                .collect();
            let out = self
                .client
                .delete_message_batch()
                .queue_url(&self.url)
                .set_entries(Some(entries))
                .send()
                .await
                .map_err(StoreError::aws("delete messages"))?;
            if let Some(f) = out.failed.first() {
                return Err(StoreError::Corrupt {
                    what: "delete batch",
                    reason: format!(
                        "{} of {} deletes failed: {}",
                        out.failed.len(),
                        chunk.len(),
                        f.code
                    ),
                });
            }
        }
        Ok(())
    }

    pub async fn change_visibility(
        &self,
        receipt: &str,
        timeout: Duration,
    ) -> Result<(), StoreError> {
        self.client
            .change_message_visibility()
            .queue_url(&self.url)
            .receipt_handle(receipt)
            .visibility_timeout(timeout.as_secs() as i32)
            .send()
            .await
            .map_err(StoreError::aws("change message visibility"))?;
        Ok(())
    }

    async fn attributes(
        &self,
        names: &[QueueAttributeName],
    ) -> Result<std::collections::HashMap<QueueAttributeName, String>, StoreError> {
        let out = self
            .client
            .get_queue_attributes()
            .queue_url(&self.url)
            .set_attribute_names(Some(names.to_vec()))
            .send()
            .await
            .map_err(StoreError::aws("get queue attributes"))?;
        Ok(out.attributes.unwrap_or_default())
    }

    pub async fn depth(&self) -> Result<QueueDepth, StoreError> {
        use QueueAttributeName as A;
        let attrs = self
            .attributes(&[
                A::ApproximateNumberOfMessages,
                A::ApproximateNumberOfMessagesNotVisible,
                A::ApproximateNumberOfMessagesDelayed,
            ])
            .await?;
        let n = |a: A| attrs.get(&a).and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(QueueDepth {
            visible: n(A::ApproximateNumberOfMessages),
            in_flight: n(A::ApproximateNumberOfMessagesNotVisible),
            delayed: n(A::ApproximateNumberOfMessagesDelayed),
        })
    }

    pub async fn arn(&self) -> Result<String, StoreError> {
        let attrs = self.attributes(&[QueueAttributeName::QueueArn]).await?;
        attrs
            .get(&QueueAttributeName::QueueArn)
            .cloned()
            .ok_or(StoreError::Corrupt {
                what: "queue attributes",
                reason: "no QueueArn".into(),
            })
    }

    /// The queue's `maxReceiveCount`, when it has a redrive policy.
    pub async fn max_receive_count(&self) -> Result<Option<u32>, StoreError> {
        let attrs = self
            .attributes(&[QueueAttributeName::RedrivePolicy])
            .await?;
        let Some(policy) = attrs.get(&QueueAttributeName::RedrivePolicy) else {
            return Ok(None);
        };
        let policy: serde_json::Value =
            serde_json::from_str(policy).map_err(|e| StoreError::Corrupt {
                what: "redrive policy",
                reason: e.to_string(),
            })?;
        let count = &policy["maxReceiveCount"];
        Ok(count
            .as_u64()
            .or_else(|| count.as_str()?.parse().ok())
            .map(|c| c as u32))
    }

    /// Asks SQS to move every message of this dead-letter queue back to the
    /// queue it came from (`StartMessageMoveTask`). Returns the task handle.
    pub async fn start_redrive(&self) -> Result<String, StoreError> {
        let out = self
            .client
            .start_message_move_task()
            .source_arn(self.arn().await?)
            .send()
            .await
            .map_err(StoreError::aws("start message move task"))?;
        Ok(out.task_handle.unwrap_or_default())
    }
}
