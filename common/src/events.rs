//! Named events as the operator manages them: putting one (new or moved)
//! re-files the posts already mirrored in its window, and removing one
//! takes its Instagram items with it.
//!
//! Posts are found through the date events the window touches, which hold
//! every mirrored post, so re-filing reads one partition per local day of
//! the window and never scans the table.

use chrono_tz::Tz;

use crate::domain::{Event, EventId, GalleryItem, Source};
use crate::store::{StoreError, Table};

/// What putting an event changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Refiled {
    /// Instagram items the event holds now.
    pub filed: usize,
    /// Items removed because the window no longer holds them.
    pub removed: usize,
}

/// Stores `event` and re-files the mirrored posts in its window.
///
/// The media records keep the events the mirror filed each post under;
/// re-filing does not rewrite them, because an item names its carousel
/// child, not the post whose record it would have to find.
pub async fn put(table: &Table, tz: Tz, event: &Event) -> Result<Refiled, StoreError> {
    table.put_event(event).await?;

    let mut wanted: Vec<GalleryItem> = Vec::new();
    for date in event.dates(tz) {
        for item in table.all_items(&EventId::Date(date)).await? {
            if item.source == Source::Instagram && event.contains(item.taken_at) {
                wanted.push(GalleryItem {
                    event_id: event.id.clone(),
                    ..item
                });
            }
        }
    }
    let mut removed = 0;
    for old in table.all_items(&event.id).await? {
        let stays = wanted
            .iter()
            .any(|w| w.id == old.id && w.taken_at == old.taken_at);
        if old.source == Source::Instagram && !stays {
            table.delete_item(&old).await?;
            removed += 1;
        }
    }
    for item in &wanted {
        table.put_item(item).await?;
    }
    Ok(Refiled {
        filed: wanted.len(),
        removed,
    })
}

/// Removes a named event and its Instagram items. Guest photos uploaded to
/// it stay stored (they belong to no other event), hidden from every page
/// because the event no longer exists, and come back if it is put again.
/// Returns how many items were removed, or `None` if there was no event.
pub async fn remove(table: &Table, id: &EventId) -> Result<Option<usize>, StoreError> {
    if table.get_event(id).await?.is_none() {
        return Ok(None);
    }
    let mut removed = 0;
    for item in table.all_items(id).await? {
        if item.source == Source::Instagram {
            table.delete_item(&item).await?;
            removed += 1;
        }
    }
    table.delete_event(id).await?;
    Ok(Some(removed))
}
