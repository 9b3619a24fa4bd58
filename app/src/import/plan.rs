//! A schematic plan of a monument's grounds, for the demo data and as a starting point for the
//! real one (`server plan example CODE` prints it; the union draws the real plan from it and sets
//! it with `server plan set`). It is marked schematic, and the kiosk map says so.
//!
//! The Labor Plaza's stones stand in two rows along a promenade; the west gate reaches it by a
//! flight of steps or by a longer ramp, the south gate on the level. The national stones stand in
//! one row along a park path.
use crate::db::{Dataset, SectionRow};
use crate::domain::plaza::{Landmark, PlanStone, PlazaPlan};

/// A schematic plan for a section's stones as the records place them now: per-batch walls stand
/// in two rows along a promenade, continuous ones in one.
pub fn schematic_for(data: &Dataset, section: &SectionRow) -> PlazaPlan {
    let stones = data
        .slots
        .iter()
        .filter(|s| s.section_id == section.id)
        .map(|s| s.stone)
        .max()
        .unwrap_or(1);
    schematic(
        u16::try_from(stones).unwrap_or(u16::MAX),
        section.mode == "per_batch",
    )
}

fn landmark(zh: &str, en: &str, x: f64, y: f64, gate: bool) -> Landmark {
    Landmark {
        name_zh: zh.into(),
        name_en: en.into(),
        x,
        y,
        gate,
    }
}

/// A plan for stones numbered `1..=stones` standing in two rows (`rows == 2`) or one.
pub fn schematic(stones: u16, two_rows: bool) -> PlazaPlan {
    // Within what a plan may hold (a wall has a few dozen stones).
    let stones = stones.clamp(1, crate::domain::plaza::MAX_STONES as u16);
    let per_side = if two_rows { stones.div_ceil(2) } else { stones };
    let spacing = 8.0;
    let promenade_y = 40.0;
    let start_x = 30.0;
    let width = start_x + f64::from(per_side) * spacing + 30.0;
    let height = 80.0;
    // Walkway points: 0 west gate, 1 foot of the ramp, 2 top of the ramp, then one point on the
    // promenade per reading place, then the south gate.
    let mut points = vec![(2.0, promenade_y), (12.0, 70.0), (24.0, 70.0)];
    let mut segments = vec![(1, 2, true)];
    let mut plan_stones = Vec::new();
    let first_on_promenade = points.len() as u32;
    points.push((start_x - 4.0, promenade_y));
    for i in 0..per_side {
        let x = start_x + f64::from(i) * spacing;
        let point = points.len() as u32;
        points.push((x, promenade_y));
        segments.push((point - 1, point, true));
        for (side, offset) in [(0u16, -7.0), (1, 7.0)] {
            if !two_rows && side == 1 {
                continue;
            }
            let number = if two_rows { i * 2 + side + 1 } else { i + 1 };
            if number > stones {
                continue;
            }
            plan_stones.push(PlanStone {
                number,
                x,
                y: promenade_y + offset,
                w: 6.0,
                h: 2.0,
                angle: 0.0,
                point,
            });
        }
    }
    let last_on_promenade = points.len() as u32 - 1;
    // The steps from the west gate, and the ramp round them.
    segments.push((0, first_on_promenade, false));
    segments.push((0, 1, true));
    segments.push((2, first_on_promenade, true));
    // The south gate, on the level, at the middle of the promenade.
    let middle = (first_on_promenade + last_on_promenade) / 2;
    let south = points.len() as u32;
    points.push((points[middle as usize].0, height - 2.0));
    segments.push((middle, south, true));
    let east = points[last_on_promenade as usize].0 + 10.0;
    PlazaPlan {
        width,
        height,
        landmarks: vec![
            landmark("西门（台阶）", "West gate (steps)", 2.0, promenade_y, true),
            landmark(
                "南门",
                "South gate",
                points[south as usize].0,
                height - 2.0,
                true,
            ),
            landmark("无障碍坡道", "Ramp", 18.0, 74.0, false),
            landmark(
                "东端",
                "East end",
                east.min(width - 1.0),
                promenade_y,
                false,
            ),
        ],
        points,
        segments,
        stones: plan_stones,
        schematic: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stone_can_be_reached_step_free_from_either_gate() {
        for (stones, two_rows) in [(30, true), (31, true), (5, false), (1, false), (600, false)] {
            let plan = schematic(stones, two_rows);
            let json = serde_json::to_string(&plan).unwrap();
            assert_eq!(
                PlazaPlan::parse(&json),
                Ok(plan.clone()),
                "the checks accept it"
            );
            for number in 1..=stones.min(crate::domain::plaza::MAX_STONES as u16) {
                for gate in plan.landmarks.iter().filter(|l| l.gate) {
                    let route = plan.route_to_stone(gate.x, gate.y, number);
                    assert!(route.is_some(), "stone {number} from {}", gate.name_en);
                }
            }
        }
    }

    #[test]
    fn from_the_west_gate_the_way_goes_round_the_steps() {
        let plan = schematic(10, true);
        let route = plan.route_to_stone(2.0, 40.0, 1).unwrap();
        // Down to the ramp (y 70) and back up: longer than the 28 m straight over the steps.
        assert!(route.points.iter().any(|p| p.1 == 70.0));
        assert!(route.metres > 60.0, "{}", route.metres);
    }
}
