//! What a kiosk finds, answered from its snapshot: names by search, by the stones' own order (year,
//! then the surname's stroke count, then the surname), the answer for one person (stone, row,
//! position and the stone to draw), and the candidate characters for pinyin typed on the
//! on-screen keyboard. The same code runs on the server (first page, no JavaScript) and in the
//! kiosk's browser (every touch after that, also offline), so both answer alike.
//!
//! Long mostly for its tests, which build a small two-monument directory and check each answer.

use std::collections::{BTreeMap, HashMap};

use super::model::{KioskAnswer, KioskMap, KioskName, KioskScreen, KioskStep};
use super::snapshot::{KioskPlacement, KioskSnapshot};
use crate::search::engine::SearchIndex;
use crate::wall::model::WallPlace;

/// How many names a kiosk lists at most on one screen.
pub const MAX_LISTED: usize = 60;
/// How many candidate characters the bar above the keyboard offers.
pub const MAX_CANDIDATES: usize = 12;

pub struct KioskDirectory {
    snapshot: KioskSnapshot,
    index: SearchIndex,
    by_id: HashMap<i64, usize>,
    /// Per monument and year: (person index, place), in stone order.
    by_year: Vec<BTreeMap<i32, Vec<(usize, KioskPlacement)>>>,
    /// Per syllable: the characters read so, with how often each begins a name (a surname) and
    /// how often it comes later in one.
    readings: HashMap<String, Vec<(char, u32, u32)>>,
}

/// Candidates for the pinyin at the end of what was typed: `replace` is the byte offset from
/// which a chosen character replaces the typed letters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Candidates {
    pub replace: usize,
    pub replace_end: usize,
    pub chars: Vec<char>,
}

impl KioskDirectory {
    /// The directory of a snapshot, made safe to answer from whatever was downloaded: people
    /// without their details (or the other way round) are left out, as are places on monuments
    /// that do not exist and plans that break their rules.
    pub fn new(mut snapshot: KioskSnapshot) -> Self {
        let people = snapshot.search.people.len().min(snapshot.people.len());
        snapshot.search.people.truncate(people);
        snapshot.people.truncate(people);
        let monuments = snapshot.monuments.len();
        for person in &mut snapshot.people {
            person.2.retain(|p| (p.0 as usize) < monuments);
        }
        for monument in &mut snapshot.monuments {
            if monument.plan.as_ref().is_some_and(|p| p.check().is_err()) {
                monument.plan = None;
            }
        }
        let index = snapshot.search.index();
        let by_id = snapshot
            .search
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.0, i))
            .collect();
        let mut by_year: Vec<BTreeMap<i32, Vec<(usize, KioskPlacement)>>> =
            vec![BTreeMap::new(); snapshot.monuments.len()];
        let mut readings: HashMap<String, HashMap<char, (u32, u32)>> = HashMap::new();
        for (i, (row, person)) in snapshot
            .search
            .people
            .iter()
            .zip(&snapshot.people)
            .enumerate()
        {
            for place in &person.2 {
                if let Some(years) = by_year.get_mut(place.0 as usize) {
                    years.entry(place.4).or_default().push((i, *place));
                }
            }
            let surname_len = row.3.max(1) as usize;
            for (k, (c, syllable)) in row.1.chars().zip(row.2.split(' ')).enumerate() {
                let counts = readings
                    .entry(syllable.to_string())
                    .or_default()
                    .entry(c)
                    .or_default();
                if k < surname_len {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        for years in &mut by_year {
            for names in years.values_mut() {
                names.sort_by_key(|(_, p)| (p.1, p.2, p.3));
            }
        }
        let readings = readings
            .into_iter()
            .map(|(syllable, chars)| {
                let mut chars: Vec<(char, u32, u32)> =
                    chars.into_iter().map(|(c, (s, g))| (c, s, g)).collect();
                chars.sort_by_key(|&(c, s, g)| (std::cmp::Reverse(s + g), c));
                (syllable, chars)
            })
            .collect();
        KioskDirectory {
            snapshot,
            index,
            by_id,
            by_year,
            readings,
        }
    }

    pub fn snapshot(&self) -> &KioskSnapshot {
        &self.snapshot
    }

    fn monument(&self, code: &str) -> Option<usize> {
        self.snapshot.monuments.iter().position(|m| m.code == code)
    }

    fn surname_of(&self, person: usize) -> String {
        let row = &self.snapshot.search.people[person];
        row.1.chars().take(row.3.max(1) as usize).collect()
    }

    fn strokes_of(&self, person: usize) -> u8 {
        self.snapshot.people[person].0
    }

    /// The name as a list shows it, placed on `monument` if it is engraved there.
    fn name(&self, person: usize, monument: Option<usize>) -> KioskName {
        let row = &self.snapshot.search.people[person];
        let detail = &self.snapshot.people[person];
        let place = detail
            .2
            .iter()
            .find(|p| Some(p.0 as usize) == monument)
            .or(detail.2.first());
        KioskName {
            id: row.0,
            name: row.1.clone(),
            year: detail.1.iter().map(|h| h.0).min().unwrap_or(row.4),
            stone: place.map(|p| p.1),
            row: place.map(|p| p.2),
            position: place.map(|p| p.3),
        }
    }

    /// The commendation years engraved on a monument, ascending.
    pub fn years(&self, monument: &str) -> Vec<i32> {
        self.monument(monument)
            .map(|m| self.by_year[m].keys().copied().collect())
            .unwrap_or_default()
    }

    fn engraved_in(&self, monument: &str, year: i32) -> &[(usize, KioskPlacement)] {
        self.monument(monument)
            .and_then(|m| self.by_year[m].get(&year))
            .map_or(&[], Vec::as_slice)
    }

    pub fn strokes(&self, monument: &str, year: i32) -> KioskScreen {
        let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
        for (person, _) in self.engraved_in(monument, year) {
            *counts.entry(self.strokes_of(*person)).or_default() += 1;
        }
        KioskScreen::Strokes {
            year,
            counts: counts.into_iter().collect(),
        }
    }

    pub fn surnames(&self, monument: &str, year: i32, strokes: u8) -> KioskScreen {
        // In stone order, which is stroke order: the first time a surname appears is its place.
        let mut surnames: Vec<(String, usize)> = Vec::new();
        for (person, _) in self.engraved_in(monument, year) {
            if self.strokes_of(*person) != strokes {
                continue;
            }
            let surname = self.surname_of(*person);
            match surnames.iter_mut().find(|(s, _)| *s == surname) {
                Some((_, count)) => *count += 1,
                None => surnames.push((surname, 1)),
            }
        }
        KioskScreen::Surnames {
            year,
            strokes,
            surnames,
        }
    }

    pub fn names(&self, monument: &str, year: i32, strokes: u8, surname: &str) -> KioskScreen {
        let names = self
            .engraved_in(monument, year)
            .iter()
            .filter(|(person, _)| self.surname_of(*person) == surname)
            .take(MAX_LISTED * 4)
            .map(|(person, place)| {
                let row = &self.snapshot.search.people[*person];
                KioskName {
                    id: row.0,
                    name: row.1.clone(),
                    year: place.4,
                    stone: Some(place.1),
                    row: Some(place.2),
                    position: Some(place.3),
                }
            })
            .collect();
        KioskScreen::Names {
            year,
            strokes,
            surname: surname.to_string(),
            names,
        }
    }

    /// The best matches for `query` (the site's one search engine) and how many there are.
    pub fn search(&self, monument: &str, query: &str) -> (usize, Vec<KioskName>) {
        let hits = self.index.search(query);
        let monument = self.monument(monument);
        let names = hits
            .iter()
            .take(MAX_LISTED)
            .map(|hit| self.name(hit.index, monument))
            .collect();
        (hits.len(), names)
    }

    pub fn search_screen(&self, monument: &str, query: &str) -> KioskScreen {
        let (_, names) = self.search(monument, query);
        KioskScreen::Results {
            query: query.to_string(),
            names,
        }
    }

    /// The screen a step asks for on a kiosk by `monument`; `None` for a person who is not (or
    /// no longer) public.
    pub fn screen(
        &self,
        monument: &str,
        here: Option<(f64, f64)>,
        step: &KioskStep,
    ) -> Option<KioskScreen> {
        Some(match step {
            KioskStep::Home => KioskScreen::Home {
                years: self.years(monument),
            },
            KioskStep::Search(q) => self.search_screen(monument, q),
            KioskStep::Year(y) => self.strokes(monument, *y),
            KioskStep::Strokes(y, s) => self.surnames(monument, *y, *s),
            KioskStep::Surname(y, s, n) => self.names(monument, *y, *s, n),
            KioskStep::Person(id) => return self.answer(monument, here, *id),
        })
    }

    /// One person's answer, as a kiosk by `monument` standing at `here` on its plan shows it;
    /// `None` if there is no such public person.
    pub fn answer(&self, monument: &str, here: Option<(f64, f64)>, id: i64) -> Option<KioskScreen> {
        let &person = self.by_id.get(&id)?;
        let row = &self.snapshot.search.people[person];
        let detail = &self.snapshot.people[person];
        let this_monument = self.monument(monument);
        // A name on this kiosk's monument first; else wherever it is.
        let place = detail
            .2
            .iter()
            .find(|p| Some(p.0 as usize) == this_monument)
            .or(detail.2.first());
        let at = place.and_then(|p| Some((p, self.snapshot.monuments.get(p.0 as usize)?)));
        let honours = &self.snapshot.search.honours;
        let unit = self.snapshot.search.units.get(row.6 as usize);
        Some(KioskScreen::Answer(KioskAnswer {
            id: row.0,
            name: row.1.clone(),
            pinyin: row.2.clone(),
            honours: detail
                .1
                .iter()
                .filter_map(|&(year, h)| {
                    let h = honours.get(h as usize)?;
                    Some((year, h.1.clone(), h.2.clone()))
                })
                .collect(),
            place: at.map(|(p, m)| WallPlace {
                section: m.code.clone(),
                section_name_zh: m.name_zh.clone(),
                section_name_en: m.name_en.clone(),
                stone: p.1,
                row: p.2,
                position: p.3,
            }),
            rows: at
                .and_then(|(p, m)| m.stones.iter().find(|s| s.number == p.1))
                .map_or(0, |s| s.rows),
            per_row: at.map_or(0, |(_, m)| m.names_per_row),
            elsewhere: at
                .filter(|(_, m)| m.code != monument)
                .map(|(_, m)| (m.location_zh.clone(), m.location_en.clone())),
            work_unit: unit.filter(|u| !u.is_empty()).cloned(),
            deeds_short: detail.3.clone(),
            map: at.filter(|(_, m)| m.code == monument).and_then(|(p, m)| {
                let plan = m.plan.clone()?;
                plan.stones
                    .iter()
                    .any(|s| s.number == p.1)
                    .then(|| KioskMap {
                        route: here.and_then(|(x, y)| plan.route_to_stone(x, y, p.1)),
                        stone: p.1,
                        here,
                        plan,
                    })
            }),
        }))
    }

    /// The characters the pinyin at the end of `typed` may stand for, the likeliest first: how
    /// often each occurs in the directory's own names (as a surname when nothing is typed before
    /// it). "zh" offers 张, 赵, 周 …; "zhangw" offers what "zhang" is read as.
    pub fn candidates(&self, typed: &str) -> Candidates {
        let start = typed
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphabetic())
            .last()
            .map_or(typed.len(), |(i, _)| i);
        // Syllables are plain ASCII with ü written v, as the keyboard types it.
        let pending = typed[start..].to_ascii_lowercase();
        if pending.is_empty() {
            return Candidates::default();
        }
        let first = typed[..start].chars().all(|c| !c.is_alphabetic());
        for end in (1..=pending.len()).rev() {
            let Some(prefix) = pending.get(..end) else {
                continue;
            };
            let whole = end == pending.len();
            let mut found: HashMap<char, (bool, u32)> = HashMap::new();
            for (syllable, chars) in &self.readings {
                let fits = if whole {
                    syllable.starts_with(prefix)
                } else {
                    syllable == prefix
                };
                if !fits {
                    continue;
                }
                for &(c, as_surname, later) in chars {
                    let weight = if first {
                        as_surname * 4 + later
                    } else {
                        later * 4 + as_surname
                    };
                    let entry = found.entry(c).or_default();
                    entry.0 |= syllable == prefix;
                    entry.1 += weight;
                }
            }
            if found.is_empty() {
                continue;
            }
            let mut chars: Vec<(char, (bool, u32))> = found.into_iter().collect();
            // A whole syllable typed ("zha") offers its own characters before longer ones.
            chars.sort_by_key(|&(c, (exact, weight))| (!exact, std::cmp::Reverse(weight), c));
            return Candidates {
                replace: start,
                replace_end: start + prefix.len(),
                chars: chars
                    .into_iter()
                    .map(|(c, _)| c)
                    .take(MAX_CANDIDATES)
                    .collect(),
            };
        }
        Candidates::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kiosk::snapshot::{KioskMonument, KioskPerson, KioskStone};
    use crate::search::model::SearchPayload;

    /// Two monuments; people as (name, syllables, strokes, monument, stone, row, position, year).
    fn directory() -> KioskDirectory {
        let people = [
            ("张伟", "zhang wei", 7, 0, 1, 1, 3, 1955),
            ("张卫", "zhang wei", 7, 0, 1, 1, 2, 1955),
            ("王海", "wang hai", 4, 0, 1, 1, 1, 1955),
            ("赵海", "zhao hai", 9, 0, 1, 2, 1, 1955),
            ("查建", "zha jian", 9, 0, 2, 1, 1, 1956),
            ("周明", "zhou ming", 8, 1, 1, 1, 1, 1959),
            ("张明", "zhang ming", 7, 0, 1, 1, 4, 1955),
        ];
        let stone = |number, rows, year| KioskStone {
            number,
            rows,
            years: vec![year],
            names: 0,
            first_surname: String::new(),
            last_surname: String::new(),
        };
        let monument = |code: &str, stones: Vec<KioskStone>| KioskMonument {
            code: code.into(),
            name_zh: format!("{code}碑"),
            name_en: format!("{code} stones"),
            location_zh: format!("{code}地点"),
            location_en: format!("{code} place"),
            names_per_row: 4,
            plan: (code == "plaza").then(|| crate::import::plan::schematic(2, true)),
            stones,
        };
        KioskDirectory::new(KioskSnapshot {
            version: "v1".into(),
            as_of: "2026-11-29 10:00".into(),
            search: SearchPayload {
                variants: "峯峰".into(),
                misreadings: vec![],
                honours: vec![("bj".into(), "北京市劳动模范".into(), "Beijing".into())],
                sections: vec![
                    ("plaza".into(), "plaza碑".into(), "plaza stones".into()),
                    ("park".into(), "park碑".into(), "park stones".into()),
                ],
                units: vec!["".into(), "某厂".into()],
                people: people
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        (
                            i as i64 + 1,
                            p.0.into(),
                            p.1.into(),
                            1,
                            p.7,
                            0,
                            1,
                            p.3,
                            p.4,
                            p.5,
                            p.6,
                        )
                    })
                    .collect(),
            },
            monuments: vec![
                monument("plaza", vec![stone(1, 2, 1955), stone(2, 1, 1956)]),
                monument("park", vec![stone(1, 1, 1959)]),
            ],
            people: people
                .iter()
                .map(|p| {
                    KioskPerson(
                        p.2,
                        vec![(p.7, 0)],
                        vec![(p.3, p.4, p.5, p.6, p.7)],
                        Some(format!("{}的事迹", p.0)),
                    )
                })
                .collect(),
        })
    }

    #[test]
    fn the_stones_order_year_then_strokes_then_surname_then_place() {
        let d = directory();
        assert_eq!(d.years("plaza"), vec![1955, 1956]);
        assert_eq!(d.years("park"), vec![1959]);
        assert_eq!(d.years("nowhere"), Vec::<i32>::new());
        let KioskScreen::Strokes { counts, .. } = d.strokes("plaza", 1955) else {
            panic!()
        };
        assert_eq!(counts, vec![(4, 1), (7, 3), (9, 1)]);
        let KioskScreen::Surnames { surnames, .. } = d.surnames("plaza", 1955, 7) else {
            panic!()
        };
        assert_eq!(surnames, vec![("张".to_string(), 3)]);
        let KioskScreen::Names { names, .. } = d.names("plaza", 1955, 7, "张") else {
            panic!()
        };
        let in_order: Vec<(&str, Option<u16>)> = names
            .iter()
            .map(|n| (n.name.as_str(), n.position))
            .collect();
        assert_eq!(
            in_order,
            vec![("张卫", Some(2)), ("张伟", Some(3)), ("张明", Some(4))]
        );
    }

    #[test]
    fn search_is_the_sites_engine() {
        let d = directory();
        let (count, names) = d.search("plaza", "zhw");
        assert_eq!(count, 2);
        assert!(names.iter().all(|n| n.name.starts_with('张')));
        assert_eq!(
            d.search("plaza", "海").0,
            2,
            "a character anywhere in the name"
        );
        assert_eq!(d.search("plaza", "zhou ming").1[0].name, "周明");
    }

    #[test]
    fn the_answer_gives_the_place_and_says_when_it_is_elsewhere() {
        let d = directory();
        let Some(KioskScreen::Answer(here)) = d.answer("plaza", Some((2.0, 40.0)), 1) else {
            panic!()
        };
        let place = here.place.unwrap();
        assert_eq!((place.stone, place.row, place.position), (1, 1, 3));
        assert_eq!((here.rows, here.per_row), (2, 4));
        assert_eq!(here.elsewhere, None);
        assert_eq!(
            here.honours,
            vec![(1955, "北京市劳动模范".into(), "Beijing".into())]
        );
        assert_eq!(here.work_unit.as_deref(), Some("某厂"));
        let map = here.map.expect("the plaza has a plan");
        assert_eq!(map.stone, 1);
        let route = map.route.expect("a step-free way from the kiosk");
        assert_eq!(route.points[0], (2.0, 40.0), "from where the kiosk stands");
        let Some(KioskScreen::Answer(far)) = d.answer("plaza", None, 6) else {
            panic!()
        };
        assert_eq!(
            far.elsewhere,
            Some(("park地点".into(), "park place".into()))
        );
        assert_eq!(far.map, None, "no map of the wrong grounds");
        let Some(KioskScreen::Answer(placeless)) = d.answer("plaza", None, 1) else {
            panic!()
        };
        let map = placeless
            .map
            .expect("the plan and the stone without a place to start");
        assert_eq!((map.here, map.route), (None, None));
        assert!(d.answer("plaza", None, 99).is_none());
    }

    #[test]
    fn a_broken_snapshot_is_answered_from_what_holds() {
        let mut snapshot = directory().snapshot().clone();
        snapshot.people.pop();
        snapshot.people[0].2.push((9, 1, 1, 1, 1955));
        snapshot.monuments[0]
            .plan
            .as_mut()
            .unwrap()
            .segments
            .push((0, 9999, true));
        let d = KioskDirectory::new(snapshot);
        assert_eq!(d.snapshot().search.people.len(), d.snapshot().people.len());
        assert!(d.snapshot().people[0].2.iter().all(|p| p.0 < 2));
        assert_eq!(
            d.snapshot().monuments[0].plan,
            None,
            "a plan that breaks its rules"
        );
        assert!(matches!(
            d.answer("plaza", Some((2.0, 40.0)), 1),
            Some(KioskScreen::Answer(KioskAnswer { map: None, .. }))
        ));
    }

    #[test]
    fn candidates_come_from_the_directorys_own_names() {
        let d = directory();
        // Most frequent surname first; only characters that occur.
        let c = d.candidates("zh");
        assert_eq!(c.chars[0], '张');
        assert!(c.chars.contains(&'赵') && c.chars.contains(&'周') && c.chars.contains(&'查'));
        assert_eq!((c.replace, c.replace_end), (0, 2));
        // A whole syllable typed offers its own characters first.
        assert_eq!(d.candidates("zha").chars[0], '查');
        // After a chosen surname, the given name's characters.
        let c = d.candidates("张w");
        assert_eq!(c.chars[..2], ['伟', '卫']);
        assert_eq!(
            c.chars[2], '王',
            "a surname is offered after the given names' characters"
        );
        assert_eq!((c.replace, c.replace_end), ("张".len(), "张w".len()));
        // Letters past a whole syllable: the syllable's characters, replacing only it.
        let c = d.candidates("zhangw");
        assert_eq!(c.chars, vec!['张']);
        assert_eq!((c.replace, c.replace_end), (0, 5));
        assert_eq!(d.candidates("").chars, Vec::<char>::new());
        assert_eq!(d.candidates("张").chars, Vec::<char>::new());
        assert_eq!(d.candidates("qqq").chars, Vec::<char>::new());
    }
}
