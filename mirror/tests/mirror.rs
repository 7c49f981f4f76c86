//! The mirror through the entry points users call: a drained queue (the
//! event source reproduced locally) and an SQS batch handed to the
//! handler. Against the fixture Instagram and the local AWS emulator
//! (`AWS_ENDPOINT_URL`, started by `scripts/test.sh`); each test starts its
//! own fixture and creates its own resources.

use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsEvent, SqsMessage};
use galleon_common::config::MediaHosts;
use galleon_common::domain::{EventId, MediaId, MediaRecord, MediaState, MirrorMessage};
use galleon_common::graph::{AccessToken, GraphClient, RetryPolicy};
use galleon_common::local::{self, Names, Stack};
use galleon_common::store::Aws;
use galleon_fixture::{Account, ChildPost, Failure, Fixture, MediaRef, Post};
use galleon_ingest::TickOptions;
use galleon_mirror::drain::{DrainOptions, DrainSummary, drain};
use galleon_mirror::{Context, handle_batch};

const TZ: &str = "America/New_York";

struct Harness {
    fixture: Fixture,
    stack: Stack,
    ctx: Context,
}

fn graph(fixture: &Fixture) -> GraphClient {
    GraphClient::new(
        reqwest::Client::new(),
        fixture.base_url().parse().unwrap(),
        AccessToken::new(fixture.token()),
    )
    .with_retry(RetryPolicy {
        max_attempts: 2,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    })
}

async fn harness(account: Account) -> Harness {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: run the tests through scripts/test.sh"
    );
    let fixture = Fixture::start(account).await.expect("fixture");
    let aws = Aws::from_env().await;
    let stack = local::init(&aws, &Names::unique("mirror"))
        .await
        .expect("stack");
    let hosts = MediaHosts::parse("cdninstagram.com,fbcdn.net,127.0.0.1").unwrap();
    let ctx = Context::from_parts(
        stack.table.clone(),
        stack.bucket.clone(),
        hosts,
        Some(graph(&fixture)),
        TZ.parse().unwrap(),
    )
    .unwrap();
    Harness {
        fixture,
        stack,
        ctx,
    }
}

impl Harness {
    /// One ingest tick, as the scheduled Lambda runs it.
    async fn sync(&self) {
        let ctx = galleon_ingest::Context {
            table: self.stack.table.clone(),
            queue: self.stack.queue.clone(),
            graph: graph(&self.fixture),
            user_id: self.fixture.user_id().to_owned(),
            timezone: TZ.parse().unwrap(),
        };
        galleon_ingest::tick(&ctx, TickOptions::default())
            .await
            .unwrap();
    }

    async fn drain(&self) -> DrainSummary {
        let options = DrainOptions {
            backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
        };
        drain(&self.ctx, &self.stack.queue, &options, |_| {})
            .await
            .unwrap()
    }

    async fn record(&self, id: &str) -> MediaRecord {
        let id: MediaId = id.parse().unwrap();
        self.stack
            .table
            .get_media(&id)
            .await
            .unwrap()
            .expect("a media record")
    }

    async fn item_ids(&self, event: &str) -> Vec<String> {
        let items = self.items(event).await;
        items.iter().map(|i| i.id.to_string()).collect()
    }

    async fn items(&self, event: &str) -> Vec<galleon_common::domain::GalleryItem> {
        let event: EventId = event.parse().unwrap();
        self.stack.table.all_items(&event).await.unwrap()
    }

    /// Takes one message off the mirror queue, as a consumer would.
    async fn take_one(&self) -> String {
        let queue = &self.stack.queue;
        let m = queue.receive(1, Duration::ZERO).await.unwrap().remove(0);
        queue
            .delete_all(&[m.receipt_handle.as_str()])
            .await
            .unwrap();
        m.body
    }

    async fn objects(&self) -> Vec<String> {
        let mut keys = self.stack.bucket.list("").await.unwrap();
        keys.sort();
        keys
    }

    async fn dead_letters(&self) -> Vec<MirrorMessage> {
        let batch = self.stack.dlq.receive(10, Duration::ZERO).await.unwrap();
        batch
            .iter()
            .filter_map(|m| MirrorMessage::parse(&m.body).ok())
            .collect()
    }
}

fn post(id: &str, media: MediaRef) -> Post {
    Post {
        id: id.into(),
        media_type: "IMAGE".into(),
        caption: Some(format!("post {id}")),
        permalink: Some(format!("https://www.instagram.com/p/{id}/")),
        timestamp: "2026-04-30T02:30:00+0000".into(),
        media,
        thumbnail: None,
        children: Vec::new(),
    }
}

fn account(posts: Vec<Post>) -> Account {
    Account {
        posts,
        ..Account::empty()
    }
}

#[tokio::test]
async fn the_demo_account_lands_as_variants_in_s3_and_items_under_its_dates() {
    let h = harness(Account::demo()).await;
    h.sync().await;

    let summary = h.drain().await;

    assert_eq!(summary.succeeded, 30);
    assert!(h.dead_letters().await.is_empty());
    let evening = h.item_ids("2026-04-29").await;
    assert!(evening.len() >= 5, "{evening:?}");
    let objects = h.objects().await;
    assert!(objects.iter().all(|k| k.starts_with("media/")));
    assert_eq!(
        objects
            .iter()
            .filter(|k| k.ends_with("/original.jpg"))
            .count(),
        9,
        "nine distinct photos, each stored once"
    );
    let item = &h.items("2026-04-29").await[0];
    let widths: Vec<u32> = item.image.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [320, 640, 1080]);
    for v in &item.image.variants {
        assert!(h.stack.bucket.exists(&v.key).await.unwrap(), "{}", v.key);
    }
}

#[tokio::test]
async fn a_post_late_in_utc_is_filed_under_its_local_evening() {
    let h = harness(account(vec![post(
        "1001",
        MediaRef::Photo("square-coffee.jpg"),
    )]))
    .await;
    h.sync().await;

    h.drain().await;

    assert_eq!(h.item_ids("2026-04-29").await, ["ig:1001"]);
    assert!(h.item_ids("2026-04-30").await.is_empty());
    assert_eq!(h.record("1001").await.state, MediaState::Mirrored);
}

#[tokio::test]
async fn a_carousel_gives_one_item_per_child_photo_and_a_video_its_cover() {
    let child = |id: &str, t: &str, media, thumbnail| ChildPost {
        id: id.into(),
        media_type: t.into(),
        media,
        thumbnail,
    };
    let carousel = Post {
        media_type: "CAROUSEL_ALBUM".into(),
        media: MediaRef::Missing,
        children: vec![
            child(
                "2002",
                "IMAGE",
                MediaRef::Photo("portrait-hubble.jpg"),
                None,
            ),
            child(
                "2003",
                "VIDEO",
                MediaRef::NotAnImage,
                Some(MediaRef::Photo("portrait-rocket.jpg")),
            ),
        ],
        ..post("2001", MediaRef::Missing)
    };
    let video = Post {
        media_type: "VIDEO".into(),
        thumbnail: Some(MediaRef::Photo("landscape-rocket.jpg")),
        ..post("3001", MediaRef::NotAnImage)
    };
    let withheld = Post {
        thumbnail: Some(MediaRef::Photo("square-astronaut.jpg")),
        ..post("4001", MediaRef::Missing)
    };
    let h = harness(account(vec![carousel, video, withheld])).await;
    h.sync().await;

    h.drain().await;

    let mut ids = h.item_ids("2026-04-29").await;
    ids.sort();
    assert_eq!(ids, ["ig:2002", "ig:2003", "ig:3001", "ig:4001"]);
    let items = h.items("2026-04-29").await;
    let cover = items
        .iter()
        .find(|i| i.id.to_string() == "ig:3001")
        .unwrap();
    assert_eq!(
        (cover.image.width, cover.image.height),
        (1080, 566),
        "the video's cover photo"
    );
    let child = items
        .iter()
        .find(|i| i.id.to_string() == "ig:2002")
        .unwrap();
    assert_eq!(
        child.permalink.as_deref(),
        Some("https://www.instagram.com/p/2001/"),
        "the album's permalink"
    );
}

#[tokio::test]
async fn the_same_message_three_times_leaves_the_same_objects_and_items() {
    let h = harness(account(vec![post(
        "5001",
        MediaRef::Photo("portrait-coffee.jpg"),
    )]))
    .await;
    h.sync().await;
    h.drain().await;
    let (objects, items) = (h.objects().await, h.items("2026-04-29").await);
    let body = h.record("5001").await;

    let message = MirrorMessage {
        v: 1,
        media_id: body.media_id.clone(),
        media_type: galleon_common::domain::MediaType::Image,
        event_ids: vec!["2026-04-29".parse().unwrap()],
        caption: Some("post 5001".into()),
        permalink: Some("https://www.instagram.com/p/5001/".into()),
        timestamp: body.taken_at,
        links: galleon_common::domain::Links {
            media_url: None,
            thumbnail_url: None,
        },
        children: Vec::new(),
    };
    for _ in 0..3 {
        h.stack.queue.send(&message.to_body()).await.unwrap();
    }
    let summary = h.drain().await;

    assert_eq!(summary.succeeded, 3);
    assert_eq!(h.objects().await, objects);
    assert_eq!(h.items("2026-04-29").await, items);
}

#[tokio::test]
async fn a_fresh_replay_of_one_message_three_times_stores_each_object_once() {
    let h = harness(account(vec![post(
        "5101",
        MediaRef::Photo("portrait-retina.jpg"),
    )]))
    .await;
    h.sync().await;
    let body = h.take_one().await;
    for _ in 0..3 {
        h.stack.queue.send(&body).await.unwrap();
    }

    h.drain().await;

    let objects = h.objects().await;
    assert_eq!(
        objects.len(),
        4,
        "the original and three variants: {objects:?}"
    );
    assert_eq!(h.item_ids("2026-04-29").await, ["ig:5101"]);
}

#[tokio::test]
async fn an_expired_link_is_read_again_by_id() {
    let h = harness(account(vec![post(
        "6001",
        MediaRef::Photo("portrait-chelsea.jpg"),
    )]))
    .await;
    h.sync().await;
    h.fixture.fail(Failure::ExpireLinks);
    let before = h.fixture.requests();

    let summary = h.drain().await;

    assert_eq!(summary.succeeded, 1);
    assert_eq!(summary.failed_attempts, 0);
    assert_eq!(
        h.fixture.requests() - before,
        1,
        "one read by id for the fresh link"
    );
    assert_eq!(h.record("6001").await.state, MediaState::Mirrored);
}

/// Sends `posts` through a tick and a drain; each must end in the DLQ with
/// a recorded reason containing `reason`, and nothing stored for it.
async fn refused(posts: Vec<Post>, reason: &str) -> Harness {
    let ids: Vec<String> = posts.iter().map(|p| p.id.clone()).collect();
    let h = harness(account(posts)).await;
    h.sync().await;

    let summary = h.drain().await;

    assert_eq!(summary.succeeded, 0);
    assert_eq!(
        summary.failed_attempts as usize,
        ids.len() * local::MAX_RECEIVE_COUNT as usize
    );
    let dead = h.dead_letters().await;
    assert_eq!(dead.len(), ids.len());
    for id in &ids {
        let record = h.record(id).await;
        assert_eq!(record.state, MediaState::Failed);
        let why = record.failure.unwrap_or_default();
        assert!(why.contains(reason), "{why:?} should mention {reason:?}");
    }
    assert!(h.objects().await.is_empty());
    assert!(h.item_ids("2026-04-29").await.is_empty());
    h
}

#[tokio::test]
async fn links_to_hosts_off_the_list_are_refused_without_a_request() {
    let posts = vec![
        post("7001", MediaRef::Url("https://evil.example/a.jpg".into())),
        post(
            "7002",
            MediaRef::Url("http://169.254.169.254/latest/meta-data/".into()),
        ),
        post(
            "7003",
            MediaRef::Url("https://169.254.169.254/latest/meta-data/".into()),
        ),
    ];
    let h = refused(posts, "not an allowed media host").await;
    assert_eq!(h.fixture.cdn_requests(), 0);
}

#[tokio::test]
async fn a_redirect_to_the_metadata_service_is_refused() {
    let posts = vec![post(
        "7101",
        MediaRef::Redirect("http://169.254.169.254/latest/meta-data/".into()),
    )];
    refused(posts, "not an allowed media host").await;
}

#[tokio::test]
async fn bytes_that_are_not_an_image_are_refused() {
    refused(vec![post("7201", MediaRef::NotAnImage)], "not").await;
}

#[tokio::test]
async fn a_png_that_declares_30000_by_30000_is_refused_before_decoding() {
    refused(vec![post("7301", MediaRef::Bomb)], "30000").await;
}

#[tokio::test]
async fn a_post_of_an_unknown_media_type_is_recorded() {
    refused(
        vec![Post {
            media_type: "HOLOGRAM".into(),
            ..post("7401", MediaRef::Photo("square-coffee.jpg"))
        }],
        "HOLOGRAM",
    )
    .await;
}

#[tokio::test]
async fn a_post_with_no_link_at_all_is_recorded() {
    refused(
        vec![post("7501", MediaRef::Missing)],
        "no media_url or thumbnail_url",
    )
    .await;
}

#[tokio::test]
async fn a_truncated_download_is_retried_and_stores_nothing() {
    let h = harness(account(vec![post("7601", MediaRef::Truncated)])).await;
    h.sync().await;

    let summary = h.drain().await;

    assert_eq!(summary.succeeded, 0);
    assert_eq!(
        h.dead_letters().await.len(),
        1,
        "ends in the dead-letter queue"
    );
    assert!(h.objects().await.is_empty());
    let record = h
        .stack
        .table
        .get_media(&"7601".parse().unwrap())
        .await
        .unwrap();
    assert!(
        record.is_none(),
        "a transient failure records no reason: {record:?}"
    );
}

#[tokio::test]
async fn a_batch_answer_names_exactly_the_messages_that_failed() {
    let h = harness(account(vec![post(
        "8001",
        MediaRef::Photo("square-coffee.jpg"),
    )]))
    .await;
    h.sync().await;
    let good = h.take_one().await;
    let message = |id: &str, body: &str| {
        let mut m = SqsMessage::default();
        m.message_id = Some(id.into());
        m.body = Some(body.into());
        m
    };
    let mut event = SqsEvent::default();
    event.records = vec![
        message("a", &good),
        message("b", "{\"v\":1,\"media_id\":\"../../x\"}"),
        message("c", "not json"),
        message("d", &good),
    ];

    let response = handle_batch(&h.ctx, event).await;

    let failed: Vec<&str> = response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failed, ["b", "c"]);
    assert_eq!(h.item_ids("2026-04-29").await, ["ig:8001"]);
}

#[tokio::test]
async fn a_malformed_message_ends_in_the_dead_letter_queue_and_touches_nothing() {
    let h = harness(Account::empty()).await;
    h.stack
        .queue
        .send("{\"v\":1,\"media_id\":\"1\"")
        .await
        .unwrap();

    let summary = h.drain().await;

    assert_eq!(summary.failed_attempts, local::MAX_RECEIVE_COUNT);
    let dead = h.stack.dlq.receive(10, Duration::ZERO).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert!(h.objects().await.is_empty());
}

#[tokio::test]
async fn a_post_is_filed_under_every_named_event_whose_window_holds_it() {
    let h = harness(account(vec![post(
        "9001",
        MediaRef::Photo("square-coffee.jpg"),
    )]))
    .await;
    let tz = TZ.parse().unwrap();
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap();
    let cruise = galleon_common::domain::Event::named(
        "sunset-cruise".parse().unwrap(),
        "Sunset cruise",
        at("2026-04-29T18:00:00-04:00"),
        at("2026-04-30T01:00:00-04:00"),
        tz,
    )
    .unwrap();
    let week = galleon_common::domain::Event::named(
        "regatta-week".parse().unwrap(),
        "Regatta week",
        at("2026-04-27T00:00:00-04:00"),
        at("2026-05-04T00:00:00-04:00"),
        tz,
    )
    .unwrap();
    h.stack.table.put_event(&cruise).await.unwrap();
    h.stack.table.put_event(&week).await.unwrap();
    h.sync().await;

    h.drain().await;

    for event in ["2026-04-29", "sunset-cruise", "regatta-week"] {
        assert_eq!(h.item_ids(event).await, ["ig:9001"], "{event}");
    }
}
