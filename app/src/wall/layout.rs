//! Where each engraved name sits: wall section → stone → row → position.
//!
//! The first layout of a section is computed from the data as on the real wall: by commendation
//! year, then by the stroke rule (`strokes::NameKey`). After that, slots are stored and never
//! recomputed: a name added later goes after the last engraved name of its group (or onto a new,
//! supplementary stone) so that nobody already engraved moves.

use serde::{Deserialize, Serialize};

use super::strokes::NameKey;

/// How a section spreads its names over stones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutMode {
    /// Each commendation year starts on a stone of its own (the municipal plaza wall).
    StonePerBatch,
    /// Names run on from stone to stone, year after year (the five national stones).
    Continuous,
}

impl LayoutMode {
    pub fn as_str(self) -> &'static str {
        match self {
            LayoutMode::StonePerBatch => "per_batch",
            LayoutMode::Continuous => "continuous",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "per_batch" => Some(LayoutMode::StonePerBatch),
            "continuous" => Some(LayoutMode::Continuous),
            _ => None,
        }
    }
}

/// The geometry of one section's stones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionGeometry {
    pub mode: LayoutMode,
    pub rows_per_stone: u16,
    pub names_per_row: u16,
}

impl SectionGeometry {
    fn capacity(&self) -> u32 {
        self.rows_per_stone as u32 * self.names_per_row as u32
    }
}

/// A place on a section, all numbers counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Slot {
    pub stone: u16,
    pub row: u16,
    pub position: u16,
}

/// A slot already taken, with the year of the name engraved there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TakenSlot {
    pub year: i32,
    pub slot: Slot,
}

/// One name to place in a first layout.
pub struct NameToPlace<'a> {
    pub year: i32,
    pub name: &'a str,
}

fn slot_at(geometry: &SectionGeometry, stone: u16, index_on_stone: u32) -> Slot {
    Slot {
        stone,
        row: (index_on_stone / geometry.names_per_row as u32) as u16 + 1,
        position: (index_on_stone % geometry.names_per_row as u32) as u16 + 1,
    }
}

fn index_on_stone(geometry: &SectionGeometry, slot: Slot) -> u32 {
    (slot.row as u32 - 1) * geometry.names_per_row as u32 + (slot.position as u32 - 1)
}

/// Computes the first layout of a section. Returns one slot per input name, in input order.
pub fn initial_layout(geometry: &SectionGeometry, names: &[NameToPlace<'_>]) -> Vec<Slot> {
    let mut order: Vec<(i32, NameKey, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.year, NameKey::of(n.name), i))
        .collect();
    order.sort();

    let capacity = geometry.capacity();
    let mut slots = vec![
        Slot {
            stone: 0,
            row: 0,
            position: 0
        };
        names.len()
    ];
    let mut stone: u16 = 0;
    let mut used_on_stone = capacity; // forces a first stone
    let mut current_year = None;
    for (year, _, input_index) in order {
        let new_year = current_year != Some(year);
        current_year = Some(year);
        if used_on_stone == capacity || (new_year && geometry.mode == LayoutMode::StonePerBatch) {
            stone += 1;
            used_on_stone = 0;
        }
        slots[input_index] = slot_at(geometry, stone, used_on_stone);
        used_on_stone += 1;
    }
    slots
}

/// The slot for a name added after the section was engraved. Nobody already placed moves.
///
/// Per-batch sections: right after the last name of the same year if its stone has room, else on a
/// new stone after the last one. Continuous sections: after the last name of the section.
pub fn append_slot(geometry: &SectionGeometry, taken: &[TakenSlot], year: i32) -> Slot {
    Appender::new(taken).next_slot(geometry, year)
}

/// A section's taken slots, indexed for adding many names one after another (an import of
/// thousands): each name costs a few lookups, not a pass over every slot.
#[derive(Default)]
pub struct Appender {
    taken: std::collections::HashSet<Slot>,
    last_stone: u16,
    last: Option<Slot>,
    last_of_year: std::collections::HashMap<i32, Slot>,
}

impl Appender {
    pub fn new(taken: &[TakenSlot]) -> Self {
        let mut appender = Appender::default();
        for t in taken {
            appender.take(t.year, t.slot);
        }
        appender
    }

    /// Marks a slot taken by a name of `year`.
    pub fn take(&mut self, year: i32, slot: Slot) {
        self.taken.insert(slot);
        self.last_stone = self.last_stone.max(slot.stone);
        self.last = self.last.max(Some(slot));
        let last_of_year = self.last_of_year.entry(year).or_insert(slot);
        *last_of_year = (*last_of_year).max(slot);
    }

    /// Where the next name of `year` goes (see `append_slot`).
    pub fn next_slot(&self, geometry: &SectionGeometry, year: i32) -> Slot {
        let anchor = match geometry.mode {
            LayoutMode::StonePerBatch => self.last_of_year.get(&year).copied(),
            LayoutMode::Continuous => self.last,
        };
        let Some(anchor) = anchor else {
            return slot_at(geometry, self.last_stone + 1, 0);
        };
        // Another year may already have continued on the anchor's stone (per-batch sections never
        // do, but stored data is not ours to trust): only take the slot if it is free.
        let mut next = index_on_stone(geometry, anchor) + 1;
        while next < geometry.capacity() {
            let candidate = slot_at(geometry, anchor.stone, next);
            if !self.taken.contains(&candidate) {
                return candidate;
            }
            next += 1;
        }
        slot_at(geometry, self.last_stone + 1, 0)
    }

    /// Places a name of `year` and marks its slot taken.
    pub fn append(&mut self, geometry: &SectionGeometry, year: i32) -> Slot {
        let slot = self.next_slot(geometry, year);
        self.take(year, slot);
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PER_BATCH: SectionGeometry = SectionGeometry {
        mode: LayoutMode::StonePerBatch,
        rows_per_stone: 2,
        names_per_row: 3,
    };
    const CONTINUOUS: SectionGeometry = SectionGeometry {
        mode: LayoutMode::Continuous,
        rows_per_stone: 2,
        names_per_row: 3,
    };

    fn place(geometry: &SectionGeometry, names: &[(i32, &str)]) -> Vec<Slot> {
        let input: Vec<NameToPlace> = names
            .iter()
            .map(|(year, name)| NameToPlace { year: *year, name })
            .collect();
        initial_layout(geometry, &input)
    }

    fn s(stone: u16, row: u16, position: u16) -> Slot {
        Slot {
            stone,
            row,
            position,
        }
    }

    #[test]
    fn orders_by_year_then_strokes_and_fills_rows() {
        let slots = place(
            &PER_BATCH,
            &[
                (1955, "黄河"),
                (1952, "王强"),
                (1952, "丁一"),
                (1955, "丁二"),
            ],
        );
        assert_eq!(slots, vec![s(2, 1, 2), s(1, 1, 2), s(1, 1, 1), s(2, 1, 1)]);
    }

    #[test]
    fn a_full_stone_continues_on_the_next() {
        let names: Vec<(i32, &str)> = ["丁一", "丁二", "丁三", "王一", "王二", "王三", "李一"]
            .iter()
            .map(|n| (1952, *n))
            .collect();
        let slots = place(&PER_BATCH, &names);
        assert_eq!(slots[5], s(1, 2, 3));
        assert_eq!(slots[6], s(2, 1, 1));
    }

    #[test]
    fn continuous_sections_do_not_break_between_years() {
        let slots = place(&CONTINUOUS, &[(1950, "丁一"), (1956, "丁二")]);
        assert_eq!(slots, vec![s(1, 1, 1), s(1, 1, 2)]);
    }

    #[test]
    fn appended_names_never_move_anyone() {
        let names = [(1952, "丁一"), (1952, "王强"), (1955, "李明")];
        let slots = place(&PER_BATCH, &names);
        let mut taken: Vec<TakenSlot> = names
            .iter()
            .zip(&slots)
            .map(|((year, _), slot)| TakenSlot {
                year: *year,
                slot: *slot,
            })
            .collect();
        let before = taken.clone();

        // Same year: right after the last 1952 name.
        let added = append_slot(&PER_BATCH, &taken, 1952);
        assert_eq!(added, s(1, 1, 3));
        taken.push(TakenSlot {
            year: 1952,
            slot: added,
        });
        // Fill the 1952 stone, then overflow to a new stone after the last one.
        for expected in [s(1, 2, 1), s(1, 2, 2), s(1, 2, 3), s(3, 1, 1)] {
            let slot = append_slot(&PER_BATCH, &taken, 1952);
            assert_eq!(slot, expected);
            taken.push(TakenSlot { year: 1952, slot });
        }
        // A year with no stone yet gets a new one.
        assert_eq!(append_slot(&PER_BATCH, &taken, 2020), s(4, 1, 1));
        assert_eq!(&taken[..before.len()], &before[..]);
        // All slots distinct.
        let mut all: Vec<Slot> = taken.iter().map(|t| t.slot).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), taken.len());
    }

    #[test]
    fn continuous_append_goes_after_the_last_name() {
        let taken = [
            TakenSlot {
                year: 1950,
                slot: s(1, 2, 3),
            },
            TakenSlot {
                year: 1956,
                slot: s(1, 1, 1),
            },
        ];
        assert_eq!(append_slot(&CONTINUOUS, &taken, 1950), s(2, 1, 1));
        assert_eq!(append_slot(&CONTINUOUS, &[], 1950), s(1, 1, 1));
    }
}
