//! Validated identifiers. Each is parsed once at the edge (a URL path, a
//! queue message, a command line) and can only hold a well-formed value,
//! so the code inside never re-checks one and a guest's input never reaches
//! a storage key unchecked.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error(
        "event id must be a date (YYYY-MM-DD) or a slug of 1-64 lower-case letters, digits and single hyphens, with a letter"
    )]
    Event,
    #[error("media id must be 1-32 ASCII digits")]
    Media,
    #[error("sha256 must be 64 lower-case hex digits")]
    Sha256,
    #[error("guest id must be 1-64 lower-case letters, digits and hyphens")]
    Guest,
}

/// The longest slug an event may have; also bounds every key built from it.
const MAX_SLUG: usize = 64;

/// An event: either the date event of a local date (`2026-04-29`), which
/// every post belongs to without setup, or a named event (`spring-regatta`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventId {
    Date(NaiveDate),
    Named(String),
}

impl EventId {
    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            EventId::Date(d) => Some(*d),
            EventId::Named(_) => None,
        }
    }
}

impl FromStr for EventId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        if looks_like_date(s) {
            return NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(EventId::Date)
                .map_err(|_| IdError::Event);
        }
        if is_slug(s) {
            Ok(EventId::Named(s.to_owned()))
        } else {
            Err(IdError::Event)
        }
    }
}

/// `NNNN-NN-NN`: such a string is a date or nothing, never a slug, so
/// `2026-02-30` is refused rather than taken as a name.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        // At least one letter, so that nothing date-like (`2026-4-29`)
        // passes for a name.
        && s.bytes().any(|c| c.is_ascii_lowercase())
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventId::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            EventId::Named(s) => f.write_str(s),
        }
    }
}

/// An Instagram media id (posts and carousel children alike): digits only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MediaId(String);

impl MediaId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for MediaId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        if !s.is_empty() && s.len() <= 32 && s.bytes().all(|c| c.is_ascii_digit()) {
            Ok(MediaId(s.to_owned()))
        } else {
            Err(IdError::Media)
        }
    }
}

impl fmt::Display for MediaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The sha256 of an original image, lower-case hex: the name of its folder
/// under `media/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sha256(String);

impl Sha256 {
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::Digest;
        Sha256(hex::encode(sha2::Sha256::digest(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Sha256 {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        if s.len() == 64
            && s.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        {
            Ok(Sha256(s.to_owned()))
        } else {
            Err(IdError::Sha256)
        }
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A guest photo's id. Guest imports derive it from the photo's sha256, so
/// importing the same file twice files one item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GuestId(String);

impl GuestId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for GuestId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
        if ok {
            Ok(GuestId(s.to_owned()))
        } else {
            Err(IdError::Guest)
        }
    }
}

impl fmt::Display for GuestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Serde goes through `FromStr`, so a message or a stored item with a bad
/// id fails to parse instead of carrying it inward.
macro_rules! serde_via_str {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

serde_via_str!(EventId, MediaId, Sha256, GuestId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_id_parses_and_prints_back() {
        let id: EventId = "2026-04-29".parse().unwrap();
        assert_eq!(id.as_date(), NaiveDate::from_ymd_opt(2026, 4, 29));
        assert_eq!(id.to_string(), "2026-04-29");
    }

    #[test]
    fn a_slug_is_a_named_event() {
        let id: EventId = "spring-regatta-2026".parse().unwrap();
        assert_eq!(id, EventId::Named("spring-regatta-2026".into()));
    }

    #[test]
    fn malformed_event_ids_are_refused() {
        let long = "a".repeat(300);
        for bad in [
            "",
            "../..",
            "..%2F..",
            "2026-02-30",
            "2026-4-29",
            "Upper",
            "a b",
            "-lead",
            "trail-",
            "dou--ble",
            "tab\t",
            "nul\0",
            &long,
        ] {
            assert_eq!(bad.parse::<EventId>(), Err(IdError::Event), "{bad:?}");
        }
    }

    #[test]
    fn media_ids_are_digits_only() {
        assert!("17895695668004550".parse::<MediaId>().is_ok());
        assert!("1789a".parse::<MediaId>().is_err());
        assert!("".parse::<MediaId>().is_err());
    }

    #[test]
    fn sha256_of_bytes_is_lower_hex() {
        let h = Sha256::of(b"abc");
        assert_eq!(
            h.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(h.as_str().parse::<Sha256>().is_ok());
        assert!("BA78".parse::<Sha256>().is_err());
    }
}
