//! Rate-limit usage as Meta reports it in response headers.
//!
//! `X-Business-Use-Case-Usage` maps a business id to a list of entries and
//! `X-App-Usage` is one flat entry; both carry percentages of the limit.
//! [`Usage`] keeps the highest figure of each kind over every entry of
//! both headers, because the tightest limit is the one that bites.

use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

const BUSINESS_HEADER: &str = "x-business-use-case-usage";
const APP_HEADER: &str = "x-app-usage";

/// Usage of the rate limits, in percent, and how long until a throttled
/// caller may call again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub call_count: u32,
    pub total_cputime: u32,
    pub total_time: u32,
    /// Meta's `estimated_time_to_regain_access`, in minutes; 0 when not
    /// throttled.
    pub minutes_to_regain_access: u32,
}

impl Usage {
    fn max(self, other: Usage) -> Usage {
        Usage {
            call_count: self.call_count.max(other.call_count),
            total_cputime: self.total_cputime.max(other.total_cputime),
            total_time: self.total_time.max(other.total_time),
            minutes_to_regain_access: self
                .minutes_to_regain_access
                .max(other.minutes_to_regain_access),
        }
    }
}

/// The usage reported by a response, or `None` when neither header is
/// present and well-formed. A malformed header is ignored, not an error:
/// usage is advice, and the response it came with is still good.
pub fn parse_usage(headers: &HeaderMap) -> Option<Usage> {
    let business = header_json(headers, BUSINESS_HEADER).and_then(|v| business_usage(&v));
    let app = header_json(headers, APP_HEADER).and_then(|v| entry_usage(&v));
    match (business, app) {
        (Some(b), Some(a)) => Some(b.max(a)),
        (b, a) => b.or(a),
    }
}

fn header_json(headers: &HeaderMap, name: &str) -> Option<Value> {
    let text = headers.get(name)?.to_str().ok()?;
    serde_json::from_str(text).ok()
}

/// `{"<id>": [{entry}, ...], ...}`: the maximum over every entry.
fn business_usage(value: &Value) -> Option<Usage> {
    value
        .as_object()?
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(entry_usage)
        .reduce(Usage::max)
}

/// One entry; it counts only if it carries at least one known figure.
fn entry_usage(value: &Value) -> Option<Usage> {
    let entry = value.as_object()?;
    let figure = |key: &str| entry.get(key).and_then(percentage);
    let usage = Usage {
        call_count: figure("call_count").unwrap_or(0),
        total_cputime: figure("total_cputime").unwrap_or(0),
        total_time: figure("total_time").unwrap_or(0),
        minutes_to_regain_access: figure("estimated_time_to_regain_access").unwrap_or(0),
    };
    let known = [
        "call_count",
        "total_cputime",
        "total_time",
        "estimated_time_to_regain_access",
    ];
    known.iter().any(|k| figure(k).is_some()).then_some(usage)
}

/// A non-negative number, integral or not, as Meta sends either.
fn percentage(value: &Value) -> Option<u32> {
    let n = value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f.ceil() as u64)
    })?;
    Some(u32::try_from(n).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            let name = HeaderName::from_bytes(name.as_bytes()).expect("test header name");
            map.insert(name, HeaderValue::from_str(value).expect("test header"));
        }
        map
    }

    #[test]
    fn business_usage_takes_the_highest_figure_of_every_entry() {
        let map = headers(&[(
            "X-Business-Use-Case-Usage",
            concat!(
                r#"{"178":[{"type":"instagram","call_count":12,"total_cputime":3,"#,
                r#""total_time":40,"estimated_time_to_regain_access":0}],"#,
                r#""179":[{"type":"instagram","call_count":30,"total_cputime":1,"#,
                r#""total_time":2,"estimated_time_to_regain_access":7}]}"#,
            ),
        )]);
        let usage = parse_usage(&map).expect("usage");
        assert_eq!(
            usage,
            Usage {
                call_count: 30,
                total_cputime: 3,
                total_time: 40,
                minutes_to_regain_access: 7
            }
        );
    }

    #[test]
    fn app_usage_alone_is_read() {
        let map = headers(&[(
            "x-app-usage",
            r#"{"call_count":5,"total_cputime":2,"total_time":9}"#,
        )]);
        let usage = parse_usage(&map).expect("usage");
        assert_eq!(usage.call_count, 5);
        assert_eq!(usage.total_time, 9);
        assert_eq!(usage.minutes_to_regain_access, 0);
    }

    #[test]
    fn both_headers_combine_by_maximum() {
        let map = headers(&[
            (
                "x-app-usage",
                r#"{"call_count":80,"total_cputime":2,"total_time":9}"#,
            ),
            (
                "x-business-use-case-usage",
                r#"{"1":[{"call_count":10,"total_cputime":50,"total_time":1,"estimated_time_to_regain_access":3}]}"#,
            ),
        ]);
        let usage = parse_usage(&map).expect("usage");
        assert_eq!(
            usage,
            Usage {
                call_count: 80,
                total_cputime: 50,
                total_time: 9,
                minutes_to_regain_access: 3
            }
        );
    }

    #[test]
    fn a_malformed_header_is_ignored_and_the_other_still_counts() {
        let map = headers(&[
            ("x-business-use-case-usage", "{not json"),
            (
                "x-app-usage",
                r#"{"call_count":4,"total_cputime":0,"total_time":1}"#,
            ),
        ]);
        assert_eq!(parse_usage(&map).map(|u| u.call_count), Some(4));
    }

    #[test]
    fn no_usable_header_gives_no_usage() {
        assert_eq!(parse_usage(&HeaderMap::new()), None);
        let map = headers(&[
            ("x-app-usage", "[1,2]"),
            ("x-business-use-case-usage", r#"{"1":"x"}"#),
        ]);
        assert_eq!(parse_usage(&map), None);
    }

    #[test]
    fn fractional_and_huge_figures_are_clamped_into_range() {
        let map = headers(&[(
            "x-app-usage",
            r#"{"call_count":2.5,"total_cputime":-1,"total_time":1e12}"#,
        )]);
        let usage = parse_usage(&map).expect("usage");
        assert_eq!(usage.call_count, 3);
        assert_eq!(usage.total_cputime, 0);
        assert_eq!(usage.total_time, u32::MAX);
    }
}
