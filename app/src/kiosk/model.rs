//! What the fleet page shows of each kiosk.
use serde::{Deserialize, Serialize};

pub use crate::domain::kiosk::KioskHealth;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskStatus {
    pub id: String,
    pub name: String,
    pub monument: String,
    pub health: KioskHealth,
    /// Seconds since its last heartbeat.
    pub silent_for: Option<i64>,
    pub last_seen_at: Option<String>,
    /// Whether the data it shows is the catalogue's current version (None: never said).
    pub data_current: Option<bool>,
    pub data_version: Option<String>,
    pub page_version: Option<String>,
    pub offline_since: Option<String>,
    pub last_error: Option<String>,
}

/// What visitors looked for at the kiosks (last 30 days): (query, searched, found).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KioskSearches {
    pub most: Vec<(String, i64, i64)>,
    pub not_found: Vec<(String, i64, i64)>,
}

/// A name as a kiosk lists it: enough to tell two people apart and to go to its answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskName {
    pub id: i64,
    pub name: String,
    pub year: i32,
    /// "第3号石 · 第12行 · 第5位" parts, if engraved.
    pub stone: Option<u16>,
    pub row: Option<u16>,
    pub position: Option<u16>,
}

/// Where a name is and how to find it, in words and as a drawing of its stone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskAnswer {
    pub id: i64,
    pub name: String,
    pub pinyin: String,
    /// Commendation years and honour names, e.g. "1955 北京市劳动模范".
    pub honours: Vec<(i32, String, String)>,
    pub place: Option<crate::wall::model::WallPlace>,
    /// The stone's rows and names per row, to draw it.
    pub rows: u16,
    pub per_row: u16,
    /// Where the monument is, when it is not the one this kiosk stands by.
    pub elsewhere: Option<(String, String)>,
    pub work_unit: Option<String>,
    pub deeds_short: Option<String>,
    /// The monument's grounds with the stone, and the way there from the kiosk when it knows
    /// where it stands (only for a name on its own monument).
    pub map: Option<KioskMap>,
}

/// A "you are here" map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskMap {
    pub plan: crate::domain::plaza::PlazaPlan,
    pub stone: u16,
    /// The kiosk's place on the plan.
    pub here: Option<(f64, f64)>,
    /// The shortest step-free way from here to the stone.
    pub route: Option<crate::domain::plaza::Route>,
}

/// What a kiosk's screen shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum KioskScreen {
    /// The first screen: the search box and the batch years of this kiosk's monument.
    Home {
        years: Vec<i32>,
    },
    Results {
        query: String,
        names: Vec<KioskName>,
    },
    /// The stones' order, step 2: the stroke counts of the surnames engraved in a year.
    Strokes {
        year: i32,
        counts: Vec<(u8, usize)>,
    },
    /// Step 3: the surnames of that many strokes.
    Surnames {
        year: i32,
        strokes: u8,
        surnames: Vec<(String, usize)>,
    },
    /// Step 4: the names with that surname.
    Names {
        year: i32,
        strokes: u8,
        surname: String,
        names: Vec<KioskName>,
    },
    Answer(KioskAnswer),
}

/// A kiosk's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskView {
    pub id: String,
    pub name: String,
    /// The monument it stands by (its code).
    pub monument: String,
    pub monument_zh: String,
    pub monument_en: String,
    pub idle_seconds: i32,
    pub screen: KioskScreen,
    /// The data's version and when it was read ("data as of").
    pub data_version: String,
    pub as_of: String,
    /// The release of the page's scripts and styles.
    pub page_version: String,
    /// Where the kiosk stands on its monument's plan, if registered with a place.
    pub here: Option<(f64, f64)>,
}

/// One step on a kiosk: what a link asks for. Links carry it twice, as the address the server
/// answers (without JavaScript, or before the kiosk holds its snapshot) and as a token the page
/// answers itself (`data-step`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum KioskStep {
    Home,
    Search(String),
    Year(i32),
    Strokes(i32, u8),
    Surname(i32, u8, String),
    Person(i64),
}

impl KioskStep {
    /// The address of this step on the kiosk whose page is `home` (`/kiosk/{id}`).
    pub fn href(&self, home: &str) -> String {
        use crate::components::layout::encode_component as enc;
        match self {
            KioskStep::Home => home.to_string(),
            KioskStep::Search(q) => format!("{home}?q={}", enc(q)),
            KioskStep::Year(y) => format!("{home}?year={y}"),
            KioskStep::Strokes(y, s) => format!("{home}?year={y}&strokes={s}"),
            KioskStep::Surname(y, s, n) => {
                format!("{home}?year={y}&strokes={s}&surname={}", enc(n))
            }
            KioskStep::Person(id) => format!("{home}?person={id}"),
        }
    }

    /// `year:1955`, `surname:1955:8:周`, … (what `data-step` holds).
    pub fn token(&self) -> String {
        match self {
            KioskStep::Home => "home".into(),
            KioskStep::Search(q) => format!("search:{q}"),
            KioskStep::Year(y) => format!("year:{y}"),
            KioskStep::Strokes(y, s) => format!("strokes:{y}:{s}"),
            KioskStep::Surname(y, s, n) => format!("surname:{y}:{s}:{n}"),
            KioskStep::Person(id) => format!("person:{id}"),
        }
    }

    pub fn parse_token(token: &str) -> Option<KioskStep> {
        let mut parts = token.splitn(4, ':');
        let kind = parts.next()?;
        let mut next = || parts.next();
        Some(match kind {
            "home" => KioskStep::Home,
            "search" => KioskStep::Search(token.get("search:".len()..)?.to_string()),
            "year" => KioskStep::Year(next()?.parse().ok()?),
            "strokes" => KioskStep::Strokes(next()?.parse().ok()?, next()?.parse().ok()?),
            "surname" => KioskStep::Surname(
                next()?.parse().ok()?,
                next()?.parse().ok()?,
                next()?.to_string(),
            ),
            "person" => KioskStep::Person(next()?.parse().ok()?),
            _ => return None,
        })
    }

    /// The step a kiosk address's query asks for (as `load_kiosk` receives it): a person first,
    /// then a search, then the stones' order as far as it goes.
    pub fn from_query(
        q: Option<String>,
        year: Option<i32>,
        strokes: Option<u8>,
        surname: Option<String>,
        person: Option<i64>,
    ) -> KioskStep {
        let q = q
            .map(|q| q.trim().chars().take(40).collect::<String>())
            .filter(|q| !q.is_empty());
        let surname = surname.map(|s| s.chars().take(4).collect::<String>());
        match (person, q, year, strokes, surname) {
            (Some(person), ..) => KioskStep::Person(person),
            (None, Some(q), ..) => KioskStep::Search(q),
            (None, None, Some(y), Some(s), Some(n)) => KioskStep::Surname(y, s, n),
            (None, None, Some(y), Some(s), None) => KioskStep::Strokes(y, s),
            (None, None, Some(y), None, _) => KioskStep::Year(y),
            _ => KioskStep::Home,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::KioskStep;

    #[test]
    fn a_step_reads_back_from_its_token() {
        for step in [
            KioskStep::Home,
            KioskStep::Search("张 wei:1".into()),
            KioskStep::Year(1955),
            KioskStep::Strokes(1955, 8),
            KioskStep::Surname(1955, 8, "周".into()),
            KioskStep::Person(42),
        ] {
            assert_eq!(KioskStep::parse_token(&step.token()), Some(step));
        }
        assert_eq!(KioskStep::parse_token("year:x"), None);
        assert_eq!(KioskStep::parse_token("nonsense"), None);
        assert_eq!(
            KioskStep::from_query(Some("  ".into()), Some(1955), None, None, None),
            KioskStep::Year(1955)
        );
    }
}
