//! What can go wrong talking to the Graph API, sorted by what the caller
//! must do about it: re-authorise, wait, fix permissions, forget the post,
//! try again later, or report a bug.
//!
//! [`classify`] turns a non-success response (status, body, usage) into a
//! [`GraphError`]; it is pure so that every code group is unit-tested.

use std::time::Duration;

use serde::Deserialize;

use super::usage::Usage;

/// A failed Graph API call. No variant ever carries the access token or a
/// URL with its query string.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// Code 190: the token is expired, revoked or wrong. Never retried;
    /// someone must re-authorise.
    #[error("instagram token is invalid or expired (code 190{}): {message}",
        subcode_note(*.subcode))]
    TokenInvalid {
        subcode: Option<i64>,
        message: String,
    },

    /// A rate limit was hit. Not retried: stop calling for `retry_after`
    /// (from the usage header's estimate, or `Retry-After`). `code` is the
    /// Graph error code, or 429 for an HTTP 429 whose body carries none.
    #[error("instagram throttled the account (code {code}){}", wait_note(*.retry_after))]
    Throttled {
        code: i64,
        retry_after: Option<Duration>,
        usage: Option<Usage>,
    },

    /// Code 10 or 200-299: the token lacks a permission.
    #[error("instagram refused permission (code {code}): {message}")]
    Permission { code: i64, message: String },

    /// The object is gone (HTTP 404, or code 100 saying it does not exist).
    #[error("instagram object not found: {message}")]
    NotFound { message: String },

    /// Codes 1 and 2, 5xx, timeouts and connection failures, after every
    /// attempt the retry policy allows.
    #[error("instagram call failed transiently after {attempts} attempt(s): {reason}")]
    Transient { attempts: u32, reason: String },

    /// A success response that could not be read: bad JSON, a missing
    /// `data`, an item with a bad id or timestamp.
    #[error("instagram response is malformed: {reason}")]
    Malformed { reason: String },

    /// Any other error response. `status` is 0 when no HTTP answer came
    /// (a base URL that cannot take a path, a redirect loop).
    #[error("instagram call failed with HTTP {status}{}: {message}", code_note(*.code))]
    Api {
        status: u16,
        code: Option<i64>,
        message: String,
    },
}

impl GraphError {
    /// A stable, lower-case name for metrics and log fields.
    pub fn kind(&self) -> &'static str {
        match self {
            GraphError::TokenInvalid { .. } => "token_invalid",
            GraphError::Throttled { .. } => "throttled",
            GraphError::Permission { .. } => "permission",
            GraphError::NotFound { .. } => "not_found",
            GraphError::Transient { .. } => "transient",
            GraphError::Malformed { .. } => "malformed",
            GraphError::Api { .. } => "api",
        }
    }

    pub(crate) fn is_transient(&self) -> bool {
        matches!(self, GraphError::Transient { .. })
    }

    /// Replaces every occurrence of `secret` in the texts this error
    /// carries. Server messages are outside input: should one ever echo
    /// the token back, it still does not reach a log.
    pub(crate) fn redacted(self, secret: &str) -> Self {
        let scrub = |text: String| redact(text, secret);
        match self {
            GraphError::TokenInvalid { subcode, message } => GraphError::TokenInvalid {
                subcode,
                message: scrub(message),
            },
            GraphError::Permission { code, message } => GraphError::Permission {
                code,
                message: scrub(message),
            },
            GraphError::NotFound { message } => GraphError::NotFound {
                message: scrub(message),
            },
            GraphError::Transient { attempts, reason } => GraphError::Transient {
                attempts,
                reason: scrub(reason),
            },
            GraphError::Malformed { reason } => GraphError::Malformed {
                reason: scrub(reason),
            },
            GraphError::Api {
                status,
                code,
                message,
            } => GraphError::Api {
                status,
                code,
                message: scrub(message),
            },
            throttled @ GraphError::Throttled { .. } => throttled,
        }
    }
}

fn redact(text: String, secret: &str) -> String {
    if secret.is_empty() || !text.contains(secret) {
        text
    } else {
        text.replace(secret, "<redacted>")
    }
}

fn subcode_note(subcode: Option<i64>) -> String {
    subcode
        .map(|s| format!(", subcode {s}"))
        .unwrap_or_default()
}

fn wait_note(wait: Option<Duration>) -> String {
    wait.map(|w| format!("; retry in {} s", w.as_secs()))
        .unwrap_or_default()
}

fn code_note(code: Option<i64>) -> String {
    code.map(|c| format!(" (code {c})")).unwrap_or_default()
}

/// The error object of a Graph error body.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    error_subcode: Option<i64>,
}

#[derive(Deserialize)]
struct Envelope {
    error: ErrorBody,
}

/// The longest server message kept in an error, in characters.
const MAX_MESSAGE: usize = 300;

const THROTTLE_CODES: [i64; 5] = [4, 17, 32, 613, 80002];

/// Everything [`classify`] needs to know about a failed response.
pub(crate) struct Failed<'a> {
    pub status: u16,
    pub body: &'a [u8],
    pub usage: Option<Usage>,
    /// The `Retry-After` header, in seconds.
    pub retry_after: Option<u64>,
}

/// Sorts a non-success response into a [`GraphError`]. A transient result
/// carries `attempts: 1`; the retry loop sets the real count.
pub(crate) fn classify(failed: Failed<'_>) -> GraphError {
    let body = serde_json::from_slice::<Envelope>(failed.body)
        .ok()
        .map(|e| e.error);
    let ErrorBody {
        message,
        code,
        error_subcode,
    } = body.unwrap_or_default();
    let message = message
        .map(clip)
        .unwrap_or_else(|| status_text(failed.status));
    let status = failed.status;

    match code {
        Some(190) => GraphError::TokenInvalid {
            subcode: error_subcode,
            message,
        },
        Some(c) if THROTTLE_CODES.contains(&c) => throttled(c, &failed),
        Some(c) if c == 10 || (200..=299).contains(&c) => {
            GraphError::Permission { code: c, message }
        }
        Some(100) if is_gone(error_subcode, &message) => GraphError::NotFound { message },
        Some(1 | 2) => transient(message),
        _ if status == 429 => throttled(code.unwrap_or(429), &failed),
        _ if status == 404 => GraphError::NotFound { message },
        _ if status >= 500 => transient(message),
        _ => GraphError::Api {
            status,
            code,
            message,
        },
    }
}

/// Code 100 covers many bad requests; only these mean the object is gone.
fn is_gone(subcode: Option<i64>, message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    subcode == Some(33)
        || lower.contains("does not exist")
        || lower.contains("unsupported get request")
}

fn throttled(code: i64, failed: &Failed<'_>) -> GraphError {
    let from_usage = failed
        .usage
        .map(|u| u.minutes_to_regain_access)
        .filter(|m| *m > 0)
        .map(|m| Duration::from_secs(u64::from(m) * 60));
    let from_header = failed.retry_after.map(Duration::from_secs);
    let retry_after = match (from_usage, from_header) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    GraphError::Throttled {
        code,
        retry_after,
        usage: failed.usage,
    }
}

fn transient(reason: String) -> GraphError {
    GraphError::Transient {
        attempts: 1,
        reason,
    }
}

fn clip(message: String) -> String {
    if message.chars().count() <= MAX_MESSAGE {
        return message;
    }
    let mut clipped: String = message.chars().take(MAX_MESSAGE).collect();
    clipped.push_str("...");
    clipped
}

fn status_text(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unknown status");
    format!("HTTP {status} {reason} without a Graph error body")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: i64, subcode: Option<i64>, message: &str) -> String {
        let sub = subcode
            .map(|s| format!(r#","error_subcode":{s}"#))
            .unwrap_or_default();
        format!(
            r#"{{"error":{{"message":"{message}","type":"OAuthException","code":{code}{sub},"fbtrace_id":"AbC"}}}}"#
        )
    }

    fn classify_body(status: u16, text: &str) -> GraphError {
        classify(Failed {
            status,
            body: text.as_bytes(),
            usage: None,
            retry_after: None,
        })
    }

    #[test]
    fn code_190_is_token_invalid_with_each_subcode() {
        for sub in [458, 460, 463, 464, 467] {
            let err = classify_body(400, &body(190, Some(sub), "Error validating access token"));
            assert!(
                matches!(err, GraphError::TokenInvalid { subcode: Some(s), .. } if s == sub),
                "{err:?}"
            );
            assert_eq!(err.kind(), "token_invalid");
        }
        let bare = classify_body(401, &body(190, None, "Invalid OAuth access token"));
        assert!(matches!(
            bare,
            GraphError::TokenInvalid { subcode: None, .. }
        ));
    }

    #[test]
    fn throttle_codes_are_throttled_with_the_wait_from_usage() {
        let usage = Usage {
            call_count: 100,
            minutes_to_regain_access: 7,
            ..Usage::default()
        };
        for code in THROTTLE_CODES {
            let text = body(code, None, "Application request limit reached");
            let failed = Failed {
                status: 400,
                body: text.as_bytes(),
                usage: Some(usage),
                retry_after: None,
            };
            match classify(failed) {
                GraphError::Throttled {
                    code: c,
                    retry_after,
                    usage: u,
                } => {
                    assert_eq!(c, code);
                    assert_eq!(retry_after, Some(Duration::from_secs(7 * 60)));
                    assert_eq!(u, Some(usage));
                }
                other => panic!("code {code} gave {other:?}"),
            }
        }
    }

    #[test]
    fn http_429_without_a_body_is_throttled_with_retry_after() {
        let failed = Failed {
            status: 429,
            body: b"Too Many Requests",
            usage: None,
            retry_after: Some(30),
        };
        let err = classify(failed);
        assert!(
            matches!(err, GraphError::Throttled { code: 429, retry_after: Some(d), .. }
                if d.as_secs() == 30),
            "{err:?}"
        );
    }

    #[test]
    fn permission_codes_are_permission_errors() {
        for code in [10, 200, 250, 299] {
            let err = classify_body(403, &body(code, None, "Permission denied"));
            assert!(
                matches!(err, GraphError::Permission { code: c, .. } if c == code),
                "{err:?}"
            );
        }
    }

    #[test]
    fn a_missing_object_is_not_found() {
        let gone = body(
            100,
            Some(33),
            "Unsupported get request. Object with ID '17' does not exist",
        );
        assert!(matches!(
            classify_body(400, &gone),
            GraphError::NotFound { .. }
        ));
        assert!(matches!(
            classify_body(404, "<html>"),
            GraphError::NotFound { .. }
        ));
        let other_100 = classify_body(400, &body(100, None, "Invalid parameter"));
        assert!(matches!(
            other_100,
            GraphError::Api {
                status: 400,
                code: Some(100),
                ..
            }
        ));
    }

    #[test]
    fn temporary_codes_and_server_errors_are_transient() {
        for code in [1, 2] {
            let err = classify_body(500, &body(code, None, "An unknown error occurred"));
            assert!(
                matches!(err, GraphError::Transient { attempts: 1, .. }),
                "{err:?}"
            );
        }
        assert!(matches!(
            classify_body(400, &body(2, None, "x")),
            GraphError::Transient { .. }
        ));
        assert!(matches!(
            classify_body(503, "upstream down"),
            GraphError::Transient { .. }
        ));
    }

    #[test]
    fn anything_else_is_an_api_error_that_keeps_its_status() {
        let err = classify_body(400, &body(24, None, "The parameter is invalid"));
        assert!(matches!(
            err,
            GraphError::Api {
                status: 400,
                code: Some(24),
                ..
            }
        ));
        let no_body = classify_body(418, "");
        assert!(matches!(
            no_body,
            GraphError::Api {
                status: 418,
                code: None,
                ..
            }
        ));
        assert!(no_body.to_string().contains("418"));
    }

    #[test]
    fn long_server_messages_are_clipped() {
        let err = classify_body(400, &body(24, None, &"x".repeat(5000)));
        assert!(err.to_string().len() < MAX_MESSAGE + 100);
    }

    #[test]
    fn redaction_removes_the_secret_from_server_messages() {
        let err = classify_body(400, &body(190, Some(467), "bad token IGsecret123 given"));
        let err = err.redacted("IGsecret123");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("IGsecret123"));
        assert!(shown.contains("<redacted>"));
    }
}
