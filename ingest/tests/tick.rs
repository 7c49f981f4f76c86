//! Ingest ticks against the fixture Instagram and the local AWS emulator
//! (`AWS_ENDPOINT_URL`, started by `scripts/test.sh`). Each test starts its
//! own fixture and creates its own table and queues.

use std::time::Duration;

use galleon_common::domain::MirrorMessage;
use galleon_common::graph::{AccessToken, GraphClient, GraphError, RetryPolicy};
use galleon_common::local::{self, Names, Stack};
use galleon_common::store::{Aws, Queue};
use galleon_fixture::{Account, Failure, Fixture, MediaRef, Post};
use galleon_ingest::{Context, TickError, TickOptions, tick};

struct Harness {
    fixture: Fixture,
    stack: Stack,
    ctx: Context,
}

async fn harness(account: Account) -> Harness {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: run the tests through scripts/test.sh"
    );
    let fixture = Fixture::start(account).await.expect("fixture");
    let aws = Aws::from_env().await;
    let stack = local::init(&aws, &Names::unique("ingest"))
        .await
        .expect("stack");
    let graph = GraphClient::new(
        galleon_ingest::http_client().unwrap(),
        fixture.base_url().parse().unwrap(),
        AccessToken::new(fixture.token()),
    )
    .with_retry(RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    });
    let ctx = Context {
        table: stack.table.clone(),
        queue: stack.queue.clone(),
        graph,
        user_id: fixture.user_id().to_owned(),
        timezone: "America/New_York".parse().unwrap(),
    };
    Harness {
        fixture,
        stack,
        ctx,
    }
}

/// Every message on the queue, removed from it.
async fn take_all(queue: &Queue) -> Vec<MirrorMessage> {
    let mut out = Vec::new();
    loop {
        let batch = queue.receive(10, Duration::ZERO).await.unwrap();
        if batch.is_empty() {
            return out;
        }
        let receipts: Vec<&str> = batch.iter().map(|m| m.receipt_handle.as_str()).collect();
        queue.delete_all(&receipts).await.unwrap();
        out.extend(batch.iter().map(|m| MirrorMessage::parse(&m.body).unwrap()));
    }
}

fn post(id: &str, timestamp: &str) -> Post {
    Post {
        id: id.into(),
        media_type: "IMAGE".into(),
        caption: Some(format!("post {id}")),
        permalink: Some(format!("https://www.instagram.com/p/{id}/")),
        timestamp: timestamp.into(),
        media: MediaRef::Photo("square-coffee.jpg"),
        thumbnail: None,
        children: Vec::new(),
    }
}

#[tokio::test]
async fn the_first_tick_backfills_every_post_with_children_in_the_listing() {
    let h = harness(Account::demo()).await;

    let summary = tick(&h.ctx, TickOptions::default()).await.unwrap();

    assert_eq!(
        (summary.pages, summary.posts_seen, summary.enqueued),
        (3, 30, 30)
    );
    assert_eq!(
        h.fixture.requests(),
        3,
        "one call per page, none per carousel"
    );
    let messages = take_all(&h.stack.queue).await;
    assert_eq!(messages.len(), 30);
    let carousels: Vec<_> = messages.iter().filter(|m| !m.children.is_empty()).collect();
    assert_eq!(carousels.len(), 2);
    let late = messages
        .iter()
        .find(|m| m.timestamp.to_rfc3339() == "2026-04-30T02:30:00+00:00")
        .unwrap();
    assert_eq!(late.event_ids[0].to_string(), "2026-04-29");
}

#[tokio::test]
async fn a_tick_that_finds_nothing_new_costs_one_graph_call_and_sends_nothing() {
    let h = harness(Account::demo()).await;
    tick(&h.ctx, TickOptions::default()).await.unwrap();
    take_all(&h.stack.queue).await;
    let before = h.fixture.requests();

    let summary = tick(&h.ctx, TickOptions::default()).await.unwrap();

    assert_eq!(h.fixture.requests() - before, 1);
    assert_eq!(summary.enqueued, 0);
    assert!(take_all(&h.stack.queue).await.is_empty());
}

#[tokio::test]
async fn a_new_post_is_sent_on_the_next_tick() {
    let h = harness(Account::demo()).await;
    tick(&h.ctx, TickOptions::default()).await.unwrap();
    take_all(&h.stack.queue).await;
    let mut account = h.fixture.account();
    account
        .posts
        .push(post("17900000000000001", "2026-05-01T01:00:00+0000"));
    h.fixture.set_account(account);

    let summary = tick(&h.ctx, TickOptions::default()).await.unwrap();

    let sent = take_all(&h.stack.queue).await;
    assert_eq!(summary.enqueued, 1);
    assert_eq!(sent[0].media_id.as_str(), "17900000000000001");
}

#[tokio::test]
async fn a_tick_whose_messages_are_refused_loses_nothing() {
    let mut h = harness(Account::demo()).await;
    let real = h.ctx.queue.clone();
    let sqs = Aws::from_env().await.sqs;
    h.ctx.queue = Queue::new(sqs, format!("{}-missing", real.url()));

    let failed = tick(&h.ctx, TickOptions::default()).await;
    assert!(matches!(failed, Err(TickError::Send(_))), "{failed:?}");
    assert!(
        h.stack
            .table
            .get_sync(h.fixture.user_id())
            .await
            .unwrap()
            .is_none()
    );

    h.ctx.queue = real;
    let summary = tick(&h.ctx, TickOptions::default()).await.unwrap();
    assert_eq!(summary.enqueued, 30);
}

#[tokio::test]
async fn token_error_190_fails_the_tick_and_keeps_the_state() {
    let h = harness(Account::demo()).await;
    h.fixture.fail(Failure::Token190 { subcode: 460 });

    let err = tick(&h.ctx, TickOptions::default()).await.unwrap_err();

    assert_eq!(err.kind(), "token_invalid");
    assert!(matches!(
        err,
        TickError::Graph(GraphError::TokenInvalid {
            subcode: Some(460),
            ..
        })
    ));
    assert!(!format!("{err:?}{err}").contains(h.fixture.token()));
    assert!(
        h.stack
            .table
            .get_sync(h.fixture.user_id())
            .await
            .unwrap()
            .is_none()
    );
    assert!(take_all(&h.stack.queue).await.is_empty());
}

#[tokio::test]
async fn a_throttle_answer_stops_the_tick_with_the_wait() {
    let h = harness(Account::demo()).await;
    h.fixture.fail(Failure::Throttle {
        code: 4,
        minutes: 7,
    });

    let err = tick(&h.ctx, TickOptions::default()).await.unwrap_err();

    let TickError::Graph(GraphError::Throttled { retry_after, .. }) = err else {
        panic!("{err:?}")
    };
    assert_eq!(retry_after, Some(Duration::from_secs(7 * 60)));
    assert!(take_all(&h.stack.queue).await.is_empty());
}

#[tokio::test]
async fn a_malformed_or_truncated_page_fails_the_tick_and_keeps_what_was_stored() {
    let h = harness(Account::demo()).await;
    tick(&h.ctx, TickOptions::default()).await.unwrap();
    let stored = h
        .stack
        .table
        .get_sync(h.fixture.user_id())
        .await
        .unwrap()
        .unwrap();

    for failure in [
        Failure::MalformedJson,
        Failure::TruncatedJson,
        Failure::MissingData,
    ] {
        h.fixture.fail(failure.clone());
        let err = tick(&h.ctx, TickOptions::default()).await.unwrap_err();
        assert_eq!(err.kind(), "malformed", "{failure:?}");
    }

    let after = h
        .stack
        .table
        .get_sync(h.fixture.user_id())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.newest_seen, stored.newest_seen);
    assert_eq!(
        take_all(&h.stack.queue).await.len(),
        30,
        "only the first tick's messages"
    );
}

#[tokio::test]
async fn an_empty_listing_for_an_account_with_posts_is_the_wrong_scope() {
    let h = harness(Account::demo()).await;
    h.fixture.fail(Failure::EmptyListing);

    let err = tick(&h.ctx, TickOptions::default()).await.unwrap_err();

    assert!(
        matches!(err, TickError::WrongScope { media_count: 30 }),
        "{err:?}"
    );
    assert!(
        h.stack
            .table
            .get_sync(h.fixture.user_id())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_account_with_no_posts_is_an_empty_tick() {
    let h = harness(Account::empty()).await;

    let summary = tick(&h.ctx, TickOptions::default()).await.unwrap();

    assert_eq!((summary.pages, summary.enqueued), (1, 0));
}

#[tokio::test]
async fn a_post_of_an_unknown_type_is_sent_for_the_mirror_to_record() {
    let mut account = Account::empty();
    account.posts.push(Post {
        media_type: "HOLOGRAM".into(),
        ..post("17900000000000002", "2026-04-29T23:00:00+0000")
    });
    let h = harness(account).await;

    tick(&h.ctx, TickOptions::default()).await.unwrap();

    let sent = take_all(&h.stack.queue).await;
    assert_eq!(sent[0].media_type.as_str(), "HOLOGRAM");
}

#[tokio::test]
async fn backfill_sends_everything_again() {
    let h = harness(Account::demo()).await;
    tick(&h.ctx, TickOptions::default()).await.unwrap();
    take_all(&h.stack.queue).await;

    let summary = tick(&h.ctx, TickOptions { backfill: true }).await.unwrap();

    assert_eq!(
        summary.enqueued, 30,
        "nothing is mirrored yet, so all is sent again"
    );
}
