//! What a gallery page shows, and the media record behind each post.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{EventId, GuestId, MediaId, Sha256};

/// Where an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Instagram,
    Guest,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Instagram => "instagram",
            Source::Guest => "guest",
        }
    }
}

/// The moderation state of a guest photo. Instagram items carry none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GuestStatus {
    Pending,
    Approved,
    Rejected,
}

/// One web-sized rendition of an image, stored at `key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// The S3 key, always under `media/`.
    pub key: String,
}

/// A mirrored image: its content address, size, variants (smallest first)
/// and a placeholder colour (`#rrggbb`) shown while the variant loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredImage {
    pub sha256: Sha256,
    pub original_key: String,
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
    pub placeholder: String,
}

/// The id of a gallery item as the API shows it: `ig:<media id>` or
/// `guest:<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemId {
    Instagram(MediaId),
    Guest(GuestId),
}

impl ItemId {
    pub fn source(&self) -> Source {
        match self {
            ItemId::Instagram(_) => Source::Instagram,
            ItemId::Guest(_) => Source::Guest,
        }
    }
}

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ItemId::Instagram(id) => write!(f, "ig:{id}"),
            ItemId::Guest(id) => write!(f, "guest:{id}"),
        }
    }
}

impl std::str::FromStr for ItemId {
    type Err = super::ids::IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some(("ig", id)) => Ok(ItemId::Instagram(id.parse()?)),
            Some(("guest", id)) => Ok(ItemId::Guest(id.parse()?)),
            _ => Err(super::ids::IdError::Media),
        }
    }
}

impl Serialize for ItemId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ItemId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// One photo on one event's page. The same photo filed under two events
/// is two items with the same content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GalleryItem {
    pub event_id: EventId,
    pub id: ItemId,
    pub source: Source,
    pub taken_at: DateTime<Utc>,
    pub caption: Option<String>,
    /// The Instagram post's page; guest items have none.
    pub permalink: Option<String>,
    /// `IMAGE`, `VIDEO` (its cover is shown) or `CAROUSEL_ALBUM` child type.
    pub media_type: String,
    pub image: StoredImage,
    /// Guest items only.
    pub status: Option<GuestStatus>,
    #[serde(default)]
    pub hidden: bool,
}

impl GalleryItem {
    /// Whether a guest may see it: not hidden, and approved if a guest's.
    pub fn is_visible(&self) -> bool {
        !self.hidden
            && match self.source {
                Source::Instagram => true,
                Source::Guest => self.status == Some(GuestStatus::Approved),
            }
    }
}

/// Where a post stands in the mirror.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaState {
    /// Every image of the post is stored and filed.
    Mirrored,
    /// An operator hid the post; it is not filed again.
    Hidden,
    /// The post is gone from Instagram.
    Deleted,
    /// The last attempt failed for a reason that retrying cannot fix.
    Failed,
}

/// The record of one Instagram post (`MEDIA#<id>`): what it was mirrored to
/// and where it was filed, or why it could not be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRecord {
    pub media_id: MediaId,
    pub state: MediaState,
    pub taken_at: DateTime<Utc>,
    /// One per gallery item of the post: the post itself, or each carousel
    /// child photo.
    #[serde(default)]
    pub images: Vec<(ItemId, StoredImage)>,
    #[serde(default)]
    pub events: Vec<EventId>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Why the last attempt failed for good, in words an operator reads.
    pub failure: Option<String>,
}
