//! The in-memory read model of everything public: built once from the database at start-up (and
//! again after an import), then shared read-only by pages, server functions and the API. 13,058
//! names take a few megabytes; every public read is a lookup, never a query.
//!
//! Long because it is one read model with one build step: the indexes, the rendered stones, the
//! search payload and the statistics are made together from one pass over the public records.
//! The wall issue (issue 8) splits the rendering out when the wall moves to levels of detail.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::db::{Dataset, PersonRow};
use crate::kiosk::directory::KioskDirectory;
use crate::kiosk::snapshot::{KioskMonument, KioskPerson, KioskSnapshot, KioskStone};
use crate::laureates::model::{
    is_playable_video, HonourAward, LaureateProfile, LaureateSummary, MediaKind, MediaLink,
};
use crate::search::build::BuiltIndex;
use crate::search::engine::{SearchEntry, SearchIndex};
use crate::search::model::SearchPayload;
use crate::search::pinyin::{name_syllables, surname_len};
use crate::stats::model::*;
use crate::wall::engraving::{render_rows, EngravedName};
use crate::wall::layout::Slot;
use crate::wall::model::*;

/// An honour held, by index into `outline.honours` (13,058 people share a handful of categories).
#[derive(Clone, Copy)]
struct Award {
    category: u16,
    year: i32,
}

/// Where a person is engraved: section index, slot, year, honour category index.
type Placement = (usize, Slot, i32, u16);

struct PersonEntry {
    row: PersonRow,
    /// Syllables joined by spaces.
    pinyin: String,
    honours: Vec<Award>,
    placements: Vec<Placement>,
    /// Places planned on a monument whose stones were cut before this name's year:
    /// (section, year). Not yet engraved.
    planned: Vec<(usize, i32)>,
    media: Vec<MediaLink>,
}

/// A query of the open-data list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListQuery {
    pub q: Option<String>,
    pub level: Option<String>,
    pub batch: Option<i32>,
    pub honour: Option<String>,
}

pub struct Catalog {
    pub outline: WallOutline,
    people: Vec<PersonEntry>,
    by_id: HashMap<i64, usize>,
    /// People in wall order (section, stone, row, position; unplaced people last).
    wall_order: Vec<usize>,
    search: SearchIndex,
    stone_html: HashMap<(usize, u16), String>,
    /// Each stone's names in stone order, for its own page.
    stone_names: HashMap<(usize, u16), Vec<StoneName>>,
    pub search_payload_json: String,
    pub wall_json: String,
    pub stats: Stats,
    /// Changes whenever the data does: used as the ETag of the cacheable documents.
    pub version: String,
    /// When this catalogue was read from the database.
    pub built_at: chrono::DateTime<chrono::Utc>,
    /// The kiosks' snapshot, made when a kiosk first asks for it.
    kiosk: std::sync::OnceLock<KioskCache>,
    /// Each section's grounds plan (checked when it was set), in the order of `outline.sections`.
    plans: Vec<Option<crate::domain::plaza::PlazaPlan>>,
}

/// The kiosks' snapshot as downloaded, and the directory the server answers kiosk pages from.
pub struct KioskCache {
    pub json: String,
    pub directory: KioskDirectory,
}

impl Catalog {
    pub fn build(data: &Dataset) -> Catalog {
        let category_index: HashMap<&str, u16> = data
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i as u16))
            .collect();
        let published = data.published_batch_ids();
        let visible = |batch: Option<i64>| batch.is_none_or(|b| published.contains(&b));

        let mut people: Vec<PersonEntry> = data
            .people
            .iter()
            .map(|row| PersonEntry {
                pinyin: name_syllables(&row.name_engraved).join(" "),
                row: row.clone(),
                honours: Vec::new(),
                placements: Vec::new(),
                planned: Vec::new(),
                media: Vec::new(),
            })
            .collect();
        let by_id: HashMap<i64, usize> = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.row.id, i))
            .collect();

        let mut honour_of: HashMap<i64, &crate::db::HonourRow> = HashMap::new();
        for h in &data.honours {
            honour_of.insert(h.id, h);
            let (Some(pid), true) = (h.person_id, visible(h.batch_id)) else {
                continue;
            };
            let (Some(&i), Some(&category)) =
                (by_id.get(&pid), category_index.get(h.category.as_str()))
            else {
                continue;
            };
            people[i].honours.push(Award {
                category,
                year: h.year,
            });
        }
        for p in &mut people {
            p.honours
                .sort_by_key(|h| (h.year, !data.categories[h.category as usize].engraved));
        }
        for m in &data.media {
            if let Some(&i) = by_id.get(&m.person_id) {
                let kind = if m.kind == "portrait" {
                    MediaKind::Portrait
                } else {
                    MediaKind::Video
                };
                people[i].media.push(MediaLink {
                    playable: kind == MediaKind::Video && is_playable_video(&m.url),
                    kind,
                    url: m.url.clone(),
                    title: m.title.clone(),
                });
            }
        }

        // Sections and their stones.
        let section_index: HashMap<i64, usize> = data
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let mut stones: Vec<BTreeMap<u16, Vec<(Slot, usize, i32, u16)>>> =
            vec![BTreeMap::new(); data.sections.len()];
        // Per section: how many names each later year has waiting for the stones to be cut.
        let mut planned: Vec<BTreeMap<i32, u32>> = vec![BTreeMap::new(); data.sections.len()];
        for s in &data.slots {
            let (Some(&si), Some(&pi), Some(h)) = (
                section_index.get(&s.section_id),
                by_id.get(&s.person_id),
                honour_of.get(&s.honour_id),
            ) else {
                continue;
            };
            let Some(&category) = category_index.get(h.category.as_str()) else {
                continue;
            };
            if !visible(h.batch_id) {
                continue;
            }
            if !s.engraved {
                *planned[si].entry(s.year).or_default() += 1;
                people[pi].planned.push((si, s.year));
                continue;
            }
            let slot = Slot {
                stone: s.stone as u16,
                row: s.row_no as u16,
                position: s.position as u16,
            };
            stones[si]
                .entry(slot.stone)
                .or_default()
                .push((slot, pi, s.year, category));
            people[pi].placements.push((si, slot, s.year, category));
        }
        let mut sections = Vec::new();
        let mut stone_html = HashMap::new();
        let mut stone_names = HashMap::new();
        for (si, s) in data.sections.iter().enumerate() {
            let per_row = s.names_per_row.max(1) as u16;
            let mut outlines = Vec::new();
            for (number, names) in stones[si].iter_mut() {
                names.sort_by_key(|(slot, ..)| *slot);
                let mut years: Vec<i32> = names.iter().map(|n| n.2).collect();
                years.sort();
                years.dedup();
                let rows = names.iter().map(|(slot, ..)| slot.row).max().unwrap_or(0);
                let surname = |entry: Option<&(Slot, usize, i32, u16)>| {
                    entry
                        .map(|(_, pi, ..)| people[*pi].row.surname.clone())
                        .unwrap_or_default()
                };
                outlines.push(StoneOutline {
                    number: *number,
                    years,
                    names: names.len() as u32,
                    rows,
                    first_surname: surname(names.first()),
                    last_surname: surname(names.last()),
                });
                stone_html.insert(
                    (si, *number),
                    render_stone(names, &people, &data.categories),
                );
                stone_names.insert(
                    (si, *number),
                    names
                        .iter()
                        .map(|(slot, pi, year, _)| StoneName {
                            id: people[*pi].row.id,
                            name: people[*pi].row.name_engraved.clone(),
                            row: slot.row,
                            position: slot.position,
                            year: *year,
                        })
                        .collect(),
                );
            }
            sections.push(SectionOutline {
                code: s.code.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                level: s.level.clone(),
                location_zh: s.location_zh.clone(),
                location_en: s.location_en.clone(),
                names_per_row: per_row,
                stones: outlines,
                engraved_through: s.engraved_through.map(|y| y as i32),
                not_yet_engraved: planned[si]
                    .iter()
                    .map(|(&year, &names)| PlannedYear { year, names })
                    .collect(),
            });
        }
        for p in &mut people {
            p.placements.sort_by_key(|(si, slot, ..)| (*si, *slot));
        }

        let honours: Vec<HonourInfo> = data
            .categories
            .iter()
            .map(|c| HonourInfo {
                code: c.code.clone(),
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                level: c.level.clone(),
                recipient: c.recipient.clone(),
                engraved: c.engraved,
            })
            .collect();
        let total: u32 = sections
            .iter()
            .flat_map(|s| &s.stones)
            .map(|s| s.names)
            .sum();
        let demo = data.people.iter().any(|p| p.demo);
        let outline = WallOutline {
            demo,
            sections,
            honours,
            total,
        };

        // Wall order and the search index built in it.
        let mut wall_order: Vec<usize> = (0..people.len()).collect();
        wall_order.sort_by_key(|&i| {
            let p = &people[i];
            match p.placements.first() {
                Some((si, slot, ..)) => (0, *si, *slot, p.row.id),
                None => (
                    1,
                    0,
                    Slot {
                        stone: 0,
                        row: 0,
                        position: 0,
                    },
                    p.row.id,
                ),
            }
        });
        let entries: Vec<SearchEntry> = wall_order
            .iter()
            .map(|&i| SearchEntry {
                name: people[i].row.name_engraved.clone(),
                syllables: people[i].pinyin.split(' ').map(str::to_string).collect(),
                surname_len: surname_len(&people[i].row.name_engraved) as u8,
            })
            .collect();
        let BuiltIndex {
            index: search,
            variants,
            misreadings,
        } = crate::search::build::build(&entries);

        let mut catalog = Catalog {
            outline,
            people,
            by_id,
            wall_order,
            search,
            stone_html,
            stone_names,
            search_payload_json: String::new(),
            wall_json: String::new(),
            stats: compute_stats(data, demo),
            version: String::new(),
            built_at: chrono::Utc::now(),
            kiosk: std::sync::OnceLock::new(),
            plans: data
                .sections
                .iter()
                .map(|s| {
                    s.plan
                        .as_deref()
                        .and_then(|json| crate::domain::plaza::PlazaPlan::parse(json).ok())
                })
                .collect(),
        };
        catalog.search_payload_json =
            serde_json::to_string(&catalog.search_payload(&variants, misreadings))
                .expect("payload serialises");
        catalog.wall_json =
            serde_json::to_string(&catalog.wall_document()).expect("wall serialises");
        catalog.version = format!(
            "{:016x}",
            fnv1a(catalog.wall_json.as_bytes())
                ^ fnv1a(catalog.search_payload_json.as_bytes()).rotate_left(1)
        );
        catalog
    }

    pub fn stone_html(&self, section: usize, stone: u16) -> &str {
        self.stone_html
            .get(&(section, stone))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// One stone's page, found by its section's code and its number.
    pub fn stone_page(&self, section_code: &str, number: u16) -> Option<StonePage> {
        let si = self
            .outline
            .sections
            .iter()
            .position(|s| s.code == section_code)?;
        let section = &self.outline.sections[si];
        let stone = section.stones.iter().find(|s| s.number == number)?;
        // Neighbours in wall order, across sections.
        let order: Vec<(usize, u16)> = self
            .outline
            .sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.stones.iter().map(move |st| (i, st.number)))
            .collect();
        let here = order.iter().position(|&k| k == (si, number))?;
        let reference = |&(i, n): &(usize, u16)| {
            let s = &self.outline.sections[i];
            StoneRef {
                section_code: s.code.clone(),
                section_name_zh: s.name_zh.clone(),
                section_name_en: s.name_en.clone(),
                number: n,
            }
        };
        Some(StonePage {
            section_code: section.code.clone(),
            section_name_zh: section.name_zh.clone(),
            section_name_en: section.name_en.clone(),
            location_zh: section.location_zh.clone(),
            location_en: section.location_en.clone(),
            number,
            years: stone.years.clone(),
            rows: stone.rows,
            names: self
                .stone_names
                .get(&(si, number))
                .cloned()
                .unwrap_or_default(),
            previous: here
                .checked_sub(1)
                .and_then(|i| order.get(i))
                .map(reference),
            next: order.get(here + 1).map(reference),
            demo: self.outline.demo,
        })
    }

    /// Every public profile's id, in wall order (the sitemap lists them).
    pub fn profile_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.wall_order.iter().map(|&i| self.people[i].row.id)
    }

    fn place(&self, placement: &Placement) -> WallPlace {
        WallPlace::new(&self.outline.sections[placement.0], placement.1)
    }

    fn category(&self, award: &Award) -> &HonourInfo {
        &self.outline.honours[award.category as usize]
    }

    fn awards(&self, p: &PersonEntry) -> Vec<HonourAward> {
        p.honours
            .iter()
            .map(|a| {
                let c = self.category(a);
                HonourAward {
                    code: c.code.clone(),
                    name: c.name_zh.clone(),
                    name_en: c.name_en.clone(),
                    level: c.level.clone(),
                    year: a.year,
                    engraved: c.engraved,
                }
            })
            .collect()
    }

    fn summary(&self, p: &PersonEntry) -> LaureateSummary {
        LaureateSummary {
            id: p.row.id,
            name: p.row.name_engraved.clone(),
            pinyin: p.pinyin.clone(),
            work_unit: p.row.work_unit.clone(),
            honours: self.awards(p),
            wall: p.placements.first().map(|pl| self.place(pl)),
            demo: p.row.demo,
            misread: false,
        }
    }

    /// The errata list: every place where a stone's name differs from the person's record, in
    /// wall order (monument, stone, row, position).
    pub fn errata(&self) -> Vec<crate::records::model::Erratum> {
        let mut places: Vec<(&PersonEntry, &Placement)> = self
            .people
            .iter()
            .filter(|p| {
                Self::is_public(p)
                    && !p.row.name_correct.is_empty()
                    && p.row.name_correct != p.row.name_engraved
            })
            .flat_map(|p| p.placements.iter().map(move |pl| (p, pl)))
            .collect();
        places.sort_by_key(|(_, pl)| (pl.0, pl.1.stone, pl.1.row, pl.1.position));
        places
            .into_iter()
            .map(|(p, pl)| {
                let section = &self.outline.sections[pl.0];
                crate::records::model::Erratum {
                    section_code: section.code.clone(),
                    section_name_zh: section.name_zh.clone(),
                    section_name_en: section.name_en.clone(),
                    stone: pl.1.stone,
                    row: pl.1.row,
                    position: pl.1.position,
                    year: pl.2,
                    person_id: p.row.id,
                    engraved: p.row.name_engraved.clone(),
                    correct: p.row.name_correct.clone(),
                }
            })
            .collect()
    }

    /// How many people the catalogue holds (public or not).
    pub fn people_count(&self) -> usize {
        self.people.len()
    }

    fn is_public(p: &PersonEntry) -> bool {
        !p.honours.is_empty()
    }

    pub fn profile(&self, id: i64) -> Option<LaureateProfile> {
        let p = self
            .by_id
            .get(&id)
            .map(|&i| &self.people[i])
            .filter(|p| Self::is_public(p))?;
        let placements: Vec<WallPlace> = p.placements.iter().map(|pl| self.place(pl)).collect();
        Some(LaureateProfile {
            id: p.row.id,
            name: p.row.name_engraved.clone(),
            name_correct: p.row.name_correct.clone(),
            pinyin: p.pinyin.clone(),
            sex: p.row.sex.clone(),
            ethnicity: p.row.ethnicity.clone(),
            birth_year: p.row.birth_year,
            native_place: p.row.native_place.clone(),
            political: p.row.political.clone(),
            work_unit: p.row.work_unit.clone(),
            post: p.row.post.clone(),
            industry: p.row.industry.clone(),
            district: p.row.district.clone(),
            frontline: p.row.frontline,
            scitech: p.row.scitech,
            honours: self.awards(p),
            deeds_short: p.row.deeds_short.clone(),
            deeds_full: p.row.deeds_full.clone(),
            media: p.media.clone(),
            wall: placements.first().cloned(),
            placements,
            not_yet_engraved: p
                .planned
                .iter()
                .map(|&(si, year)| {
                    let section = &self.outline.sections[si];
                    ExpectedPlace {
                        section: section.code.clone(),
                        section_name_zh: section.name_zh.clone(),
                        section_name_en: section.name_en.clone(),
                        location_zh: section.location_zh.clone(),
                        location_en: section.location_en.clone(),
                        year,
                    }
                })
                .collect(),
            demo: p.row.demo,
        })
    }

    /// The open-data list: search (ranked) or wall order, then filters. Returns (total, page items).
    pub fn list(
        &self,
        query: &ListQuery,
        page: usize,
        per_page: usize,
    ) -> (usize, Vec<LaureateSummary>) {
        // Each person with whether the search found them only by a wrong reading of the surname.
        let ordered: Vec<(usize, bool)> =
            match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                Some(q) => self
                    .search
                    .search(q)
                    .into_iter()
                    .map(|hit| (self.wall_order[hit.index], hit.misread))
                    .collect(),
                None => self.wall_order.iter().map(|&i| (i, false)).collect(),
            };
        let matching: Vec<(usize, bool)> = ordered
            .into_iter()
            .filter(|&(i, _)| {
                let p = &self.people[i];
                Self::is_public(p)
                    && query.level.as_deref().is_none_or(|l| {
                        p.honours
                            .iter()
                            .any(|h| self.category(h).engraved && self.category(h).level == l)
                    })
                    && query.batch.is_none_or(|y| {
                        p.honours
                            .iter()
                            .any(|h| self.category(h).engraved && h.year == y)
                    })
                    && query
                        .honour
                        .as_deref()
                        .is_none_or(|c| p.honours.iter().any(|h| self.category(h).code == c))
            })
            .collect();
        let total = matching.len();
        let items = matching
            .iter()
            .skip(page.saturating_sub(1).saturating_mul(per_page))
            .take(per_page)
            .map(|&(i, misread)| LaureateSummary {
                misread,
                ..self.summary(&self.people[i])
            })
            .collect();
        (total, items)
    }

    pub fn honour_exists(&self, code: &str) -> bool {
        self.outline.honours.iter().any(|h| h.code == code)
    }

    /// Whether the kiosks' snapshot is made already.
    pub fn kiosk_ready(&self) -> bool {
        self.kiosk.get().is_some()
    }

    /// The kiosks' snapshot and directory (made once per catalogue, on first use; see
    /// `AppState::catalog_with_kiosk`).
    pub fn kiosk(&self) -> &KioskCache {
        self.kiosk.get_or_init(|| {
            let snapshot = self.kiosk_snapshot();
            KioskCache {
                json: serde_json::to_string(&snapshot).expect("snapshot serialises"),
                directory: KioskDirectory::new(snapshot),
            }
        })
    }

    fn kiosk_snapshot(&self) -> KioskSnapshot {
        let search: SearchPayload =
            serde_json::from_str(&self.search_payload_json).expect("payload reads back");
        let monuments = self
            .outline
            .sections
            .iter()
            .zip(&self.plans)
            .map(|(s, plan)| KioskMonument {
                code: s.code.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                location_zh: s.location_zh.clone(),
                location_en: s.location_en.clone(),
                names_per_row: s.names_per_row,
                plan: plan.clone(),
                stones: s
                    .stones
                    .iter()
                    .map(|st| KioskStone {
                        number: st.number,
                        rows: st.rows,
                        years: st.years.clone(),
                        names: st.names,
                        first_surname: st.first_surname.clone(),
                        last_surname: st.last_surname.clone(),
                    })
                    .collect(),
            })
            .collect();
        let people = self
            .wall_order
            .iter()
            .map(|&i| {
                let p = &self.people[i];
                let name = &p.row.name_engraved;
                KioskPerson(
                    name.chars()
                        .next()
                        .and_then(crate::wall::strokes::stroke_count)
                        .unwrap_or(0),
                    p.honours
                        .iter()
                        .map(|a| (a.year, a.category as u8))
                        .collect(),
                    p.placements
                        .iter()
                        .map(|(section, slot, year, _)| {
                            (*section as u8, slot.stone, slot.row, slot.position, *year)
                        })
                        .collect(),
                    p.row.deeds_short.clone(),
                )
            })
            .collect();
        let as_of = (self.built_at + chrono::Duration::hours(8))
            .format("%Y-%m-%d %H:%M")
            .to_string();
        KioskSnapshot {
            version: self.version.clone(),
            as_of,
            search,
            monuments,
            people,
        }
    }

    fn search_payload(
        &self,
        variants: &[(char, char)],
        misreadings: Vec<(String, String)>,
    ) -> SearchPayload {
        let honours: Vec<(String, String, String)> = self
            .outline
            .honours
            .iter()
            .map(|h| (h.code.clone(), h.name_zh.clone(), h.name_en.clone()))
            .collect();
        let sections: Vec<(String, String, String)> = self
            .outline
            .sections
            .iter()
            .map(|s| (s.code.clone(), s.name_zh.clone(), s.name_en.clone()))
            .collect();
        let mut units: Vec<String> = Vec::new();
        let mut unit_index: HashMap<&str, u32> = HashMap::new();
        let mut rows = Vec::with_capacity(self.wall_order.len());
        for &i in &self.wall_order {
            let p = &self.people[i];
            let unit = p.row.work_unit.as_deref().unwrap_or("");
            let ui = *unit_index.entry(unit).or_insert_with(|| {
                units.push(unit.to_string());
                units.len() as u32 - 1
            });
            let (si, slot, year, honour) = p.placements.first().copied().unwrap_or((
                u8::MAX as usize,
                Slot {
                    stone: 0,
                    row: 0,
                    position: 0,
                },
                0,
                u8::MAX as u16,
            ));
            rows.push((
                p.row.id,
                p.row.name_engraved.clone(),
                p.pinyin.clone(),
                surname_len(&p.row.name_engraved) as u8,
                year,
                honour as u8,
                ui,
                si as u8,
                slot.stone,
                slot.row,
                slot.position,
            ));
        }
        SearchPayload {
            variants: variants.iter().flat_map(|(t, s)| [*t, *s]).collect(),
            misreadings,
            honours,
            sections,
            units,
            people: rows,
        }
    }

    /// The `/api/v1/wall` document: sections → stones → rows → names with ids.
    fn wall_document(&self) -> serde_json::Value {
        use serde_json::json;
        let sections: Vec<serde_json::Value> = self
            .outline
            .sections
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let stones: Vec<serde_json::Value> = s
                    .stones
                    .iter()
                    .map(|stone| {
                        let mut rows: BTreeMap<u16, Vec<serde_json::Value>> = BTreeMap::new();
                        for &i in &self.wall_order {
                            let p = &self.people[i];
                            for (psi, slot, year, code) in &p.placements {
                                if *psi == si && slot.stone == stone.number {
                                    rows.entry(slot.row).or_default().push(json!({
                                        "id": p.row.id, "name": p.row.name_engraved, "position": slot.position,
                                        "year": year, "honour": self.outline.honours[*code as usize].code,
                                    }));
                                }
                            }
                        }
                        json!({
                            "number": stone.number, "years": stone.years, "names": stone.names,
                            "rows": rows.into_iter().map(|(row, names)| json!({"row": row, "names": names})).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                json!({
                    "code": s.code, "name": s.name_zh, "name_en": s.name_en, "level": s.level,
                    "location": s.location_zh, "location_en": s.location_en,
                    "names_per_row": s.names_per_row, "stones": stones,
                })
            })
            .collect();
        json!({ "demo": self.outline.demo, "total": self.outline.total, "sections": sections })
    }
}

fn render_stone(
    names: &[(Slot, usize, i32, u16)],
    people: &[PersonEntry],
    categories: &[crate::db::HonourCategoryRow],
) -> String {
    let engraved: Vec<EngravedName> = names
        .iter()
        .map(|(slot, pi, year, category)| EngravedName {
            row: slot.row,
            position: slot.position,
            id: people[*pi].row.id,
            name: &people[*pi].row.name_engraved,
            year: *year,
            honour: &categories[*category as usize].code,
        })
        .collect();
    render_rows(&engraved)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// People counted by one field ("—" where it is not recorded), largest first.
fn counts_by(people: &[PersonRow], field: impl Fn(&PersonRow) -> Option<&str>) -> Vec<ShareCount> {
    let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
    for p in people {
        *counts.entry(field(p).unwrap_or("—")).or_default() += 1;
    }
    let mut counts: Vec<ShareCount> = counts
        .into_iter()
        .map(|(label, count)| ShareCount {
            label: label.to_string(),
            count,
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
    counts
}

fn is_minority(p: &PersonRow) -> bool {
    p.ethnicity.as_deref().is_some_and(|e| e != "汉族")
}

fn compute_stats(data: &Dataset, demo: bool) -> Stats {
    let section_level: HashMap<i64, &str> = data
        .sections
        .iter()
        .map(|s| (s.id, s.level.as_str()))
        .collect();
    let published = data.published_batch_ids();
    let honour_batch: HashMap<i64, Option<i64>> =
        data.honours.iter().map(|h| (h.id, h.batch_id)).collect();
    let visible_slot = |s: &&crate::db::SlotRow| {
        honour_batch
            .get(&s.honour_id)
            .copied()
            .flatten()
            .is_none_or(|b| published.contains(&b))
    };
    let mut national = 0;
    let mut municipal = 0;
    let mut by_batch: BTreeMap<(i32, String), u32> = BTreeMap::new();
    let person_by_id: HashMap<i64, &PersonRow> = data.people.iter().map(|p| (p.id, p)).collect();
    let mut shares: BTreeMap<(i32, String), BatchShares> = BTreeMap::new();
    for s in data.slots.iter().filter(visible_slot) {
        let level = section_level
            .get(&s.section_id)
            .copied()
            .unwrap_or("municipal");
        // The headline counts what the stones carry; the batches count every name placed,
        // those waiting for the next cutting included.
        match (s.engraved, level) {
            (false, _) => {}
            (true, "national") => national += 1,
            (true, _) => municipal += 1,
        }
        *by_batch.entry((s.year, level.to_string())).or_default() += 1;
        if let Some(p) = person_by_id.get(&s.person_id) {
            let batch = shares.entry((s.year, level.to_string())).or_default();
            batch.people += 1;
            batch.women += u32::from(p.sex.as_deref() == Some("F"));
            batch.minority += u32::from(is_minority(p));
            batch.frontline += u32::from(p.frontline);
            batch.scitech += u32::from(p.scitech);
        }
    }
    let mut by_honour = Vec::new();
    for c in &data.categories {
        let recipients = data
            .honours
            .iter()
            .filter(|h| h.category == c.code && h.batch_id.is_none_or(|b| published.contains(&b)))
            .count() as u32;
        by_honour.push(HonourCount {
            code: c.code.clone(),
            name: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            recipients,
        });
    }
    let by_industry = counts_by(&data.people, |p| p.industry.as_deref());
    let by_district = counts_by(&data.people, |p| p.district.as_deref());
    let count = |f: &dyn Fn(&PersonRow) -> bool| data.people.iter().filter(|p| f(p)).count() as u32;
    Stats {
        engraved: EngravedCounts {
            national,
            municipal,
            total: national + municipal,
        },
        by_batch: by_batch
            .into_iter()
            .map(|((year, level), count)| BatchCount { level, year, count })
            .collect(),
        by_honour,
        by_industry,
        by_district,
        shares_by_batch: shares
            .into_iter()
            .map(|((year, level), shares)| BatchShares {
                year,
                level,
                ..shares
            })
            .collect(),
        people: data.people.len() as u32,
        women: count(&|p| p.sex.as_deref() == Some("F")),
        minority: count(&is_minority),
        frontline: count(&|p| p.frontline),
        scitech: count(&|p| p.scitech),
        organisations: data.organisations.len() as u32,
        with_media: data
            .media
            .iter()
            .map(|m| m.person_id)
            .collect::<HashSet<_>>()
            .len() as u32,
        demo,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::escape_html;
    use crate::import::demo::{generate, DEFAULT_SEED};

    #[test]
    fn demo_catalogue() {
        let c = Catalog::build(&generate(DEFAULT_SEED).public());
        assert_eq!(c.stats.engraved.total, 13_058);
        assert_eq!(c.stats.engraved.national, 1_197);
        assert_eq!(c.outline.total, 13_058);
        let (total, items) = c.list(
            &ListQuery {
                q: Some("zwm".into()),
                ..Default::default()
            },
            1,
            5,
        );
        assert!(total > 0);
        assert!(items
            .iter()
            .all(|i| i.pinyin.starts_with("zh") || i.pinyin.starts_with('z')));
        // Every stone is rendered, and names are escaped list items.
        let html = c.stone_html(0, 1);
        assert!(html.starts_with("<li data-ids=\""));
        assert!(c.search_payload_json.len() > 100_000);
        assert!(c.profile(1).is_some());
        assert!(c.profile(999_999).is_none());
        // 張 folds to 张 when 张 occurs in names.
        let payload: SearchPayload = serde_json::from_str(&c.search_payload_json).unwrap();
        assert!(payload.variants.contains("張张"));
    }

    /// Surnames with their own readings are found by those readings and never by the common ones.
    #[test]
    fn surname_readings_in_search() {
        let c = Catalog::build(&generate(DEFAULT_SEED).public());
        let results = |q: &str| {
            c.list(
                &ListQuery {
                    q: Some(q.into()),
                    ..Default::default()
                },
                1,
                100_000,
            )
            .1
        };
        // Surnames of the people found by their surname (not by a given name that reads the same).
        let first_chars = |q: &str| -> Vec<char> {
            results(q)
                .iter()
                .filter(|i| i.pinyin.starts_with(q))
                .filter_map(|i| i.name.chars().next())
                .collect()
        };
        for (surname, reading, wrong) in [
            ('单', "shan", "dan"),
            ('曾', "zeng", "ceng"),
            ('解', "xie", "jie"),
            ('仇', "qiu", "chou"),
            ('区', "ou", "qu"),
            ('朴', "piao", "pu"),
            ('查', "zha", "cha"),
        ] {
            assert!(
                first_chars(reading).contains(&surname),
                "{reading} finds {surname}"
            );
            assert!(
                !first_chars(wrong).contains(&surname),
                "{wrong} must not find {surname}"
            );
        }
        // `shan` means 单 (and 山…), not sh(en)+an: every 单 comes before any loose reading.
        let shan: Vec<char> = results("shan")
            .iter()
            .filter_map(|i| i.name.chars().next())
            .collect();
        let last_shan = shan.iter().rposition(|c| *c == '单').unwrap();
        assert!(
            shan[..last_shan].iter().all(|c| *c == '单'),
            "{:?}",
            &shan[..last_shan.min(20)]
        );
    }

    /// With the stones cut only up to 2010, the 2015 names keep their planned places in the
    /// records but are on no stone: their profiles say "not yet engraved" and where they are
    /// expected, the wall says how many wait, and every name up to 2010 stays where it was.
    #[test]
    fn names_after_the_last_cutting_are_not_yet_engraved() {
        let mut data = generate(DEFAULT_SEED);
        let full = Catalog::build(&data.public());
        assert!(full
            .outline
            .sections
            .iter()
            .all(|s| s.not_yet_engraved.is_empty()));
        assert_eq!(full.outline.sections[0].engraved_through, Some(2015));

        let municipal = data
            .sections
            .iter()
            .position(|s| s.level == "municipal")
            .unwrap();
        // As `record_cutting` leaves it: the section and each of its slots.
        data.sections[municipal].engraved_through = Some(2010);
        let section_id = data.sections[municipal].id;
        for slot in data.slots.iter_mut().filter(|s| s.section_id == section_id) {
            slot.engraved = slot.year <= 2010;
        }
        let waiting: Vec<&crate::db::SlotRow> = data
            .slots
            .iter()
            .filter(|s| s.section_id == section_id && s.year > 2010)
            .collect();
        assert!(!waiting.is_empty());
        let cut = Catalog::build(&data.public());
        let section = &cut.outline.sections[municipal];
        assert_eq!(section.engraved_through, Some(2010));
        assert_eq!(
            section.not_yet_engraved,
            vec![PlannedYear {
                year: 2015,
                names: waiting.len() as u32
            }]
        );
        assert!(section
            .stones
            .iter()
            .all(|s| s.years.iter().all(|y| *y <= 2010)));
        assert_eq!(cut.outline.total, full.outline.total - waiting.len() as u32);

        let profile = cut.profile(waiting[0].person_id).unwrap();
        assert!(profile.placements.iter().all(|p| p.section != section.code));
        assert_eq!(profile.not_yet_engraved.len(), 1);
        let expected = &profile.not_yet_engraved[0];
        assert_eq!(
            (expected.section.as_str(), expected.year),
            (section.code.as_str(), 2015)
        );
        assert_eq!(
            expected.describe(crate::i18n::Lang::Zh),
            format!(
                "尚未镌刻：2015年表彰，预计刻于{}的{}。",
                section.location_zh, section.name_zh
            )
        );
        // Everyone honoured up to 2010 keeps the same place.
        let earlier = data
            .slots
            .iter()
            .find(|s| s.section_id == section_id && s.year <= 2010)
            .unwrap();
        assert_eq!(
            cut.profile(earlier.person_id).unwrap().placements,
            full.profile(earlier.person_id).unwrap().placements
        );
    }

    /// Two people whose records correct the stone appear on the errata list in wall order, each
    /// at the place the profile gives; everyone else agrees with their stone and is not listed.
    #[test]
    fn the_errata_list_names_each_differing_stone_place_in_wall_order() {
        let mut data = generate(DEFAULT_SEED);
        assert!(Catalog::build(&data.public()).errata().is_empty());
        let (early, late) = (data.people[5].id, data.people[4000].id);
        for p in data.people.iter_mut() {
            if p.id == early {
                p.name_correct = format!("{}甲", p.name_engraved);
            } else if p.id == late {
                p.name_correct = format!("{}乙", p.name_engraved);
            }
        }
        let catalog = Catalog::build(&data.public());
        let errata = catalog.errata();
        assert_eq!(errata.len(), 2, "{errata:?}");
        for e in &errata {
            let profile = catalog.profile(e.person_id).unwrap();
            assert_eq!(e.engraved, profile.name);
            assert_eq!(e.correct, profile.name_correct);
            assert_ne!(e.engraved, e.correct);
            let place = profile.wall.unwrap();
            assert_eq!(
                (e.section_code.as_str(), e.stone, e.row, e.position),
                (
                    place.section.as_str(),
                    place.stone,
                    place.row,
                    place.position
                )
            );
        }
        let keys: Vec<_> = errata
            .iter()
            .map(|e| {
                let section = catalog
                    .outline
                    .sections
                    .iter()
                    .position(|s| s.code == e.section_code);
                (section, e.stone, e.row, e.position)
            })
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }

    /// A person whose only honour sits in an unpublished batch appears in no public answer: not
    /// in the search payload, the list, the profiles, nor any count.
    #[test]
    fn unpublished_laureates_are_nowhere() {
        let mut data = generate(DEFAULT_SEED);
        let full = Catalog::build(&data.public());
        let batch_id = data.batches.iter().map(|b| b.id).max().unwrap() + 1;
        let person_id = data.people.iter().map(|p| p.id).max().unwrap() + 1;
        let honour_id = data.honours.iter().map(|h| h.id).max().unwrap() + 1;
        let section = data
            .sections
            .iter()
            .find(|s| s.level == "municipal")
            .unwrap()
            .id;
        data.batches.push(crate::db::BatchRow {
            id: batch_id,
            level: "municipal".into(),
            year: 2025,
            seq: 14,
            published: false,
        });
        data.people.push(crate::db::PersonRow {
            id: person_id,
            name_engraved: "甯未公".into(),
            name_correct: "甯未公".into(),
            surname: "甯".into(),
            work_unit: Some("未公开研究所".into()),
            industry: Some("未公开行业".into()),
            sex: Some("F".into()),
            ..Default::default()
        });
        data.honours.push(crate::db::HonourRow {
            id: honour_id,
            category: "beijing_model".into(),
            person_id: Some(person_id),
            organisation_id: None,
            year: 2025,
            batch_id: Some(batch_id),
        });
        data.slots.push(crate::db::SlotRow {
            id: data.slots.iter().map(|s| s.id).max().unwrap() + 1,
            section_id: section,
            person_id,
            honour_id,
            year: 2025,
            stone: 999,
            row_no: 1,
            position: 1,
            engraved: true,
        });
        let c = Catalog::build(&data.public());
        assert!(!c.search_payload_json.contains("甯未公"));
        assert!(
            !c.kiosk().json.contains("甯未公"),
            "nor in the kiosks' snapshot"
        );
        assert!(!c.search_payload_json.contains("未公开研究所"));
        assert!(c.profile(person_id).is_none());
        let (total, _) = c.list(
            &ListQuery {
                q: Some("甯未公".into()),
                ..Default::default()
            },
            1,
            5,
        );
        assert_eq!(total, 0);
        assert_eq!(
            c.stats, full.stats,
            "counts unchanged by an unpublished batch"
        );
        // Once published, the same person is public everywhere.
        data.batches.last_mut().unwrap().published = true;
        let c = Catalog::build(&data.public());
        assert!(c.search_payload_json.contains("甯未公"));
        assert!(c.profile(person_id).is_some());
        assert_eq!(c.stats.engraved.total, full.stats.engraved.total + 1);
    }

    #[test]
    fn escape() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
