//! The DynamoDB, S3 and SQS adapters against the local emulator that
//! `scripts/test.sh` starts (`AWS_ENDPOINT_URL`). Each test creates its own
//! resources.

use chrono::{DateTime, Utc};
use galleon_common::domain::{
    EventId, GalleryItem, ItemId, MediaId, Sha256, Source, StoredImage, Variant,
};
use galleon_common::local::{self, Names, Stack};
use galleon_common::store::{Aws, PutOutcome};

async fn stack() -> Stack {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: run the tests through scripts/test.sh"
    );
    let aws = Aws::from_env().await;
    local::init(&aws, &Names::unique("store"))
        .await
        .expect("stack")
}

fn item(event: &str, id: &str, at: &str) -> GalleryItem {
    let sha = Sha256::of(id.as_bytes());
    GalleryItem {
        event_id: event.parse().unwrap(),
        id: ItemId::Instagram(id.parse::<MediaId>().unwrap()),
        source: Source::Instagram,
        taken_at: DateTime::parse_from_rfc3339(at)
            .unwrap()
            .with_timezone(&Utc),
        caption: Some("caption".into()),
        permalink: None,
        media_type: "IMAGE".into(),
        image: StoredImage {
            original_key: format!("media/{sha}/original.jpg"),
            variants: vec![Variant {
                width: 320,
                height: 400,
                key: format!("media/{sha}/w320.webp"),
            }],
            sha256: sha,
            width: 1080,
            height: 1350,
            placeholder: "#334455".into(),
        },
        status: None,
        hidden: false,
    }
}

#[tokio::test]
async fn gallery_items_page_newest_first() {
    let s = stack().await;
    for (id, at) in [
        ("1", "2026-04-29T20:00:00Z"),
        ("2", "2026-04-29T21:00:00Z"),
        ("3", "2026-04-29T22:00:00Z"),
    ] {
        s.table.put_item(&item("2026-04-29", id, at)).await.unwrap();
    }
    let event: EventId = "2026-04-29".parse().unwrap();

    let first = s.table.query_items(&event, 2, None).await.unwrap();
    let second = s
        .table
        .query_items(&event, 2, first.next_sk.as_deref())
        .await
        .unwrap();

    let ids: Vec<String> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|i| i.id.to_string())
        .collect();
    assert_eq!(ids, ["ig:3", "ig:2", "ig:1"]);
    assert_eq!(
        first.items[0],
        item("2026-04-29", "3", "2026-04-29T22:00:00Z")
    );
}

#[tokio::test]
async fn writing_an_item_twice_stores_one() {
    let s = stack().await;
    let it = item("2026-04-29", "1", "2026-04-29T20:00:00Z");
    s.table.put_item(&it).await.unwrap();
    s.table.put_item(&it).await.unwrap();
    assert!(!s.table.put_item_if_absent(&it).await.unwrap());
    assert_eq!(s.table.all_items(&it.event_id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_object_is_stored_once() {
    let s = stack().await;
    let first = s
        .bucket
        .put_immutable("media/x/original.jpg", b"abc".to_vec(), "image/jpeg")
        .await
        .unwrap();
    let again = s
        .bucket
        .put_immutable("media/x/original.jpg", b"abc".to_vec(), "image/jpeg")
        .await
        .unwrap();
    assert_eq!(
        (first, again),
        (PutOutcome::Created, PutOutcome::AlreadyStored)
    );
    let got = s.bucket.get("media/x/original.jpg").await.unwrap().unwrap();
    assert_eq!(
        got.cache_control.as_deref(),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test]
async fn the_queue_has_the_redrive_policy_of_the_cdk_app() {
    let s = stack().await;
    assert_eq!(
        s.queue.max_receive_count().await.unwrap(),
        Some(local::MAX_RECEIVE_COUNT)
    );
    let bodies: Vec<String> = (0..23).map(|i| format!("m{i}")).collect();
    s.queue.send_all(&bodies).await.unwrap();
    assert_eq!(s.queue.depth().await.unwrap().visible, 23);
}
