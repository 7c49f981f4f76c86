//! Guest photos, brought in through the mirror's own image path (checks,
//! variants, sha256) until uploads exist. A guest item's id is derived
//! from its photo's sha256, so importing the same file twice files one
//! item, and a repeated import never undoes a moderator's decision.

use chrono::{DateTime, Utc};
use galleon_common::domain::{EventId, GalleryItem, GuestId, GuestStatus, ItemId, Source};

use crate::Context;
use crate::media::{StoreImageError, store_image};

/// One photo to import.
pub struct GuestPhoto {
    pub bytes: Vec<u8>,
    pub taken_at: DateTime<Utc>,
    pub caption: Option<String>,
}

/// Whether the import wrote a new item or found the photo already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: ItemId,
    pub created: bool,
}

pub async fn import(
    ctx: &Context,
    event: &EventId,
    photo: GuestPhoto,
    status: GuestStatus,
) -> Result<Imported, StoreImageError> {
    let image = store_image(&ctx.bucket, photo.bytes, &ctx.limits).await?;
    let guest: GuestId = image.sha256.as_str()[..20]
        .parse()
        .expect("hex is a valid guest id");
    let item = GalleryItem {
        event_id: event.clone(),
        id: ItemId::Guest(guest),
        source: Source::Guest,
        taken_at: photo.taken_at,
        caption: photo.caption,
        permalink: None,
        media_type: "IMAGE".into(),
        image,
        status: Some(status),
        hidden: false,
    };
    let created = ctx.table.put_item_if_absent(&item).await?;
    Ok(Imported {
        id: item.id,
        created,
    })
}
