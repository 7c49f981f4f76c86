//! One page of an event's gallery: which event it is, and which items show.
//!
//! [`load`] is the read path's only contact with DynamoDB: one Query for the
//! page (and, for a named event, one GetItem for its definition, run beside
//! the Query). Everything after it ([`Gallery`], the JSON and HTML views) is
//! pure and is what the page benchmark measures.

use std::time::Instant;

use chrono_tz::Tz;
use galleon_common::domain::{Event, EventId, GalleryItem};
use galleon_common::store::{ItemPage, Table};

use crate::cursor::Cursors;
use crate::error::ApiError;
use crate::params::PageParams;

/// One page, ready to render.
#[derive(Debug, Clone)]
pub struct Gallery {
    /// The id from the path, valid even when no such event exists.
    pub event_id: EventId,
    /// The event, or `None` when it is unknown or hidden: both answer an
    /// empty gallery, so a hidden event is indistinguishable from none.
    pub event: Option<Event>,
    /// The visible items of the page, newest first.
    pub items: Vec<GalleryItem>,
    /// Continues after this page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// What the request asked for, to build the next page's link.
    pub params: PageParams,
}

impl Gallery {
    /// An empty gallery for an event that is not there to show.
    pub fn empty(event_id: EventId, params: PageParams) -> Self {
        Gallery {
            event_id,
            event: None,
            items: Vec::new(),
            next_cursor: None,
            params,
        }
    }
}

/// Reads one page of `event_id`'s gallery.
///
/// Date events need no setup: their definition is made up from the date
/// and the configured time zone. Named events are read from the table;
/// unknown and hidden ones answer an empty gallery with no event.
///
/// Invisible items (hidden ones, and guest photos not approved) are dropped
/// after the Query, so a page may hold fewer than `limit` items, even none
/// while `next_cursor` is still set. That is the price of one bounded Query
/// per request: a DynamoDB filter expression would drop them after the
/// limit just the same, and looping until a page is full would make one
/// request's work unbounded behind a long run of hidden items. Clients
/// follow `next_cursor` until it is `null`.
///
/// DynamoDB reports a continuation whenever a Query stops at its limit, so
/// the page after a full last page may come back empty with no cursor.
#[tracing::instrument(
    name = "gallery",
    skip_all,
    fields(event_id = %event_id, limit = params.limit)
)]
pub async fn load(
    table: &Table,
    timezone: Tz,
    cursors: &Cursors,
    event_id: EventId,
    params: PageParams,
) -> Result<Gallery, ApiError> {
    let started = Instant::now();
    let after = params
        .cursor
        .as_deref()
        .map(|c| cursors.open(&event_id, c))
        .transpose()?;

    let (event, page) = read(table, timezone, &event_id, params.limit, after.as_deref()).await?;
    let Some(event) = event.filter(|e| !e.hidden) else {
        tracing::info!(ms = started.elapsed().as_millis() as u64, "no such event");
        return Ok(Gallery::empty(event_id, params));
    };

    let read = page.items.len();
    let items: Vec<GalleryItem> = page
        .items
        .into_iter()
        .filter(GalleryItem::is_visible)
        .collect();
    let next_cursor = page.next_sk.map(|sk| cursors.seal(&event_id, &sk));
    tracing::info!(
        read,
        shown = items.len(),
        more = next_cursor.is_some(),
        ms = started.elapsed().as_millis() as u64,
        "page read"
    );
    Ok(Gallery {
        event_id,
        event: Some(event),
        items,
        next_cursor,
        params,
    })
}

/// The event's definition and one page of its items. For a named event
/// both reads run at once; the page is discarded when the event turns out
/// unknown or hidden.
async fn read(
    table: &Table,
    timezone: Tz,
    event_id: &EventId,
    limit: u32,
    after: Option<&str>,
) -> Result<(Option<Event>, ItemPage), ApiError> {
    let query = table.query_items(event_id, limit, after);
    match event_id.as_date() {
        Some(date) => Ok((Some(Event::for_date(date, timezone)), query.await?)),
        None => {
            let (event, page) = tokio::try_join!(table.get_event(event_id), query)?;
            Ok((event, page))
        }
    }
}
