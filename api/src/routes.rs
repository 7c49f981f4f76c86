//! The handlers, one per route in DESIGN.md, plus the gallery's own static
//! files and the OpenAPI document. Each parses its input at the edge into
//! validated types, asks the state, and renders.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use futures::TryStreamExt;
use galleon_common::domain::{EventId, IdError};
use galleon_common::store::ObjectBody;
use tokio_util::io::ReaderStream;

use crate::error::{ApiError, HtmlError};
use crate::html;
use crate::http_cache::{self, IMMUTABLE, PAGE_CACHE, STATIC_CACHE};
use crate::media_key::MediaKey;
use crate::params::PageParams;
use crate::state::ApiState;
use crate::view::PhotosBody;

const JSON: &str = "application/json";
const OPENAPI: &str = include_str!("openapi.json");
const GALLERY_JS: &str = include_str!("static/gallery.js");
const GALLERY_CSS: &str = include_str!("static/gallery.css");
const FAVICON: &str = include_str!("static/favicon.svg");

/// The event id from the path. A path that does not even decode (bad
/// percent-encoding) is as malformed as a bad id.
fn event_id(path: Result<Path<String>, PathRejection>) -> Result<EventId, ApiError> {
    let Path(raw) = path.map_err(|_| IdError::Event)?;
    Ok(raw.parse()?)
}

/// `GET /api/events/{event_id}/photos?limit=&cursor=`
pub async fn photos(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    let event = event_id(path)?;
    let params = PageParams::parse(query.as_deref())?;

    let gallery = state.gallery(event, params).await?;

    let body = PhotosBody::new(&gallery).to_bytes();
    Ok(http_cache::revalidated(&request, JSON, PAGE_CACHE, body))
}

/// `GET /g/{event_id}?cursor=`
pub async fn gallery_page(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    request: HeaderMap,
) -> Result<Response, HtmlError> {
    let event = event_id(path)?;
    let params = PageParams::parse(query.as_deref())?;

    let gallery = state.gallery(event, params).await?;

    let page = html::gallery_page(&gallery).into_bytes();
    let mut response = http_cache::revalidated(&request, html::CONTENT_TYPE, PAGE_CACHE, page);
    response.headers_mut().extend(html::security_headers());
    Ok(response)
}

/// `GET /media/{key}`: a stored object, streamed from the bucket. Keys
/// that are not one of the two shapes the mirror writes are 404s that
/// never reach S3.
pub async fn media(
    State(state): State<ApiState>,
    path: Result<Path<String>, PathRejection>,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    let key = path
        .ok()
        .and_then(|Path(rest)| MediaKey::parse_under_media(&rest));
    let key = key.ok_or(ApiError::NotFound)?;

    let object = state.bucket().get(&key.to_string()).await?;
    let object = object.ok_or(ApiError::NotFound)?;

    tracing::debug!(key = %key, bytes = object.content_length, "streaming object");
    Ok(object_response(&key, object, &request))
}

fn object_response(key: &MediaKey, object: ObjectBody, request: &HeaderMap) -> Response {
    let etag = object
        .etag
        .as_deref()
        .and_then(|t| HeaderValue::from_str(t).ok());
    let held = etag
        .as_ref()
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| http_cache::not_modified(request, t));
    let mut response = if held {
        http_cache::not_modified_response()
    } else {
        streamed(key, object)
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(etag) = etag {
        headers.insert(header::ETAG, etag);
    }
    response
}

/// The object's bytes as they arrive from S3, never held whole in memory.
/// A stream that breaks off midway ends the response early: the client
/// gets fewer bytes than `Content-Length` promised, a failed download
/// rather than a cut-off image taken for a whole one.
fn streamed(key: &MediaKey, object: ObjectBody) -> Response {
    let key_text = key.to_string();
    let stream = ReaderStream::new(object.body.into_async_read()).inspect_err(move |e| {
        tracing::warn!(key = %key_text, error = %e, "object stream broke off");
    });
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    let type_ = content_type(key, object.content_type.as_deref());
    headers.insert(header::CONTENT_TYPE, type_);
    if let Some(length) = object.content_length.filter(|l| *l >= 0) {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    response
}

/// The stored type when it is an image type; otherwise the type the key's
/// extension names, so that a mislabelled object is never served as a page.
fn content_type(key: &MediaKey, stored: Option<&str>) -> HeaderValue {
    stored
        .filter(|t| t.starts_with("image/"))
        .and_then(|t| HeaderValue::from_str(t).ok())
        .unwrap_or_else(|| HeaderValue::from_static(key.format().content_type()))
}

/// `GET /api/openapi.json`
pub async fn openapi(request: HeaderMap) -> Response {
    http_cache::revalidated(&request, JSON, PAGE_CACHE, OPENAPI.as_bytes().to_vec())
}

/// `GET /static/gallery.js`
pub async fn gallery_js(request: HeaderMap) -> Response {
    let type_ = "text/javascript; charset=utf-8";
    http_cache::revalidated(
        &request,
        type_,
        STATIC_CACHE,
        GALLERY_JS.as_bytes().to_vec(),
    )
}

/// `GET /static/gallery.css`
pub async fn gallery_css(request: HeaderMap) -> Response {
    let type_ = "text/css; charset=utf-8";
    http_cache::revalidated(
        &request,
        type_,
        STATIC_CACHE,
        GALLERY_CSS.as_bytes().to_vec(),
    )
}

/// `GET /static/favicon.svg`
pub async fn favicon(request: HeaderMap) -> Response {
    http_cache::revalidated(
        &request,
        "image/svg+xml",
        STATIC_CACHE,
        FAVICON.as_bytes().to_vec(),
    )
}

/// Anything else: a JSON 404 under `/api/`, a page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound.into_response()
    } else {
        HtmlError(ApiError::NotFound).into_response()
    }
}
