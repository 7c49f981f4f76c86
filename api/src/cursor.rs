//! Page cursors: opaque to clients, tamper-evident to us.
//!
//! A cursor carries the sort key of the last item DynamoDB read, so the next
//! page starts right after it. It is `base64url(tag || sort key)`, where the
//! tag is the first 16 bytes of HMAC-SHA256 over the event id and the sort
//! key. A cursor is therefore valid only for the event it was issued for,
//! and anything else a client sends is refused with a 400 before DynamoDB
//! sees it.
//!
//! The sort key inside is not secret (it is a timestamp, a source and an
//! item id, all of which the page itself shows); the tag is there so that
//! guests cannot start a Query at keys of their choosing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use galleon_common::domain::EventId;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Bytes of the HMAC kept in a cursor: 128 bits is plenty against forgery
/// and keeps URLs short.
const TAG_LEN: usize = 16;
/// The longest cursor accepted, checked before decoding. Issued cursors
/// stay well under it (a sort key is at most about 110 bytes).
const MAX_CURSOR_LEN: usize = 256;
/// Domain separation: a tag over this label cannot be mistaken for an HMAC
/// computed for anything else with the same key.
const LABEL: &[u8] = b"galleon/cursor/v1";

/// Why a cursor was refused. The reasons are deliberately not told apart
/// in the response: a client learns only that the cursor is not valid here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the cursor is not valid for this event")]
pub struct CursorError;

/// Seals and opens cursors with one key.
#[derive(Clone)]
pub struct Cursors {
    mac: HmacSha256,
}

impl std::fmt::Debug for Cursors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cursors(<key>)")
    }
}

/// The cursor key a deployment gets when no secret is configured: a hash
/// of a fixed label and the table name.
///
/// Every Lambda instance and local server reading the same table derives the
/// same key, so a cursor issued by one instance opens on another. The
/// trade-off: anyone who knows the table name can forge a cursor, which
/// lets them start a page at a sort key of their choosing inside an event
/// they could already read (hidden events and invisible items stay out
/// whatever the cursor says). Set a secret key to close even that.
pub fn derived_key(table: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(b"galleon cursor key, derived from the table name\0");
    hash.update(table.as_bytes());
    hash.finalize().into()
}

impl Cursors {
    pub fn new(key: &[u8]) -> Self {
        let mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
        Cursors { mac }
    }

    /// The cursor that continues `event` after the item with sort key `sk`.
    pub fn seal(&self, event: &EventId, sk: &str) -> String {
        let tag = self.tag(event, sk).finalize().into_bytes();
        let mut raw = Vec::with_capacity(TAG_LEN + sk.len());
        raw.extend_from_slice(&tag[..TAG_LEN]);
        raw.extend_from_slice(sk.as_bytes());
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The sort key inside `cursor`, if this API issued it for `event`.
    pub fn open(&self, event: &EventId, cursor: &str) -> Result<String, CursorError> {
        if cursor.is_empty() || cursor.len() > MAX_CURSOR_LEN {
            return Err(CursorError);
        }
        let raw = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| CursorError)?;
        if raw.len() <= TAG_LEN {
            return Err(CursorError);
        }
        let (tag, sk) = raw.split_at(TAG_LEN);
        let sk = std::str::from_utf8(sk).map_err(|_| CursorError)?;
        self.tag(event, sk)
            .verify_truncated_left(tag)
            .map_err(|_| CursorError)?;
        Ok(sk.to_owned())
    }

    fn tag(&self, event: &EventId, sk: &str) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(LABEL);
        mac.update(&[0]);
        mac.update(event.to_string().as_bytes());
        mac.update(&[0]);
        mac.update(sk.as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SK: &str = "2026-04-29T20:00:00Z#instagram#ig:17895695668004550";

    fn event(id: &str) -> EventId {
        id.parse().expect("a valid event id")
    }

    #[test]
    fn a_sealed_cursor_opens_to_its_sort_key() {
        let cursors = Cursors::new(b"key");

        let cursor = cursors.seal(&event("2026-04-29"), SK);

        assert_eq!(
            cursors.open(&event("2026-04-29"), &cursor),
            Ok(SK.to_owned())
        );
        assert!(
            cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn a_cursor_does_not_open_for_another_event() {
        let cursors = Cursors::new(b"key");

        let cursor = cursors.seal(&event("2026-04-29"), SK);

        assert_eq!(
            cursors.open(&event("2026-04-30"), &cursor),
            Err(CursorError)
        );
    }

    #[test]
    fn a_cursor_does_not_open_under_another_key() {
        let cursor = Cursors::new(b"key").seal(&event("regatta"), SK);

        assert_eq!(
            Cursors::new(b"other").open(&event("regatta"), &cursor),
            Err(CursorError)
        );
    }

    #[test]
    fn a_cursor_with_a_changed_sort_key_is_refused() {
        let cursors = Cursors::new(b"key");
        let cursor = cursors.seal(&event("regatta"), SK);
        let mut raw = URL_SAFE_NO_PAD.decode(&cursor).expect("base64url");
        let last = raw.len() - 1;
        raw[last] ^= 1;

        let tampered = URL_SAFE_NO_PAD.encode(raw);

        assert_eq!(cursors.open(&event("regatta"), &tampered), Err(CursorError));
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        let cursors = Cursors::new(b"key");
        let long = "A".repeat(MAX_CURSOR_LEN + 1);
        for bad in ["", "!", "AAAA", "not base64 at all", "%00", &long] {
            assert_eq!(
                cursors.open(&event("regatta"), bad),
                Err(CursorError),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_derived_key_depends_only_on_the_table_name() {
        assert_eq!(derived_key("galleon-table"), derived_key("galleon-table"));
        assert_ne!(derived_key("galleon-table"), derived_key("other-table"));
    }
}
