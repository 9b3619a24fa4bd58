//! Working days for public notice periods (公示期). Weekends are rest days; the holiday calendar
//! (configuration, not code) adds public holidays and the weekend days that are worked instead
//! (调休). A notice that starts on a day counts that day if it is a working day.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
}

impl HolidayCalendar {
    /// Parses the calendar file: one date a line, `YYYY-MM-DD holiday` or `YYYY-MM-DD workday`,
    /// `#` starts a comment.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let mut calendar = HolidayCalendar::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |message: String| CalendarError::Line {
                line: i + 1,
                message,
            };
            let mut parts = line.split_whitespace();
            let date = parts.next().unwrap_or("");
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| err(format!("{date:?} is not a date like 2025-10-01")))?;
            match (parts.next(), parts.next()) {
                (Some("holiday"), None) => calendar.holidays.insert(date),
                (Some("workday"), None) => calendar.workdays.insert(date),
                _ => return Err(err("write the date, then `holiday` or `workday`".into())),
            };
            if calendar.holidays.contains(&date) && calendar.workdays.contains(&date) {
                return Err(err(format!("{date} is both a holiday and a workday")));
            }
        }
        Ok(calendar)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.workdays.contains(&date) {
            return true;
        }
        if self.holidays.contains(&date) {
            return false;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// The last day of a notice of `working_days` working days that opens on `start`.
    /// (A notice opened on a rest day starts counting on the next working day.)
    pub fn notice_end(&self, start: NaiveDate, working_days: u32) -> NaiveDate {
        let mut day = start;
        let mut counted = 0;
        loop {
            if self.is_working_day(day) {
                counted += 1;
                if counted >= working_days.max(1) {
                    return day;
                }
            }
            day = day + Days::new(1);
        }
    }

    /// Whether a notice that opened on `start` is over on `today` (it ends after its last day).
    pub fn notice_over(&self, start: NaiveDate, working_days: u32, today: NaiveDate) -> bool {
        today > self.notice_end(start, working_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 2025's National Day holiday: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
    fn calendar() -> HolidayCalendar {
        HolidayCalendar::parse(
            "# 国庆节、中秋节 2025\n2025-09-28 workday\n2025-10-01 holiday\n2025-10-02 holiday\n2025-10-03 holiday\n\
             2025-10-04 holiday\n2025-10-05 holiday\n2025-10-06 holiday\n2025-10-07 holiday\n2025-10-08 holiday\n\
             2025-10-11 workday  # 调休\n",
        )
        .unwrap()
    }

    #[test]
    fn five_working_days_in_an_ordinary_week() {
        let c = HolidayCalendar::default();
        // Monday 2025-11-24 → Friday 2025-11-28.
        assert_eq!(c.notice_end(d("2025-11-24"), 5), d("2025-11-28"));
        // Wednesday → the next Tuesday, skipping the weekend.
        assert_eq!(c.notice_end(d("2025-11-26"), 5), d("2025-12-02"));
        // Opened on a Saturday: counting starts on Monday.
        assert_eq!(c.notice_end(d("2025-11-29"), 5), d("2025-12-05"));
    }

    #[test]
    fn holidays_and_adjusted_workdays() {
        let c = calendar();
        assert!(c.is_working_day(d("2025-09-28")), "a Sunday worked instead");
        assert!(!c.is_working_day(d("2025-10-03")), "a Friday off");
        // Opened Friday 26 September: 26, 28 (Sunday, worked), 29, 30, then 9 October.
        assert_eq!(c.notice_end(d("2025-09-26"), 5), d("2025-10-09"));
        assert!(!c.notice_over(d("2025-09-26"), 5, d("2025-10-09")));
        assert!(c.notice_over(d("2025-09-26"), 5, d("2025-10-10")));
    }

    #[test]
    fn bad_calendar_lines_are_reported() {
        assert_eq!(
            HolidayCalendar::parse("2025-10-01 holiday\n2025-13-01 holiday"),
            Err(CalendarError::Line {
                line: 2,
                message: "\"2025-13-01\" is not a date like 2025-10-01".into()
            })
        );
        assert!(HolidayCalendar::parse("2025-10-01 party").is_err());
        assert!(HolidayCalendar::parse("2025-10-01 holiday\n2025-10-01 workday").is_err());
    }
}
