//! The read path never calls Instagram: with the configuration pointing
//! the Graph API at a fixture Instagram that counts its requests, serving
//! every route leaves the count at zero.

mod support;

use galleon_api::ApiState;
use galleon_common::Config;
use galleon_common::domain::GuestStatus;
use galleon_common::store::Aws;
use galleon_fixture::{Account, Fixture};
use support::{guest, ig, store_photo};

const DAY: &str = "2026-04-29";

#[tokio::test]
async fn serving_pages_json_and_media_makes_no_instagram_request() {
    let fixture = Fixture::start(Account::demo())
        .await
        .expect("fixture Instagram");
    let stack = support::new_stack().await;
    let config = Config::from_lookup(|var| match var {
        "GALLEON_TABLE" => Some(stack.table.name().to_owned()),
        "GALLEON_BUCKET" => Some(stack.bucket.name().to_owned()),
        "IG_API_BASE" => Some(fixture.base_url()),
        "IG_USER_ID" => Some(fixture.user_id().to_owned()),
        "IG_ACCESS_TOKEN" => Some(fixture.token().to_owned()),
        "GALLEON_MEDIA_HOSTS" => Some(fixture.addr().ip().to_string()),
        _ => None,
    })
    .expect("a configuration");
    let (image, _) = store_photo(&stack.bucket, "portrait-coffee.jpg").await;
    let mut post = ig(DAY, "1", "2026-04-29T20:00:00Z");
    post.image = image.clone();
    stack.table.put_item(&post).await.expect("item");
    let photo = guest(DAY, "g1", "2026-04-29T19:00:00Z", GuestStatus::Approved);
    stack.table.put_item(&photo).await.expect("item");
    let addr = support::serve(ApiState::from_config(&config, &Aws::from_env().await)).await;
    let http = reqwest::Client::new();

    let paths = [
        format!("/api/events/{DAY}/photos"),
        format!("/g/{DAY}"),
        "/g/spring-regatta".to_owned(),
        format!("/{}", image.variants[0].key),
        "/api/events/bad..id/photos".to_owned(),
    ];
    let mut statuses = Vec::new();
    for path in &paths {
        let response = http
            .get(format!("http://{addr}{path}"))
            .send()
            .await
            .expect("answer");
        statuses.push(response.status().as_u16());
    }

    assert_eq!(statuses, [200, 200, 200, 200, 400]);
    assert_eq!(fixture.requests(), 0);
    assert_eq!(fixture.cdn_requests(), 0);
}
