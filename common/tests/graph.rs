//! The Graph client against the fixture Instagram over real HTTP: paging,
//! every error kind, fresh links, token calls, and the rule that the token
//! never shows in an error. Each test starts its own fixture.

use std::collections::BTreeSet;
use std::time::Duration;

use galleon_common::domain::{MediaId, MediaType};
use galleon_common::graph::{
    AccessToken, GraphClient, GraphError, GraphMedia, MediaPage, PageCursor, RetryPolicy,
};
use galleon_fixture::{Account, Failure, Fixture, MediaRef, Post};
use url::Url;

/// Retries in milliseconds, so that no test sleeps for long.
const FAST: RetryPolicy = RetryPolicy {
    max_attempts: 3,
    base_delay: Duration::from_millis(1),
    max_delay: Duration::from_millis(5),
};

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("http client")
}

fn client_with_token(fixture: &Fixture, token: &str) -> GraphClient {
    let base = Url::parse(&fixture.base_url()).expect("fixture base url");
    GraphClient::new(http(), base, AccessToken::new(token)).with_retry(FAST)
}

fn client(fixture: &Fixture) -> GraphClient {
    client_with_token(fixture, fixture.token())
}

async fn demo() -> Fixture {
    Fixture::start(Account::demo())
        .await
        .expect("fixture starts")
}

/// Walks every page from the first, as ingest does.
async fn all_pages(graph: &GraphClient, user_id: &str) -> Vec<MediaPage> {
    let mut pages = Vec::new();
    let mut next: Option<PageCursor> = None;
    loop {
        let page = graph
            .media_page(user_id, next.as_ref(), 50)
            .await
            .expect("page");
        next = page.next.clone();
        pages.push(page);
        if next.is_none() {
            return pages;
        }
    }
}

async fn first_page(fixture: &Fixture) -> MediaPage {
    client(fixture)
        .media_page(fixture.user_id(), None, 12)
        .await
        .expect("first page")
}

fn first_photo(page: &MediaPage) -> &GraphMedia {
    page.items
        .iter()
        .find(|m| m.media_type == MediaType::Image && m.links.media_url.is_some())
        .expect("an image with a media_url")
}

#[tokio::test]
async fn every_page_of_the_demo_lists_with_carousel_children_in_one_call_per_page() {
    let fixture = demo().await;

    let pages = all_pages(&client(&fixture), fixture.user_id()).await;

    assert_eq!(pages.len(), 3);
    assert_eq!(fixture.requests(), 3, "one request per page, none per item");
    let items: Vec<&GraphMedia> = pages.iter().flat_map(|p| &p.items).collect();
    assert_eq!(items.len(), 30);
    assert!(
        items.windows(2).all(|w| w[0].timestamp > w[1].timestamp),
        "newest first"
    );
    let albums: Vec<usize> = items
        .iter()
        .filter(|m| m.media_type == MediaType::CarouselAlbum)
        .map(|m| m.children.len())
        .collect();
    assert_eq!(albums, vec![3, 2]);
    assert!(
        pages.iter().all(|p| p.usage.is_some()),
        "usage headers are read"
    );
}

#[tokio::test]
async fn the_demo_carries_a_video_and_a_withheld_media_url() {
    let fixture = demo().await;

    let pages = all_pages(&client(&fixture), "me").await;

    let items: Vec<&GraphMedia> = pages.iter().flat_map(|p| &p.items).collect();
    let video = items
        .iter()
        .find(|m| m.media_type == MediaType::Video)
        .expect("a video");
    assert!(
        video
            .links
            .media_url
            .as_deref()
            .is_some_and(|u| u.contains(".mp4"))
    );
    assert!(video.links.thumbnail_url.is_some());
    assert!(
        items
            .iter()
            .any(|m| m.links.media_url.is_none() && m.links.thumbnail_url.is_some())
    );
    let late = "2026-04-30T02:30:00Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .expect("time");
    assert!(items.iter().any(|m| m.timestamp == late));
}

#[tokio::test]
async fn the_next_cursor_carries_no_token() {
    let fixture = demo().await;

    let page = first_page(&fixture).await;

    let cursor = page.next.expect("a second page");
    let shown = format!("{cursor} {cursor:?} {}", cursor.url());
    assert!(!shown.contains(fixture.token()), "{shown}");
    assert!(cursor.url().query().is_some_and(|q| q.contains("after=")));
}

#[tokio::test]
async fn a_wrong_token_is_token_invalid_with_subcode_467() {
    let fixture = demo().await;

    let err = client_with_token(&fixture, "IGnot-the-right-one")
        .media_page(fixture.user_id(), None, 12)
        .await
        .unwrap_err();

    assert!(
        matches!(
            err,
            GraphError::TokenInvalid {
                subcode: Some(467),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(fixture.requests(), 1, "never retried");
}

#[tokio::test]
async fn a_changed_password_is_token_invalid_with_subcode_460() {
    let fixture = demo().await;
    fixture.fail(Failure::Token190 { subcode: 460 });

    let err = client(&fixture).me().await.unwrap_err();

    assert!(
        matches!(
            err,
            GraphError::TokenInvalid {
                subcode: Some(460),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.kind(), "token_invalid");
}

#[tokio::test]
async fn a_throttle_gives_the_wait_from_the_usage_header() {
    let fixture = demo().await;
    fixture.fail(Failure::Throttle {
        code: 4,
        minutes: 7,
    });

    let err = client(&fixture)
        .media_page(fixture.user_id(), None, 12)
        .await
        .unwrap_err();

    match err {
        GraphError::Throttled {
            code,
            retry_after,
            usage,
        } => {
            assert_eq!(code, 4);
            assert_eq!(retry_after, Some(Duration::from_secs(7 * 60)));
            assert_eq!(usage.map(|u| u.minutes_to_regain_access), Some(7));
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert_eq!(fixture.requests(), 1, "a throttle is not retried");
}

#[tokio::test]
async fn http_429_is_throttled_with_the_retry_after_header() {
    let fixture = demo().await;
    fixture.fail(Failure::Http429);

    let err = client(&fixture)
        .media_count(fixture.user_id())
        .await
        .unwrap_err();

    assert!(
        matches!(err, GraphError::Throttled { code: 429, retry_after: Some(d), .. }
            if d == Duration::from_secs(60)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_temporary_error_twice_then_success_succeeds_on_the_third_request() {
    let fixture = demo().await;
    fixture.fail_times(Failure::Transient { code: 1 }, 2);

    let page = client(&fixture)
        .media_page(fixture.user_id(), None, 12)
        .await;

    assert_eq!(page.expect("third attempt succeeds").items.len(), 12);
    assert_eq!(fixture.requests(), 3);
}

#[tokio::test]
async fn a_server_error_that_persists_is_transient_after_max_attempts() {
    let fixture = demo().await;
    fixture.fail(Failure::Http500);
    let policy = RetryPolicy {
        max_attempts: 4,
        ..FAST
    };

    let err = client(&fixture)
        .with_retry(policy)
        .media_count(fixture.user_id())
        .await
        .unwrap_err();

    assert!(
        matches!(err, GraphError::Transient { attempts: 4, .. }),
        "{err:?}"
    );
    assert_eq!(fixture.requests(), 4);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_as_transient() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = Url::parse(&format!(
        "http://{}/v23.0",
        silent.local_addr().expect("addr")
    ))
    .expect("url");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("http");
    let policy = RetryPolicy {
        max_attempts: 2,
        ..FAST
    };
    let graph = GraphClient::new(http, base, AccessToken::new("IGsilent")).with_retry(policy);

    let err = graph.me().await.unwrap_err();

    assert!(
        matches!(err, GraphError::Transient { attempts: 2, .. }),
        "{err:?}"
    );
    drop(silent);
}

#[tokio::test]
async fn malformed_json_is_malformed_and_not_retried() {
    let fixture = demo().await;
    fixture.fail(Failure::MalformedJson);

    let err = client(&fixture)
        .media_page(fixture.user_id(), None, 12)
        .await
        .unwrap_err();

    assert!(matches!(err, GraphError::Malformed { .. }), "{err:?}");
    assert_eq!(fixture.requests(), 1);
}

#[tokio::test]
async fn truncated_json_is_malformed() {
    let fixture = demo().await;
    fixture.fail(Failure::TruncatedJson);

    let err = client(&fixture)
        .media_page(fixture.user_id(), None, 12)
        .await
        .unwrap_err();

    assert!(matches!(err, GraphError::Malformed { .. }), "{err:?}");
}

#[tokio::test]
async fn a_listing_without_data_is_malformed() {
    let fixture = demo().await;
    fixture.fail(Failure::MissingData);

    let err = client(&fixture)
        .media_page(fixture.user_id(), None, 12)
        .await
        .unwrap_err();

    assert_eq!(err.kind(), "malformed");
}

#[tokio::test]
async fn an_item_with_a_bad_timestamp_makes_the_page_malformed() {
    let mut account = Account::demo();
    account.posts[0].timestamp = "last tuesday".into();
    let fixture = Fixture::start(account).await.expect("fixture");

    let pages = client(&fixture);
    let mut next = None;
    let mut outcome = Ok(());
    for _ in 0..3 {
        match pages.media_page(fixture.user_id(), next.as_ref(), 12).await {
            Ok(page) => next = page.next,
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }

    assert!(
        matches!(outcome, Err(GraphError::Malformed { .. })),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn an_unknown_media_type_is_kept_not_refused() {
    let mut account = Account::empty();
    account.posts.push(Post {
        id: "17900000000000999".into(),
        media_type: "HOLOGRAM".into(),
        caption: None,
        permalink: None,
        timestamp: "2026-04-30T02:30:00+0000".into(),
        media: MediaRef::Photo("square-coffee.jpg"),
        thumbnail: None,
        children: Vec::new(),
    });
    let fixture = Fixture::start(account).await.expect("fixture");

    let page = first_page(&fixture).await;

    assert_eq!(
        page.items[0].media_type,
        MediaType::Other("HOLOGRAM".into())
    );
}

#[tokio::test]
async fn a_permission_error_is_permission() {
    for code in [10, 200] {
        let fixture = demo().await;
        fixture.fail(Failure::Permission { code });

        let err = client(&fixture)
            .media_page(fixture.user_id(), None, 12)
            .await
            .unwrap_err();

        assert!(
            matches!(err, GraphError::Permission { code: c, .. } if c == code),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_deleted_post_is_not_found_by_id() {
    let fixture = demo().await;
    let gone: MediaId = "17900000000000001".parse().expect("id");

    let err = client(&fixture).media(&gone).await.unwrap_err();

    assert!(matches!(err, GraphError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn an_empty_listing_still_reports_the_media_count() {
    let fixture = demo().await;
    fixture.fail(Failure::EmptyListing);
    let graph = client(&fixture);

    let page = graph
        .media_page(fixture.user_id(), None, 12)
        .await
        .expect("page");
    let count = graph.media_count(fixture.user_id()).await.expect("count");

    assert!(page.items.is_empty() && page.next.is_none());
    assert_eq!(count, 30);
}

#[tokio::test]
async fn an_expired_link_is_refreshed_by_id() {
    let fixture = demo().await;
    let page = first_page(&fixture).await;
    let post = first_photo(&page);
    let stale = post.links.media_url.clone().expect("media url");
    fixture.fail(Failure::ExpireLinks);

    let refused = http().get(&stale).send().await.expect("cdn answers");
    let fresh = client(&fixture).media(&post.id).await.expect("fresh read");
    let fresh_url = fresh.links.media_url.expect("fresh media url");
    let photo = http().get(&fresh_url).send().await.expect("cdn answers");

    assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("URL signature expired")
    );
    assert_ne!(fresh_url, stale);
    assert!(photo.status().is_success());
    let bytes = photo.bytes().await.expect("photo bytes");
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert!(fixture.cdn_requests() >= 2);
}

#[tokio::test]
async fn a_carousel_read_by_id_carries_its_children() {
    let fixture = demo().await;
    let pages = all_pages(&client(&fixture), fixture.user_id()).await;
    let album = pages
        .iter()
        .flat_map(|p| &p.items)
        .find(|m| m.media_type == MediaType::CarouselAlbum)
        .expect("a carousel");

    let read = client(&fixture)
        .media(&album.id)
        .await
        .expect("album by id");
    let child = client(&fixture)
        .media(&album.children[0].id)
        .await
        .expect("child by id");

    assert_eq!(read.children.len(), album.children.len());
    assert_eq!(child.id, album.children[0].id);
    assert!(child.links.media_url.is_some());
}

#[tokio::test]
async fn media_count_counts_the_demo_posts() {
    let fixture = demo().await;

    let count = client(&fixture).media_count(fixture.user_id()).await;

    assert_eq!(count.expect("count"), 30);
}

#[tokio::test]
async fn me_names_the_account_behind_the_token() {
    let fixture = demo().await;

    let me = client(&fixture).me().await.expect("me");

    assert_eq!(me.user_id, fixture.user_id());
    assert!(me.username.is_some());
}

#[tokio::test]
async fn refresh_token_returns_a_new_token_that_works() {
    let fixture = demo().await;

    let issued = client(&fixture).refresh_token().await.expect("refresh");

    assert_ne!(issued.token.expose(), fixture.token());
    assert_eq!(issued.expires_in, Some(5_184_000));
    let renewed = client_with_token(&fixture, issued.token.expose());
    assert_eq!(
        renewed.me().await.expect("me with the new token").user_id,
        fixture.user_id()
    );
}

#[tokio::test]
async fn exchange_token_returns_a_long_lived_token() {
    let fixture = demo().await;

    let issued = client(&fixture)
        .exchange_token("app-secret")
        .await
        .expect("exchange");

    assert_ne!(issued.token.expose(), fixture.token());
    assert_eq!(issued.expires_in, Some(5_184_000));
}

/// One error of every kind, each provoked for real, for the leak check.
async fn one_error_of_each_kind(fixture: &Fixture) -> Vec<GraphError> {
    let graph = client(fixture);
    let user = fixture.user_id();
    let mut errors = Vec::new();

    fixture.fail_times(Failure::Token190 { subcode: 463 }, 1);
    errors.extend(graph.refresh_token().await.err());
    fixture.fail_times(
        Failure::Throttle {
            code: 80002,
            minutes: 2,
        },
        1,
    );
    errors.extend(graph.media_page(user, None, 12).await.err());
    fixture.fail_times(Failure::Permission { code: 10 }, 1);
    errors.extend(graph.me().await.err());
    fixture.fail(Failure::Http500);
    errors.extend(graph.media_count(user).await.err());
    fixture.fail_times(Failure::TruncatedJson, 1);
    errors.extend(graph.exchange_token("app-secret").await.err());
    fixture.reset();
    // The server echoes the unknown id it was asked for: here, the token.
    errors.extend(graph.media_count(fixture.token()).await.err());
    errors.extend(graph.exchange_token("").await.err());
    errors
}

#[tokio::test]
async fn the_token_never_appears_in_any_error() {
    let fixture = demo().await;
    let mut errors = one_error_of_each_kind(&fixture).await;
    let dead_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let base = Url::parse(&format!("http://127.0.0.1:{dead_port}/v23.0")).expect("url");
    let unreachable =
        GraphClient::new(http(), base, AccessToken::new(fixture.token())).with_retry(FAST);
    errors.extend(unreachable.refresh_token().await.err());
    errors.extend(
        client_with_token(&fixture, "IGwrong-token-value")
            .me()
            .await
            .err(),
    );

    let kinds: BTreeSet<&str> = errors.iter().map(GraphError::kind).collect();
    let all = [
        "api",
        "malformed",
        "not_found",
        "permission",
        "throttled",
        "token_invalid",
        "transient",
    ];
    assert_eq!(kinds, all.into_iter().collect::<BTreeSet<_>>());
    assert!(
        errors.iter().any(|e| e.to_string().contains("<redacted>")),
        "the echo was scrubbed"
    );
    for err in &errors {
        let shown = format!("{err} | {err:?}");
        assert!(!shown.contains(fixture.token()), "token leaked: {shown}");
        assert!(
            !shown.contains("IGwrong-token-value"),
            "token leaked: {shown}"
        );
        assert!(
            !shown.contains("app-secret"),
            "client secret leaked: {shown}"
        );
    }
}
