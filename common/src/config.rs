//! Configuration: the one place that reads the environment. A missing
//! required variable stops the cold start with a message that names it.

use std::net::IpAddr;

use chrono_tz::Tz;
use url::Url;

/// The Graph API version this build was written against.
pub const GRAPH_VERSION: &str = "v23.0";
const DEFAULT_MEDIA_HOSTS: &str = "cdninstagram.com,fbcdn.net";

/// A configuration problem, naming the variable at fault.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required but not set")]
    Missing(&'static str),
    #[error("{var} is invalid: {reason}")]
    Invalid { var: &'static str, reason: String },
}

/// Where the Instagram access token comes from.
#[derive(Clone)]
pub enum TokenSource {
    /// The token itself (`IG_ACCESS_TOKEN`), for local use.
    Direct(crate::graph::AccessToken),
    /// A Secrets Manager secret (`IG_TOKEN_SECRET_ID`), in AWS.
    Secret(String),
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Direct(_) => f.write_str("Direct(<redacted>)"),
            TokenSource::Secret(id) => write!(f, "Secret({id})"),
        }
    }
}

/// The host suffixes the mirror may download from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaHosts {
    suffixes: Vec<String>,
}

impl MediaHosts {
    pub fn parse(list: &str) -> Result<Self, String> {
        let suffixes: Vec<String> = list
            .split(',')
            .map(|s| s.trim().trim_start_matches('.').to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if suffixes.is_empty() {
            return Err("no host suffixes given".into());
        }
        Ok(MediaHosts { suffixes })
    }

    /// Whether `url` may be fetched: HTTPS to a listed suffix and never an
    /// IP literal, except that a loopback address listed exactly (a local
    /// fixture) may also be reached over plain HTTP.
    pub fn allows(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if let Ok(ip) = host.parse::<IpAddr>() {
            let listed = self.suffixes.contains(&host);
            return listed && ip.is_loopback() && matches!(url.scheme(), "http" | "https");
        }
        url.scheme() == "https"
            && self
                .suffixes
                .iter()
                .filter(|s| s.parse::<IpAddr>().is_err())
                .any(|s| host == *s || host.ends_with(&format!(".{s}")))
    }
}

/// Everything the functions and the CLI read from the environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub table: String,
    pub bucket: String,
    pub queue_url: Option<String>,
    pub dlq_url: Option<String>,
    pub timezone: Tz,
    pub media_hosts: MediaHosts,
    pub ig_user_id: Option<String>,
    pub token: Option<TokenSource>,
    pub api_base: Url,
    /// The key that seals the read API's page cursors
    /// (`GALLEON_CURSOR_KEY`); without it the API derives one.
    pub cursor_key: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// Reads through `get`, so tests need not touch the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let required = |var: &'static str| get(var).ok_or(ConfigError::Missing(var));
        let invalid = |var: &'static str, reason: String| ConfigError::Invalid { var, reason };

        let timezone = match get("GALLEON_TIMEZONE") {
            Some(tz) => tz
                .parse()
                .map_err(|_| invalid("GALLEON_TIMEZONE", format!("unknown IANA zone {tz:?}")))?,
            None => Tz::UTC,
        };
        let hosts = get("GALLEON_MEDIA_HOSTS").unwrap_or_else(|| DEFAULT_MEDIA_HOSTS.into());
        let media_hosts =
            MediaHosts::parse(&hosts).map_err(|r| invalid("GALLEON_MEDIA_HOSTS", r))?;
        let token = match (get("IG_ACCESS_TOKEN"), get("IG_TOKEN_SECRET_ID")) {
            (Some(t), _) => Some(TokenSource::Direct(crate::graph::AccessToken::new(t))),
            (None, Some(id)) => Some(TokenSource::Secret(id)),
            (None, None) => None,
        };
        let base = get("IG_API_BASE")
            .unwrap_or_else(|| format!("https://graph.instagram.com/{GRAPH_VERSION}"));
        let api_base = Url::parse(base.trim_end_matches('/'))
            .map_err(|e| invalid("IG_API_BASE", e.to_string()))?;

        Ok(Config {
            table: required("GALLEON_TABLE")?,
            bucket: required("GALLEON_BUCKET")?,
            queue_url: get("GALLEON_QUEUE_URL"),
            dlq_url: get("GALLEON_DLQ_URL"),
            timezone,
            media_hosts,
            ig_user_id: get("IG_USER_ID"),
            token,
            api_base,
            cursor_key: get("GALLEON_CURSOR_KEY"),
        })
    }

    pub fn queue_url(&self) -> Result<&str, ConfigError> {
        self.queue_url
            .as_deref()
            .ok_or(ConfigError::Missing("GALLEON_QUEUE_URL"))
    }

    pub fn dlq_url(&self) -> Result<&str, ConfigError> {
        self.dlq_url
            .as_deref()
            .ok_or(ConfigError::Missing("GALLEON_DLQ_URL"))
    }

    pub fn ig_user_id(&self) -> Result<&str, ConfigError> {
        self.ig_user_id
            .as_deref()
            .ok_or(ConfigError::Missing("IG_USER_ID"))
    }

    pub fn token_source(&self) -> Result<&TokenSource, ConfigError> {
        self.token.as_ref().ok_or(ConfigError::Missing(
            "IG_ACCESS_TOKEN or IG_TOKEN_SECRET_ID",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn a_missing_table_is_named() {
        let err = config(&[("GALLEON_BUCKET", "b")]).unwrap_err();
        assert_eq!(err.to_string(), "GALLEON_TABLE is required but not set");
    }

    #[test]
    fn defaults_apply() {
        let c = config(&[("GALLEON_TABLE", "t"), ("GALLEON_BUCKET", "b")]).unwrap();
        assert_eq!(c.timezone, Tz::UTC);
        assert_eq!(
            c.api_base.as_str(),
            format!("https://graph.instagram.com/{GRAPH_VERSION}")
        );
        assert!(c.token.is_none());
        assert!(c.queue_url().is_err());
    }

    #[test]
    fn a_bad_zone_is_named() {
        let err = config(&[
            ("GALLEON_TABLE", "t"),
            ("GALLEON_BUCKET", "b"),
            ("GALLEON_TIMEZONE", "Mars/Base"),
        ])
        .unwrap_err();
        assert!(err.to_string().starts_with("GALLEON_TIMEZONE is invalid"));
    }

    #[test]
    fn media_hosts_allow_only_https_suffixes_and_listed_loopback() {
        let hosts = MediaHosts::parse("cdninstagram.com,fbcdn.net,127.0.0.1").unwrap();
        let ok = |u: &str| hosts.allows(&Url::parse(u).unwrap());
        assert!(ok("https://scontent-lax3-1.cdninstagram.com/v/a.jpg?oe=1"));
        assert!(ok("https://fbcdn.net/a.jpg"));
        assert!(ok("http://127.0.0.1:8080/media/a.jpg"));
        assert!(!ok("http://scontent.cdninstagram.com/a.jpg"));
        assert!(!ok("https://evilcdninstagram.com/a.jpg"));
        assert!(!ok("https://cdninstagram.com.evil.net/a.jpg"));
        assert!(!ok("http://169.254.169.254/latest/meta-data/"));
        assert!(!ok("https://169.254.169.254/latest/meta-data/"));
        assert!(!ok("http://127.0.0.2/a.jpg"));
        assert!(!ok("http://[::1]/a.jpg"));
        assert!(!ok("file:///etc/passwd"));
    }
}
