//! What a kiosk finds, read from the catalogue in memory: names by search, by the stones' own
//! order (year, then the surname's stroke count, then the surname), and the answer for one
//! person — the stone, row and position, and the stone to draw.

use std::collections::BTreeMap;

use super::model::{KioskAnswer, KioskName, KioskScreen};
use crate::catalog::{Catalog, ListQuery};
use crate::search::pinyin::surname_len;
use crate::wall::strokes::stroke_count;

/// How many names a kiosk lists at most on one screen.
pub const MAX_LISTED: usize = 60;

fn surname_of(name: &str) -> String {
    name.chars().take(surname_len(name).max(1)).collect()
}

/// The stroke count lists group by: the surname's first character, as the stones run.
fn strokes_of(surname: &str) -> u8 {
    surname.chars().next().and_then(stroke_count).unwrap_or(0)
}

/// The commendation years engraved on a monument, ascending.
pub fn years(catalog: &Catalog, monument: &str) -> Vec<i32> {
    let mut years: Vec<i32> = catalog
        .outline
        .sections
        .iter()
        .filter(|s| s.code == monument)
        .flat_map(|s| s.stones.iter().flat_map(|st| st.years.iter().copied()))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Every name engraved for `year` on `monument`, in stone order.
fn names_of_year(catalog: &Catalog, monument: &str, year: i32) -> Vec<KioskName> {
    let Some(section) = catalog.outline.sections.iter().find(|s| s.code == monument) else {
        return Vec::new();
    };
    section
        .stones
        .iter()
        .filter(|st| st.years.contains(&year))
        .filter_map(|st| catalog.stone_page(monument, st.number))
        .flat_map(|page| {
            let stone = page.number;
            page.names
                .into_iter()
                .filter(move |n| n.year == year)
                .map(move |n| KioskName {
                    id: n.id,
                    name: n.name,
                    year: n.year,
                    stone: Some(stone),
                    row: Some(n.row),
                    position: Some(n.position),
                })
        })
        .collect()
}

pub fn strokes(catalog: &Catalog, monument: &str, year: i32) -> KioskScreen {
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for n in names_of_year(catalog, monument, year) {
        *counts.entry(strokes_of(&surname_of(&n.name))).or_default() += 1;
    }
    KioskScreen::Strokes {
        year,
        counts: counts.into_iter().collect(),
    }
}

pub fn surnames(catalog: &Catalog, monument: &str, year: i32, strokes: u8) -> KioskScreen {
    // In stone order, which is stroke order: the first time a surname appears is its place.
    let mut surnames: Vec<(String, usize)> = Vec::new();
    for n in names_of_year(catalog, monument, year) {
        let surname = surname_of(&n.name);
        if strokes_of(&surname) != strokes {
            continue;
        }
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

pub fn names(
    catalog: &Catalog,
    monument: &str,
    year: i32,
    strokes: u8,
    surname: &str,
) -> KioskScreen {
    let names = names_of_year(catalog, monument, year)
        .into_iter()
        .filter(|n| surname_of(&n.name) == surname)
        .take(MAX_LISTED * 4)
        .collect();
    KioskScreen::Names {
        year,
        strokes,
        surname: surname.to_string(),
        names,
    }
}

/// Search as everywhere else on the site (one engine), the best first.
pub fn search(catalog: &Catalog, query: &str) -> KioskScreen {
    let (_, found) = catalog.list(
        &ListQuery {
            q: Some(query.to_string()),
            ..Default::default()
        },
        1,
        MAX_LISTED,
    );
    KioskScreen::Results {
        query: query.to_string(),
        names: found
            .into_iter()
            .map(|s| KioskName {
                id: s.id,
                name: s.name,
                year: s.honours.iter().map(|h| h.year).min().unwrap_or(0),
                stone: s.wall.as_ref().map(|w| w.stone),
                row: s.wall.as_ref().map(|w| w.row),
                position: s.wall.as_ref().map(|w| w.position),
            })
            .collect(),
    }
}

/// One person's answer, as a kiosk by `monument` shows it; `None` if there is no such public
/// person.
pub fn answer(catalog: &Catalog, monument: &str, id: i64) -> Option<KioskScreen> {
    let p = catalog.profile(id)?;
    // A name on this kiosk's monument first; else wherever it is.
    let place = p
        .placements
        .iter()
        .find(|pl| pl.section == monument)
        .or(p.placements.first())
        .cloned();
    let (rows, per_row, elsewhere) = match &place {
        Some(pl) => {
            let section = catalog
                .outline
                .sections
                .iter()
                .find(|s| s.code == pl.section);
            let rows = section
                .and_then(|s| s.stones.iter().find(|st| st.number == pl.stone))
                .map_or(0, |st| st.rows);
            let elsewhere = section
                .filter(|s| s.code != monument)
                .map(|s| (s.location_zh.clone(), s.location_en.clone()));
            (rows, section.map_or(0, |s| s.names_per_row), elsewhere)
        }
        None => (0, 0, None),
    };
    Some(KioskScreen::Answer(KioskAnswer {
        id: p.id,
        name: p.name,
        pinyin: p.pinyin,
        honours: p
            .honours
            .iter()
            .map(|h| (h.year, h.name.clone(), h.name_en.clone()))
            .collect(),
        place,
        rows,
        per_row,
        elsewhere,
        work_unit: p.work_unit,
        deeds_short: p.deeds_short,
    }))
}
