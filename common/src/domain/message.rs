//! The mirror queue's message: one JSON object per post, versioned.
//!
//! The links it carries are what ingest saw; they expire within days and
//! are input like any other, so the mirror checks every host and re-reads
//! the post by id when a link has gone stale.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{EventId, MediaId};

/// The only version this code writes and reads.
pub const MESSAGE_VERSION: u32 = 1;

/// The largest message body accepted; SQS itself allows 256 KiB.
const MAX_BODY: usize = 256 * 1024;

/// Instagram's media types. Anything else is kept as it came so that the
/// mirror can record it as the reason the post was not mirrored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum MediaType {
    Image,
    Video,
    CarouselAlbum,
    Other(String),
}

impl From<String> for MediaType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "IMAGE" => MediaType::Image,
            "VIDEO" => MediaType::Video,
            "CAROUSEL_ALBUM" => MediaType::CarouselAlbum,
            _ => MediaType::Other(s),
        }
    }
}

impl From<MediaType> for String {
    fn from(t: MediaType) -> Self {
        t.as_str().to_owned()
    }
}

impl MediaType {
    pub fn as_str(&self) -> &str {
        match self {
            MediaType::Image => "IMAGE",
            MediaType::Video => "VIDEO",
            MediaType::CarouselAlbum => "CAROUSEL_ALBUM",
            MediaType::Other(s) => s,
        }
    }
}

/// The CDN links of one image-bearing media object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    pub media_url: Option<String>,
    /// A video's cover, and the fallback when `media_url` is withheld.
    pub thumbnail_url: Option<String>,
}

/// A carousel child as ingest saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub id: MediaId,
    pub media_type: MediaType,
    #[serde(flatten)]
    pub links: Links,
}

/// One post to mirror.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorMessage {
    pub v: u32,
    pub media_id: MediaId,
    pub media_type: MediaType,
    /// The events ingest filed the post under when it saw it.
    pub event_ids: Vec<EventId>,
    pub caption: Option<String>,
    pub permalink: Option<String>,
    pub timestamp: DateTime<Utc>,
    #[serde(flatten)]
    pub links: Links,
    #[serde(default)]
    pub children: Vec<Child>,
}

/// Why a message body was refused. Never worth retrying.
#[derive(Debug, thiserror::Error)]
pub enum MessageError {
    #[error("message body is {0} bytes, over the {MAX_BODY} byte limit")]
    TooLarge(usize),
    #[error("message is not a valid v1 mirror message: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("message version {0} is not supported (this build reads v{MESSAGE_VERSION})")]
    Version(u32),
}

impl MirrorMessage {
    pub fn parse(body: &str) -> Result<Self, MessageError> {
        if body.len() > MAX_BODY {
            return Err(MessageError::TooLarge(body.len()));
        }
        let msg: MirrorMessage = serde_json::from_str(body)?;
        if msg.v != MESSAGE_VERSION {
            return Err(MessageError::Version(msg.v));
        }
        Ok(msg)
    }

    pub fn to_body(&self) -> String {
        serde_json::to_string(self).expect("a message always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAROUSEL: &str = r#"{"v":1,"media_id":"1790","media_type":"CAROUSEL_ALBUM",
        "event_ids":["2026-04-29"],"caption":"sunset","permalink":"https://www.instagram.com/p/x/",
        "timestamp":"2026-04-30T02:30:00Z","media_url":null,"thumbnail_url":null,
        "children":[{"id":"1791","media_type":"IMAGE","media_url":"https://a.cdninstagram.com/1.jpg","thumbnail_url":null}]}"#;

    #[test]
    fn a_carousel_message_round_trips() {
        let msg = MirrorMessage::parse(CAROUSEL).unwrap();
        assert_eq!(msg.media_type, MediaType::CarouselAlbum);
        assert_eq!(msg.children[0].id.as_str(), "1791");
        assert_eq!(MirrorMessage::parse(&msg.to_body()).unwrap(), msg);
    }

    #[test]
    fn an_unknown_media_type_is_kept_by_name() {
        let body = CAROUSEL.replace("CAROUSEL_ALBUM", "HOLOGRAM");
        let msg = MirrorMessage::parse(&body).unwrap();
        assert_eq!(msg.media_type, MediaType::Other("HOLOGRAM".into()));
    }

    #[test]
    fn malformed_messages_are_refused() {
        assert!(matches!(
            MirrorMessage::parse("{"),
            Err(MessageError::Malformed(_))
        ));
        let bad_id = CAROUSEL.replace("\"1790\"", "\"../../etc\"");
        assert!(matches!(
            MirrorMessage::parse(&bad_id),
            Err(MessageError::Malformed(_))
        ));
        let v2 = CAROUSEL.replace("\"v\":1", "\"v\":2");
        assert!(matches!(
            MirrorMessage::parse(&v2),
            Err(MessageError::Version(2))
        ));
        let huge = " ".repeat(MAX_BODY + 1);
        assert!(matches!(
            MirrorMessage::parse(&huge),
            Err(MessageError::TooLarge(_))
        ));
    }
}
