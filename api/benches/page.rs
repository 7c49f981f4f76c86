//! The handler's own CPU time per page, without I/O: rendering a 100-item
//! gallery page as JSON and as HTML, ETag included (what every 200 pays
//! on top of the Query).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use criterion::{Criterion, black_box, criterion_group, criterion_main};
use galleon_api::gallery::Gallery;
use galleon_api::params::PageParams;
use galleon_api::view::PhotosBody;
use galleon_api::{html, http_cache};
use galleon_common::domain::{
    Event, EventId, GalleryItem, ItemId, Sha256, Source, StoredImage, Variant,
};

fn item(n: u32) -> GalleryItem {
    let sha = Sha256::of(&n.to_le_bytes());
    let variant = |width: u32| Variant {
        width,
        height: width * 5 / 4,
        key: format!("media/{sha}/w{width}.webp"),
    };
    GalleryItem {
        event_id: "2026-04-29".parse().expect("event id"),
        id: ItemId::Instagram(
            (17_900_000_000_000_000u64 + u64::from(n))
                .to_string()
                .parse()
                .expect("id"),
        ),
        source: Source::Instagram,
        taken_at: Utc.with_ymd_and_hms(2026, 4, 29, 20, 0, 0).unwrap()
            + Duration::minutes(n.into()),
        caption: Some(format!(
            "Sunset over the harbour #{n} <b>with</b> friends & family"
        )),
        permalink: Some(format!("https://www.instagram.com/p/C{n}xyz/")),
        media_type: "IMAGE".into(),
        image: StoredImage {
            original_key: format!("media/{sha}/original.jpg"),
            variants: vec![variant(320), variant(640), variant(1080)],
            sha256: sha,
            width: 1080,
            height: 1350,
            placeholder: "#3a4b5c".into(),
        },
        status: None,
        hidden: false,
    }
}

fn gallery() -> Gallery {
    let date = NaiveDate::from_ymd_opt(2026, 4, 29).expect("date");
    Gallery {
        event_id: EventId::Date(date),
        event: Some(Event::for_date(date, Tz::UTC)),
        items: (0..100).map(item).collect(),
        next_cursor: Some("x".repeat(96)),
        params: PageParams {
            limit: 100,
            cursor: None,
        },
    }
}

fn render(c: &mut Criterion) {
    let page = gallery();
    c.bench_function("json page of 100 items", |b| {
        b.iter(|| {
            let body = PhotosBody::new(black_box(&page)).to_bytes();
            http_cache::etag(&body)
        })
    });
    c.bench_function("html page of 100 items", |b| {
        b.iter(|| {
            let body = html::gallery_page(black_box(&page));
            http_cache::etag(body.as_bytes())
        })
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
