//! What can go wrong answering a request, and the status each answer gets.
//!
//! The JSON routes answer `{"error": "..."}`; the gallery page wraps the
//! same error in [`HtmlError`] and answers a page. Server-side failures log
//! their whole cause chain once, here, and tell the client only that the
//! store is unavailable.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use galleon_common::domain::IdError;
use galleon_common::store::StoreError;

use crate::cursor::CursorError;
use crate::params::ParamError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed event id: {0}")]
    EventId(#[from] IdError),
    #[error("{0}")]
    Params(#[from] ParamError),
    #[error("{0}")]
    Cursor(#[from] CursorError),
    #[error("not found")]
    NotFound,
    #[error("the photo store is unavailable")]
    Store(#[from] StoreError),
}

/// Client errors are cacheable for a short while: the same malformed
/// request fails the same way. Server errors are not cached at all.
const CLIENT_ERROR_CACHE: &str = "public, max-age=60";
const SERVER_ERROR_CACHE: &str = "no-store";

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::EventId(_) | ApiError::Params(_) | ApiError::Cursor(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Store(StoreError::Aws { .. }) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Store(StoreError::Corrupt { .. }) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs the error once, with its cause chain when it is ours.
    fn log(&self) {
        let status = self.status().as_u16();
        if self.status().is_server_error() {
            tracing::error!(status, error = %chain(self), "request failed");
        } else {
            tracing::info!(status, error = %self, "request refused");
        }
    }

    fn cache_control(&self) -> HeaderValue {
        let value = if self.status().is_server_error() {
            SERVER_ERROR_CACHE
        } else {
            CLIENT_ERROR_CACHE
        };
        HeaderValue::from_static(value)
    }
}

/// `error: cause: cause...`, so one log line holds the whole story.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let body = Json(serde_json::json!({ "error": self.to_string() }));
        let mut response = (self.status(), body).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, self.cache_control());
        response
    }
}

/// The same errors, answered as a page for a guest's browser.
#[derive(Debug)]
pub struct HtmlError(pub ApiError);

impl<E: Into<ApiError>> From<E> for HtmlError {
    fn from(err: E) -> Self {
        HtmlError(err.into())
    }
}

impl IntoResponse for HtmlError {
    fn into_response(self) -> Response {
        let HtmlError(err) = self;
        err.log();
        let page = crate::html::error_page(&err);
        let mut response = (err.status(), crate::html::security_headers(), page).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(crate::html::CONTENT_TYPE),
        );
        headers.insert(header::CACHE_CONTROL, err.cache_control());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_mistakes_are_400s_and_store_failures_503s() {
        let store = StoreError::Aws {
            op: "query gallery items",
            source: "timeout".into(),
        };

        assert_eq!(
            ApiError::Params(ParamError::Limit).status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            ApiError::Cursor(CursorError).status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            ApiError::Store(store).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
    }

    #[test]
    fn the_logged_chain_holds_every_cause() {
        let store = StoreError::Aws {
            op: "query gallery items",
            source: "timeout".into(),
        };

        let text = chain(&ApiError::Store(store));

        assert_eq!(
            text,
            "the photo store is unavailable: query gallery items failed: timeout"
        );
    }
}
