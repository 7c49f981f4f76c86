//! `galleon guest import`: local photos through the mirror's image path.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use clap::Subcommand;
use galleon_common::Config;
use galleon_common::domain::{Event, EventId, GuestStatus};
use galleon_common::store::{Aws, Table};
use galleon_mirror::Context;
use galleon_mirror::guest::{GuestPhoto, import};

#[derive(Subcommand)]
pub enum GuestCommand {
    /// Import photos into an event's gallery, pending moderation unless --approve.
    Import {
        #[arg(long)]
        event: EventId,
        /// Show the photos at once.
        #[arg(long)]
        approve: bool,
        /// When the photos were taken (RFC 3339); the event's start otherwise.
        #[arg(long)]
        taken_at: Option<DateTime<FixedOffset>>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub async fn run(command: GuestCommand, config: &Config, aws: &Aws) -> anyhow::Result<()> {
    let GuestCommand::Import {
        event,
        approve,
        taken_at,
        files,
    } = command;
    let ctx = Context::new(config, aws).await?;
    let start = match taken_at {
        Some(t) => t.with_timezone(&Utc),
        None => event_start(&ctx.table, &event, config).await?,
    };
    let status = if approve {
        GuestStatus::Approved
    } else {
        GuestStatus::Pending
    };
    for (i, path) in files.iter().enumerate() {
        let bytes =
            std::fs::read(path).with_context(|| format!("failed to read {}", path.display()))?;
        // A second apart, so a batch keeps its order on the page.
        let photo = GuestPhoto {
            bytes,
            taken_at: start + Duration::seconds(i as i64),
            caption: None,
        };
        let imported = import(&ctx, &event, photo, status)
            .await
            .with_context(|| format!("failed to import {}", path.display()))?;
        let note = if imported.created {
            "imported"
        } else {
            "already imported"
        };
        println!("{}\t{}\t{note}", path.display(), imported.id);
    }
    Ok(())
}

/// A named event must exist; a date event starts at its local midnight,
/// and guest photos of an evening cruise are dated to its evening.
async fn event_start(
    table: &Table,
    id: &EventId,
    config: &Config,
) -> anyhow::Result<DateTime<Utc>> {
    match id.as_date() {
        Some(date) => Ok(Event::for_date(date, config.timezone)
            .start
            .with_timezone(&Utc)
            + Duration::hours(20)),
        None => {
            let event = table
                .get_event(id)
                .await?
                .with_context(|| format!("no event {id}: put it first"))?;
            Ok(event.start.with_timezone(&Utc))
        }
    }
}
