//! `galleon` as the operator runs it: the binary, its exit code and its
//! output, against the fixture Instagram and the local AWS emulator
//! (`AWS_ENDPOINT_URL`, started by `scripts/test.sh`). Each test starts
//! its own fixture and names its own resources.

use assert_cmd::Command;
use galleon_common::domain::{EventId, MediaId, MediaState};
use galleon_common::local::{self, Names, Stack};
use galleon_common::store::Aws;
use galleon_fixture::{Account, Fixture, MediaRef, Post};

struct Harness {
    fixture: Fixture,
    stack: Stack,
    names: Names,
}

async fn harness(account: Account) -> Harness {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: run the tests through scripts/test.sh"
    );
    let fixture = Fixture::start(account).await.expect("fixture");
    let names = Names::unique("cli");
    let stack = local::init(&Aws::from_env().await, &names)
        .await
        .expect("stack");
    Harness {
        fixture,
        stack,
        names,
    }
}

impl Harness {
    /// `galleon ARGS` with this test's configuration, run to completion.
    async fn galleon(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::cargo_bin("galleon").unwrap();
        cmd.args(args)
            .env("GALLEON_TABLE", &self.names.table)
            .env("GALLEON_BUCKET", &self.names.bucket)
            .env("GALLEON_QUEUE_URL", self.stack.queue.url())
            .env("GALLEON_DLQ_URL", self.stack.dlq.url())
            .env("GALLEON_TIMEZONE", "America/New_York")
            .env("GALLEON_MEDIA_HOSTS", "cdninstagram.com,127.0.0.1")
            .env("IG_USER_ID", self.fixture.user_id())
            .env("IG_ACCESS_TOKEN", self.fixture.token())
            .env("IG_API_BASE", self.fixture.base_url())
            .env("RUST_LOG", "warn");
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    }

    async fn ok(&self, args: &[&str]) -> String {
        let out = self.galleon(args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "galleon {args:?} failed: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    }

    async fn items(&self, event: &str) -> Vec<String> {
        let id: EventId = event.parse().unwrap();
        let items = self.stack.table.all_items(&id).await.unwrap();
        items.iter().map(|i| i.id.to_string()).collect()
    }
}

fn post(id: &str, timestamp: &str, media: MediaRef) -> Post {
    Post {
        id: id.into(),
        media_type: "IMAGE".into(),
        caption: None,
        permalink: Some(format!("https://www.instagram.com/p/{id}/")),
        timestamp: timestamp.into(),
        media,
        thumbnail: None,
        children: Vec::new(),
    }
}

#[tokio::test]
async fn sync_then_drain_mirrors_the_account_and_says_so() {
    let posts = vec![
        post(
            "101",
            "2026-04-29T23:00:00+0000",
            MediaRef::Photo("square-coffee.jpg"),
        ),
        post(
            "102",
            "2026-04-30T01:00:00+0000",
            MediaRef::Photo("portrait-rocket.jpg"),
        ),
    ];
    let h = harness(Account {
        posts,
        ..Account::empty()
    })
    .await;

    let synced = h.ok(&["sync"]).await;
    let drained = h.ok(&["mirror", "--drain", "--backoff-ms", "0"]).await;

    assert!(synced.contains("2 enqueued"), "{synced}");
    assert!(drained.contains("2 messages mirrored"), "{drained}");
    assert_eq!(h.items("2026-04-29").await.len(), 2);
}

#[tokio::test]
async fn putting_and_moving_an_event_refiles_the_posts_already_mirrored() {
    let posts = vec![
        post(
            "201",
            "2026-04-29T23:00:00+0000",
            MediaRef::Photo("square-coffee.jpg"),
        ),
        post(
            "202",
            "2026-04-30T03:30:00+0000",
            MediaRef::Photo("portrait-rocket.jpg"),
        ),
    ];
    let h = harness(Account {
        posts,
        ..Account::empty()
    })
    .await;
    h.ok(&["sync"]).await;
    h.ok(&["mirror", "--drain", "--backoff-ms", "0"]).await;

    let put = h
        .ok(&[
            "events",
            "put",
            "cruise",
            "--title",
            "Cruise",
            "--start",
            "2026-04-29T18:00:00-04:00",
            "--end",
            "2026-04-29T23:59:00-04:00",
        ])
        .await;
    assert!(put.contains("2 posts filed"), "{put}");
    let mut filed = h.items("cruise").await;
    filed.sort();
    assert_eq!(filed, ["ig:201", "ig:202"]);

    let moved = h
        .ok(&[
            "events",
            "put",
            "cruise",
            "--title",
            "Cruise",
            "--start",
            "2026-04-29T18:00:00-04:00",
            "--end",
            "2026-04-29T21:00:00-04:00",
        ])
        .await;
    assert!(moved.contains("1 posts filed, 1 removed"), "{moved}");
    assert_eq!(h.items("cruise").await, ["ig:201"]);

    let listed = h.ok(&["events", "list"]).await;
    assert!(
        listed.starts_with("cruise\tCruise\t2026-04-29T18:00:00-04:00"),
        "{listed}"
    );

    h.ok(&["events", "remove", "cruise"]).await;
    assert!(h.items("cruise").await.is_empty());
    assert_eq!(
        h.items("2026-04-29").await.len(),
        2,
        "the date event keeps its posts"
    );
}

#[tokio::test]
async fn a_malformed_event_is_refused_in_one_line() {
    let h = harness(Account::empty()).await;

    for args in [
        &[
            "events",
            "put",
            "../etc",
            "--title",
            "x",
            "--start",
            "2026-04-29T18:00:00Z",
            "--end",
            "2026-04-29T19:00:00Z",
        ][..],
        &[
            "events",
            "put",
            "ok",
            "--title",
            "x",
            "--start",
            "2026-04-29T18:00:00Z",
            "--end",
            "2026-04-29T17:00:00Z",
        ][..],
        &[
            "events",
            "put",
            "ok",
            "--title",
            "x",
            "--start",
            "yesterday",
            "--end",
            "2026-04-29T19:00:00Z",
        ][..],
        &["events", "remove", "no-such-event"][..],
    ] {
        let out = h.galleon(args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(!stderr.trim().is_empty(), "{args:?} said nothing");
    }
    assert!(h.stack.table.list_events().await.unwrap().is_empty());
}

#[tokio::test]
async fn replay_brings_dead_letters_back_and_only_picks_one_post() {
    let posts = vec![
        post("301", "2026-04-29T23:00:00+0000", MediaRef::NotAnImage),
        post("302", "2026-04-29T23:30:00+0000", MediaRef::NotAnImage),
    ];
    let h = harness(Account {
        posts,
        ..Account::empty()
    })
    .await;
    h.ok(&["sync"]).await;
    let drained = h.ok(&["mirror", "--drain", "--backoff-ms", "0"]).await;
    assert!(drained.contains("2 in the dead-letter queue"), "{drained}");

    // The post is fixed at the source; one replay brings it back alone.
    let mut account = h.fixture.account();
    account.posts[0].media = MediaRef::Photo("square-coffee.jpg");
    h.fixture.set_account(account);
    let replayed = h.ok(&["replay", "--only", "301"]).await;
    assert!(replayed.contains("1 messages moved"), "{replayed}");
    assert_eq!(h.stack.dlq.depth().await.unwrap().visible, 1);

    // The message still carries the old link; the mirror has to read the post again.
    h.fixture.fail(galleon_fixture::Failure::ExpireLinks);
    h.ok(&["mirror", "--drain", "--backoff-ms", "0"]).await;
    let id: MediaId = "301".parse().unwrap();
    let record = h.stack.table.get_media(&id).await.unwrap().unwrap();
    assert_eq!(record.state, MediaState::Mirrored);

    let all = h.ok(&["replay"]).await;
    assert!(all.contains("1 messages moved"), "{all}");
    assert_eq!(h.stack.dlq.depth().await.unwrap().visible, 0);
    assert_eq!(h.stack.queue.depth().await.unwrap().visible, 1);
}

#[tokio::test]
async fn token_inspect_names_the_account_and_never_the_token() {
    let h = harness(Account::empty()).await;

    let out = h.ok(&["token", "inspect"]).await;

    assert!(out.contains(h.fixture.user_id()), "{out}");
    assert!(!out.contains(h.fixture.token()));
}

#[tokio::test]
async fn a_missing_variable_is_named() {
    let out = Command::cargo_bin("galleon")
        .unwrap()
        .arg("status")
        .env_remove("GALLEON_TABLE")
        .output()
        .unwrap();

    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("GALLEON_TABLE is required but not set"),
        "{stderr}"
    );
}
