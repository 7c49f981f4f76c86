//! The query string of a gallery request: `limit` and `cursor`, parsed
//! by hand so that every malformed request gets the API's own JSON (or
//! HTML) error rather than a framework's plain-text one.

/// Items per page when the client does not say.
pub const DEFAULT_LIMIT: u32 = 30;
/// The most items one page may ask for: one Query reads at most this many.
pub const MAX_LIMIT: u32 = 100;

/// Why a query string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("limit must be a whole number from 1 to {MAX_LIMIT}")]
    Limit,
    #[error("the {0} parameter is given more than once")]
    Repeated(&'static str),
}

/// What a page request asks for. The cursor is still sealed: only the
/// event it names can open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageParams {
    pub limit: u32,
    pub cursor: Option<String>,
}

impl Default for PageParams {
    fn default() -> Self {
        PageParams {
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

impl PageParams {
    /// Parses a raw query string. Parameters other than `limit` and
    /// `cursor` are ignored, so that cache-busting or tracking parameters
    /// added by links do not break a page.
    pub fn parse(query: Option<&str>) -> Result<Self, ParamError> {
        let mut limit = None;
        let mut cursor = None;
        for (name, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            match name.as_ref() {
                "limit" => set_once(&mut limit, "limit", value.into_owned())?,
                "cursor" => set_once(&mut cursor, "cursor", value.into_owned())?,
                _ => {}
            }
        }
        let limit = match limit {
            Some(raw) => parse_limit(&raw)?,
            None => DEFAULT_LIMIT,
        };
        Ok(PageParams { limit, cursor })
    }

    /// The query string of the page after this one, for a next link.
    pub fn next_query(&self, next_cursor: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("cursor", next_cursor);
        if self.limit != DEFAULT_LIMIT {
            query.append_pair("limit", &self.limit.to_string());
        }
        query.finish()
    }
}

fn set_once(
    slot: &mut Option<String>,
    name: &'static str,
    value: String,
) -> Result<(), ParamError> {
    match slot.replace(value) {
        Some(_) => Err(ParamError::Repeated(name)),
        None => Ok(()),
    }
}

fn parse_limit(raw: &str) -> Result<u32, ParamError> {
    let digits_only = !raw.is_empty() && raw.len() <= 3 && raw.bytes().all(|b| b.is_ascii_digit());
    let limit: u32 = if digits_only {
        raw.parse().map_err(|_| ParamError::Limit)?
    } else {
        0
    };
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(ParamError::Limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_query_means_the_default_page() {
        assert_eq!(PageParams::parse(None), Ok(PageParams::default()));
        assert_eq!(PageParams::parse(Some("")), Ok(PageParams::default()));
    }

    #[test]
    fn limit_and_cursor_are_read_and_others_ignored() {
        let params = PageParams::parse(Some("limit=5&cursor=abc_-&utm_source=x"));

        let expected = PageParams {
            limit: 5,
            cursor: Some("abc_-".into()),
        };
        assert_eq!(params, Ok(expected));
    }

    #[test]
    fn a_limit_out_of_range_or_not_a_number_is_refused() {
        for bad in [
            "0",
            "101",
            "-1",
            "1.5",
            "",
            "ten",
            "+5",
            "0005",
            "99999999999",
        ] {
            let query = format!("limit={bad}");
            assert_eq!(
                PageParams::parse(Some(&query)),
                Err(ParamError::Limit),
                "{bad:?}"
            );
        }
        assert_eq!(
            PageParams::parse(Some("limit=100")).map(|p| p.limit),
            Ok(100)
        );
    }

    #[test]
    fn a_repeated_parameter_is_refused() {
        let repeated = PageParams::parse(Some("cursor=a&cursor=b"));

        assert_eq!(repeated, Err(ParamError::Repeated("cursor")));
    }

    #[test]
    fn the_next_query_keeps_a_chosen_limit() {
        let params = PageParams {
            limit: 10,
            cursor: None,
        };

        assert_eq!(params.next_query("abc"), "cursor=abc&limit=10");
        assert_eq!(PageParams::default().next_query("abc"), "cursor=abc");
    }
}
