//! Regression bench: the whole image path on one 1080x1350 photo (three
//! WebP variants), so a slower decoder, resizer or encoder shows up.
//! Throughput against sharp is measured by `bench/run.sh` instead.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use galleon_mirror::image::{Limits, probe, process};

const PORTRAIT: &[u8] = include_bytes!("../../fixture/photos/portrait-chelsea.jpg");

fn variants(c: &mut Criterion) {
    let limits = Limits::default();
    let mut group = c.benchmark_group("image");
    group.sample_size(20);
    group.throughput(Throughput::Elements(1));
    group.bench_function("process_1080x1350", |b| {
        b.iter(|| process(PORTRAIT, &limits))
    });
    group.bench_function("probe_1080x1350", |b| b.iter(|| probe(PORTRAIT, &limits)));
    group.finish();
}

criterion_group!(benches, variants);
criterion_main!(benches);
