//! The floor under the photos route: how long the emulator takes to answer
//! the same one-page Query the route makes, with no HTTP server in between.
//!
//! With `--route`, each round times one direct Query and then one request
//! to the route, one after the other, so both distributions are taken
//! under the same machine load (the benchmark machine is shared, and
//! timing them minutes apart compares two different machines). The
//! difference is the API's overhead. `api/bench.sh` runs it.

use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use galleon_common::domain::EventId;
use galleon_common::store::{Aws, Table};

#[derive(Parser)]
struct Args {
    /// The table `serve_seeded` printed.
    #[arg(long)]
    table: String,
    #[arg(long, default_value = "2026-04-29")]
    event: EventId,
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Timed rounds, after a few untimed warm-up ones.
    #[arg(long, default_value_t = 300)]
    n: usize,
    /// The photos route for the same page, timed in the same rounds.
    #[arg(long)]
    route: Option<String>,
}

/// Latencies of one kind of call, in milliseconds.
#[derive(Default)]
struct Timings(Vec<f64>);

impl Timings {
    fn report(mut self, what: &str) -> (f64, f64) {
        self.0.sort_by(f64::total_cmp);
        let pick = |q: f64| self.0[((self.0.len() as f64 * q) as usize).min(self.0.len() - 1)];
        let (p50, p99) = (pick(0.50), pick(0.99));
        println!(
            "{what}: {} calls, p50 {p50:.2} ms, p99 {p99:.2} ms",
            self.0.len()
        );
        (p50, p99)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let aws = Aws::from_env().await;
    let table = Table::new(aws.dynamo.clone(), &args.table);
    let http = reqwest::Client::new();
    let query = || table.query_items(&args.event, args.limit, None);

    for _ in 0..10 {
        query().await.context("warm-up query")?;
    }
    let (mut floor, mut route) = (Timings::default(), Timings::default());
    let mut items = 0;
    for _ in 0..args.n {
        let t = Instant::now();
        items = query().await.context("query")?.items.len();
        floor.0.push(t.elapsed().as_secs_f64() * 1000.0);
        if let Some(url) = &args.route {
            let t = Instant::now();
            let body = http
                .get(url)
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            route.0.push(t.elapsed().as_secs_f64() * 1000.0);
            anyhow::ensure!(!body.is_empty(), "the route answered an empty body");
        }
    }

    let (floor50, floor99) = floor.report(&format!("query floor ({items} items)"));
    if args.route.is_some() {
        let (route50, route99) = route.report("photos route, same rounds");
        println!(
            "route / floor: p50 {:.2}x, p99 {:.2}x",
            route50 / floor50,
            route99 / floor99
        );
    }
    Ok(())
}
