//! The one source of time. Production uses the system clock; tests set a manual clock so that
//! sessions, rate limits and notice periods can be checked without waiting.
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(at)))
    }
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The system clock moved by a number of seconds read from a file (re-read on every call). Only
/// for browser tests of notice periods: enabled by `LABOR_PLAZA_CLOCK_OFFSET_FILE`, never by
/// default. A missing or unreadable file means no offset.
pub struct OffsetFileClock(pub std::path::PathBuf);

impl Clock for OffsetFileClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = std::fs::read_to_string(&self.0)
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(0);
        Utc::now() + Duration::seconds(offset)
    }
}

/// Today in Beijing (UTC+8): notice periods are counted in local working days.
pub fn beijing_today(now: DateTime<Utc>) -> chrono::NaiveDate {
    (now + Duration::hours(8)).date_naive()
}
