//! The gallery page, rendered on the server so that it works without
//! JavaScript.
//!
//! Templates are `maud` macros: every interpolated value is escaped, and
//! captions (guests' and Instagram users' text) only ever appear as
//! escaped text or attribute values. The page loads one style sheet and
//! one script from `/static/`, which the Content-Security-Policy allows by
//! origin; no inline script exists. The one inline style allowed is the
//! placeholder colour on each image, checked to be `#rrggbb` beforehand.

use axum::http::{HeaderName, HeaderValue, header};
use chrono::{DateTime, Duration, FixedOffset};
use chrono_tz::Tz;
use galleon_common::domain::{Event, GalleryItem, Source};
use maud::{DOCTYPE, Markup, html};

use crate::error::ApiError;
use crate::gallery::Gallery;
use crate::view::{self, ImageLink};

/// The column widths of the grid in `gallery.css`, as `<img sizes>` says.
const SIZES: &str = "(min-width: 1500px) 20vw, (min-width: 1100px) 25vw, \
                     (min-width: 700px) 34vw, 50vw";
/// The rendition a browser without `srcset` support loads: the first at
/// least this wide.
const FALLBACK_WIDTH: u32 = 640;
/// Alt text longer than this is cut at a word boundary.
const ALT_MAX_CHARS: usize = 125;

/// Own origin only; inline style attributes for placeholder colours.
const CSP: &str = "default-src 'none'; img-src 'self'; style-src 'self'; \
                   style-src-attr 'unsafe-inline'; script-src 'self'; connect-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub const CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// The headers every HTML answer carries besides its type and caching.
pub fn security_headers() -> [(HeaderName, HeaderValue); 3] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// The page for one gallery page.
pub fn gallery_page(gallery: &Gallery) -> String {
    let title = match &gallery.event {
        Some(event) => event.title.clone(),
        None => "No photos here yet".to_owned(),
    };
    let body = html! {
        header.top {
            h1 { (title) }
            @if let Some(when) = gallery.event.as_ref().and_then(date_line) {
                p.when { (when) }
            }
        }
        main {
            @if gallery.items.is_empty() {
                (empty_note(gallery))
            }
            ul.grid #grid {
                @for item in &gallery.items {
                    li.tile { (tile(item)) }
                }
            }
            (more(gallery))
        }
    };
    layout(&title, body).into_string()
}

/// The page for a request that could not be answered.
pub fn error_page(err: &ApiError) -> String {
    let (title, advice) = if err.status().is_server_error() {
        (
            "Photos are unavailable right now",
            "Please try again in a minute.",
        )
    } else if matches!(err, ApiError::NotFound) {
        ("Nothing here", "Check the link you were given.")
    } else {
        (
            "This gallery link doesn't look right",
            "Check the address you were given: a gallery link ends in a date like \
             2026-04-29 or in the event's short name.",
        )
    };
    let body = html! {
        header.top { h1 { (title) } }
        main { p.note { (advice) } }
    };
    layout(title, body).into_string()
}

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
                link rel="stylesheet" href="/static/gallery.css";
                script src="/static/gallery.js" defer {}
            }
            body { (body) }
        }
    }
}

fn tile(item: &GalleryItem) -> Markup {
    let image = image(item);
    html! {
        @if let Some(link) = view::permalink(item) {
            a href=(link) target="_blank" rel="noopener noreferrer" title="View on Instagram" {
                (image)
            }
        } @else {
            (image)
        }
    }
}

fn image(item: &GalleryItem) -> Markup {
    let links = view::images(&item.image);
    let src = fallback(&links);
    let background = format!("background-color:{}", view::placeholder(&item.image));
    html! {
        img src=[src] srcset=(srcset(&links)) sizes=(SIZES) alt=(alt_text(item))
            width=(item.image.width) height=(item.image.height)
            loading="lazy" decoding="async" style=(background);
    }
}

fn fallback(links: &[ImageLink]) -> Option<&str> {
    let wide_enough = links.iter().find(|l| l.width >= FALLBACK_WIDTH);
    wide_enough.or(links.last()).map(|l| l.url.as_str())
}

fn srcset(links: &[ImageLink]) -> String {
    let entries: Vec<String> = links
        .iter()
        .map(|l| format!("{} {}w", l.url, l.width))
        .collect();
    entries.join(", ")
}

/// The caption on one line, cut at a word boundary when long; a plain
/// description when there is none.
pub fn alt_text(item: &GalleryItem) -> String {
    let caption = item.caption.as_deref().unwrap_or("");
    let words: Vec<&str> = caption.split_whitespace().collect();
    if words.is_empty() {
        return match item.source {
            Source::Instagram => "Photo from Instagram".to_owned(),
            Source::Guest => "Photo from a guest".to_owned(),
        };
    }
    let mut alt = String::new();
    for word in words {
        let extra = usize::from(!alt.is_empty()) + word.chars().count();
        if alt.chars().count() + extra > ALT_MAX_CHARS {
            if alt.is_empty() {
                alt = word.chars().take(ALT_MAX_CHARS).collect();
            }
            alt.push('…');
            return alt;
        }
        if !alt.is_empty() {
            alt.push(' ');
        }
        alt.push_str(word);
    }
    alt
}

/// When the event is, in its own time zone; nothing when the title says
/// it already (a date event's title is its date).
fn date_line(event: &Event) -> Option<String> {
    let tz: Tz = event.time_zone.parse().unwrap_or(Tz::UTC);
    let day = |t: DateTime<FixedOffset>| t.with_timezone(&tz).format("%A %-d %B %Y").to_string();
    let first = day(event.start);
    // The end is exclusive: a window ending at midnight ends the day before.
    let last = day(event.end - Duration::nanoseconds(1));
    let line = if first == last {
        first
    } else {
        format!("{first} – {last}")
    };
    (line != event.title).then_some(line)
}

fn empty_note(gallery: &Gallery) -> Markup {
    let first_page = gallery.params.cursor.is_none();
    html! {
        @match (&gallery.event, first_page) {
            (None, _) => p.note {
                "There are no photos for \u{201c}" (gallery.event_id) "\u{201d}. "
                "Check the link you were given, or come back later."
            },
            (Some(_), true) if gallery.next_cursor.is_none() => p.note {
                "No photos yet. Photos from this event appear here shortly after they are posted."
            },
            _ => {},
        }
    }
}

fn more(gallery: &Gallery) -> Markup {
    let next = gallery.next_cursor.as_deref().map(|cursor| {
        format!(
            "/g/{}?{}",
            gallery.event_id,
            gallery.params.next_query(cursor)
        )
    });
    html! {
        @if let Some(href) = next {
            nav.more { a #next rel="next" href=(href) { "More photos" } }
        } @else if !gallery.items.is_empty() {
            p.end { "That's every photo so far." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use galleon_common::domain::{EventId, ItemId, Sha256, StoredImage, Variant};

    use crate::params::PageParams;

    fn item(caption: Option<&str>, permalink: Option<&str>) -> GalleryItem {
        let sha = Sha256::of(b"photo");
        GalleryItem {
            event_id: "2026-04-29".parse().expect("id"),
            id: ItemId::Instagram("1790".parse().expect("media id")),
            source: Source::Instagram,
            taken_at: Utc.with_ymd_and_hms(2026, 4, 29, 20, 0, 0).unwrap(),
            caption: caption.map(str::to_owned),
            permalink: permalink.map(str::to_owned),
            media_type: "IMAGE".into(),
            image: StoredImage {
                original_key: format!("media/{sha}/original.jpg"),
                variants: vec![
                    Variant {
                        width: 320,
                        height: 240,
                        key: format!("media/{sha}/w320.webp"),
                    },
                    Variant {
                        width: 640,
                        height: 480,
                        key: format!("media/{sha}/w640.webp"),
                    },
                ],
                sha256: sha,
                width: 1600,
                height: 1200,
                placeholder: "#334455".into(),
            },
            status: None,
            hidden: false,
        }
    }

    fn gallery(items: Vec<GalleryItem>) -> Gallery {
        let date = NaiveDate::from_ymd_opt(2026, 4, 29).expect("date");
        Gallery {
            event_id: EventId::Date(date),
            event: Some(Event::for_date(date, Tz::UTC)),
            items,
            next_cursor: None,
            params: PageParams::default(),
        }
    }

    #[test]
    fn a_caption_with_markup_comes_out_escaped() {
        let page = gallery_page(&gallery(vec![item(
            Some("<script>alert(1)</script>"),
            None,
        )]));

        assert!(!page.contains("<script>alert(1)"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn a_caption_cannot_break_out_of_its_attribute() {
        let page = gallery_page(&gallery(vec![item(Some("\" onerror=\"alert(1)"), None)]));

        assert!(!page.contains("\" onerror=\""));
        assert!(page.contains("&quot; onerror=&quot;alert(1)"));
    }

    #[test]
    fn an_image_has_srcset_size_lazy_loading_and_its_placeholder() {
        let page = gallery_page(&gallery(vec![item(None, None)]));

        assert!(page.contains(" 320w, /media/"));
        assert!(page.contains("width=\"1600\" height=\"1200\""));
        assert!(page.contains("loading=\"lazy\""));
        assert!(page.contains("style=\"background-color:#334455\""));
    }

    #[test]
    fn an_instagram_photo_links_to_its_post_but_not_to_a_script_url() {
        let post = "https://www.instagram.com/p/abc/";
        let linked = gallery_page(&gallery(vec![item(None, Some(post))]));
        let scripted = gallery_page(&gallery(vec![item(None, Some("javascript:alert(1)"))]));

        assert!(linked.contains(&format!("href=\"{post}\"")));
        assert!(!scripted.contains("javascript:"));
    }

    #[test]
    fn a_long_caption_is_cut_at_a_word_for_alt_text() {
        let caption = "sunset over the harbour ".repeat(20);

        let alt = alt_text(&item(Some(&caption), None));

        let cut = alt.strip_suffix('…').expect("marked as cut");
        assert!(caption.starts_with(&format!("{cut} ")), "{alt}");
        assert!(cut.chars().count() <= ALT_MAX_CHARS);
        assert_eq!(alt_text(&item(Some("  two\nlines "), None)), "two lines");
        assert_eq!(alt_text(&item(None, None)), "Photo from Instagram");
    }

    #[test]
    fn a_named_event_over_two_days_shows_both_dates() {
        let start = DateTime::parse_from_rfc3339("2026-04-29T18:00:00-07:00").expect("time");
        let end = DateTime::parse_from_rfc3339("2026-04-30T01:00:00-07:00").expect("time");
        let la: Tz = "America/Los_Angeles".parse().expect("zone");
        let event = Event::named("cruise".parse().expect("id"), "Cruise", start, end, la);

        let line = date_line(&event.expect("event"));

        assert_eq!(
            line.as_deref(),
            Some("Wednesday 29 April 2026 – Thursday 30 April 2026")
        );
    }

    #[test]
    fn a_date_event_does_not_repeat_its_date() {
        assert_eq!(date_line(&gallery(vec![]).event.expect("event")), None);
    }
}
