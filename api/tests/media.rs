//! `GET /media/{key}`: stored objects streamed from the bucket, and every
//! other key refused before the bucket is asked.

mod support;

use galleon_common::domain::Sha256;
use support::{TestApi, ig, store_photo};

const DAY: &str = "2026-04-29";

#[tokio::test]
async fn a_stored_photo_streams_with_its_type_length_and_an_immutable_lifetime() {
    let api = TestApi::start().await;
    let (image, bytes) = store_photo(&api.stack.bucket, "landscape-rocket.jpg").await;

    let response = api.get(&format!("/{}", image.original_key)).await;

    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers()[name].to_str().expect("ascii").to_owned();
    assert_eq!(header("content-type"), "image/jpeg");
    assert_eq!(
        header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(header("content-length"), bytes.len().to_string());
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        response.bytes().await.expect("body").as_ref(),
        bytes.as_slice()
    );
}

#[tokio::test]
async fn every_image_url_in_a_json_page_serves_its_image() {
    let api = TestApi::start().await;
    let (image, bytes) = store_photo(&api.stack.bucket, "square-coffee.jpg").await;
    let mut item = ig(DAY, "1", "2026-04-29T20:00:00Z");
    item.image = image;
    api.put(&[item]).await;
    let (_, page) = api.json(&format!("/api/events/{DAY}/photos")).await;

    let urls: Vec<&str> = page["items"][0]["images"]
        .as_array()
        .expect("images")
        .iter()
        .map(|i| i["url"].as_str().expect("url"))
        .collect();

    assert_eq!(urls.len(), 1);
    for url in urls {
        let response = api.get(url).await;
        assert_eq!(response.status().as_u16(), 200, "{url}");
        assert_eq!(
            response.bytes().await.expect("body").as_ref(),
            bytes.as_slice()
        );
    }
}

#[tokio::test]
async fn a_well_formed_key_with_no_object_is_a_404() {
    let api = TestApi::start().await;
    let sha = Sha256::of(b"never stored");

    let status = api.raw_status(&format!("/media/{sha}/w320.webp")).await;

    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_304_answers_a_request_that_holds_the_object_already() {
    let api = TestApi::start().await;
    let (image, _) = store_photo(&api.stack.bucket, "landscape-rocket.jpg").await;
    let url = api.url(&format!("/{}", image.original_key));
    let first = api.http.get(&url).send().await.expect("an answer");
    let etag = first.headers()["etag"].clone();

    let again = api
        .http
        .get(&url)
        .header("if-none-match", etag)
        .send()
        .await;

    assert_eq!(again.expect("an answer").status().as_u16(), 304);
}

#[tokio::test]
async fn keys_outside_the_stored_shapes_are_refused_even_when_an_object_exists() {
    let api = TestApi::start().await;
    let (image, bytes) = store_photo(&api.stack.bucket, "landscape-rocket.jpg").await;
    let sha = image.sha256.to_string();
    let bucket = &api.stack.bucket;
    for key in ["uploads/x", "secret.txt", &format!("media/{sha}/notes.txt")] {
        bucket
            .put_immutable(key, bytes.clone(), "text/html")
            .await
            .expect("object stored");
    }
    let attempts = [
        "/media/..%2F..".to_owned(),
        "/media/../secret.txt".to_owned(),
        "/media/%2e%2e/secret.txt".to_owned(),
        "/media/uploads/x".to_owned(),
        format!("/media/media/{sha}/../../secret.txt"),
        format!("/media/{sha}/..%2F..%2Fsecret.txt"),
        format!("/media/{sha}/notes.txt"),
        format!("/media/{sha}/original.jpg%00.txt"),
        format!("/media/{sha}/original.jpg/"),
        format!("/media/{}/original.jpg", sha.to_uppercase()),
        "/media/".to_owned(),
    ];

    let mut statuses = Vec::new();
    for path in &attempts {
        statuses.push((path.as_str(), api.raw_status(path).await));
    }

    for (path, status) in statuses {
        assert!(status == 404 || status == 400, "{path} answered {status}");
    }
}
