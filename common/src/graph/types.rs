//! What the Graph API answers, parsed at the edge: media pages and items,
//! the account, issued tokens, and the cursor to the next page.
//!
//! The `Wire*` types mirror the JSON; the public types hold only validated
//! values (a [`MediaId`], a UTC timestamp), so the caller never re-checks.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::GraphError;
use super::token::AccessToken;
use super::usage::Usage;
use crate::domain::{Child, Links, MediaId, MediaType};

/// One post as the Graph API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphMedia {
    pub id: MediaId,
    /// An unknown type is kept by name; an absent one has an empty name.
    pub media_type: MediaType,
    pub caption: Option<String>,
    pub permalink: Option<String>,
    pub timestamp: DateTime<Utc>,
    pub links: Links,
    /// A carousel's children, in album order; empty for other types.
    pub children: Vec<Child>,
}

/// One page of the media listing, newest first.
#[derive(Debug, Clone)]
pub struct MediaPage {
    pub items: Vec<GraphMedia>,
    /// Where the next (older) page starts; `None` on the last page.
    pub next: Option<PageCursor>,
    pub usage: Option<Usage>,
}

/// The way to the next page: the `paging.next` URL with its
/// `access_token` removed. Cursors die when their item is deleted, so
/// follow one within the same walk and never store it.
#[derive(Clone, PartialEq, Eq)]
pub struct PageCursor(Url);

impl PageCursor {
    /// Checks that `next` stays on the API's own origin (the token follows
    /// it in a header) and strips the token from its query.
    pub(crate) fn from_next(next: &str, base: &Url) -> Result<Self, GraphError> {
        let mut url = Url::parse(next).map_err(|e| malformed(format!("paging.next: {e}")))?;
        if url.origin() != base.origin() {
            return Err(malformed("paging.next points away from the API origin"));
        }
        strip_query_param(&mut url, "access_token");
        Ok(PageCursor(url))
    }

    /// The URL to request, token-free.
    pub fn url(&self) -> &Url {
        &self.0
    }
}

/// Shows the origin and path only: the query is not for logs.
impl fmt::Display for PageCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.0.origin().ascii_serialization(),
            self.0.path()
        )
    }
}

impl fmt::Debug for PageCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PageCursor({self})")
    }
}

pub(crate) fn strip_query_param(url: &mut Url, name: &str) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// The account the token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user_id: String,
    pub username: Option<String>,
}

/// A token issued by an exchange or a refresh.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: AccessToken,
    /// Lifetime in seconds (about 60 days for a long-lived token).
    pub expires_in: Option<u64>,
}

/// Parses the Graph API's `2026-04-30T02:30:00+0000`, or RFC 3339.
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(text))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn malformed(reason: impl Into<String>) -> GraphError {
    GraphError::Malformed {
        reason: reason.into(),
    }
}

pub(crate) fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, GraphError> {
    serde_json::from_slice(body).map_err(|e| malformed(format!("invalid JSON: {e}")))
}

#[derive(Deserialize)]
struct WirePage {
    data: Vec<WireMedia>,
    #[serde(default)]
    paging: Option<WirePaging>,
}

#[derive(Deserialize)]
struct WirePaging {
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct WireMedia {
    id: String,
    media_type: Option<String>,
    caption: Option<String>,
    permalink: Option<String>,
    timestamp: Option<String>,
    media_url: Option<String>,
    thumbnail_url: Option<String>,
    #[serde(default)]
    children: Option<WireChildren>,
}

#[derive(Deserialize)]
struct WireChildren {
    #[serde(default)]
    data: Vec<WireChild>,
}

#[derive(Deserialize)]
struct WireChild {
    id: String,
    media_type: Option<String>,
    media_url: Option<String>,
    thumbnail_url: Option<String>,
}

/// A listing page: items validated one by one, `next` made a cursor.
pub(crate) fn parse_page(
    body: &[u8],
    base: &Url,
) -> Result<(Vec<GraphMedia>, Option<PageCursor>), GraphError> {
    let page: WirePage = parse_json(body)?;
    let items = page
        .data
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            item.validate()
                .map_err(|r| malformed(format!("item {i}: {r}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let next = page
        .paging
        .and_then(|p| p.next)
        .map(|next| PageCursor::from_next(&next, base))
        .transpose()?;
    Ok((items, next))
}

/// A single media object read by id.
pub(crate) fn parse_media(body: &[u8]) -> Result<GraphMedia, GraphError> {
    let item: WireMedia = parse_json(body)?;
    item.validate().map_err(malformed)
}

impl WireMedia {
    fn validate(self) -> Result<GraphMedia, String> {
        let id = parse_id(&self.id)?;
        let timestamp = self.timestamp.ok_or("timestamp is missing")?;
        let timestamp = parse_timestamp(&timestamp).ok_or("timestamp is not ISO 8601")?;
        let children = self
            .children
            .map(|c| c.data)
            .unwrap_or_default()
            .into_iter()
            .map(WireChild::validate)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(GraphMedia {
            id,
            media_type: media_type(self.media_type),
            caption: self.caption,
            permalink: self.permalink,
            timestamp,
            links: Links {
                media_url: self.media_url,
                thumbnail_url: self.thumbnail_url,
            },
            children,
        })
    }
}

impl WireChild {
    fn validate(self) -> Result<Child, String> {
        Ok(Child {
            id: parse_id(&self.id).map_err(|r| format!("child {r}"))?,
            media_type: media_type(self.media_type),
            links: Links {
                media_url: self.media_url,
                thumbnail_url: self.thumbnail_url,
            },
        })
    }
}

fn parse_id(id: &str) -> Result<MediaId, String> {
    id.parse().map_err(|_| "id is not a media id".to_owned())
}

fn media_type(name: Option<String>) -> MediaType {
    MediaType::from(name.unwrap_or_default())
}

#[derive(Deserialize)]
struct WireAccount {
    user_id: Option<serde_json::Value>,
    id: Option<String>,
    username: Option<String>,
}

pub(crate) fn parse_account(body: &[u8]) -> Result<Account, GraphError> {
    let wire: WireAccount = parse_json(body)?;
    let user_id = match wire.user_id {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => wire.id,
    };
    let user_id = user_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| malformed("user_id is missing"))?;
    Ok(Account {
        user_id,
        username: wire.username,
    })
}

#[derive(Deserialize)]
struct WireCount {
    media_count: Option<u64>,
}

pub(crate) fn parse_media_count(body: &[u8]) -> Result<u64, GraphError> {
    let wire: WireCount = parse_json(body)?;
    wire.media_count
        .ok_or_else(|| malformed("media_count is missing"))
}

#[derive(Deserialize)]
struct WireToken {
    access_token: Option<String>,
    expires_in: Option<u64>,
}

pub(crate) fn parse_issued_token(body: &[u8]) -> Result<IssuedToken, GraphError> {
    let wire: WireToken = parse_json(body)?;
    let token = wire
        .access_token
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| malformed("access_token is missing"))?;
    Ok(IssuedToken {
        token: AccessToken::new(token),
        expires_in: wire.expires_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://graph.instagram.com/v23.0";

    fn base() -> Url {
        Url::parse(BASE).expect("base")
    }

    const PAGE: &str = r#"{
      "data": [
        {"id":"1790","media_type":"CAROUSEL_ALBUM","caption":"sunset","permalink":"https://www.instagram.com/p/x/",
         "timestamp":"2026-04-30T02:30:00+0000",
         "children":{"data":[
           {"id":"1791","media_type":"IMAGE","media_url":"https://a.cdninstagram.com/1.jpg"},
           {"id":"1792","media_type":"VIDEO","media_url":"https://a.cdninstagram.com/2.mp4","thumbnail_url":"https://a.cdninstagram.com/2.jpg"}]}},
        {"id":"1780","media_type":"REEL_3D","timestamp":"2026-04-29T23:00:00Z","thumbnail_url":"https://a.cdninstagram.com/t.jpg"}
      ],
      "paging":{"cursors":{"before":"QVFI","after":"QVFJ"},
        "next":"https://graph.instagram.com/v23.0/17841/media?access_token=IGsecret&fields=id%2Ccaption&limit=12&after=QVFJ"}
    }"#;

    #[test]
    fn graph_timestamps_without_a_colon_in_the_offset_parse() {
        let t = parse_timestamp("2026-04-30T02:30:00+0000").expect("timestamp");
        assert_eq!(t.to_rfc3339(), "2026-04-30T02:30:00+00:00");
        let shifted = parse_timestamp("2026-04-29T22:30:00-0400").expect("timestamp");
        assert_eq!(shifted, t);
    }

    #[test]
    fn rfc3339_timestamps_parse_too() {
        let t = parse_timestamp("2026-04-30T02:30:00Z").expect("timestamp");
        assert_eq!(Some(t), parse_timestamp("2026-04-30T04:30:00+02:00"));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("2026-04-30"), None);
    }

    #[test]
    fn the_cursor_drops_the_access_token_and_keeps_the_rest() {
        let next =
            "https://graph.instagram.com/v23.0/1/media?limit=2&access_token=IGsecret&after=QVFJ";
        let cursor = PageCursor::from_next(next, &base()).expect("cursor");
        let query = cursor.url().query().expect("query");
        assert!(!query.contains("access_token") && !query.contains("IGsecret"));
        assert!(query.contains("after=QVFJ") && query.contains("limit=2"));
    }

    #[test]
    fn a_cursor_prints_without_its_query() {
        let next = "https://graph.instagram.com/v23.0/1/media?access_token=IGsecret&after=QVFJ";
        let cursor = PageCursor::from_next(next, &base()).expect("cursor");
        let shown = format!("{cursor} {cursor:?}");
        assert!(!shown.contains('?') && !shown.contains("QVFJ"), "{shown}");
        assert!(shown.contains("/v23.0/1/media"));
    }

    #[test]
    fn a_next_link_to_another_origin_is_refused() {
        let next = "https://evil.example/v23.0/1/media?after=x";
        assert!(matches!(
            PageCursor::from_next(next, &base()),
            Err(GraphError::Malformed { .. })
        ));
        let http = "http://graph.instagram.com/v23.0/1/media";
        assert!(PageCursor::from_next(http, &base()).is_err());
    }

    #[test]
    fn a_page_parses_with_carousel_children_and_a_next_cursor() {
        let (items, next) = parse_page(PAGE.as_bytes(), &base()).expect("page");
        assert_eq!(items.len(), 2);
        let album = &items[0];
        assert_eq!(album.media_type, MediaType::CarouselAlbum);
        assert_eq!(album.children.len(), 2);
        assert_eq!(album.children[1].media_type, MediaType::Video);
        assert_eq!(
            album.children[1].links.thumbnail_url.as_deref(),
            Some("https://a.cdninstagram.com/2.jpg")
        );
        assert!(next.is_some_and(|c| !c.url().as_str().contains("IGsecret")));
    }

    #[test]
    fn an_unknown_media_type_is_kept_and_a_withheld_media_url_is_none() {
        let (items, _) = parse_page(PAGE.as_bytes(), &base()).expect("page");
        assert_eq!(items[1].media_type, MediaType::Other("REEL_3D".into()));
        assert_eq!(items[1].links.media_url, None);
        assert!(items[1].children.is_empty());
    }

    #[test]
    fn a_page_without_data_is_malformed() {
        let err = parse_page(br#"{"paging":{}}"#, &base()).unwrap_err();
        assert!(matches!(err, GraphError::Malformed { .. }));
        assert!(parse_page(br#"{"data":[{"id":"1""#, &base()).is_err());
    }

    #[test]
    fn one_bad_item_makes_the_page_malformed() {
        let bad_id = PAGE.replace(r#""id":"1780""#, r#""id":"../1780""#);
        assert!(matches!(
            parse_page(bad_id.as_bytes(), &base()),
            Err(GraphError::Malformed { .. })
        ));
        let bad_time = PAGE.replace("2026-04-29T23:00:00Z", "soon");
        assert!(matches!(
            parse_page(bad_time.as_bytes(), &base()),
            Err(GraphError::Malformed { .. })
        ));
        let bad_child = PAGE.replace(r#""id":"1791""#, r#""id":"x""#);
        assert!(parse_page(bad_child.as_bytes(), &base()).is_err());
    }

    #[test]
    fn the_last_page_has_no_cursor() {
        let (items, next) =
            parse_page(br#"{"data":[],"paging":{"cursors":{}}}"#, &base()).expect("page");
        assert!(items.is_empty() && next.is_none());
    }

    #[test]
    fn account_count_and_token_bodies_parse() {
        let me =
            parse_account(br#"{"user_id":"17841","username":"harbour","id":"9"}"#).expect("me");
        assert_eq!(
            me,
            Account {
                user_id: "17841".into(),
                username: Some("harbour".into())
            }
        );
        assert_eq!(parse_account(br#"{"id":"9"}"#).expect("id").user_id, "9");
        assert_eq!(
            parse_media_count(br#"{"media_count":31,"id":"1"}"#).expect("count"),
            31
        );
        assert!(parse_media_count(br#"{"id":"1"}"#).is_err());
        let issued = parse_issued_token(
            br#"{"access_token":"IGnew","token_type":"bearer","expires_in":5184000}"#,
        )
        .expect("token");
        assert_eq!(issued.token.expose(), "IGnew");
        assert_eq!(issued.expires_in, Some(5_184_000));
        assert!(parse_issued_token(br#"{"token_type":"bearer"}"#).is_err());
    }
}
