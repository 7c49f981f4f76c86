//! `GET /g/{event_id}`: the server-rendered gallery page.

mod support;

use galleon_common::domain::GuestStatus;
use support::{TestApi, guest, ig};

const DAY: &str = "2026-04-29";

#[tokio::test]
async fn the_page_shows_each_photo_with_srcset_and_links_instagram_ones_to_their_post() {
    let api = TestApi::start().await;
    let post = ig(DAY, "42", "2026-04-29T20:00:00Z");
    let sha = post.image.sha256.to_string();
    api.put(&[
        post,
        guest(DAY, "g1", "2026-04-29T19:00:00Z", GuestStatus::Approved),
    ])
    .await;

    let response = api.get(&format!("/g/{DAY}")).await;

    assert_eq!(response.status().as_u16(), 200);
    let type_ = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let page = response.text().await.expect("page");
    assert_eq!(type_, "text/html; charset=utf-8");
    assert!(page.contains("<h1>Wednesday 29 April 2026</h1>"), "{page}");
    assert_eq!(page.matches("<img ").count(), 2);
    let srcset = format!("srcset=\"/media/{sha}/w320.webp 320w, /media/{sha}/w640.webp 640w\"");
    assert!(page.contains(&srcset), "{page}");
    assert!(page.contains("href=\"https://www.instagram.com/p/42/\""));
    assert!(page.contains("alt=\"post 42\""));
    assert!(page.contains("alt=\"Photo from a guest\""));
    assert!(page.contains("That's every photo so far."));
}

#[tokio::test]
async fn a_caption_with_markup_comes_out_escaped() {
    let api = TestApi::start().await;
    let mut post = ig(DAY, "1", "2026-04-29T20:00:00Z");
    post.caption = Some("<script>alert(1)</script> & \"quotes\"".into());
    api.put(&[post]).await;

    let (status, page) = api.text(&format!("/g/{DAY}")).await;

    assert_eq!(status, 200);
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
}

#[tokio::test]
async fn the_next_page_link_continues_where_the_page_ends() {
    let api = TestApi::start().await;
    api.put(&[
        ig(DAY, "1", "2026-04-29T20:00:00Z"),
        ig(DAY, "2", "2026-04-29T21:00:00Z"),
        ig(DAY, "3", "2026-04-29T22:00:00Z"),
    ])
    .await;

    let (_, first) = api.text(&format!("/g/{DAY}?limit=2")).await;
    let href = first
        .split("id=\"next\"")
        .nth(1)
        .and_then(|link| link.split("href=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .expect("a next link")
        .replace("&amp;", "&");
    let (status, second) = api.text(&href).await;

    assert!(href.starts_with(&format!("/g/{DAY}?cursor=")) && href.ends_with("&limit=2"));
    assert!(first.contains("p/3/") && first.contains("p/2/") && !first.contains("p/1/"));
    assert_eq!(status, 200);
    assert!(second.contains("p/1/") && !second.contains("p/2/"));
    assert!(!second.contains("id=\"next\""));
}

#[tokio::test]
async fn an_unknown_event_gets_a_friendly_page_with_200() {
    let api = TestApi::start().await;

    let (named_status, named) = api.text("/g/no-such-party").await;
    let (date_status, date) = api.text("/g/2031-01-01").await;

    assert_eq!((named_status, date_status), (200, 200));
    assert!(
        named.contains("There are no photos for \u{201c}no-such-party\u{201d}"),
        "{named}"
    );
    assert!(date.contains("No photos yet."), "{date}");
}

#[tokio::test]
async fn a_malformed_id_gets_a_400_page() {
    let api = TestApi::start().await;

    for id in ["..%2F..", "%3Cscript%3E", &"x".repeat(300)] {
        let (status, page) = api.text(&format!("/g/{id}")).await;

        assert_eq!(status, 400, "{id}");
        assert!(page.contains("<h1>This gallery link doesn"), "{page}");
        assert!(!page.contains("<script>"));
    }
}

#[tokio::test]
async fn the_page_allows_only_its_own_script_and_serves_it() {
    let api = TestApi::start().await;

    let page = api.get(&format!("/g/{DAY}")).await;
    let script = api.get("/static/gallery.js").await;
    let style = api.get("/static/gallery.css").await;

    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert!(directives.contains(&"script-src 'self'"), "{csp}");
    assert!(directives.contains(&"default-src 'none'"), "{csp}");
    let html = page.text().await.expect("page");
    assert!(html.contains("<script src=\"/static/gallery.js\" defer></script>"));
    assert_eq!(html.matches("<script").count(), 1, "no inline script");
    assert_eq!(script.status().as_u16(), 200);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/javascript")
    );
    assert!(
        style.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn an_unknown_path_is_a_404_page_and_an_unknown_api_path_a_json_404() {
    let api = TestApi::start().await;

    let (page_status, _) = api.text("/nowhere").await;
    let (api_status, body) = api.json("/api/nowhere").await;

    assert_eq!((page_status, api_status), (404, 404));
    assert_eq!(body["error"], "not found");
}
