//! Downloads from Instagram's CDN, and from nowhere else.
//!
//! A queue message is input: a link in it must not make the mirror fetch
//! the instance metadata service or anything internal. So a URL must pass
//! [`MediaHosts::allows`] (HTTPS to a listed host suffix, no IP literals
//! unless a loopback fixture is listed exactly); every redirect hop is
//! checked the same way; a host name that resolves to a private, loopback
//! or link-local address is refused at connect time; and every download is
//! capped in bytes and time.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use galleon_common::config::MediaHosts;
use reqwest::StatusCode;
use url::Url;

#[derive(Debug, Clone)]
pub struct FetchLimits {
    pub max_bytes: usize,
    pub timeout: Duration,
    pub max_redirects: usize,
}

impl Default for FetchLimits {
    /// 25 MiB matches the image path's own cap; Instagram's originals are
    /// well under 2 MiB.
    fn default() -> Self {
        FetchLimits {
            max_bytes: 25 * 1024 * 1024,
            timeout: Duration::from_secs(20),
            max_redirects: 3,
        }
    }
}

/// Why a download did not produce bytes.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("refused to fetch from {host}: not an allowed media host")]
    HostRefused { host: String },
    #[error("the link has expired (HTTP {0})")]
    Expired(u16),
    #[error("the CDN answered HTTP {0}")]
    Status(u16),
    #[error("the download is over {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the download failed")]
    Network(#[source] reqwest::Error),
}

impl FetchError {
    /// Whether trying the same link again can never help.
    pub fn is_permanent(&self) -> bool {
        match self {
            FetchError::HostRefused { .. } | FetchError::TooLarge { .. } => true,
            FetchError::Status(s) => (400..500).contains(s) && *s != 429 && *s != 408,
            FetchError::Expired(_) | FetchError::Network(_) => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    hosts: MediaHosts,
    max_bytes: usize,
}

impl Fetcher {
    pub fn new(hosts: MediaHosts, limits: FetchLimits) -> reqwest::Result<Self> {
        let policy_hosts = hosts.clone();
        let max_redirects = limits.max_redirects;
        let redirect = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= max_redirects {
                attempt.error("too many redirects")
            } else if policy_hosts.allows(attempt.url()) {
                attempt.follow()
            } else {
                attempt.error("redirect off the allowed media hosts")
            }
        });
        let client = reqwest::Client::builder()
            .timeout(limits.timeout)
            .connect_timeout(Duration::from_secs(5))
            .redirect(redirect)
            .dns_resolver(std::sync::Arc::new(PublicOnly))
            .user_agent(concat!("galleon-mirror/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Fetcher {
            client,
            hosts,
            max_bytes: limits.max_bytes,
        })
    }

    /// The bytes at `url`, or why not. Errors carry no URL: CDN links are
    /// signed, and nothing signed belongs in a log.
    pub async fn get(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        if !self.hosts.allows(url) {
            return Err(FetchError::HostRefused {
                host: url.host_str().unwrap_or("").to_owned(),
            });
        }
        let mut response = self.client.get(url.clone()).send().await.map_err(network)?;
        match response.status() {
            s if s.is_success() => {}
            StatusCode::FORBIDDEN | StatusCode::GONE | StatusCode::NOT_FOUND => {
                return Err(FetchError::Expired(response.status().as_u16()));
            }
            s => return Err(FetchError::Status(s.as_u16())),
        }
        let limit = self.max_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(FetchError::TooLarge { limit });
        }
        let mut bytes = Vec::with_capacity(response.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = response.chunk().await.map_err(network)? {
            if bytes.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// A redirect refused by the policy surfaces as a reqwest error; name it
/// as the refusal it is, so that it is not retried.
fn network(e: reqwest::Error) -> FetchError {
    if e.is_redirect() {
        let host = e.url().and_then(|u| u.host_str()).unwrap_or("").to_owned();
        return FetchError::HostRefused { host };
    }
    FetchError::Network(e.without_url())
}

/// A resolver that answers only public addresses, so that an allowed host
/// name pointed at an internal address is still refused.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let public: Vec<SocketAddr> = found.filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{} resolves to no public address", name.as_str()).into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80)
            }
        },
    }
}

/// The HTTP client for the mirror's Graph calls (fresh links).
pub fn graph_http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "169.254.169.254",
            "10.0.0.1",
            "127.0.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        assert!(is_public("157.240.1.1".parse().unwrap()));
    }

    #[tokio::test]
    async fn a_link_to_an_unlisted_host_is_refused_without_a_request() {
        let fetcher = Fetcher::new(
            MediaHosts::parse("cdninstagram.com").unwrap(),
            FetchLimits::default(),
        )
        .unwrap();
        let url = Url::parse("http://169.254.169.254/latest/meta-data/").unwrap();
        let err = fetcher.get(&url).await.unwrap_err();
        assert!(matches!(err, FetchError::HostRefused { .. }));
        assert!(err.is_permanent());
    }
}
