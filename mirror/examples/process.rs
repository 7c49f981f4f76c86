//! Throughput of the image path on one thread, for BENCHMARKS.md.
//!
//! Reads the files given, then runs `process` over all of them N times and
//! prints images per second, the time split between the steps (from the
//! debug spans `process` opens around each step) and the bytes of the
//! variants of one pass. Given a single 12-megapixel photo and `-n 1`, it
//! is what `/usr/bin/time -v` measures for peak memory.
//!
//! ```text
//! cargo run --release -p galleon-mirror --example process -- -n 20 fixture/photos/portrait-*.jpg
//! ```
//!
//! The last line is `key=value` pairs for `bench/run.sh`.

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use galleon_mirror::image::{Limits, process};
use tracing::span::{Attributes, Id};
use tracing::{Subscriber, level_filters::LevelFilter};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Total time spent inside spans, by span name.
#[derive(Clone, Default)]
struct StepClock(Arc<Mutex<BTreeMap<&'static str, Duration>>>);

/// When the span in whose extensions it lives was last entered.
struct Entered(Instant);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for StepClock {
    fn on_new_span(&self, _: &Attributes<'_>, _: &Id, _: Context<'_, S>) {}

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().replace(Entered(Instant::now()));
        }
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let Some(Entered(start)) = span.extensions_mut().remove::<Entered>() else {
            return;
        };
        if let Ok(mut totals) = self.0.lock() {
            *totals.entry(span.name()).or_default() += start.elapsed();
        }
    }
}

struct Args {
    iterations: usize,
    files: Vec<String>,
}

fn parse_args() -> Result<Args> {
    let mut args = std::env::args().skip(1).peekable();
    let mut iterations = 10;
    if args.peek().map(String::as_str) == Some("-n") {
        args.next();
        iterations = args.next().ok_or("-n needs a number")?.parse()?;
    }
    let files: Vec<String> = args.collect();
    if files.is_empty() || iterations == 0 {
        return Err("usage: process [-n ITERATIONS] FILE...".into());
    }
    Ok(Args { iterations, files })
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let originals = args
        .files
        .iter()
        .map(std::fs::read)
        .collect::<std::io::Result<Vec<_>>>()?;
    let clock = StepClock::default();
    let subscriber =
        tracing_subscriber::registry().with(clock.clone().with_filter(LevelFilter::DEBUG));
    tracing::subscriber::set_global_default(subscriber)?;

    let limits = Limits::default();
    let mut variant_bytes = 0;
    let started = Instant::now();
    for pass in 0..args.iterations {
        for original in &originals {
            let processed = process(original, &limits)?;
            if pass == 0 {
                variant_bytes += processed
                    .variants
                    .iter()
                    .map(|v| v.bytes.len())
                    .sum::<usize>();
            }
        }
    }
    let elapsed = started.elapsed();

    let images = originals.len() * args.iterations;
    report(images, elapsed, &clock, variant_bytes);
    Ok(())
}

fn report(images: usize, elapsed: Duration, clock: &StepClock, variant_bytes: usize) {
    let per_second = images as f64 / elapsed.as_secs_f64();
    let per_image_ms = elapsed.as_secs_f64() * 1000.0 / images as f64;
    println!(
        "{images} images in {elapsed:.2?}: {per_second:.1} images/s, {per_image_ms:.1} ms each"
    );
    if let Ok(totals) = clock.0.lock() {
        for (step, total) in totals.iter() {
            let ms = total.as_secs_f64() * 1000.0 / images as f64;
            let share = 100.0 * total.as_secs_f64() / elapsed.as_secs_f64();
            println!("  {step:<7} {ms:>7.2} ms/image  {share:>5.1}%");
        }
    }
    println!("variant bytes per pass: {variant_bytes}");
    println!("images_per_second={per_second:.2} variant_bytes={variant_bytes}");
}
