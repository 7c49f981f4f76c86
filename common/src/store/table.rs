//! The one DynamoDB table. Keys (see DESIGN.md):
//!
//! | item | pk | sk |
//! | --- | --- | --- |
//! | event | `EVENTS` | `<event_id>` |
//! | gallery item | `EVENT#<event_id>` | `<taken_at UTC>#<source>#<id>` |
//! | media | `MEDIA#<ig_media_id>` | `MEDIA` |
//! | sync state | `SYNC#<ig_user_id>` | `STATE` |
//!
//! Bodies are the domain types serialised with `serde_dynamo`; `pk` and
//! `sk` are added beside them. Every write is idempotent: the same input
//! writes the same item.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::StoreError;
use crate::domain::{Event, EventId, GalleryItem, MediaId, MediaRecord};

type Item = HashMap<String, AttributeValue>;

const EVENTS_PK: &str = "EVENTS";
/// BatchGetItem's own limit.
const BATCH_GET_MAX: usize = 100;

/// Where the last ingest tick left off for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    pub user_id: String,
    /// The newest post timestamp every message of which was accepted.
    pub newest_seen: Option<DateTime<Utc>>,
    /// The posts already sent within the overlap margin below
    /// `newest_seen`, so that the next tick does not send them again.
    #[serde(default)]
    pub recent: Vec<MediaId>,
    pub last_run: DateTime<Utc>,
    /// The Graph API usage figures of the last call.
    #[serde(default)]
    pub last_usage: Option<crate::graph::Usage>,
}

/// One page of an event's gallery items, newest first.
#[derive(Debug, Clone)]
pub struct ItemPage {
    pub items: Vec<GalleryItem>,
    /// The sort key to continue after, when more may follow.
    pub next_sk: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Table {
    client: aws_sdk_dynamodb::Client,
    name: String,
}

fn key(pk: String, sk: String) -> Item {
    HashMap::from([
        ("pk".into(), AttributeValue::S(pk)),
        ("sk".into(), AttributeValue::S(sk)),
    ])
}

fn event_pk(id: &EventId) -> String {
    format!("EVENT#{id}")
}

fn media_key(id: &MediaId) -> Item {
    key(format!("MEDIA#{id}"), "MEDIA".into())
}

/// The sort key of a gallery item: time first, so a query reads newest
/// first; source and id make it unique.
pub fn item_sk(item: &GalleryItem) -> String {
    format!(
        "{}#{}#{}",
        item.taken_at.format("%Y-%m-%dT%H:%M:%SZ"),
        item.source.as_str(),
        item.id
    )
}

fn to_row<T: Serialize>(pk: String, sk: String, body: &T) -> Result<Item, StoreError> {
    let mut item: Item = serde_dynamo::to_item(body).map_err(|e| StoreError::Corrupt {
        what: "item",
        reason: e.to_string(),
    })?;
    item.extend(key(pk, sk));
    Ok(item)
}

fn from_row<T: DeserializeOwned>(what: &'static str, item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt {
        what,
        reason: e.to_string(),
    })
}

impl Table {
    pub fn new(client: aws_sdk_dynamodb::Client, name: impl Into<String>) -> Self {
        Table {
            client,
            name: name.into(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    async fn put(&self, item: Item, op: &'static str) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.name)
            .set_item(Some(item))
            .send()
            .await
            .map_err(StoreError::aws(op))?;
        Ok(())
    }

    async fn get(&self, key: Item, op: &'static str) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.name)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(StoreError::aws(op))?;
        Ok(out.item)
    }

    async fn delete(&self, key: Item, op: &'static str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.name)
            .set_key(Some(key))
            .send()
            .await
            .map_err(StoreError::aws(op))?;
        Ok(())
    }

    /// Every item of a partition, in sort-key order, following pages.
    async fn query_all(&self, pk: String, op: &'static str) -> Result<Vec<Item>, StoreError> {
        let pages = self
            .client
            .query()
            .table_name(&self.name)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(pk))
            .into_paginator()
            .items()
            .send();
        pages
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(StoreError::aws(op))
    }

    // Events.

    pub async fn put_event(&self, event: &Event) -> Result<(), StoreError> {
        self.put(
            to_row(EVENTS_PK.into(), event.id.to_string(), event)?,
            "put event",
        )
        .await
    }

    pub async fn get_event(&self, id: &EventId) -> Result<Option<Event>, StoreError> {
        let item = self
            .get(key(EVENTS_PK.into(), id.to_string()), "get event")
            .await?;
        item.map(|i| from_row("event", i)).transpose()
    }

    pub async fn list_events(&self) -> Result<Vec<Event>, StoreError> {
        let items = self.query_all(EVENTS_PK.into(), "list events").await?;
        items.into_iter().map(|i| from_row("event", i)).collect()
    }

    pub async fn delete_event(&self, id: &EventId) -> Result<(), StoreError> {
        self.delete(key(EVENTS_PK.into(), id.to_string()), "delete event")
            .await
    }

    // Gallery items.

    /// Writes an item; the same item written twice is one item.
    pub async fn put_item(&self, item: &GalleryItem) -> Result<(), StoreError> {
        self.put(
            to_row(event_pk(&item.event_id), item_sk(item), item)?,
            "put gallery item",
        )
        .await
    }

    /// Writes an item only if none is stored under its key yet, so that a
    /// repeated import does not undo a moderator's decision. Returns
    /// whether it was written.
    pub async fn put_item_if_absent(&self, item: &GalleryItem) -> Result<bool, StoreError> {
        let row = to_row(event_pk(&item.event_id), item_sk(item), item)?;
        let out = self
            .client
            .put_item()
            .table_name(&self.name)
            .set_item(Some(row))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        match out {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(StoreError::aws("put gallery item")(e)),
        }
    }

    pub async fn delete_item(&self, item: &GalleryItem) -> Result<(), StoreError> {
        self.delete(
            key(event_pk(&item.event_id), item_sk(item)),
            "delete gallery item",
        )
        .await
    }

    /// One page of an event's items, newest first: one `Query`.
    pub async fn query_items(
        &self,
        event: &EventId,
        limit: u32,
        after_sk: Option<&str>,
    ) -> Result<ItemPage, StoreError> {
        let start = after_sk.map(|sk| key(event_pk(event), sk.to_owned()));
        let out = self
            .client
            .query()
            .table_name(&self.name)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(event_pk(event)))
            .scan_index_forward(false)
            .limit(limit.max(1) as i32)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(StoreError::aws("query gallery items"))?;
        let next_sk = out
            .last_evaluated_key
            .and_then(|mut k| k.remove("sk"))
            .and_then(|v| v.as_s().ok().cloned());
        let items = out.items.unwrap_or_default();
        let items = items
            .into_iter()
            .map(|i| from_row("gallery item", i))
            .collect::<Result<_, _>>()?;
        Ok(ItemPage { items, next_sk })
    }

    /// Every item of an event, oldest first. For re-filing and the CLI;
    /// the read path pages with [`Table::query_items`].
    pub async fn all_items(&self, event: &EventId) -> Result<Vec<GalleryItem>, StoreError> {
        let items = self
            .query_all(event_pk(event), "query gallery items")
            .await?;
        items
            .into_iter()
            .map(|i| from_row("gallery item", i))
            .collect()
    }

    // Media records.

    pub async fn put_media(&self, record: &MediaRecord) -> Result<(), StoreError> {
        let row = to_row(format!("MEDIA#{}", record.media_id), "MEDIA".into(), record)?;
        self.put(row, "put media record").await
    }

    pub async fn get_media(&self, id: &MediaId) -> Result<Option<MediaRecord>, StoreError> {
        let item = self.get(media_key(id), "get media record").await?;
        item.map(|i| from_row("media record", i)).transpose()
    }

    /// The stored records among `ids`, in no particular order.
    pub async fn get_media_many(&self, ids: &[MediaId]) -> Result<Vec<MediaRecord>, StoreError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(BATCH_GET_MAX) {
            let mut keys = KeysAndAttributes::builder()
                .set_keys(Some(chunk.iter().map(media_key).collect()))
                .consistent_read(true)
                .build()
                .map_err(StoreError::aws("get media records"))?;
            // BatchGetItem may answer part of the keys; ask again for the rest.
            loop {
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.name, keys)
                    .send()
                    .await
                    .map_err(StoreError::aws("get media records"))?;
                let items = out
                    .responses
                    .and_then(|mut r| r.remove(&self.name))
                    .unwrap_or_default();
                for item in items {
                    found.push(from_row("media record", item)?);
                }
                match out.unprocessed_keys.and_then(|mut u| u.remove(&self.name)) {
                    Some(rest) if !rest.keys.is_empty() => keys = rest,
                    _ => break,
                }
            }
        }
        Ok(found)
    }

    // Sync state.

    pub async fn get_sync(&self, user_id: &str) -> Result<Option<SyncState>, StoreError> {
        let item = self
            .get(
                key(format!("SYNC#{user_id}"), "STATE".into()),
                "get sync state",
            )
            .await?;
        item.map(|i| from_row("sync state", i)).transpose()
    }

    pub async fn put_sync(&self, state: &SyncState) -> Result<(), StoreError> {
        let row = to_row(format!("SYNC#{}", state.user_id), "STATE".into(), state)?;
        self.put(row, "put sync state").await
    }
}
