//! The client: builds each Graph API request, sends it with the token in
//! a header, retries transient failures, and hands the body to the parsers
//! in `types`.
//!
//! The token calls (`refresh_access_token`, `access_token`) are the
//! exception Meta documents: they take the token in the query string. Their
//! URLs are therefore never logged or kept in an error; `reqwest` errors
//! lose their URL before anything reads them.
//!
//! Known limit: the token exchange is the Instagram Login flavour
//! (`ig_exchange_token`); the Facebook Login flavour (`fb_exchange_token`
//! with a client id) is not implemented, as no deployment uses it yet.

use std::time::{Duration, Instant};

use reqwest::header::RETRY_AFTER;
use reqwest::{Client, RequestBuilder, Response};
use url::Url;

use super::error::{Failed, GraphError, classify};
use super::retry::RetryPolicy;
use super::token::AccessToken;
use super::types::{
    Account, GraphMedia, IssuedToken, MediaPage, PageCursor, parse_account, parse_issued_token,
    parse_media, parse_media_count, parse_page,
};
use super::usage::{Usage, parse_usage};
use crate::domain::MediaId;

/// Every media field galleon reads, carousel children expanded in the
/// same call so that a page costs one request however many albums it has.
const MEDIA_FIELDS: &str = "id,caption,media_type,media_url,permalink,thumbnail_url,timestamp,\
                            children{id,media_type,media_url,thumbnail_url}";

/// The largest response body read; a Graph page is a few kilobytes.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// A Graph API client for one account's token. Cheap to clone.
#[derive(Debug, Clone)]
pub struct GraphClient {
    http: Client,
    base: Url,
    token: AccessToken,
    retry: RetryPolicy,
}

/// Where the token goes on a request.
#[derive(Debug, Clone, Copy)]
enum Auth {
    /// `Authorization: Bearer`: every data call.
    Header,
    /// `access_token=` in the query: the token calls, as Meta documents.
    Query,
}

/// A success response: its body and the usage it reported.
struct Reply {
    body: Vec<u8>,
    usage: Option<Usage>,
}

impl GraphClient {
    /// `base` includes the version, e.g. `https://graph.instagram.com/v23.0`.
    /// Timeouts belong to `http`; a timed-out call counts as transient.
    pub fn new(http: Client, base: Url, token: AccessToken) -> Self {
        GraphClient {
            http,
            base,
            token,
            retry: RetryPolicy::default(),
        }
    }

    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// One page of the account's media, newest first, carousel children
    /// expanded. `after` is `None` for the first page, or a previous page's
    /// `next` to continue the same walk.
    pub async fn media_page(
        &self,
        user_id: &str,
        after: Option<&PageCursor>,
        limit: u32,
    ) -> Result<MediaPage, GraphError> {
        let mut url = match after {
            None => self.endpoint(&[user_id, "media"])?,
            Some(cursor) => self.follow(cursor)?,
        };
        set_query_param(&mut url, "fields", MEDIA_FIELDS);
        set_query_param(&mut url, "limit", &limit.max(1).to_string());

        let reply = self.call(url, Auth::Header).await?;
        let (items, next) = parse_page(&reply.body, &self.base).map_err(|e| self.scrub(e))?;
        Ok(MediaPage {
            items,
            next,
            usage: reply.usage,
        })
    }

    /// One media object (a post or a carousel child) with fresh CDN links.
    pub async fn media(&self, id: &MediaId) -> Result<GraphMedia, GraphError> {
        let mut url = self.endpoint(&[id.as_str()])?;
        set_query_param(&mut url, "fields", MEDIA_FIELDS);
        let reply = self.call(url, Auth::Header).await?;
        parse_media(&reply.body).map_err(|e| self.scrub(e))
    }

    /// How many posts the account has: an empty listing for an account
    /// with posts means the token lacks a scope, not an empty gallery.
    pub async fn media_count(&self, user_id: &str) -> Result<u64, GraphError> {
        let mut url = self.endpoint(&[user_id])?;
        set_query_param(&mut url, "fields", "media_count");
        let reply = self.call(url, Auth::Header).await?;
        parse_media_count(&reply.body).map_err(|e| self.scrub(e))
    }

    /// The account the token belongs to.
    pub async fn me(&self) -> Result<Account, GraphError> {
        let mut url = self.endpoint(&["me"])?;
        set_query_param(&mut url, "fields", "user_id,username");
        let reply = self.call(url, Auth::Header).await?;
        parse_account(&reply.body).map_err(|e| self.scrub(e))
    }

    /// A fresh 60 days for a long-lived token that is at least a day old.
    pub async fn refresh_token(&self) -> Result<IssuedToken, GraphError> {
        let mut url = self.unversioned("/refresh_access_token")?;
        set_query_param(&mut url, "grant_type", "ig_refresh_token");
        let reply = self.call(url, Auth::Query).await?;
        parse_issued_token(&reply.body).map_err(|e| self.scrub(e))
    }

    /// Exchanges this client's short-lived token for a long-lived one.
    pub async fn exchange_token(&self, client_secret: &str) -> Result<IssuedToken, GraphError> {
        let mut url = self.unversioned("/access_token")?;
        set_query_param(&mut url, "grant_type", "ig_exchange_token");
        set_query_param(&mut url, "client_secret", client_secret);
        let reply = self
            .call(url, Auth::Query)
            .await
            .map_err(|e| e.redacted(client_secret))?;
        parse_issued_token(&reply.body).map_err(|e| self.scrub(e).redacted(client_secret))
    }

    /// `{base}/{segments...}`, each segment escaped.
    fn endpoint(&self, segments: &[&str]) -> Result<Url, GraphError> {
        let mut url = self.base.clone();
        url.set_query(None);
        url.path_segments_mut()
            .map_err(|()| bad_base("cannot take a path"))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }

    /// A path on the base's origin, outside the version.
    fn unversioned(&self, path: &str) -> Result<Url, GraphError> {
        self.base.join(path).map_err(|e| bad_base(&e.to_string()))
    }

    /// The cursor's URL, provided it belongs to this client's API: the
    /// token must not follow a cursor to another origin.
    fn follow(&self, cursor: &PageCursor) -> Result<Url, GraphError> {
        if cursor.url().origin() != self.base.origin() {
            return Err(GraphError::Malformed {
                reason: "the page cursor belongs to another API origin".into(),
            });
        }
        Ok(cursor.url().clone())
    }

    fn scrub(&self, error: GraphError) -> GraphError {
        error.redacted(self.token.expose())
    }

    /// Sends the request, retrying transient failures as the policy allows.
    async fn call(&self, url: Url, auth: Auth) -> Result<Reply, GraphError> {
        let mut attempt = 1;
        loop {
            match self.attempt(&url, auth).await {
                Err(e) if e.is_transient() && self.retry.allows_another(attempt) => {
                    self.back_off(url.path(), attempt, e).await;
                    attempt += 1;
                }
                Err(GraphError::Transient { reason, .. }) => {
                    return Err(self.scrub(GraphError::Transient {
                        attempts: attempt,
                        reason,
                    }));
                }
                other => return other.map_err(|e| self.scrub(e)),
            }
        }
    }

    /// Waits before the attempt after number `attempt`, saying why.
    async fn back_off(&self, path: &str, attempt: u32, error: GraphError) {
        let wait = self.retry.backoff(attempt);
        let error = self.scrub(error);
        tracing::debug!(path, attempt, wait_ms = millis(wait), %error, "graph call retried");
        tokio::time::sleep(wait).await;
    }

    fn request(&self, url: &Url, auth: Auth) -> RequestBuilder {
        let token = self.token.expose();
        match auth {
            Auth::Header => self.http.get(url.clone()).bearer_auth(token),
            Auth::Query => {
                let mut with_token = url.clone();
                with_token
                    .query_pairs_mut()
                    .append_pair("access_token", token);
                self.http.get(with_token)
            }
        }
    }

    async fn attempt(&self, url: &Url, auth: Auth) -> Result<Reply, GraphError> {
        let started = Instant::now();
        let response = match self.request(url, auth).send().await {
            Ok(response) => response,
            Err(e) => {
                let error = transport_error(e);
                let ms = millis(started.elapsed());
                tracing::debug!(
                    path = url.path(),
                    ms,
                    outcome = error.kind(),
                    "graph call failed"
                );
                return Err(error);
            }
        };
        let status = response.status().as_u16();
        let result = read_reply(response).await;
        let outcome = result.as_ref().err().map_or("ok", GraphError::kind);
        let ms = millis(started.elapsed());
        tracing::debug!(path = url.path(), status, ms, outcome, "graph call");
        result
    }
}

/// Reads a response whole (within [`MAX_BODY`]) and sorts out failures.
async fn read_reply(mut response: Response) -> Result<Reply, GraphError> {
    let status = response.status();
    let usage = parse_usage(response.headers());
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());

    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(GraphError::Malformed {
                reason: format!("response body is over {MAX_BODY} bytes"),
            });
        }
        body.extend_from_slice(&chunk);
    }

    if status.is_success() {
        return Ok(Reply { body, usage });
    }
    Err(classify(Failed {
        status: status.as_u16(),
        body: &body,
        usage,
        retry_after,
    }))
}

/// A failure below HTTP. The URL is dropped first: on the token calls it
/// carries the token.
fn transport_error(error: reqwest::Error) -> GraphError {
    let error = error.without_url();
    let reason = error_chain(&error);
    if error.is_timeout() || error.is_connect() || error.is_request() || error.is_body() {
        GraphError::Transient {
            attempts: 1,
            reason,
        }
    } else if error.is_decode() {
        GraphError::Malformed { reason }
    } else {
        GraphError::Api {
            status: 0,
            code: None,
            message: reason,
        }
    }
}

fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn bad_base(reason: &str) -> GraphError {
    GraphError::Api {
        status: 0,
        code: None,
        message: format!("the API base URL {reason}"),
    }
}

/// Sets `name` to `value`, replacing any earlier value.
fn set_query_param(url: &mut Url, name: &str, value: &str) {
    super::types::strip_query_param(url, name);
    url.query_pairs_mut().append_pair(name, value);
}
