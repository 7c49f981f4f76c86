//! The domain: validated ids, events and their windows, gallery items and
//! media records, and the queue message. Pure data and rules; no I/O.

pub mod event;
pub mod ids;
pub mod item;
pub mod message;

pub use event::{Event, EventError, date_event, events_for};
pub use ids::{EventId, GuestId, IdError, MediaId, Sha256};
pub use item::{
    GalleryItem, GuestStatus, ItemId, MediaRecord, MediaState, Source, StoredImage, Variant,
};
pub use message::{Child, Links, MediaType, MessageError, MirrorMessage};
