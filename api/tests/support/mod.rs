//! Arrangements shared by the API's integration tests: a fresh stack in
//! the local emulator per test (`AWS_ENDPOINT_URL`, started by the test
//! script), items and photos stored as the mirror stores them, and the
//! router served on a loopback port.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use galleon_api::{ApiState, router};
use galleon_common::domain::{
    EventId, GalleryItem, GuestStatus, ItemId, Sha256, Source, StoredImage, Variant,
};
use galleon_common::local::{self, Names, Stack};
use galleon_common::store::{Aws, Bucket};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const CURSOR_KEY: &[u8] = b"integration test cursor key";

/// The router on a loopback port, over a stack of its own.
pub struct TestApi {
    pub addr: SocketAddr,
    pub stack: Stack,
    pub http: reqwest::Client,
}

pub async fn new_stack() -> Stack {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL").is_some(),
        "AWS_ENDPOINT_URL is not set: run the tests through scripts/test.sh"
    );
    let aws = Aws::from_env().await;
    local::init(&aws, &Names::unique("api"))
        .await
        .expect("a local stack")
}

/// Serves `state` on a free loopback port for the rest of the test.
pub async fn serve(state: ApiState) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    tokio::spawn(async move { axum::serve(listener, router(state)).await });
    addr
}

impl TestApi {
    pub async fn start() -> TestApi {
        let stack = new_stack().await;
        let state = ApiState::new(
            stack.table.clone(),
            stack.bucket.clone(),
            Tz::UTC,
            CURSOR_KEY,
        );
        let addr = serve(state).await;
        TestApi {
            addr,
            stack,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .send()
            .await
            .expect("an answer")
    }

    /// The status and JSON body of `path`.
    pub async fn json(&self, path: &str) -> (u16, Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let body = response.json().await.expect("a JSON body");
        (status, body)
    }

    /// The status and text of `path`.
    pub async fn text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }

    pub async fn put(&self, items: &[GalleryItem]) {
        for item in items {
            self.stack.table.put_item(item).await.expect("item stored");
        }
    }

    /// The status of `path` sent exactly as written, without the dot
    /// segment clean-up an HTTP client library would do first.
    pub async fn raw_status(&self, path: &str) -> u16 {
        let mut stream = TcpStream::connect(self.addr).await.expect("connected");
        let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .expect("request sent");
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .await
            .expect("answer read");
        let status = answer.split_whitespace().nth(1).expect("a status line");
        status.parse().expect("a numeric status")
    }
}

/// The ids of a JSON page's items, in order.
pub fn ids(page: &Value) -> Vec<String> {
    let items = page["items"].as_array().expect("items");
    items
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("a timestamp")
        .with_timezone(&Utc)
}

/// An image record whose keys follow the mirror's layout; nothing stored.
pub fn image_of(seed: &str) -> StoredImage {
    let sha = Sha256::of(seed.as_bytes());
    StoredImage {
        original_key: format!("media/{sha}/original.jpg"),
        variants: vec![
            Variant {
                width: 640,
                height: 480,
                key: format!("media/{sha}/w640.webp"),
            },
            Variant {
                width: 320,
                height: 240,
                key: format!("media/{sha}/w320.webp"),
            },
        ],
        sha256: sha,
        width: 1600,
        height: 1200,
        placeholder: "#445566".into(),
    }
}

/// An Instagram item of `event` taken at `taken_at`.
pub fn ig(event: &str, media_id: &str, taken_at: &str) -> GalleryItem {
    GalleryItem {
        event_id: event.parse::<EventId>().expect("event id"),
        id: ItemId::Instagram(media_id.parse().expect("media id")),
        source: Source::Instagram,
        taken_at: at(taken_at),
        caption: Some(format!("post {media_id}")),
        permalink: Some(format!("https://www.instagram.com/p/{media_id}/")),
        media_type: "IMAGE".into(),
        image: image_of(media_id),
        status: None,
        hidden: false,
    }
}

/// A guest photo of `event` in moderation state `status`.
pub fn guest(event: &str, id: &str, taken_at: &str, status: GuestStatus) -> GalleryItem {
    GalleryItem {
        event_id: event.parse::<EventId>().expect("event id"),
        id: ItemId::Guest(id.parse().expect("guest id")),
        source: Source::Guest,
        taken_at: at(taken_at),
        caption: None,
        permalink: None,
        media_type: "IMAGE".into(),
        image: image_of(id),
        status: Some(status),
        hidden: false,
    }
}

/// A photo from the fixture folder, as committed to the repository.
pub fn photo_bytes(name: &str) -> Vec<u8> {
    let path = format!("{}/../fixture/photos/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("failed to read {path}: {e}"))
}

/// Stores a real photo the way the mirror does: the original under its
/// sha256, and (standing in for a resized rendition) the same bytes as a
/// `w640.jpg` variant. Returns the image record pointing at both.
pub async fn store_photo(bucket: &Bucket, name: &str) -> (StoredImage, Vec<u8>) {
    let bytes = photo_bytes(name);
    let sha = Sha256::of(&bytes);
    let original_key = format!("media/{sha}/original.jpg");
    let variant_key = format!("media/{sha}/w640.jpg");
    for key in [&original_key, &variant_key] {
        bucket
            .put_immutable(key, bytes.clone(), "image/jpeg")
            .await
            .expect("object stored");
    }
    let image = StoredImage {
        original_key,
        variants: vec![Variant {
            width: 640,
            height: 480,
            key: variant_key,
        }],
        sha256: sha,
        width: 1600,
        height: 1200,
        placeholder: "#202830".into(),
    };
    (image, bytes)
}
