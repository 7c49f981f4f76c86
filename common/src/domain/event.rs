//! Events and their windows. Every post belongs to the date event of its
//! local date in the configured time zone; named events add windows of any
//! length, and a post is filed under every event whose window holds it.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::ids::EventId;

/// A stored named event, or a date event made up on the fly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub title: String,
    /// Inclusive start of the window.
    pub start: DateTime<FixedOffset>,
    /// Exclusive end of the window.
    pub end: DateTime<FixedOffset>,
    /// The IANA zone the page shows times in.
    pub time_zone: String,
    #[serde(default)]
    pub hidden: bool,
}

/// Why an event definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the event must end after it starts")]
    EmptyWindow,
    #[error("the title must be 1-200 characters without control characters")]
    Title,
    #[error("a date event ({0}) is implicit and cannot be stored; name the event with a slug")]
    DateIdIsImplicit(EventId),
}

impl Event {
    /// A named event, validated: a slug id, a title and a non-empty window.
    pub fn named(
        id: EventId,
        title: &str,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
        tz: Tz,
    ) -> Result<Self, EventError> {
        if id.as_date().is_some() {
            return Err(EventError::DateIdIsImplicit(id));
        }
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 200 || title.chars().any(char::is_control) {
            return Err(EventError::Title);
        }
        if end <= start {
            return Err(EventError::EmptyWindow);
        }
        Ok(Event {
            id,
            title: title.to_owned(),
            start,
            end,
            time_zone: tz.name().to_owned(),
            hidden: false,
        })
    }

    /// The date event of `date`: local midnight to the next local midnight.
    pub fn for_date(date: NaiveDate, tz: Tz) -> Self {
        let start = local_midnight(date, tz);
        let end = local_midnight(date + Days::new(1), tz);
        Event {
            id: EventId::Date(date),
            title: date.format("%A %-d %B %Y").to_string(),
            start,
            end,
            time_zone: tz.name().to_owned(),
            hidden: false,
        }
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }

    /// The local dates the window touches in `tz`: the date events whose
    /// posts may fall inside it. Re-filing reads exactly these partitions.
    pub fn dates(&self, tz: Tz) -> impl Iterator<Item = NaiveDate> {
        let first = self.start.with_timezone(&tz).date_naive();
        // `end` is exclusive: a window ending at local midnight stops the day before.
        let last = (self.end - chrono::Duration::nanoseconds(1))
            .with_timezone(&tz)
            .date_naive();
        first.iter_days().take_while(move |d| *d <= last)
    }
}

/// The first instant of `date` in `tz`. On a day that starts inside a
/// daylight-saving gap, the first instant that exists.
fn local_midnight(date: NaiveDate, tz: Tz) -> DateTime<FixedOffset> {
    let mut t = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    loop {
        if let Some(dt) = tz.from_local_datetime(&t).earliest() {
            return dt.fixed_offset();
        }
        t += chrono::Duration::minutes(15);
    }
}

/// The local date of an instant: its date event.
pub fn date_event(at: DateTime<Utc>, tz: Tz) -> EventId {
    EventId::Date(at.with_timezone(&tz).date_naive())
}

/// Every event a post taken at `at` is filed under: its date event first,
/// then each named event whose window holds it, in the order given.
pub fn events_for(at: DateTime<Utc>, tz: Tz, named: &[Event]) -> Vec<EventId> {
    let mut ids = vec![date_event(at, tz)];
    ids.extend(
        named
            .iter()
            .filter(|e| e.contains(at))
            .map(|e| e.id.clone()),
    );
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn named(id: &str, start: &str, end: &str) -> Event {
        Event::named(
            id.parse().unwrap(),
            "t",
            DateTime::parse_from_rfc3339(start).unwrap(),
            DateTime::parse_from_rfc3339(end).unwrap(),
            Tz::UTC,
        )
        .unwrap()
    }

    #[test]
    fn a_late_evening_post_belongs_to_the_local_date() {
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let id = date_event(utc("2026-04-30T02:30:00Z"), la);
        assert_eq!(id.to_string(), "2026-04-29");
        assert_eq!(
            date_event(utc("2026-04-30T02:30:00Z"), Tz::UTC).to_string(),
            "2026-04-30"
        );
    }

    #[test]
    fn a_post_is_filed_under_every_window_that_holds_it() {
        let events = [
            named("regatta", "2026-04-28T00:00:00Z", "2026-05-01T00:00:00Z"),
            named(
                "sunset-cruise",
                "2026-04-29T18:00:00-07:00",
                "2026-04-30T01:00:00-07:00",
            ),
            named("later", "2026-05-02T00:00:00Z", "2026-05-03T00:00:00Z"),
        ];
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let ids: Vec<String> = events_for(utc("2026-04-30T02:30:00Z"), la, &events)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(ids, ["2026-04-29", "regatta", "sunset-cruise"]);
    }

    #[test]
    fn a_window_is_half_open() {
        let e = named("x", "2026-04-29T00:00:00Z", "2026-04-30T00:00:00Z");
        assert!(e.contains(utc("2026-04-29T00:00:00Z")));
        assert!(!e.contains(utc("2026-04-30T00:00:00Z")));
    }

    #[test]
    fn a_date_event_spans_its_local_day_across_a_dst_change() {
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let e = Event::for_date(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(), la);
        assert_eq!((e.end - e.start).num_hours(), 23);
        assert!(e.contains(utc("2026-03-08T08:00:00Z")));
    }

    #[test]
    fn the_dates_of_a_window_past_midnight_are_both_local_days() {
        let la: Tz = "America/Los_Angeles".parse().unwrap();
        let e = named(
            "x",
            "2026-04-29T18:00:00-07:00",
            "2026-04-30T01:00:00-07:00",
        );
        let dates: Vec<String> = e.dates(la).map(|d| d.to_string()).collect();
        assert_eq!(dates, ["2026-04-29", "2026-04-30"]);
        let midnight = named("y", "2026-04-29T00:00:00Z", "2026-04-30T00:00:00Z");
        assert_eq!(midnight.dates(Tz::UTC).count(), 1);
    }

    #[test]
    fn bad_definitions_are_refused() {
        let s = DateTime::parse_from_rfc3339("2026-04-29T00:00:00Z").unwrap();
        let id: EventId = "x".parse().unwrap();
        assert_eq!(
            Event::named(id.clone(), "t", s, s, Tz::UTC),
            Err(EventError::EmptyWindow)
        );
        assert_eq!(
            Event::named(id, "  ", s, s + chrono::Duration::hours(1), Tz::UTC),
            Err(EventError::Title)
        );
        let date: EventId = "2026-04-29".parse().unwrap();
        assert!(matches!(
            Event::named(date, "t", s, s + chrono::Duration::hours(1), Tz::UTC),
            Err(EventError::DateIdIsImplicit(_))
        ));
    }
}
