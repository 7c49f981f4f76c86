//! Validators and lifetimes for what CloudFront (and browsers) may cache.
//!
//! Pages and JSON answers carry a strong `ETag` (a hash of the body) and a
//! short shared lifetime: new photos show up within a minute, and a stale
//! copy may be served while CloudFront revalidates. A request whose
//! `If-None-Match` names the current tag gets a bodiless 304.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

/// Pages and JSON answers: a minute fresh, five more served while stale.
pub const PAGE_CACHE: &str = "public, max-age=60, stale-while-revalidate=300";
/// Objects under `media/`: content-addressed, so they never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The gallery's own script and style sheet: not content-addressed, so
/// kept briefly.
pub const STATIC_CACHE: &str = "public, max-age=3600";

/// A strong entity tag: the first 128 bits of the body's SHA-256.
pub fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// Whether `If-None-Match` names `etag` (or is `*`). Comparison is weak,
/// as RFC 9110 asks for this header: `W/"x"` matches `"x"`.
pub fn not_modified(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// A bodiless 304; the caller adds the validator and lifetime.
pub fn not_modified_response() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    response
}

/// A 200 with `body`, or a 304 when the client holds it already.
pub fn revalidated(
    request: &HeaderMap,
    content_type: &'static str,
    cache_control: &'static str,
    body: Vec<u8>,
) -> Response {
    let tag = etag(&body);
    let mut response = if not_modified(request, &tag) {
        not_modified_response()
    } else {
        let mut response = Response::new(Body::from(body));
        let type_ = HeaderValue::from_static(content_type);
        response.headers_mut().insert(header::CONTENT_TYPE, type_);
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&tag).expect("hex is a valid header"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(if_none_match: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = HeaderValue::from_str(if_none_match).expect("header");
        headers.insert(header::IF_NONE_MATCH, value);
        headers
    }

    #[test]
    fn the_same_body_has_the_same_tag_and_another_body_another() {
        assert_eq!(etag(b"abc"), etag(b"abc"));
        assert_ne!(etag(b"abc"), etag(b"abd"));
        assert!(etag(b"abc").starts_with('"') && etag(b"abc").len() == 34);
    }

    #[test]
    fn if_none_match_matches_a_listed_weak_or_wildcard_tag() {
        let tag = etag(b"abc");

        assert!(not_modified(&request(&tag), &tag));
        assert!(not_modified(&request(&format!("\"other\", W/{tag}")), &tag));
        assert!(not_modified(&request("*"), &tag));
        assert!(!not_modified(&request("\"other\""), &tag));
        assert!(!not_modified(&HeaderMap::new(), &tag));
    }

    #[test]
    fn a_matching_request_gets_a_bodiless_304_with_the_tag() {
        let tag = etag(b"{}");

        let response = revalidated(
            &request(&tag),
            "application/json",
            PAGE_CACHE,
            b"{}".to_vec(),
        );

        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(response.headers()[header::ETAG], tag.as_str());
        assert_eq!(response.headers()[header::CACHE_CONTROL], PAGE_CACHE);
    }
}
