//! The item shape of DESIGN.md, shared by the JSON answer and the page.
//!
//! Stored values are rechecked on the way out: an image URL is only ever
//! built from a key [`MediaKey`] accepts (so every URL given out is one
//! `/media/...` serves), and a placeholder is only ever a `#rrggbb` colour.

use chrono::{DateTime, FixedOffset, Utc};
use galleon_common::domain::{Event, GalleryItem, Source, StoredImage};
use serde::Serialize;

use crate::gallery::Gallery;
use crate::media_key::MediaKey;

/// Shown behind an image whose stored placeholder is not a colour.
const NEUTRAL_PLACEHOLDER: &str = "#d9d9d9";

/// The JSON answer of `/api/events/{id}/photos`.
#[derive(Debug, Serialize)]
pub struct PhotosBody<'a> {
    pub event: Option<EventView<'a>>,
    pub items: Vec<ItemView<'a>>,
    pub next_cursor: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    pub id: String,
    pub title: &'a str,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub time_zone: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ItemView<'a> {
    pub id: String,
    pub source: Source,
    pub taken_at: DateTime<Utc>,
    pub caption: Option<&'a str>,
    /// Instagram items only; `null` for guest photos.
    pub permalink: Option<&'a str>,
    pub media_type: &'a str,
    pub width: u32,
    pub height: u32,
    pub images: Vec<ImageLink>,
    pub placeholder: &'a str,
}

/// One rendition a browser may pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageLink {
    pub width: u32,
    pub url: String,
}

impl<'a> PhotosBody<'a> {
    pub fn new(gallery: &'a Gallery) -> Self {
        PhotosBody {
            event: gallery.event.as_ref().map(EventView::new),
            items: gallery.items.iter().map(ItemView::new).collect(),
            next_cursor: gallery.next_cursor.as_deref(),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("the body is plain data and always serialises")
    }
}

impl<'a> EventView<'a> {
    fn new(event: &'a Event) -> Self {
        EventView {
            id: event.id.to_string(),
            title: &event.title,
            start: event.start,
            end: event.end,
            time_zone: &event.time_zone,
        }
    }
}

impl<'a> ItemView<'a> {
    fn new(item: &'a GalleryItem) -> Self {
        ItemView {
            id: item.id.to_string(),
            source: item.source,
            taken_at: item.taken_at,
            caption: item.caption.as_deref(),
            permalink: permalink(item),
            media_type: &item.media_type,
            width: item.image.width,
            height: item.image.height,
            images: images(&item.image),
            placeholder: placeholder(&item.image),
        }
    }
}

/// The renditions of an image, smallest first. Keys that do not name a
/// servable object are left out and logged; an image without usable
/// variants falls back to its original.
pub fn images(image: &StoredImage) -> Vec<ImageLink> {
    let mut links: Vec<ImageLink> = image
        .variants
        .iter()
        .filter_map(|v| link(&v.key, v.width))
        .collect();
    if links.is_empty() {
        links.extend(link(&image.original_key, image.width));
    }
    links.sort_by_key(|l| l.width);
    links
}

fn link(key: &str, width: u32) -> Option<ImageLink> {
    match MediaKey::parse(key) {
        Some(key) => Some(ImageLink {
            width,
            url: key.url(),
        }),
        None => {
            tracing::warn!(key, "stored image key is not servable; left out");
            None
        }
    }
}

/// The placeholder colour, or a neutral grey when the stored one is not
/// exactly `#rrggbb` (it ends up in a style attribute).
pub fn placeholder(image: &StoredImage) -> &str {
    let p = image.placeholder.as_str();
    let is_colour =
        p.len() == 7 && p.starts_with('#') && p.bytes().skip(1).all(|b| b.is_ascii_hexdigit());
    if is_colour { p } else { NEUTRAL_PLACEHOLDER }
}

/// The post's link, when it is an Instagram item's HTTPS URL. Anything
/// else (a guest item, a `javascript:` URL in a damaged record) gets none.
pub fn permalink(item: &GalleryItem) -> Option<&str> {
    let link = item.permalink.as_deref()?;
    (item.source == Source::Instagram && link.starts_with("https://")).then_some(link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use galleon_common::domain::{Sha256, Variant};

    fn image(variants: &[(u32, &str)], placeholder: &str) -> StoredImage {
        let sha = Sha256::of(b"photo");
        StoredImage {
            original_key: format!("media/{sha}/original.jpg"),
            variants: variants
                .iter()
                .map(|(w, file)| Variant {
                    width: *w,
                    height: *w,
                    key: format!("media/{sha}/{file}"),
                })
                .collect(),
            sha256: sha,
            width: 2000,
            height: 1500,
            placeholder: placeholder.into(),
        }
    }

    #[test]
    fn images_come_smallest_first_as_relative_urls() {
        let img = image(
            &[(1080, "w1080.webp"), (320, "w320.webp"), (640, "w640.webp")],
            "#123abc",
        );

        let widths: Vec<u32> = images(&img).iter().map(|l| l.width).collect();

        assert_eq!(widths, [320, 640, 1080]);
        assert_eq!(
            images(&img)[0].url,
            format!("/media/{}/w320.webp", img.sha256)
        );
    }

    #[test]
    fn an_unservable_key_is_left_out_and_an_image_without_variants_shows_its_original() {
        let img = image(&[(320, "../../secret")], "#123abc");

        let links = images(&img);

        assert_eq!(
            links,
            [ImageLink {
                width: 2000,
                url: format!("/{}", img.original_key)
            }]
        );
    }

    #[test]
    fn a_placeholder_that_is_not_a_colour_becomes_neutral() {
        assert_eq!(placeholder(&image(&[], "#A1b2C3")), "#A1b2C3");
        for bad in ["red", "#12345", "#1234567", "#12345g", "#123\"><"] {
            assert_eq!(
                placeholder(&image(&[], bad)),
                NEUTRAL_PLACEHOLDER,
                "{bad:?}"
            );
        }
    }
}
