//! Cookie times as Chromium keeps them: microseconds since 1601-01-01 UTC
//! (the Windows epoch of `base::Time`), the unit of every time column in the
//! `Cookies` database. Electron's `expirationDate` is Unix seconds as a
//! double; the helpers here convert between the two.

use std::time::{SystemTime, UNIX_EPOCH};

/// Microseconds since 1601-01-01 00:00:00 UTC.
pub type Time = i64;

/// Microseconds from 1601-01-01 to 1970-01-01.
pub const UNIX_EPOCH_OFFSET_US: i64 = 11_644_473_600_000_000;
/// One second, one minute and one day in [`Time`] units.
pub const SECOND: i64 = 1_000_000;
pub const MINUTE: i64 = 60 * SECOND;
pub const DAY: i64 = 86_400 * SECOND;

/// The earliest representable time; Chromium's `Time::Min()`, used for a
/// cookie that is already expired (`Max-Age=0`).
pub const TIME_MIN: Time = i64::MIN;

/// The current time.
pub fn now() -> Time {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    UNIX_EPOCH_OFFSET_US.saturating_add(since.as_micros() as i64)
}

/// Converts Unix seconds (Electron's `expirationDate`) to a [`Time`],
/// saturating at the ends of the range. NaN gives `None`.
pub fn from_unix_seconds(seconds: f64) -> Option<Time> {
    if seconds.is_nan() {
        return None;
    }
    let us = seconds * SECOND as f64;
    let us = if us >= i64::MAX as f64 {
        i64::MAX
    } else if us <= i64::MIN as f64 {
        i64::MIN
    } else {
        us as i64
    };
    Some(us.saturating_add(UNIX_EPOCH_OFFSET_US))
}

/// Converts a [`Time`] to Unix seconds as a double, as Electron reports
/// `expirationDate`.
pub fn to_unix_seconds(time: Time) -> f64 {
    (time as i128 - UNIX_EPOCH_OFFSET_US as i128) as f64 / SECOND as f64
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (Howard
/// Hinnant's `days_from_civil`); `month` is 1–12.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            if leap {
                29
            } else {
                28
            }
        }
    }
}

/// A UTC calendar time to a [`Time`], or `None` when a field is out of range
/// or the date does not exist (Chromium's `Time::FromUTCExploded`, which
/// rejects dates that do not survive a round trip, such as 31 February or
/// second 60).
pub fn from_utc_exploded(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<Time> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day) as i128;
    let secs = days * 86_400 + (hour as i128) * 3600 + (minute as i128) * 60 + second as i128;
    let us = secs * SECOND as i128 + UNIX_EPOCH_OFFSET_US as i128;
    i64::try_from(us).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Unix seconds and Chromium microseconds convert both ways.
    #[test]
    fn unix_round_trip() {
        let rows: &[(f64, Time)] = &[
            (0.0, UNIX_EPOCH_OFFSET_US),
            (1.5, UNIX_EPOCH_OFFSET_US + 1_500_000),
            (-11_644_473_600.0, 0),
            (1_700_000_000.0, 13_344_473_600_000_000),
        ];
        for (secs, time) in rows {
            assert_eq!(from_unix_seconds(*secs), Some(*time), "{secs}");
            assert_eq!(to_unix_seconds(*time), *secs, "{time}");
        }
        assert_eq!(from_unix_seconds(f64::NAN), None);
        assert_eq!(from_unix_seconds(1e300), Some(i64::MAX));
    }

    // Calendar dates that do not exist are rejected.
    #[test]
    fn exploded_validation() {
        type Exploded = (i64, u32, u32, u32, u32, u32);
        let rows: &[(Exploded, Option<Time>)] = &[
            ((1970, 1, 1, 0, 0, 0), Some(UNIX_EPOCH_OFFSET_US)),
            ((1601, 1, 1, 0, 0, 0), Some(0)),
            ((2000, 2, 29, 0, 0, 0), Some(UNIX_EPOCH_OFFSET_US + 951_782_400 * SECOND)),
            ((2001, 2, 29, 0, 0, 0), None),
            ((2000, 4, 31, 0, 0, 0), None),
            ((2000, 1, 1, 24, 0, 0), None),
            ((2000, 1, 1, 0, 0, 60), None),
            ((2000, 13, 1, 0, 0, 0), None),
        ];
        for (e, want) in rows {
            assert_eq!(from_utc_exploded(e.0, e.1, e.2, e.3, e.4, e.5), *want, "{e:?}");
        }
    }
}
