//! `GET /api/events/{event_id}/photos` over HTTP against the local
//! emulator: paging, merging, visibility, validation and caching.

mod support;

use chrono::DateTime;
use chrono_tz::Tz;
use galleon_common::domain::{Event, GuestStatus};
use support::{TestApi, guest, ids, ig};

const DAY: &str = "2026-04-29";

fn named_event(id: &str, hidden: bool) -> Event {
    let start = DateTime::parse_from_rfc3339("2026-04-28T00:00:00+02:00").expect("start");
    let end = DateTime::parse_from_rfc3339("2026-05-01T00:00:00+02:00").expect("end");
    let tz = "Europe/Amsterdam".parse().expect("zone");
    let mut event = Event::named(id.parse().expect("id"), "Spring regatta", start, end, tz)
        .expect("a valid event");
    event.hidden = hidden;
    event
}

#[tokio::test]
async fn pages_follow_cursors_to_the_end_newest_first() {
    let api = TestApi::start().await;
    let items: Vec<_> = (1..=7)
        .map(|n| ig(DAY, &n.to_string(), &format!("2026-04-29T1{n}:00:00Z")))
        .collect();
    api.put(&items).await;

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut path = format!("/api/events/{DAY}/photos?limit=3");
    loop {
        let (status, page) = api.json(&path).await;
        assert_eq!(status, 200, "{page}");
        sizes.push(page["items"].as_array().expect("items").len());
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/events/{DAY}/photos?limit=3&cursor={cursor}"),
            None => break,
        }
    }

    assert_eq!(
        seen,
        ["ig:7", "ig:6", "ig:5", "ig:4", "ig:3", "ig:2", "ig:1"]
    );
    assert_eq!(sizes, [3, 3, 1]);
}

#[tokio::test]
async fn instagram_and_approved_guest_photos_merge_newest_first() {
    let api = TestApi::start().await;
    let mut hidden = ig(DAY, "30", "2026-04-29T21:30:00Z");
    hidden.hidden = true;
    let mut hidden_guest = guest(
        DAY,
        "g-hidden",
        "2026-04-29T21:40:00Z",
        GuestStatus::Approved,
    );
    hidden_guest.hidden = true;
    api.put(&[
        ig(DAY, "10", "2026-04-29T20:00:00Z"),
        guest(
            DAY,
            "g-approved",
            "2026-04-29T20:30:00Z",
            GuestStatus::Approved,
        ),
        guest(
            DAY,
            "g-pending",
            "2026-04-29T20:45:00Z",
            GuestStatus::Pending,
        ),
        ig(DAY, "20", "2026-04-29T21:00:00Z"),
        guest(
            DAY,
            "g-rejected",
            "2026-04-29T21:15:00Z",
            GuestStatus::Rejected,
        ),
        hidden,
        hidden_guest,
        guest(DAY, "g-late", "2026-04-29T23:59:00Z", GuestStatus::Approved),
    ])
    .await;

    let (status, page) = api.json(&format!("/api/events/{DAY}/photos")).await;

    assert_eq!(status, 200);
    assert_eq!(
        ids(&page),
        ["guest:g-late", "ig:20", "guest:g-approved", "ig:10"]
    );
    assert_eq!(page["next_cursor"], serde_json::Value::Null);
}

#[tokio::test]
async fn an_item_has_the_shape_of_the_design() {
    let api = TestApi::start().await;
    let item = ig(DAY, "17895695668004550", "2026-04-29T20:00:00Z");
    let sha = item.image.sha256.to_string();
    api.put(&[
        item,
        guest(DAY, "g1", "2026-04-29T19:00:00Z", GuestStatus::Approved),
    ])
    .await;

    let (_, page) = api.json(&format!("/api/events/{DAY}/photos")).await;

    let expected = serde_json::json!({
        "id": "ig:17895695668004550",
        "source": "instagram",
        "taken_at": "2026-04-29T20:00:00Z",
        "caption": "post 17895695668004550",
        "permalink": "https://www.instagram.com/p/17895695668004550/",
        "media_type": "IMAGE",
        "width": 1600,
        "height": 1200,
        "images": [
            { "width": 320, "url": format!("/media/{sha}/w320.webp") },
            { "width": 640, "url": format!("/media/{sha}/w640.webp") },
        ],
        "placeholder": "#445566",
    });
    assert_eq!(page["items"][0], expected);
    assert_eq!(page["items"][1]["source"], "guest");
    assert_eq!(page["items"][1]["permalink"], serde_json::Value::Null);
    assert_eq!(page["event"]["id"], DAY);
    assert_eq!(page["event"]["start"], "2026-04-29T00:00:00Z");
    assert_eq!(page["event"]["time_zone"], "UTC");
}

#[tokio::test]
async fn a_named_event_answers_its_definition_and_items() {
    let api = TestApi::start().await;
    api.stack
        .table
        .put_event(&named_event("spring-regatta", false))
        .await
        .expect("event");
    api.put(&[ig("spring-regatta", "1", "2026-04-29T20:00:00Z")])
        .await;

    let (status, page) = api.json("/api/events/spring-regatta/photos").await;

    assert_eq!(status, 200);
    assert_eq!(page["event"]["title"], "Spring regatta");
    assert_eq!(page["event"]["start"], "2026-04-28T00:00:00+02:00");
    assert_eq!(page["event"]["time_zone"], "Europe/Amsterdam");
    assert_eq!(ids(&page), ["ig:1"]);
}

#[tokio::test]
async fn a_hidden_event_answers_exactly_like_an_unknown_one() {
    let api = TestApi::start().await;
    api.stack
        .table
        .put_event(&named_event("secret-party", true))
        .await
        .expect("event");
    api.put(&[ig("secret-party", "1", "2026-04-29T20:00:00Z")])
        .await;

    let (hidden_status, hidden) = api.json("/api/events/secret-party/photos").await;
    let (unknown_status, unknown) = api.json("/api/events/no-such-party/photos").await;

    assert_eq!((hidden_status, unknown_status), (200, 200));
    let empty = serde_json::json!({ "event": null, "items": [], "next_cursor": null });
    assert_eq!(hidden, empty);
    assert_eq!(unknown, empty);
}

#[tokio::test]
async fn a_date_without_photos_answers_an_empty_gallery_of_that_date() {
    let api = TestApi::start().await;

    let (status, page) = api.json("/api/events/2031-01-01/photos").await;

    assert_eq!(status, 200);
    assert_eq!(page["event"]["id"], "2031-01-01");
    assert_eq!(page["event"]["title"], "Wednesday 1 January 2031");
    assert_eq!(page["items"], serde_json::json!([]));
}

#[tokio::test]
async fn malformed_event_ids_answer_400_with_a_json_error() {
    let api = TestApi::start().await;
    let long = "a".repeat(300);
    let malformed = [
        "..%2F..",
        long.as_str(),
        "bad%00id",
        "%FF%FE",
        "2026-02-30",
        "Upper",
        "a%20b",
    ];

    for id in malformed {
        let response = api.get(&format!("/api/events/{id}/photos")).await;

        assert_eq!(response.status().as_u16(), 400, "{id}");
        let type_ = response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert_eq!(type_, "application/json", "{id}");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains("event id")),
            "{id}: {body}"
        );
    }
}

#[tokio::test]
async fn a_tampered_cursor_is_refused() {
    let api = TestApi::start().await;
    api.put(&[
        ig(DAY, "1", "2026-04-29T20:00:00Z"),
        ig(DAY, "2", "2026-04-29T21:00:00Z"),
    ])
    .await;
    let (_, first) = api.json(&format!("/api/events/{DAY}/photos?limit=1")).await;
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next cursor")
        .to_owned();
    let flipped = if cursor.ends_with('A') { 'B' } else { 'A' };
    let tampered = format!("{}{flipped}", &cursor[..cursor.len() - 1]);

    let (good, _) = api
        .json(&format!("/api/events/{DAY}/photos?limit=1&cursor={cursor}"))
        .await;
    let (bad, body) = api
        .json(&format!(
            "/api/events/{DAY}/photos?limit=1&cursor={tampered}"
        ))
        .await;
    let (garbage, _) = api
        .json(&format!("/api/events/{DAY}/photos?cursor=%3Cscript%3E"))
        .await;

    assert_eq!((good, bad, garbage), (200, 400, 400));
    assert_eq!(body["error"], "the cursor is not valid for this event");
}

#[tokio::test]
async fn a_cursor_from_another_event_is_refused() {
    let api = TestApi::start().await;
    api.put(&[
        ig(DAY, "1", "2026-04-29T20:00:00Z"),
        ig(DAY, "2", "2026-04-29T21:00:00Z"),
    ])
    .await;
    let (_, first) = api.json(&format!("/api/events/{DAY}/photos?limit=1")).await;
    let cursor = first["next_cursor"].as_str().expect("a next cursor");

    let (status, _) = api
        .json(&format!("/api/events/2026-04-30/photos?cursor={cursor}"))
        .await;

    assert_eq!(status, 400);
}

#[tokio::test]
async fn limits_from_1_to_100_are_accepted_and_others_refused() {
    let api = TestApi::start().await;
    api.put(&[
        ig(DAY, "1", "2026-04-29T20:00:00Z"),
        ig(DAY, "2", "2026-04-29T21:00:00Z"),
    ])
    .await;

    let mut statuses = Vec::new();
    for limit in ["1", "100", "0", "101", "-1", "abc", "1.5", ""] {
        let (status, _) = api
            .json(&format!("/api/events/{DAY}/photos?limit={limit}"))
            .await;
        statuses.push(status);
    }
    let (_, one) = api.json(&format!("/api/events/{DAY}/photos?limit=1")).await;

    assert_eq!(statuses, [200, 200, 400, 400, 400, 400, 400, 400]);
    assert_eq!(ids(&one), ["ig:2"]);
}

#[tokio::test]
async fn an_unchanged_page_answers_304_to_its_etag_and_a_changed_one_200() {
    let api = TestApi::start().await;
    api.put(&[ig(DAY, "1", "2026-04-29T20:00:00Z")]).await;
    let path = format!("/api/events/{DAY}/photos");
    let first = api.get(&path).await;
    let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
    let cache = first.headers()["cache-control"]
        .to_str()
        .expect("ascii")
        .to_owned();

    let again = api
        .http
        .get(api.url(&path))
        .header("if-none-match", &etag)
        .send()
        .await;
    let again = again.expect("an answer");
    let again_status = again.status().as_u16();
    let again_body = again.bytes().await.expect("body");
    api.put(&[ig(DAY, "2", "2026-04-29T21:00:00Z")]).await;
    let changed = api
        .http
        .get(api.url(&path))
        .header("if-none-match", &etag)
        .send()
        .await;
    let changed = changed.expect("an answer");

    assert_eq!(cache, "public, max-age=60, stale-while-revalidate=300");
    assert!(etag.starts_with('"') && etag.ends_with('"'));
    assert_eq!(again_status, 304);
    assert!(again_body.is_empty());
    assert_eq!(changed.status().as_u16(), 200);
    assert_ne!(changed.headers()["etag"].to_str().expect("ascii"), etag);
}

#[tokio::test]
async fn the_openapi_document_describes_the_photos_route() {
    let api = TestApi::start().await;

    let (status, doc) = api.json("/api/openapi.json").await;

    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.0.3");
    let route = &doc["paths"]["/api/events/{event_id}/photos"]["get"];
    assert!(route["responses"]["200"].is_object());
}

#[tokio::test]
async fn a_store_failure_answers_503_that_no_cache_keeps() {
    let stack = support::new_stack().await;
    let aws = galleon_common::store::Aws::from_env().await;
    let missing = galleon_common::store::Table::new(aws.dynamo.clone(), "no-such-table");
    let state = galleon_api::ApiState::new(missing, stack.bucket, Tz::UTC, support::CURSOR_KEY);
    let addr = support::serve(state).await;
    let http = reqwest::Client::new();

    let json = http
        .get(format!("http://{addr}/api/events/{DAY}/photos"))
        .send()
        .await;
    let page = http.get(format!("http://{addr}/g/{DAY}")).send().await;

    let json = json.expect("an answer");
    assert_eq!(json.status().as_u16(), 503);
    assert_eq!(json.headers()["cache-control"], "no-store");
    let body: serde_json::Value = json.json().await.expect("JSON");
    assert_eq!(body["error"], "the photo store is unavailable");
    let page = page.expect("an answer");
    assert_eq!(page.status().as_u16(), 503);
    assert!(
        page.text()
            .await
            .expect("page")
            .contains("Photos are unavailable right now")
    );
}
