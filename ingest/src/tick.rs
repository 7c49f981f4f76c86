//! One ingest tick.
//!
//! Walks the account's media newest first until it reaches posts older
//! than the newest one already seen, less an overlap margin (a post can
//! surface in the listing a little after its timestamp). Posts in the
//! margin that an earlier tick sent, or that are already mirrored, are
//! skipped; anything else is sent to the mirror queue. The sync state advances only after SQS accepted every
//! message, so a crash mid-tick sends the same posts again next time and
//! loses none; the mirror's writes are idempotent, so nothing is stored
//! twice. A tick that finds nothing new costs one Graph call.
//!
//! Deleted posts are not detected here: that needs a full walk of the
//! listing to see what is absent, which `galleon backfill` is the place
//! for, and is left for when deletion handling is taken up.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use galleon_common::domain::{MediaId, MediaState, MirrorMessage, events_for};
use galleon_common::graph::{GraphError, GraphMedia, PageCursor, Usage};
use galleon_common::store::{SendFailure, StoreError, SyncState};
use tracing::{info, warn};

use crate::Context;

/// Posts this much older than the newest seen are looked at again.
pub const OVERLAP: Duration = Duration::hours(6);
/// Posts per Graph page; the documented default is 25, and larger pages
/// mean fewer calls for a backfill.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, Copy, Default)]
pub struct TickOptions {
    /// Ignore the sync state and walk everything the API returns.
    pub backfill: bool,
}

/// What a tick did, logged as one line and returned to the caller.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TickSummary {
    pub pages: u32,
    /// Every post the listed pages held, old ones included.
    pub posts_seen: usize,
    pub enqueued: usize,
    /// Posts in the overlap margin that an earlier tick sent or the mirror
    /// already has.
    pub already_mirrored: usize,
    pub newest_seen: Option<DateTime<Utc>>,
    pub usage: Option<Usage>,
}

/// Why a tick failed. Each is loud and distinct; none advances the state.
#[derive(Debug, thiserror::Error)]
pub enum TickError {
    #[error("instagram refused the request")]
    Graph(#[from] GraphError),
    #[error(
        "the media listing is empty but the account has {media_count} posts: \
         the token lacks the instagram_business_basic scope"
    )]
    WrongScope { media_count: u64 },
    #[error("storage failed")]
    Store(#[from] StoreError),
    #[error("the mirror queue did not accept every post")]
    Send(#[from] SendFailure),
}

impl TickError {
    /// A short name for log fields and alarms.
    pub fn kind(&self) -> &'static str {
        match self {
            TickError::Graph(e) => e.kind(),
            TickError::WrongScope { .. } => "wrong_scope",
            TickError::Store(_) => "store",
            TickError::Send(_) => "enqueue",
        }
    }
}

/// Runs one tick: list, enqueue, then record how far it got.
pub async fn tick(ctx: &Context, options: TickOptions) -> Result<TickSummary, TickError> {
    let state = ctx.table.get_sync(&ctx.user_id).await?;
    let (previous, sent) = match state {
        Some(s) if !options.backfill => (s.newest_seen, s.recent),
        Some(s) => (s.newest_seen, Vec::new()),
        None => (None, Vec::new()),
    };
    let cutoff = previous.filter(|_| !options.backfill).map(|t| t - OVERLAP);

    let (posts, mut summary) = list_new(ctx, cutoff).await?;
    let newest = posts.iter().map(|p| p.timestamp).chain(previous).max();
    let recent = recent_ids(&posts, newest);
    let candidates = posts.len();
    let fresh = skip_done(ctx, posts, &sent).await?;
    summary.already_mirrored = candidates - fresh.len();

    enqueue(ctx, &fresh).await?;
    summary.enqueued = fresh.len();
    summary.newest_seen = newest;
    let state = SyncState {
        user_id: ctx.user_id.clone(),
        newest_seen: newest,
        recent,
        last_run: Utc::now(),
        last_usage: summary.usage,
    };
    ctx.table.put_sync(&state).await?;

    log_summary(&summary);
    Ok(summary)
}

/// Pages through the listing until a post older than `cutoff` appears
/// (everything, without one), returning the posts at or after it.
async fn list_new(
    ctx: &Context,
    cutoff: Option<DateTime<Utc>>,
) -> Result<(Vec<GraphMedia>, TickSummary), TickError> {
    let mut summary = TickSummary::default();
    let mut posts = Vec::new();
    let mut cursor: Option<PageCursor> = None;
    loop {
        let page = ctx
            .graph
            .media_page(&ctx.user_id, cursor.as_ref(), PAGE_SIZE)
            .await?;
        summary.pages += 1;
        summary.usage = page.usage.or(summary.usage);
        if summary.pages == 1 && page.items.is_empty() {
            check_really_empty(ctx).await?;
        }
        let listed = page.items.len();
        let kept = posts.len();
        posts.extend(
            page.items
                .into_iter()
                .filter(|p| cutoff.is_none_or(|c| p.timestamp >= c)),
        );
        let reached_seen = posts.len() - kept < listed;
        summary.posts_seen += listed;
        match page.next {
            Some(next) if !reached_seen => cursor = Some(next),
            _ => break,
        }
    }
    Ok((posts, summary))
}

/// An empty listing is only believable for an account with no posts; a
/// token with the wrong scope lists nothing for an account that has some.
async fn check_really_empty(ctx: &Context) -> Result<(), TickError> {
    let media_count = ctx.graph.media_count(&ctx.user_id).await?;
    if media_count > 0 {
        return Err(TickError::WrongScope { media_count });
    }
    Ok(())
}

/// The posts within the margin below `newest` once this tick is done: the
/// next tick lists them again and skips them. Every post in the margin is
/// listed by every tick, so this tick's listing is the whole set.
fn recent_ids(posts: &[GraphMedia], newest: Option<DateTime<Utc>>) -> Vec<MediaId> {
    let Some(newest) = newest else {
        return Vec::new();
    };
    posts
        .iter()
        .filter(|p| p.timestamp >= newest - OVERLAP)
        .map(|p| p.id.clone())
        .collect()
}

/// Drops the posts an earlier tick sent, and those whose media record says
/// they are done with.
async fn skip_done(
    ctx: &Context,
    posts: Vec<GraphMedia>,
    sent: &[MediaId],
) -> Result<Vec<GraphMedia>, TickError> {
    let sent: HashSet<&MediaId> = sent.iter().collect();
    let posts: Vec<GraphMedia> = posts
        .into_iter()
        .filter(|p| !sent.contains(&p.id))
        .collect();
    let ids: Vec<MediaId> = posts.iter().map(|p| p.id.clone()).collect();
    let done: HashSet<MediaId> = ctx
        .table
        .get_media_many(&ids)
        .await?
        .into_iter()
        .filter(|r| matches!(r.state, MediaState::Mirrored | MediaState::Hidden))
        .map(|r| r.media_id)
        .collect();
    Ok(posts
        .into_iter()
        .filter(|p| !done.contains(&p.id))
        .collect())
}

async fn enqueue(ctx: &Context, posts: &[GraphMedia]) -> Result<(), TickError> {
    if posts.is_empty() {
        return Ok(());
    }
    let events = ctx.table.list_events().await?;
    let bodies: Vec<String> = posts
        .iter()
        .map(|p| message_for(p, events_for(p.timestamp, ctx.timezone, &events)).to_body())
        .collect();
    ctx.queue.send_all(&bodies).await?;
    Ok(())
}

fn message_for(
    post: &GraphMedia,
    event_ids: Vec<galleon_common::domain::EventId>,
) -> MirrorMessage {
    MirrorMessage {
        v: galleon_common::domain::message::MESSAGE_VERSION,
        media_id: post.id.clone(),
        media_type: post.media_type.clone(),
        event_ids,
        caption: post.caption.clone(),
        permalink: post.permalink.clone(),
        timestamp: post.timestamp,
        links: post.links.clone(),
        children: post.children.clone(),
    }
}

fn log_summary(s: &TickSummary) {
    let usage = s.usage.unwrap_or_default();
    if usage.call_count >= 75 {
        warn!(
            call_count = usage.call_count,
            "instagram call budget above 75%"
        );
    }
    info!(
        pages = s.pages,
        posts_seen = s.posts_seen,
        enqueued = s.enqueued,
        already_mirrored = s.already_mirrored,
        newest_seen = s.newest_seen.map(|t| t.to_rfc3339()),
        usage_call_count = usage.call_count,
        usage_total_time = usage.total_time,
        usage_total_cputime = usage.total_cputime,
        "tick finished"
    );
}
