//! The command tree and its dispatch.

mod events;
mod guest;
mod local;
mod mirror;
mod replay;
mod serve;
mod status;
mod sync;
mod token;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use galleon_common::{Config, store::Aws};

#[derive(Parser)]
#[command(
    name = "galleon",
    version,
    about = "Operate galleon: sync Instagram posts into event galleries"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The local stack: create the table, bucket and queues in the emulator.
    #[command(subcommand)]
    Local(local::LocalCommand),
    /// Run one ingest tick: list new posts and enqueue them.
    Sync,
    /// Enqueue every post the API returns, ignoring the sync state.
    Backfill,
    /// Consume the mirror queue.
    Mirror(mirror::MirrorArgs),
    /// Serve the read API and gallery pages.
    Serve(serve::ServeArgs),
    /// Move the dead-letter queue back to the mirror queue.
    Replay(replay::ReplayArgs),
    /// Manage named events.
    #[command(subcommand)]
    Events(events::EventsCommand),
    /// Bring in guest photos.
    #[command(subcommand)]
    Guest(guest::GuestCommand),
    /// Exchange, inspect or refresh the Instagram access token.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Show what is stored: sync state, queues, events and item counts.
    Status,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env().context("configuration")?;
    let aws = Aws::from_env().await;
    match cli.command {
        Command::Local(c) => local::run(c, &config, &aws).await,
        Command::Sync => sync::run(&config, &aws, false).await,
        Command::Backfill => sync::run(&config, &aws, true).await,
        Command::Mirror(a) => mirror::run(a, &config, &aws).await,
        Command::Serve(a) => serve::run(a, &config, &aws).await,
        Command::Replay(a) => replay::run(a, &config, &aws).await,
        Command::Events(c) => events::run(c, &config, &aws).await,
        Command::Guest(c) => guest::run(c, &config, &aws).await,
        Command::Token(c) => token::run(c, &config, &aws).await,
        Command::Status => status::run(&config, &aws).await,
    }
}
