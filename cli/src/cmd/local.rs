//! `galleon local init`: the resources in the emulator.

use anyhow::Context as _;
use clap::Subcommand;
use galleon_common::local::{self, Names};
use galleon_common::{Config, store::Aws};

#[derive(Subcommand)]
pub enum LocalCommand {
    /// Create the table, bucket, queue and dead-letter queue named by the
    /// GALLEON_* variables in the emulator AWS_ENDPOINT_URL names. Safe to
    /// run twice.
    Init,
}

pub async fn run(command: LocalCommand, config: &Config, aws: &Aws) -> anyhow::Result<()> {
    match command {
        LocalCommand::Init => {
            if std::env::var_os("AWS_ENDPOINT_URL").is_none() {
                anyhow::bail!(
                    "AWS_ENDPOINT_URL is not set: `local init` only creates resources in a local emulator"
                );
            }
            let names = Names::from_config(config)?;
            let stack = local::init(aws, &names)
                .await
                .context("failed to create the local resources")?;
            println!("table  {}", stack.table.name());
            println!("bucket {}", stack.bucket.name());
            println!("queue  {}", stack.queue.url());
            println!("dlq    {}", stack.dlq.url());
            Ok(())
        }
    }
}
