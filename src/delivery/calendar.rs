//! Time in the shops' town: Paris time, opening hours, preparation delays, slot times,
//! working days and dates as French readers write them.
//!
//! Pure functions of their arguments (the current time is always passed in), so pages,
//! checkout and tests agree on what "the earliest pickup" is.

use comptoir_indexer::model::{Hours, OpeningRange, Weekday};
use comptoir_indexer::render::text::FRENCH_MONTHS;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};

/// How far ahead to look for an opening where the shop can prepare an order.
pub const OPENING_LOOKAHEAD_DAYS: i64 = 14;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// The shops' time zone (the tz database is bundled, so this never falls back in practice).
#[must_use]
pub fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC)
}

/// `at` on the clocks of the town.
#[must_use]
pub fn in_paris(at: Timestamp) -> Zoned {
    at.to_zoned(paris())
}

/// The day of the week of `day`, as the catalogue names it.
#[must_use]
pub fn weekday(day: Date) -> Weekday {
    let index = day.weekday().to_monday_zero_offset();
    Weekday::ALL[usize::try_from(index).unwrap_or(0) % 7]
}

/// `minutes` after midnight on `day`, Paris time (`24:00` is the next midnight).
#[must_use]
pub fn at(day: Date, minutes: u16) -> Option<Zoned> {
    let (day, minutes) = if minutes >= MINUTES_PER_DAY {
        (day.tomorrow().ok()?, minutes - MINUTES_PER_DAY)
    } else {
        (day, minutes)
    };
    let hour = i8::try_from(minutes / 60).ok()?;
    let minute = i8::try_from(minutes % 60).ok()?;
    day.at(hour, minute, 0, 0).to_zoned(paris()).ok()
}

/// When a slot written `"10:00-12:00"` starts on `day`.
#[must_use]
pub fn slot_start(day: Date, slot: &str) -> Option<Zoned> {
    at(day, OpeningRange::parse(slot)?.opens)
}

/// The earliest time an order placed at `now` is ready: preparation happens while the shop
/// is open, within one opening range (a shop does not finish an order after closing).
/// `None` when the shop has no such opening in the next [`OPENING_LOOKAHEAD_DAYS`] days.
#[must_use]
pub fn ready_at(hours: &Hours, preparation_minutes: u32, now: &Zoned) -> Option<Zoned> {
    let preparation = SignedDuration::from_mins(i64::from(preparation_minutes));
    (0..OPENING_LOOKAHEAD_DAYS)
        .filter_map(|d| now.date().checked_add(jiff::Span::new().days(d)).ok())
        .flat_map(|day| {
            hours
                .day(weekday(day))
                .iter()
                .filter_map(move |range| Some((at(day, range.opens)?, at(day, range.closes)?)))
        })
        .find_map(|(opens, closes)| {
            let start = if opens.timestamp() > now.timestamp() {
                opens
            } else {
                now.clone()
            };
            let ready = start.checked_add(preparation).ok()?;
            (ready.timestamp() <= closes.timestamp()).then_some(ready)
        })
}

/// `days` working days (Monday to Friday) after `day`.
#[must_use]
pub fn add_working_days(day: Date, days: u32) -> Date {
    let mut current = day;
    let mut left = days;
    while left > 0 {
        let Ok(next) = current.tomorrow() else {
            return current;
        };
        current = next;
        if !matches!(weekday(current), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    current
}

/// `mardi 10 mars` (with the year when it is not `today`'s).
#[must_use]
pub fn french_day(day: Date, today: Date) -> String {
    let month = FRENCH_MONTHS[usize::try_from(day.month() - 1).unwrap_or(0) % 12];
    let first = if day.day() == 1 {
        "1er".to_owned()
    } else {
        day.day().to_string()
    };
    let name = weekday(day).french();
    if day.year() == today.year() {
        format!("{name} {first} {month}")
    } else {
        format!("{name} {first} {month} {}", day.year())
    }
}

/// `de 10:00 à 12:00` for the slot `"10:00-12:00"`; `None` for anything else (a
/// locker's whole day, `""`).
#[must_use]
pub fn french_slot(slot: &str) -> Option<String> {
    let range = OpeningRange::parse(slot)?;
    Some(format!(
        "de {} à {}",
        OpeningRange::format(range.opens),
        OpeningRange::format(range.closes)
    ))
}

/// `mardi 10 mars à 09:30`.
#[must_use]
pub fn french_time(at: &Zoned, today: Date) -> String {
    format!(
        "{} à {:02}:{:02}",
        french_day(at.date(), today),
        at.hour(),
        at.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn hours(days: &[(Weekday, &str)]) -> Hours {
        let mut hours = Hours::default();
        for (day, range) in days {
            hours.0[*day as usize].push(OpeningRange::parse(range).expect("range"));
        }
        hours
    }

    fn paris_time(day: Date, h: i8, m: i8) -> Zoned {
        day.at(h, m, 0, 0).to_zoned(paris()).expect("valid time")
    }

    #[test]
    fn orders_are_ready_after_the_preparation_within_opening_hours() {
        // 2026-03-10 is a Tuesday.
        let tuesday = date(2026, 3, 10);
        let shop = hours(&[
            (Weekday::Tuesday, "07:00-13:30"),
            (Weekday::Tuesday, "15:30-19:30"),
            (Weekday::Thursday, "09:00-12:00"),
        ]);
        let cases = [
            // now, preparation, expected (day, hour, minute)
            ((tuesday, 9, 0), 30, (tuesday, 9, 30)),
            ((tuesday, 5, 0), 30, (tuesday, 7, 30)),
            ((tuesday, 13, 15), 30, (tuesday, 16, 0)),
            ((tuesday, 19, 10), 30, (date(2026, 3, 12), 9, 30)),
            ((tuesday, 23, 0), 0, (date(2026, 3, 12), 9, 0)),
        ];
        for ((day, h, m), preparation, (eday, eh, em)) in cases {
            let ready = ready_at(&shop, preparation, &paris_time(day, h, m));
            assert_eq!(ready, Some(paris_time(eday, eh, em)), "{day} {h}:{m}");
        }
    }

    #[test]
    fn a_shop_that_never_opens_is_never_ready() {
        let now = paris_time(date(2026, 3, 10), 9, 0);
        assert_eq!(ready_at(&Hours::default(), 10, &now), None);
        let short = hours(&[(Weekday::Monday, "09:00-09:20")]);
        assert_eq!(ready_at(&short, 30, &now), None);
    }

    #[test]
    fn working_days_skip_weekends() {
        let friday = date(2026, 3, 13);
        assert_eq!(add_working_days(friday, 1), date(2026, 3, 16));
        assert_eq!(add_working_days(friday, 4), date(2026, 3, 19));
        assert_eq!(add_working_days(friday, 0), friday);
    }

    #[test]
    fn dates_read_as_french() {
        let today = date(2026, 3, 10);
        assert_eq!(french_day(today, today), "mardi 10 mars");
        assert_eq!(french_day(date(2026, 4, 1), today), "mercredi 1er avril");
        assert_eq!(french_day(date(2027, 1, 4), today), "lundi 4 janvier 2027");
        let time = paris_time(today, 9, 5);
        assert_eq!(french_time(&time, today), "mardi 10 mars à 09:05");
        assert_eq!(
            french_slot("10:00-12:00").as_deref(),
            Some("de 10:00 à 12:00")
        );
        assert_eq!(french_slot(""), None);
    }
}
