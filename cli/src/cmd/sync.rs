//! `galleon sync` and `galleon backfill`: one ingest tick.

use galleon_common::{Config, store::Aws};
use galleon_ingest::{Context, TickOptions, tick};

pub async fn run(config: &Config, aws: &Aws, backfill: bool) -> anyhow::Result<()> {
    let ctx = Context::new(config, aws).await?;
    let summary = tick(&ctx, TickOptions { backfill }).await.map_err(|e| {
        let kind = e.kind();
        anyhow::Error::from(e).context(format!("sync failed ({kind})"))
    })?;
    println!(
        "{} pages, {} posts seen, {} enqueued, {} already mirrored",
        summary.pages, summary.posts_seen, summary.enqueued, summary.already_mirrored
    );
    Ok(())
}
