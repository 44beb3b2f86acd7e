//! Guest expiration cells: `2025-06-30`, `2025-06-30 17:00` (UTC), or seconds since the
//! epoch. The calendar arithmetic is done here, without a clock or a date library.

/// The civil date of `days` since 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `2026-01-01 17:00` (UTC) for Unix seconds `ts`, as the import reads it back.
pub fn iso_utc(ts: i64) -> String {
    let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
    let secs = ts.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// Days from 1970-01-01 to the civil date `year-month-day` (proleptic Gregorian; negative
/// before 1970). Howard Hinnant's `days_from_civil`. `month` is 1–12, `day` 1–31.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Seconds since the epoch of a UTC date and time; `None` when a part is out of range.
pub fn epoch_seconds(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<i64> {
    let valid = (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour < 24
        && minute < 60
        && second < 60;
    valid.then(|| {
        days_from_civil(year, month, day) * 86_400
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second)
    })
}

/// Reads an expiration cell. Accepts `YYYY-MM-DD` (00:00 UTC that day), `YYYY-MM-DD HH:MM`
/// or `YYYY-MM-DDTHH:MM[:SS]` (UTC; a trailing `Z` or `UTC` is allowed; `/` may separate
/// the date), and seconds since the epoch (Slack's `1234567890.123456` too). The error is a
/// sentence with the formats that work.
pub fn parse_expiration(text: &str) -> Result<i64, String> {
    let s = text.trim();
    let refused = || {
        format!(
            "\u{201c}{s}\u{201d} is not a date the console can read. Write it as 2025-06-30, as 2025-06-30 17:00 (UTC), or as seconds since 1970."
        )
    };
    if s.is_empty() {
        return Err(refused());
    }
    if let Some(ts) = epoch_text(s) {
        return Ok(ts);
    }
    let s_upper = s.to_ascii_uppercase();
    let s_clean = s_upper
        .strip_suffix("UTC")
        .or_else(|| s_upper.strip_suffix('Z'))
        .unwrap_or(&s_upper)
        .trim_end();
    let (date, time) = match s_clean.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s_clean, None),
    };
    let date_parts: Vec<&str> = date.split(['-', '/']).collect();
    let [y, m, d] = date_parts[..] else {
        return Err(refused());
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return Err(refused());
    }
    let year: i64 = digits(y).ok_or_else(refused)?.into();
    let month = digits(m).ok_or_else(refused)?;
    let day = digits(d).ok_or_else(refused)?;
    let (hour, minute, second) = match time {
        None => (0, 0, 0),
        Some(t) => {
            let parts: Vec<&str> = t.split(':').collect();
            let two = |p: &str| (1..=2).contains(&p.len()).then(|| digits(p)).flatten();
            match parts[..] {
                [h, mi] => (two(h).ok_or_else(refused)?, two(mi).ok_or_else(refused)?, 0),
                [h, mi, sec] => (
                    two(h).ok_or_else(refused)?,
                    two(mi).ok_or_else(refused)?,
                    two(sec).ok_or_else(refused)?,
                ),
                _ => return Err(refused()),
            }
        }
    };
    epoch_seconds(year, month, day, hour, minute, second).ok_or_else(|| {
        format!("\u{201c}{s}\u{201d} is not a real date or time. Check the month, the day and the hour.")
    })
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `1234567890` or `1234567890.123456` (at least 9 digits, so a year like 2025 is not read
/// as seconds).
fn epoch_text(s: &str) -> Option<i64> {
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if whole.len() < 9 || !all_digits(whole) || frac.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    whole.parse().ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn civil_dates_round_trip(days in -1_000_000i64..1_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn iso_utc_is_what_the_import_reads() {
        assert_eq!(iso_utc(1_767_225_600), "2026-01-01 00:00");
        assert_eq!(iso_utc(1_767_225_600 + 17 * 3600 + 59), "2026-01-01 17:00");
        assert_eq!(
            parse_expiration(&iso_utc(1_800_000_000)).unwrap(),
            1_800_000_000
        );
    }

    use super::*;
    use crate::validate::utc;

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 5, 1) * 86_400, 1_714_521_600);
        assert_eq!(days_from_civil(1600, 1, 1), -135_140);
    }

    #[test]
    fn civil_days_agree_with_utc_for_every_day_of_four_centuries() {
        // Every day from 1900 to 2300 prints back as itself.
        let mut day = days_from_civil(1900, 1, 1);
        for year in 1900..2300 {
            for month in 1..=12 {
                for d in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, d), day);
                    if d == 1 && month % 6 == 1 {
                        assert_eq!(
                            utc(day * 86_400),
                            format!("{year:04}-{month:02}-{d:02} 00:00 UTC")
                        );
                    }
                    day += 1;
                }
            }
        }
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2025, 2), 28);
        assert_eq!(days_in_month(2025, 13), 0);
    }

    #[test]
    fn reads_dates_times_and_epoch_seconds() {
        assert_eq!(parse_expiration("2024-05-01"), Ok(1_714_521_600));
        assert_eq!(parse_expiration(" 2024-05-01 12:00 "), Ok(1_714_564_800));
        assert_eq!(parse_expiration("2024-05-01T12:00"), Ok(1_714_564_800));
        assert_eq!(parse_expiration("2024-05-01T12:00:30Z"), Ok(1_714_564_830));
        assert_eq!(parse_expiration("2024-05-01 12:00 UTC"), Ok(1_714_564_800));
        assert_eq!(parse_expiration("2024/5/1"), Ok(1_714_521_600));
        assert_eq!(parse_expiration("2024-02-29"), Ok(1_709_164_800));
        assert_eq!(parse_expiration("1714564800"), Ok(1_714_564_800));
        assert_eq!(parse_expiration("1714564800.012345"), Ok(1_714_564_800));
    }

    #[test]
    fn refuses_what_it_cannot_read_with_the_formats_that_work() {
        for bad in [
            "",
            "tomorrow",
            "30/06/2025",
            "2025",
            "2025-06",
            "25-06-30",
            "2025-06-30 5pm",
            "2025-06-30 17",
            "2025-06-30 17:00:00:00",
            "-1714564800",
            "1714564800.5x",
        ] {
            let e = parse_expiration(bad).expect_err(bad);
            assert!(e.contains("2025-06-30 17:00 (UTC)"), "{bad}: {e}");
        }
        for impossible in ["2025-02-29", "2025-13-01", "2025-04-31", "2025-06-30 24:00"] {
            let e = parse_expiration(impossible).expect_err(impossible);
            assert!(e.contains("not a real date"), "{impossible}: {e}");
        }
    }
}
