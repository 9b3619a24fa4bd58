//! The plan of a monument's grounds, as kiosks draw it: the walkways (a graph of points joined by
//! path segments, each marked step-free or not), the stones, the gates and landmarks, in metres
//! from the plan's top-left corner. A kiosk's "you are here" map is this plan with the kiosk's own
//! place and the shortest step-free way from it to a stone.
//!
//! Plans are data (`server plan set MONUMENT FILE.json`), checked here before they are stored:
//! bounded in size, every point inside the plan, every segment and stone tied to a real point.
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

/// Limits that keep a plan small enough to travel in every kiosk's snapshot.
pub const MAX_POINTS: usize = 2_000;
pub const MAX_SEGMENTS: usize = 5_000;
pub const MAX_STONES: usize = 500;
pub const MAX_LANDMARKS: usize = 100;
pub const MAX_SIDE_METRES: f64 = 5_000.0;
const MAX_LABEL_CHARS: usize = 40;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlazaPlan {
    /// Width and height in metres.
    pub width: f64,
    pub height: f64,
    /// Walkway points (x, y).
    pub points: Vec<(f64, f64)>,
    /// Path segments between two points; `true` when step-free (no stairs or kerb).
    pub segments: Vec<(u32, u32, bool)>,
    pub stones: Vec<PlanStone>,
    /// Gates and landmarks, named.
    pub landmarks: Vec<Landmark>,
    /// Drawn to explain, not to measure (the demo plan): the map says so.
    #[serde(default)]
    pub schematic: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStone {
    pub number: u16,
    /// Centre, size (metres) and turn (degrees, clockwise).
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    #[serde(default)]
    pub angle: f64,
    /// The walkway point one stands at to read it.
    pub point: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Landmark {
    pub name_zh: String,
    pub name_en: String,
    pub x: f64,
    pub y: f64,
    /// A gate (an entrance or exit), as opposed to a landmark to find one's way by.
    #[serde(default)]
    pub gate: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the plan is not JSON of the expected form: {0}")]
    Unreadable(String),
    #[error("the plan's size must be 1–{max} metres each way", max = MAX_SIDE_METRES)]
    Size,
    #[error("too many {0} (at most {1})")]
    TooMany(&'static str, usize),
    #[error("{0} lies outside the plan or is not a number")]
    Outside(String),
    #[error("{0} names point {1}, which does not exist")]
    NoSuchPoint(String, u32),
    #[error("stone {0} is on the plan twice")]
    DuplicateStone(u16),
    #[error("a landmark's names must be 1–{MAX_LABEL_CHARS} characters")]
    Label,
}

impl PlazaPlan {
    /// Reads and checks a plan.
    pub fn parse(json: &str) -> Result<PlazaPlan, PlanError> {
        let plan: PlazaPlan =
            serde_json::from_str(json).map_err(|e| PlanError::Unreadable(e.to_string()))?;
        plan.check()?;
        Ok(plan)
    }

    /// Whether the plan keeps the rules `parse` checks (a plan that came another way, such as in a
    /// kiosk's downloaded snapshot, is checked again before it is drawn).
    pub fn check(&self) -> Result<(), PlanError> {
        let side = |v: f64| v.is_finite() && (1.0..=MAX_SIDE_METRES).contains(&v);
        if !side(self.width) || !side(self.height) {
            return Err(PlanError::Size);
        }
        for (what, len, max) in [
            ("points", self.points.len(), MAX_POINTS),
            ("segments", self.segments.len(), MAX_SEGMENTS),
            ("stones", self.stones.len(), MAX_STONES),
            ("landmarks", self.landmarks.len(), MAX_LANDMARKS),
        ] {
            if len > max {
                return Err(PlanError::TooMany(what, max));
            }
        }
        let inside = |x: f64, y: f64| {
            x.is_finite()
                && y.is_finite()
                && (0.0..=self.width).contains(&x)
                && (0.0..=self.height).contains(&y)
        };
        for (i, &(x, y)) in self.points.iter().enumerate() {
            if !inside(x, y) {
                return Err(PlanError::Outside(format!("point {i}")));
            }
        }
        let point = |what: String, p: u32| {
            if (p as usize) < self.points.len() {
                Ok(())
            } else {
                Err(PlanError::NoSuchPoint(what, p))
            }
        };
        for (i, &(a, b, _)) in self.segments.iter().enumerate() {
            point(format!("segment {i}"), a)?;
            point(format!("segment {i}"), b)?;
        }
        let mut numbers = std::collections::HashSet::new();
        for s in &self.stones {
            let size_ok = s.w.is_finite()
                && s.h.is_finite()
                && s.w > 0.0
                && s.h > 0.0
                && s.w <= self.width
                && s.h <= self.height;
            if !inside(s.x, s.y) || !size_ok || !s.angle.is_finite() {
                return Err(PlanError::Outside(format!("stone {}", s.number)));
            }
            point(format!("stone {}", s.number), s.point)?;
            if !numbers.insert(s.number) {
                return Err(PlanError::DuplicateStone(s.number));
            }
        }
        for l in &self.landmarks {
            let label = |s: &str| (1..=MAX_LABEL_CHARS).contains(&s.chars().count());
            if !label(&l.name_zh) || !label(&l.name_en) {
                return Err(PlanError::Label);
            }
            if !inside(l.x, l.y) {
                return Err(PlanError::Outside(format!("landmark {}", l.name_en)));
            }
        }
        Ok(())
    }

    /// The walkway point nearest to (x, y) that a step-free segment reaches (or, where none
    /// does, the nearest point at all).
    pub fn nearest_point(&self, x: f64, y: f64) -> Option<u32> {
        let on_step_free: std::collections::HashSet<u32> = self
            .segments
            .iter()
            .filter(|s| s.2)
            .flat_map(|s| [s.0, s.1])
            .collect();
        self.points
            .iter()
            .enumerate()
            .filter(|(i, _)| on_step_free.is_empty() || on_step_free.contains(&(*i as u32)))
            .min_by(|(_, a), (_, b)| {
                distance(**a, (x, y))
                    .partial_cmp(&distance(**b, (x, y)))
                    .unwrap_or(Ordering::Equal)
            })
            .map(|(i, _)| i as u32)
    }

    /// The shortest step-free way from (x, y) (walking first to the nearest walkway point) to
    /// where one reads stone `number`: the points to walk through, from here, and its length in
    /// metres. `None` when there is no such stone or no step-free way.
    pub fn route_to_stone(&self, x: f64, y: f64, number: u16) -> Option<Route> {
        let stone = self.stones.iter().find(|s| s.number == number)?;
        let start = self.nearest_point(x, y)?;
        let path = self.shortest_step_free(start, stone.point)?;
        let mut points: Vec<(f64, f64)> = vec![(x, y)];
        points.extend(path.iter().map(|&p| self.points[p as usize]));
        let metres = points.windows(2).map(|w| distance(w[0], w[1])).sum();
        Some(Route { points, metres })
    }

    /// Dijkstra over the step-free segments.
    fn shortest_step_free(&self, from: u32, to: u32) -> Option<Vec<u32>> {
        let n = self.points.len();
        let mut next: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
        for &(a, b, step_free) in &self.segments {
            if step_free {
                let d = distance(self.points[a as usize], self.points[b as usize]);
                next[a as usize].push((b, d));
                next[b as usize].push((a, d));
            }
        }
        let mut best = vec![f64::INFINITY; n];
        let mut came_from: Vec<Option<u32>> = vec![None; n];
        let mut queue = BinaryHeap::new();
        best[from as usize] = 0.0;
        queue.push(Visit(0.0, from));
        while let Some(Visit(d, p)) = queue.pop() {
            if p == to {
                break;
            }
            if d > best[p as usize] {
                continue;
            }
            for &(q, step) in &next[p as usize] {
                let through = d + step;
                if through < best[q as usize] {
                    best[q as usize] = through;
                    came_from[q as usize] = Some(p);
                    queue.push(Visit(through, q));
                }
            }
        }
        if !best[to as usize].is_finite() {
            return None;
        }
        let mut path = vec![to];
        let mut at = to;
        while let Some(p) = came_from[at as usize] {
            path.push(p);
            at = p;
        }
        path.reverse();
        Some(path)
    }
}

/// A way to walk, from here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub points: Vec<(f64, f64)>,
    pub metres: f64,
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// A point to visit, nearest first in the heap.
struct Visit(f64, u32);

impl PartialEq for Visit {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Visit {}
impl PartialOrd for Visit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Visit {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A square of paths: 0 (0,0) – 1 (10,0) – 2 (10,10) – 3 (0,10) – back to 0, with a stair
    /// shortcut 0 – 2; stone 1 is read at point 2.
    fn square() -> PlazaPlan {
        PlazaPlan {
            width: 20.0,
            height: 20.0,
            points: vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
            segments: vec![
                (0, 1, true),
                (1, 2, true),
                (2, 3, true),
                (3, 0, true),
                (0, 2, false),
            ],
            stones: vec![PlanStone {
                number: 1,
                x: 12.0,
                y: 10.0,
                w: 2.0,
                h: 1.0,
                angle: 0.0,
                point: 2,
            }],
            landmarks: vec![Landmark {
                name_zh: "南门".into(),
                name_en: "South gate".into(),
                x: 0.0,
                y: 0.0,
                gate: true,
            }],
            schematic: true,
        }
    }

    #[test]
    fn the_route_goes_round_the_stairs() {
        let plan = square();
        let route = plan.route_to_stone(0.0, 0.0, 1).unwrap();
        assert_eq!(
            route.points.len(),
            4,
            "here, 0, one corner, 2: {:?}",
            route.points
        );
        assert!(
            (route.metres - 20.0).abs() < 1e-9,
            "not the 14.1 m stair: {}",
            route.metres
        );
        assert_eq!(route.points.last(), Some(&(10.0, 10.0)));
    }

    #[test]
    fn the_walk_starts_at_the_nearest_point_a_step_free_path_reaches() {
        let mut plan = square();
        // A point 1 m from the kiosk reached only by steps; the path is 10 m away.
        plan.points.push((0.0, 19.0));
        plan.segments.push((3, 4, false));
        let route = plan.route_to_stone(0.0, 20.0, 1).unwrap();
        assert_eq!(route.points[1], (0.0, 10.0));
    }

    #[test]
    fn no_step_free_way_is_no_route() {
        let mut plan = square();
        plan.segments = vec![(0, 2, false), (0, 1, true)];
        assert_eq!(plan.route_to_stone(0.0, 0.0, 1), None);
        assert_eq!(square().route_to_stone(0.0, 0.0, 9), None, "no such stone");
    }

    #[test]
    fn a_plan_is_checked_before_it_is_kept() {
        let json = serde_json::to_string(&square()).unwrap();
        assert_eq!(PlazaPlan::parse(&json), Ok(square()));
        assert!(matches!(
            PlazaPlan::parse("{"),
            Err(PlanError::Unreadable(_))
        ));
        let with = |f: &dyn Fn(&mut PlazaPlan)| {
            let mut p = square();
            f(&mut p);
            PlazaPlan::parse(&serde_json::to_string(&p).unwrap())
        };
        assert_eq!(with(&|p| p.width = 0.0), Err(PlanError::Size));
        assert_eq!(
            with(&|p| p.points[1] = (30.0, 0.0)),
            Err(PlanError::Outside("point 1".into()))
        );
        assert_eq!(
            with(&|p| p.segments.push((0, 7, true))),
            Err(PlanError::NoSuchPoint("segment 5".into(), 7))
        );
        assert_eq!(
            with(&|p| p.stones[0].point = 9),
            Err(PlanError::NoSuchPoint("stone 1".into(), 9))
        );
        assert_eq!(
            with(&|p| {
                let again = p.stones[0].clone();
                p.stones.push(again)
            }),
            Err(PlanError::DuplicateStone(1))
        );
        assert_eq!(
            with(&|p| p.landmarks[0].name_zh = String::new()),
            Err(PlanError::Label)
        );
        assert_eq!(
            with(&|p| p.points = vec![(1.0, 1.0); MAX_POINTS + 1]),
            Err(PlanError::TooMany("points", MAX_POINTS))
        );
        // JSON cannot say NaN; a number too large for f64 is refused by the reader.
        assert!(PlazaPlan::parse(&json.replace("\"width\":20.0", "\"width\":1e999")).is_err());
    }

    proptest::proptest! {
        /// On any grid of paths with some segments stepped, a route found is step-free, joined
        /// segment to segment, and no longer than any other step-free way (checked against a
        /// breadth-first count on a unit grid, where length = hops).
        #[test]
        fn routes_are_step_free_and_shortest(stepped in proptest::collection::vec(proptest::bool::weighted(0.3), 40), target in 0u32..25) {
            let n = 5u32;
            let points: Vec<(f64, f64)> = (0..n * n).map(|i| ((i % n) as f64, (i / n) as f64)).collect();
            let mut segments = Vec::new();
            for i in 0..n * n {
                if i % n + 1 < n { segments.push((i, i + 1, true)); }
                if i + n < n * n { segments.push((i, i + n, true)); }
            }
            for (s, stepped) in segments.iter_mut().zip(&stepped) { s.2 = !stepped; }
            let plan = PlazaPlan {
                width: 10.0, height: 10.0, points, segments: segments.clone(),
                stones: vec![PlanStone { number: 1, x: 1.0, y: 1.0, w: 1.0, h: 1.0, angle: 0.0, point: target }],
                landmarks: vec![], schematic: false,
            };
            // The walk starts at the nearest point a step-free segment reaches; from there,
            // breadth-first hop counts over step-free segments.
            let start = plan.nearest_point(0.0, 0.0).unwrap();
            let (sx, sy) = plan.points[start as usize];
            let lead_in = (sx * sx + sy * sy).sqrt();
            let mut hops = vec![u32::MAX; (n * n) as usize];
            hops[start as usize] = 0;
            let mut frontier = vec![start];
            while !frontier.is_empty() {
                let mut next = Vec::new();
                for &p in &frontier {
                    for &(a, b, free) in &segments {
                        if !free { continue; }
                        let q = if a == p { b } else if b == p { a } else { continue };
                        if hops[q as usize] == u32::MAX { hops[q as usize] = hops[p as usize] + 1; next.push(q); }
                    }
                }
                frontier = next;
            }
            let index = |p: (f64, f64)| (p.1 as u32) * n + p.0 as u32;
            match plan.route_to_stone(0.0, 0.0, 1) {
                None => proptest::prop_assert_eq!(hops[target as usize], u32::MAX),
                Some(route) => {
                    proptest::prop_assert!((route.metres - lead_in - f64::from(hops[target as usize])).abs() < 1e-9);
                    for w in route.points.windows(2).skip(1) {
                        let (a, b) = (index(w[0]), index(w[1]));
                        proptest::prop_assert!(segments.iter().any(|&(x, y, free)| free && ((x, y) == (a, b) || (x, y) == (b, a))));
                    }
                }
            }
        }
    }
}
