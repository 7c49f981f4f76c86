//! `galleon events put|list|remove`: named events.

use chrono::{DateTime, FixedOffset};
use clap::Subcommand;
use galleon_common::domain::{Event, EventId};
use galleon_common::store::{Aws, Table};
use galleon_common::{Config, events};

#[derive(Subcommand)]
pub enum EventsCommand {
    /// Create or move an event; posts already mirrored in its window are re-filed.
    Put {
        id: EventId,
        #[arg(long)]
        title: String,
        /// RFC 3339 with offset, e.g. 2026-04-29T18:00:00-07:00.
        #[arg(long)]
        start: DateTime<FixedOffset>,
        /// Exclusive; RFC 3339 with offset.
        #[arg(long)]
        end: DateTime<FixedOffset>,
        /// Keep the event off every page.
        #[arg(long)]
        hidden: bool,
    },
    /// List the named events.
    List,
    /// Remove an event and its Instagram items.
    Remove { id: EventId },
}

pub async fn run(command: EventsCommand, config: &Config, aws: &Aws) -> anyhow::Result<()> {
    let table = Table::new(aws.dynamo.clone(), &config.table);
    match command {
        EventsCommand::Put {
            id,
            title,
            start,
            end,
            hidden,
        } => {
            let mut event = Event::named(id, &title, start, end, config.timezone)?;
            event.hidden = hidden;
            let refiled = events::put(&table, config.timezone, &event).await?;
            println!(
                "{}: {} posts filed, {} removed",
                event.id, refiled.filed, refiled.removed
            );
        }
        EventsCommand::List => {
            for e in table.list_events().await? {
                let hidden = if e.hidden { "  (hidden)" } else { "" };
                println!(
                    "{}\t{}\t{} .. {}{hidden}",
                    e.id,
                    e.title,
                    e.start.to_rfc3339(),
                    e.end.to_rfc3339()
                );
            }
        }
        EventsCommand::Remove { id } => match events::remove(&table, &id).await? {
            Some(n) => println!("{id}: removed with {n} items"),
            None => anyhow::bail!("no event {id}"),
        },
    }
    Ok(())
}
