//! Kiosks at the plaza: their registration (an id, a name, the monument they stand by and where,
//! how long a visitor may be idle) and the heartbeat each sends, checked and bounded before any
//! of it is stored. Pure rules: no storage, no clock.

/// Why a kiosk's registration or heartbeat was refused, with the field at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KioskError {
    #[error("kiosk id: 1–40 lower-case letters, digits and inner dashes (e.g. plaza-north-1)")]
    Id,
    #[error("name: 1–60 characters")]
    Name,
    #[error("idle time: {MIN_IDLE_SECONDS}–{MAX_IDLE_SECONDS} seconds")]
    IdleSeconds,
    #[error("position: x and y within 0–10000 metres of the plan's origin, facing 0–359 degrees")]
    Position,
    #[error("heartbeat: {0}")]
    Heartbeat(&'static str),
}

/// A kiosk's id, as it appears in its address `/kiosk/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KioskId(String);

impl KioskId {
    pub fn parse(s: &str) -> Result<Self, KioskError> {
        let ok = (1..=40).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(KioskId(s.to_string()))
        } else {
            Err(KioskError::Id)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What the people who run the kiosks call it ("广场北门" / "north gate").
pub fn parse_name(s: &str) -> Result<String, KioskError> {
    let s = s.trim();
    let n = s.chars().count();
    if (1..=60).contains(&n) && !s.chars().any(char::is_control) {
        Ok(s.to_string())
    } else {
        Err(KioskError::Name)
    }
}

pub const MIN_IDLE_SECONDS: u32 = 30;
pub const MAX_IDLE_SECONDS: u32 = 600;
pub const DEFAULT_IDLE_SECONDS: u32 = 90;

pub fn parse_idle_seconds(n: u32) -> Result<u32, KioskError> {
    if (MIN_IDLE_SECONDS..=MAX_IDLE_SECONDS).contains(&n) {
        Ok(n)
    } else {
        Err(KioskError::IdleSeconds)
    }
}

/// Where a kiosk stands on its monument's plan, in metres, and which way its screen faces
/// (degrees clockwise from north): the "you are here" of the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub x: f64,
    pub y: f64,
    pub facing: u16,
}

impl Placement {
    pub fn parse(x: f64, y: f64, facing: i64) -> Result<Self, KioskError> {
        let within = |v: f64| v.is_finite() && (0.0..=10_000.0).contains(&v);
        if within(x) && within(y) && (0..360).contains(&facing) {
            Ok(Placement {
                x,
                y,
                facing: facing as u16,
            })
        } else {
            Err(KioskError::Position)
        }
    }
}

/// How long a kiosk may stay silent before the fleet page flags it: it beats every 30–60 s, so
/// five missed beats mean something is wrong (power, network, a crashed page).
pub const SILENT_AFTER_SECONDS: i64 = 300;

/// What a kiosk reports every 30–60 s, bounded: each text is cut to a few hundred characters,
/// so a heartbeat can never store more than about a kilobyte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heartbeat {
    /// The catalogue version of the snapshot it shows.
    pub data_version: String,
    /// The version of the kiosk page it runs.
    pub page_version: String,
    /// Whether it reaches the server (it does, to send this; a heartbeat sent on reconnection
    /// says since when it was offline).
    pub offline_since: Option<String>,
    pub last_error: Option<String>,
}

#[cfg(feature = "ssr")]
impl Heartbeat {
    pub fn parse(
        data_version: &str,
        page_version: &str,
        offline_since: Option<&str>,
        last_error: Option<&str>,
    ) -> Result<Self, KioskError> {
        let token = |s: &str, what: &'static str| -> Result<String, KioskError> {
            if (1..=80).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) {
                Ok(s.to_string())
            } else {
                Err(KioskError::Heartbeat(what))
            }
        };
        let offline_since = offline_since
            .filter(|s| !s.is_empty())
            .map(|s| {
                chrono::DateTime::parse_from_rfc3339(s)
                    .map(|t| {
                        t.with_timezone(&chrono::Utc)
                            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                    })
                    .map_err(|_| KioskError::Heartbeat("offline_since is not an RFC 3339 time"))
            })
            .transpose()?;
        Ok(Heartbeat {
            data_version: token(data_version, "data_version: 1–80 visible ASCII characters")?,
            page_version: token(page_version, "page_version: 1–80 visible ASCII characters")?,
            offline_since,
            last_error: last_error
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| super::text::bounded(s, 500)),
        })
    }
}

/// How a kiosk looks from the fleet page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum KioskHealth {
    /// Registered, never heard from.
    NeverSeen,
    Alive,
    /// Silent for longer than [`SILENT_AFTER_SECONDS`].
    Silent,
}

/// A kiosk's health from the seconds since its last heartbeat (`None`: never).
pub fn health(seconds_since_last: Option<i64>) -> KioskHealth {
    match seconds_since_last {
        None => KioskHealth::NeverSeen,
        Some(s) if s > SILENT_AFTER_SECONDS => KioskHealth::Silent,
        Some(_) => KioskHealth::Alive,
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kiosk_ids_are_plain() {
        for ok in ["plaza-north-1", "k1", "a", &"a".repeat(40)] {
            assert!(KioskId::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "Plaza",
            "a b",
            "a/b",
            "a_b",
            "广场",
            &"a".repeat(41),
        ] {
            assert_eq!(KioskId::parse(bad), Err(KioskError::Id), "{bad}");
        }
    }

    #[test]
    fn names_idle_times_and_places_are_bounded() {
        assert_eq!(parse_name("  广场北门 ").unwrap(), "广场北门");
        assert!(parse_name("").is_err() && parse_name(&"门".repeat(61)).is_err());
        assert!(parse_name("a\nb").is_err());
        assert!(parse_idle_seconds(29).is_err() && parse_idle_seconds(601).is_err());
        assert_eq!(parse_idle_seconds(90), Ok(90));
        assert!(Placement::parse(10.0, 20.5, 359).is_ok());
        assert!(Placement::parse(-1.0, 0.0, 0).is_err());
        assert!(Placement::parse(0.0, f64::NAN, 0).is_err());
        assert!(Placement::parse(0.0, 0.0, 360).is_err());
    }

    #[test]
    fn heartbeats_are_checked_and_bounded() {
        let beat = Heartbeat::parse(
            "abc-12",
            "0.1.0",
            Some("2026-05-01T10:00:00+08:00"),
            Some(&"x".repeat(2_000)),
        )
        .unwrap();
        assert_eq!(
            beat.offline_since.as_deref(),
            Some("2026-05-01T02:00:00.000Z")
        );
        assert_eq!(beat.last_error.as_ref().unwrap().chars().count(), 500);
        assert!(Heartbeat::parse("", "1", None, None).is_err());
        assert!(Heartbeat::parse("v 1", "1", None, None).is_err());
        assert!(Heartbeat::parse("1", "1", Some("yesterday"), None).is_err());
        assert_eq!(
            Heartbeat::parse("1", "1", Some(""), Some("  "))
                .unwrap()
                .last_error,
            None
        );
    }

    #[test]
    fn silence_is_flagged_after_five_minutes() {
        assert_eq!(health(None), KioskHealth::NeverSeen);
        assert_eq!(health(Some(60)), KioskHealth::Alive);
        assert_eq!(health(Some(SILENT_AFTER_SECONDS)), KioskHealth::Alive);
        assert_eq!(health(Some(SILENT_AFTER_SECONDS + 1)), KioskHealth::Silent);
    }

    proptest! {
        #[test]
        fn a_parsed_heartbeat_never_holds_more_than_a_kilobyte_or_so(
            d in ".{0,200}", p in ".{0,200}", e in ".{0,3000}"
        ) {
            if let Ok(b) = Heartbeat::parse(&d, &p, None, Some(&e)) {
                let size = b.data_version.len() + b.page_version.len()
                    + b.last_error.map_or(0, |e| e.len());
                prop_assert!(size <= 80 + 80 + 500 * 4);
            }
        }
    }
}

/// How many different queries one heartbeat may carry, and how many a day keeps (a kiosk that
/// sends more has the rest dropped, so the table stays small whatever it is sent).
pub const MAX_SEARCHES_PER_BEAT: usize = 50;
pub const MAX_QUERIES_PER_DAY: i64 = 2_000;
const MAX_QUERY_CHARS: usize = 40;

/// What visitors looked for at a kiosk since its last beat: the query as typed (nothing about
/// who typed it: no time finer than the day, no kiosk visitor's address, no session), how often,
/// and how often it found somebody.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchCount {
    pub query: String,
    pub searched: u32,
    pub found: u32,
}

impl SearchCount {
    /// Checks a beat's counts: at most 50 queries of 1–40 characters (folded to lower case,
    /// trimmed, no control characters), counts 1–1000 with `found` not above `searched`.
    pub fn parse_all(counts: &[(String, u32, u32)]) -> Result<Vec<SearchCount>, KioskError> {
        if counts.len() > MAX_SEARCHES_PER_BEAT {
            return Err(KioskError::Heartbeat("searches: at most 50 queries a beat"));
        }
        counts
            .iter()
            .map(|(query, searched, found)| {
                let query = query.trim().to_lowercase();
                let n = query.chars().count();
                let ok = (1..=MAX_QUERY_CHARS).contains(&n)
                    && !query.chars().any(char::is_control)
                    && (1..=1000).contains(searched)
                    && found <= searched;
                if ok {
                    Ok(SearchCount {
                        query,
                        searched: *searched,
                        found: *found,
                    })
                } else {
                    Err(KioskError::Heartbeat(
                        "searches: [query of 1–40 characters, searched 1–1000, found ≤ searched]",
                    ))
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod search_count_tests {
    use super::*;

    #[test]
    fn search_counts_are_bounded_and_folded() {
        let ok = SearchCount::parse_all(&[(" ZhangWei ".into(), 3, 2)]).unwrap();
        assert_eq!(ok[0].query, "zhangwei");
        for bad in [
            vec![(String::new(), 1, 0)],
            vec![("x".repeat(41), 1, 0)],
            vec![("a\u{7}".into(), 1, 0)],
            vec![("wang".into(), 0, 0)],
            vec![("wang".into(), 2, 3)],
            vec![("wang".into(), 1001, 0)],
            vec![("wang".into(), 1, 1); 51],
        ] {
            assert!(SearchCount::parse_all(&bad).is_err(), "{bad:?}");
        }
    }
}
