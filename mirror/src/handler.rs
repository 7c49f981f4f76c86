//! One message's steps, and one batch's answer.
//!
//! A message is parsed and validated, each of its images is fetched from
//! the CDN (a fresh link is read by id when one has expired), checked,
//! resized and stored under its sha256, and then the post is filed: one
//! gallery item per image per event, and its media record. Every write is
//! keyed by domain ids (media id, sha256, event id), never the SQS message
//! id, so a message replayed any number of times leaves the same objects
//! and items.
//!
//! The mirror files a post under the events current when it writes (its
//! date event and every named event whose window holds it), not the ones
//! ingest saw: an event put or removed while the message waited in the
//! queue is then honoured.

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent};
use chrono::Utc;
use galleon_common::domain::{
    EventId, GalleryItem, ItemId, Links, MediaId, MediaRecord, MediaState, MediaType, MessageError,
    MirrorMessage, Source, StoredImage, events_for,
};
use galleon_common::graph::GraphMedia;
use galleon_common::store::StoreError;
use tracing::{Instrument, error, info, info_span, warn};
use url::Url;

use crate::Context;
use crate::fetch::FetchError;
use crate::media::{StoreImageError, store_image};

/// Why a message failed. Every kind fails the message, so SQS delivers it
/// again and, after the queue's `maxReceiveCount`, moves it to the
/// dead-letter queue, from which `galleon replay` brings it back.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// The body is not a mirror message. It has no media id to record a
    /// reason on; its log line is the record.
    #[error("malformed message")]
    Malformed(#[from] MessageError),
    /// The post can never be mirrored as it stands (a refused host, bytes
    /// that are not an image, an unknown media type). The reason is
    /// recorded on its media record.
    #[error("media {media_id} cannot be mirrored: {reason}")]
    Permanent { media_id: MediaId, reason: String },
    /// Worth another try: the network, the CDN, Instagram or AWS failed.
    #[error("media {media_id} failed for now")]
    Transient {
        media_id: MediaId,
        #[source]
        source: anyhow::Error,
    },
}

impl MirrorError {
    pub fn kind(&self) -> &'static str {
        match self {
            MirrorError::Malformed(_) => "malformed",
            MirrorError::Permanent { .. } => "permanent",
            MirrorError::Transient { .. } => "transient",
        }
    }
}

/// One image of a post: the post itself, a carousel child, or a video's
/// cover.
#[derive(Debug, Clone)]
struct Target {
    item: ItemId,
    /// The Graph id to read again for a fresh link.
    graph_id: MediaId,
    media_type: MediaType,
    links: Links,
}

/// Answers a batch, naming exactly the messages that failed.
pub async fn handle_batch(ctx: &Context, event: SqsEvent) -> SqsBatchResponse {
    let mut failures = Vec::new();
    for record in event.records {
        let message_id = record.message_id.unwrap_or_default();
        let span = info_span!("message", message_id = %message_id);
        let body = record.body.unwrap_or_default();
        if let Err(e) = mirror_message(ctx, &body).instrument(span.clone()).await {
            span.in_scope(|| log_failure(&e));
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = message_id;
            failures.push(failure);
        }
    }
    let mut response = SqsBatchResponse::default();
    response.batch_item_failures = failures;
    response
}

/// Logs a failure once, with its whole cause chain on one line. A
/// transient failure is a warning (SQS retries it); the rest are errors.
fn log_failure(e: &MirrorError) {
    let chain = galleon_common::telemetry::error_chain(e);
    match e {
        MirrorError::Transient { .. } => {
            warn!(error_kind = e.kind(), error = %chain, "message failed")
        }
        _ => error!(error_kind = e.kind(), error = %chain, "message failed"),
    }
}

/// Mirrors one post: the whole of a message's work.
pub async fn mirror_message(ctx: &Context, body: &str) -> Result<(), MirrorError> {
    let msg = MirrorMessage::parse(body)?;
    let media_id = msg.media_id.clone();
    let transient = |source: anyhow::Error| MirrorError::Transient {
        media_id: media_id.clone(),
        source,
    };

    let existing = ctx
        .table
        .get_media(&msg.media_id)
        .await
        .map_err(|e| transient(e.into()))?;
    let images = match &existing {
        Some(r) if r.state == MediaState::Hidden => return Ok(()),
        // Already stored: a replay re-files without downloading again.
        Some(r) if r.state == MediaState::Mirrored && !r.images.is_empty() => r.images.clone(),
        _ => match fetch_images(ctx, &msg).await {
            Ok(images) => images,
            Err(e) => {
                if let MirrorError::Permanent { reason, .. } = &e {
                    record_failure(ctx, &msg, existing.as_ref(), reason)
                        .await
                        .map_err(|e| transient(e.into()))?;
                }
                return Err(e);
            }
        },
    };

    let events = ctx
        .table
        .list_events()
        .await
        .map_err(|e| transient(e.into()))?;
    let event_ids = events_for(msg.timestamp, ctx.timezone, &events);
    file(ctx, &msg, &images, &event_ids)
        .await
        .map_err(|e| transient(e.into()))?;
    let record = MediaRecord {
        media_id: msg.media_id.clone(),
        state: MediaState::Mirrored,
        taken_at: msg.timestamp,
        images,
        events: event_ids,
        first_seen: existing.as_ref().map_or_else(Utc::now, |r| r.first_seen),
        last_seen: Utc::now(),
        failure: None,
    };
    ctx.table
        .put_media(&record)
        .await
        .map_err(|e| transient(e.into()))?;
    info!(media_id = %msg.media_id, images = record.images.len(), events = record.events.len(), "mirrored");
    Ok(())
}

/// Writes one gallery item per image per event.
async fn file(
    ctx: &Context,
    msg: &MirrorMessage,
    images: &[(ItemId, StoredImage)],
    events: &[EventId],
) -> Result<(), StoreError> {
    for event_id in events {
        for (id, image) in images {
            ctx.table
                .put_item(&instagram_item(msg, event_id, id, image))
                .await?;
        }
    }
    Ok(())
}

fn instagram_item(
    msg: &MirrorMessage,
    event_id: &EventId,
    id: &ItemId,
    image: &StoredImage,
) -> GalleryItem {
    GalleryItem {
        event_id: event_id.clone(),
        id: id.clone(),
        source: Source::Instagram,
        taken_at: msg.timestamp,
        caption: msg.caption.clone(),
        permalink: msg.permalink.clone(),
        media_type: msg.media_type.as_str().to_owned(),
        image: image.clone(),
        status: None,
        hidden: false,
    }
}

async fn record_failure(
    ctx: &Context,
    msg: &MirrorMessage,
    existing: Option<&MediaRecord>,
    reason: &str,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let record = MediaRecord {
        media_id: msg.media_id.clone(),
        state: MediaState::Failed,
        taken_at: msg.timestamp,
        images: Vec::new(),
        events: Vec::new(),
        first_seen: existing.map_or(now, |r| r.first_seen),
        last_seen: now,
        failure: Some(reason.to_owned()),
    };
    ctx.table.put_media(&record).await
}

/// Fetches, checks and stores every image of the post.
async fn fetch_images(
    ctx: &Context,
    msg: &MirrorMessage,
) -> Result<Vec<(ItemId, StoredImage)>, MirrorError> {
    let permanent = |reason: String| MirrorError::Permanent {
        media_id: msg.media_id.clone(),
        reason,
    };
    let mut targets =
        targets(&msg.media_id, &msg.media_type, &msg.links, &msg.children).map_err(permanent)?;
    if targets.is_empty() {
        // A carousel listed without its children: ask for them.
        let fresh = reread(ctx, &msg.media_id).await?;
        targets = targets_of(&fresh).map_err(permanent)?;
    }
    let mut stored = Vec::with_capacity(targets.len());
    for target in &targets {
        let bytes = download(ctx, &msg.media_id, target).await?;
        let image = store_image(&ctx.bucket, bytes, &ctx.limits)
            .await
            .map_err(|e| match e {
                StoreImageError::Image(e) => permanent(format!("{}: {e}", target.item)),
                StoreImageError::Store(e) => MirrorError::Transient {
                    media_id: msg.media_id.clone(),
                    source: e.into(),
                },
            })?;
        stored.push((target.item.clone(), image));
    }
    Ok(stored)
}

/// The images a post shows: the photo, a video's cover, or each child of a
/// carousel. Err is the reason the post can never be shown.
fn targets(
    id: &MediaId,
    media_type: &MediaType,
    links: &Links,
    children: &[galleon_common::domain::Child],
) -> Result<Vec<Target>, String> {
    let one = |t: &MediaType, gid: &MediaId, links: &Links| Target {
        item: ItemId::Instagram(gid.clone()),
        graph_id: gid.clone(),
        media_type: t.clone(),
        links: links.clone(),
    };
    match media_type {
        MediaType::Image | MediaType::Video => Ok(vec![one(media_type, id, links)]),
        MediaType::CarouselAlbum => Ok(children
            .iter()
            .filter(|c| {
                let known = !matches!(c.media_type, MediaType::Other(_) | MediaType::CarouselAlbum);
                if !known {
                    warn!(media_id = %id, child_id = %c.id, media_type = c.media_type.as_str(), "carousel child of unknown type skipped");
                }
                known
            })
            .map(|c| one(&c.media_type, &c.id, &c.links))
            .collect()),
        MediaType::Other(t) => Err(format!("unknown media type {t:?}")),
    }
}

fn targets_of(post: &GraphMedia) -> Result<Vec<Target>, String> {
    let targets = targets(&post.id, &post.media_type, &post.links, &post.children)?;
    if targets.is_empty() {
        return Err("a carousel with no children".into());
    }
    Ok(targets)
}

/// The link to fetch for an image: a photo's `media_url`, else its
/// `thumbnail_url` (Instagram withholds `media_url` for some media); for a
/// video, always its cover.
fn link(target: &Target) -> Option<&str> {
    match target.media_type {
        MediaType::Video => target.links.thumbnail_url.as_deref(),
        _ => target
            .links
            .media_url
            .as_deref()
            .or(target.links.thumbnail_url.as_deref()),
    }
}

/// Downloads a target's image, reading the item again for a fresh link
/// when the link is missing or has expired.
async fn download(ctx: &Context, post: &MediaId, target: &Target) -> Result<Vec<u8>, MirrorError> {
    let permanent = |reason: String| MirrorError::Permanent {
        media_id: post.clone(),
        reason,
    };
    let first = match link(target) {
        Some(url) => fetch(ctx, url).await,
        None => Err(FetchError::Expired(0)),
    };
    match first {
        Ok(bytes) => return Ok(bytes),
        Err(FetchError::Expired(status)) => {
            info!(media_id = %post, item = %target.item, status, "link missing or expired, reading the item again");
        }
        Err(e) if e.is_permanent() => return Err(permanent(format!("{}: {e}", target.item))),
        Err(e) => {
            return Err(MirrorError::Transient {
                media_id: post.clone(),
                source: e.into(),
            });
        }
    }

    let fresh = reread(ctx, &target.graph_id).await?;
    let fresh = Target {
        links: fresh.links,
        ..target.clone()
    };
    let Some(url) = link(&fresh) else {
        return Err(permanent(format!(
            "{}: no media_url or thumbnail_url",
            target.item
        )));
    };
    fetch(ctx, url).await.map_err(|e| match e {
        e if e.is_permanent() => permanent(format!("{}: {e}", target.item)),
        e => MirrorError::Transient {
            media_id: post.clone(),
            source: e.into(),
        },
    })
}

async fn fetch(ctx: &Context, url: &str) -> Result<Vec<u8>, FetchError> {
    let url = Url::parse(url).map_err(|_| FetchError::HostRefused {
        host: "(unparseable link)".into(),
    })?;
    ctx.fetcher.get(&url).await
}

async fn reread(ctx: &Context, id: &MediaId) -> Result<GraphMedia, MirrorError> {
    let Some(graph) = &ctx.graph else {
        return Err(MirrorError::Transient {
            media_id: id.clone(),
            source: anyhow::anyhow!("no access token is configured to read a fresh link"),
        });
    };
    graph.media(id).await.map_err(|e| match e {
        galleon_common::graph::GraphError::NotFound { .. } => MirrorError::Permanent {
            media_id: id.clone(),
            reason: "the post is gone from instagram".into(),
        },
        e => MirrorError::Transient {
            media_id: id.clone(),
            source: e.into(),
        },
    })
}
