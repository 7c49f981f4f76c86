//! A read API over a freshly seeded local stack, for the browser test,
//! schemathesis and the benchmark (`api/check.sh`, `api/bench.sh`).
//!
//! Creates its own table and bucket in the emulator `AWS_ENDPOINT_URL`
//! names, stores the fixture photos through the mirror's own image path
//! (original plus WebP variants and placeholder colour), files `--items`
//! items under one date
//! event (Instagram posts and guest photos in every moderation state) and
//! a few under a named event, then serves until stopped. Its first lines
//! of output say where: `url=...`, `gallery=...`, `table=...`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use clap::Parser;
use galleon_api::{ApiState, cursor};
use galleon_common::domain::{
    Event, EventId, GalleryItem, GuestStatus, ItemId, Source, StoredImage, Variant,
};
use galleon_common::local::{self, Names};
use galleon_common::store::{Aws, Bucket};
use galleon_common::telemetry;
use galleon_mirror::image::{self, Limits};

const EVENT: &str = "2026-04-29";
const NAMED: &str = "spring-regatta";

#[derive(Parser)]
struct Args {
    /// Address to serve on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Visible items filed under the date event.
    #[arg(long, default_value_t = 40)]
    items: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let args = Args::parse();
    let aws = Aws::from_env().await;
    let stack = local::init(&aws, &Names::unique("seeded"))
        .await
        .context("failed to create")?;

    let images = store_photos(&stack.bucket).await?;
    let items = seed_items(&images, args.items);
    for item in &items {
        stack
            .table
            .put_item(item)
            .await
            .context("failed to store an item")?;
    }
    stack
        .table
        .put_event(&named_event()?)
        .await
        .context("failed to store the event")?;

    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .context("failed to bind")?;
    let addr = listener.local_addr()?;
    let mut out = std::io::stdout();
    writeln!(out, "url=http://{addr}")?;
    writeln!(out, "gallery=/g/{EVENT}")?;
    writeln!(out, "table={}", stack.table.name())?;
    out.flush()?;
    let key = cursor::derived_key(stack.table.name());
    let state = ApiState::new(stack.table.clone(), stack.bucket.clone(), Tz::UTC, &key);
    galleon_api::serve_on(listener, state).await
}

fn photos_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixture/photos"))
}

/// Every fixture photo, stored with its renditions.
async fn store_photos(bucket: &Bucket) -> anyhow::Result<Vec<StoredImage>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(photos_dir())?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "jpg"));
    paths.sort();
    let mut images = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).with_context(|| format!("failed to read {path:?}"))?;
        images.push(
            store_photo(bucket, bytes)
                .await
                .with_context(|| format!("{path:?}"))?,
        );
    }
    anyhow::ensure!(!images.is_empty(), "no photos in {:?}", photos_dir());
    Ok(images)
}

async fn store_photo(bucket: &Bucket, bytes: Vec<u8>) -> anyhow::Result<StoredImage> {
    let processed = image::process(&bytes, &Limits::default())?;
    let sha = &processed.sha256;
    let original_key = processed.original_key();
    let original_type = processed.format.content_type();
    bucket
        .put_immutable(&original_key, bytes, original_type)
        .await?;

    let mut variants = Vec::new();
    for rendition in &processed.variants {
        let key = rendition.key(sha);
        let type_ = rendition.format.content_type();
        bucket
            .put_immutable(&key, rendition.bytes.clone(), type_)
            .await?;
        variants.push(Variant {
            width: rendition.width,
            height: rendition.height,
            key,
        });
    }
    Ok(StoredImage {
        sha256: processed.sha256.clone(),
        original_key,
        width: processed.width,
        height: processed.height,
        variants,
        placeholder: processed.placeholder,
    })
}

const CAPTIONS: [&str; 5] = [
    "Sunset over the harbour, boats coming in one by one",
    "<script>alert('caption')</script> & friends",
    "",
    "Lanterns on the pier \u{1f3ee} #evening #regatta",
    "Dancing until the band ran out of songs",
];

/// `visible` items shown on the date event's page, plus guest photos that
/// must not show (pending, rejected, hidden), and a few on the named event.
fn seed_items(images: &[StoredImage], visible: usize) -> Vec<GalleryItem> {
    let start: DateTime<Utc> = "2026-04-29T17:00:00Z".parse().expect("a timestamp");
    let mut items = Vec::new();
    for n in 0..visible {
        let at = start + Duration::minutes(3 * n as i64);
        let image = images[n % images.len()].clone();
        let item = if n % 4 == 3 {
            guest(EVENT, n, at, GuestStatus::Approved, image)
        } else {
            instagram(EVENT, n, at, image)
        };
        items.push(item);
    }
    for (n, status) in [GuestStatus::Pending, GuestStatus::Rejected]
        .into_iter()
        .enumerate()
    {
        let at = start + Duration::minutes(n as i64 + 1);
        items.push(guest(EVENT, 9000 + n, at, status, images[0].clone()));
    }
    let mut hidden = instagram(EVENT, 9100, start, images[0].clone());
    hidden.hidden = true;
    items.push(hidden);
    for n in 0..3 {
        let at = start + Duration::hours(n as i64);
        items.push(instagram(
            NAMED,
            8000 + n,
            at,
            images[n % images.len()].clone(),
        ));
    }
    items
}

fn instagram(event: &str, n: usize, at: DateTime<Utc>, image: StoredImage) -> GalleryItem {
    let media_id = format!("{}", 17_900_000_000_000_000u64 + n as u64);
    GalleryItem {
        event_id: event.parse::<EventId>().expect("a valid event id"),
        id: ItemId::Instagram(media_id.parse().expect("digits")),
        source: Source::Instagram,
        taken_at: at,
        caption: Some(CAPTIONS[n % CAPTIONS.len()].to_owned()).filter(|c| !c.is_empty()),
        permalink: Some(format!("https://www.instagram.com/p/seed{n}/")),
        media_type: "IMAGE".into(),
        image,
        status: None,
        hidden: false,
    }
}

fn guest(
    event: &str,
    n: usize,
    at: DateTime<Utc>,
    status: GuestStatus,
    image: StoredImage,
) -> GalleryItem {
    GalleryItem {
        event_id: event.parse::<EventId>().expect("a valid event id"),
        id: ItemId::Guest(format!("seed-{n}").parse().expect("a guest id")),
        source: Source::Guest,
        taken_at: at,
        caption: Some("From a guest's phone".to_owned()),
        permalink: None,
        media_type: "IMAGE".into(),
        image,
        status: Some(status),
        hidden: false,
    }
}

fn named_event() -> anyhow::Result<Event> {
    let start = DateTime::parse_from_rfc3339("2026-04-29T17:00:00Z")?;
    let end = DateTime::parse_from_rfc3339("2026-04-30T01:00:00Z")?;
    Ok(Event::named(
        NAMED.parse()?,
        "Spring regatta",
        start,
        end,
        Tz::UTC,
    )?)
}
