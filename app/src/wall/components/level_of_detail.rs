//! Level of detail on the wall: the page carries only the stones' outlines; a stone's names are
//! fetched (`/wall/{section}/{stone}/names`, cacheable) and put in when it is in or near view at
//! a zoom where names can be read, and taken out again once it is far away. So the page stays
//! small at any zoom: at most the few stones around the view hold their names as elements.
//! Each stone's list is sized for its rows before its names arrive, so nothing moves then.
//!
//! Kept off the main thread's long tasks on a slow phone: the stones' boxes are measured once
//! (their sizes never depend on their names) and again only when the filters change the layout,
//! so deciding reads no layout; names go in one stone per frame; and a stone's names are a few
//! dozen lines of text, not an element per name (`wall::engraving`).

use std::collections::HashSet;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::view_transform::ViewTransform;

/// From this scale on, names are put in (below it a stone is drawn as its outline).
pub const NAMES_FROM_SCALE: f64 = 0.45;
/// From this scale on, a name is at least 24 CSS pixels tall (WCAG 2.5.8) and a tap opens it;
/// below it a tap zooms in.
pub const TAP_SCALE: f64 = 0.9;

/// Which stones hold their names (by element id): wanted ones are in or going in, complete
/// ones are all in; loading ones are being fetched or put in.
#[derive(Clone, Debug, Default)]
pub struct LoadedStones {
    wanted: HashSet<String>,
    complete: HashSet<String>,
    loading: HashSet<String>,
    /// Each stone's box in canvas coordinates (`None` for a hidden one), measured once.
    boxes: Option<Vec<(String, Option<Rect>)>>,
    /// A stone's names are being put in (one stone at a time; only the browser puts names in).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    inserting: bool,
    /// Stones someone waits for (a flight to a name on them): never taken out meanwhile.
    pinned: HashSet<String>,
    /// The person whose name is highlighted, lit again whenever its stone's names go in.
    pub highlighted: Option<i64>,
}

impl LoadedStones {
    /// The stones moved (a filter hid or showed some): measure them again at the next refresh.
    pub fn layout_changed(&mut self) {
        self.boxes = None;
    }
}

/// A rectangle (left, top, width, height) in canvas coordinates.
pub type Rect = (f64, f64, f64, f64);

/// What part of the canvas the viewport shows, grown by `margin` viewports on every side.
pub fn visible_canvas(view: ViewTransform, viewport: (f64, f64), margin: f64) -> Rect {
    let (w, h) = (viewport.0 / view.scale, viewport.1 / view.scale);
    (
        -view.x / view.scale - w * margin,
        -view.y / view.scale - h * margin,
        w * (1.0 + 2.0 * margin),
        h * (1.0 + 2.0 * margin),
    )
}

pub fn intersects(a: Rect, b: Rect) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// What to do with one stone's names, given where it is and how far the view is zoomed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    Load,
    Keep,
    Drop,
}

/// Names come in for stones within half a viewport of the view (so a pan rarely shows an empty
/// stone) and go out beyond two viewports (so panning back and forth does not refetch).
pub fn detail_for(stone: Rect, view: ViewTransform, viewport: (f64, f64), loaded: bool) -> Detail {
    let near = visible_canvas(view, viewport, 0.5);
    let far = visible_canvas(view, viewport, 2.0);
    if view.scale >= NAMES_FROM_SCALE && intersects(stone, near) {
        if loaded {
            Detail::Keep
        } else {
            Detail::Load
        }
    } else if loaded && (!intersects(stone, far) || view.scale < NAMES_FROM_SCALE / 2.0) {
        Detail::Drop
    } else {
        Detail::Keep
    }
}

/// The element's box in canvas coordinates (offsets are unaffected by the transform).
pub fn offset_rect(el: &web_sys::HtmlElement) -> Rect {
    let (mut left, mut top) = (0.0, 0.0);
    let mut node: Option<web_sys::HtmlElement> = Some(el.clone());
    while let Some(n) = node {
        if n.class_list().contains("wall-canvas") {
            break;
        }
        left += n.offset_left() as f64;
        top += n.offset_top() as f64;
        node = n
            .offset_parent()
            .and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok());
    }
    (
        left,
        top,
        el.offset_width() as f64,
        el.offset_height() as f64,
    )
}

fn stone_elements() -> Vec<web_sys::HtmlElement> {
    let Ok(list) = document().query_selector_all("section.stone") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn names_list(stone: &web_sys::Element) -> Option<web_sys::Element> {
    stone.query_selector("ol.names").ok().flatten()
}

/// Every stone's box, hidden ones (filtered out) as `None`.
fn measure_stones() -> Vec<(String, Option<Rect>)> {
    stone_elements()
        .into_iter()
        .map(|el| {
            let rect = (el.offset_width() > 0).then(|| offset_rect(&el));
            (el.id(), rect)
        })
        .collect()
}

/// Brings every stone's names in line with the view. Hidden stones drop theirs.
pub fn refresh(stones: StoredValue<LoadedStones>, view: ViewTransform, viewport: (f64, f64)) {
    if stones.with_value(|s| s.boxes.is_none()) {
        let boxes = measure_stones();
        stones.update_value(|s| s.boxes = Some(boxes));
    }
    let boxes = stones.with_value(|s| s.boxes.clone().unwrap_or_default());
    for (id, rect) in boxes {
        let (wanted, pinned) =
            stones.with_value(|s| (s.wanted.contains(&id), s.pinned.contains(&id)));
        let detail = match rect {
            Some(_) if pinned => Detail::Keep,
            Some(rect) => detail_for(rect, view, viewport, wanted),
            None if wanted => Detail::Drop,
            None => Detail::Keep,
        };
        match detail {
            Detail::Load => load(stones, id, None::<fn()>),
            Detail::Drop => {
                // A stone still going in is emptied by its inserter at its next step.
                let going_in = stones
                    .try_update_value(|s| {
                        s.wanted.remove(&id);
                        s.complete.remove(&id);
                        s.loading.contains(&id)
                    })
                    .unwrap_or(false);
                if !going_in {
                    empty(&id);
                }
            }
            Detail::Keep => {}
        }
    }
}

fn empty(stone_id: &str) {
    if let Some(list) = document()
        .get_element_by_id(stone_id)
        .and_then(|el| names_list(&el))
    {
        list.set_inner_html("");
    }
}

/// Resolves after the browser's next frame (so what was put in has been laid out and painted).
#[cfg(feature = "hydrate")]
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().request_animation_frame(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    // After the frame's rendering, not inside it.
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Puts a stone's names in (once), then runs `then` — whatever happened, so a caller waiting to
/// fly to a name is never left waiting. A stone with a caller waiting is pinned: a refresh
/// meanwhile does not take its names out.
pub fn load(
    stones: StoredValue<LoadedStones>,
    stone_id: String,
    then: Option<impl FnOnce() + 'static>,
) {
    let done = stones.with_value(|s| s.complete.contains(&stone_id));
    if done {
        if let Some(then) = then {
            then();
        }
        return;
    }
    let first = stones
        .try_update_value(|s| {
            s.wanted.insert(stone_id.clone());
            if then.is_some() {
                s.pinned.insert(stone_id.clone());
            }
            s.loading.insert(stone_id.clone())
        })
        .unwrap_or(false);
    if !first && then.is_none() {
        return;
    }
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if first {
            put_names_in(stones, &stone_id).await;
            stones.update_value(|s| {
                s.loading.remove(&stone_id);
            });
        } else {
            // Already going in: wait for it.
            while stones.with_value(|s| s.loading.contains(&stone_id)) {
                next_frame().await;
            }
        }
        if let Some(then) = then {
            then();
            stones.update_value(|s| {
                s.pinned.remove(&stone_id);
            });
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (stone_id, then, first);
}

/// Rows put in per frame: ~80 names, a few milliseconds of layout on a slow phone.
#[cfg(feature = "hydrate")]
const ROWS_PER_FRAME: usize = 4;

/// Fetches a stone's names (in a task of its own, not the one that decided to load it), then puts
/// them in a few rows per frame, one stone at a time; stops and empties the stone if it stops
/// being wanted midway (the view moved away). A failed fetch puts nothing in and leaves the stone
/// to be asked for again at the next refresh.
#[cfg(feature = "hydrate")]
async fn put_names_in(stones: StoredValue<LoadedStones>, stone_id: &str) {
    let wanted = || stones.with_value(|s| s.wanted.contains(stone_id));
    next_frame().await;
    let Some(stone) = document().get_element_by_id(stone_id) else {
        return;
    };
    let (Some(src), Some(list)) = (stone.get_attribute("data-names"), names_list(&stone)) else {
        return;
    };
    if !wanted() {
        return;
    }
    let html = async {
        let response = gloo_net::http::Request::get(&src).send().await?;
        // An error page's text must never become a stone's names.
        if !response.ok() {
            return Err(gloo_net::Error::GlooError(format!(
                "{src}: {}",
                response.status()
            )));
        }
        response.text().await
    }
    .await;
    let Ok(html) = html else {
        stones.update_value(|s| {
            s.wanted.remove(stone_id);
        });
        return;
    };
    while stones.with_value(|s| s.inserting) {
        next_frame().await;
    }
    if !wanted() {
        return;
    }
    stones.update_value(|s| s.inserting = true);
    // Our own server's rows (`wall::engraving`), one `<li>` each with no list inside, names
    // escaped there: cut after each row's end.
    let rows: Vec<&str> = html.split_inclusive("</li>").collect();
    list.set_inner_html("");
    for chunk in rows.chunks(ROWS_PER_FRAME) {
        if !wanted() {
            break;
        }
        let _ = list.insert_adjacent_html("beforeend", &chunk.concat());
        next_frame().await;
    }
    if wanted() {
        let highlighted = stones
            .try_update_value(|s| {
                s.complete.insert(stone_id.to_string());
                s.highlighted
            })
            .flatten();
        // A highlighted name whose stone was taken out and put in again is lit again.
        if let Some(id) = highlighted {
            super::name_cells::light(id);
        }
    } else {
        list.set_inner_html("");
    }
    stones.update_value(|s| s.inserting = false);
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEWPORT: (f64, f64) = (1000.0, 800.0);

    fn at(scale: f64) -> ViewTransform {
        ViewTransform {
            x: 0.0,
            y: 0.0,
            scale,
        }
    }

    #[test]
    fn the_visible_canvas_grows_as_the_view_zooms_out() {
        assert_eq!(
            visible_canvas(at(1.0), VIEWPORT, 0.0),
            (0.0, 0.0, 1000.0, 800.0)
        );
        assert_eq!(
            visible_canvas(at(0.5), VIEWPORT, 0.0),
            (0.0, 0.0, 2000.0, 1600.0)
        );
        let panned = ViewTransform {
            x: -500.0,
            y: -100.0,
            scale: 0.5,
        };
        assert_eq!(
            visible_canvas(panned, VIEWPORT, 0.0),
            (1000.0, 200.0, 2000.0, 1600.0)
        );
    }

    #[test]
    fn names_come_in_only_when_readable_and_near() {
        let in_view = (100.0, 100.0, 500.0, 500.0);
        assert_eq!(detail_for(in_view, at(1.0), VIEWPORT, false), Detail::Load);
        assert_eq!(detail_for(in_view, at(1.0), VIEWPORT, true), Detail::Keep);
        // Zoomed out: the outline only.
        assert_eq!(detail_for(in_view, at(0.2), VIEWPORT, false), Detail::Keep);
        // Far out of view: not loaded, and dropped if it was.
        let far = (20_000.0, 0.0, 500.0, 500.0);
        assert_eq!(detail_for(far, at(1.0), VIEWPORT, false), Detail::Keep);
        assert_eq!(detail_for(far, at(1.0), VIEWPORT, true), Detail::Drop);
    }

    #[test]
    fn a_stone_just_out_of_view_is_loaded_and_kept_until_far() {
        // Half a viewport to the right: loaded ahead of a pan.
        let beside = (1300.0, 0.0, 100.0, 100.0);
        assert_eq!(detail_for(beside, at(1.0), VIEWPORT, false), Detail::Load);
        // Two viewports away: kept if loaded (no refetch when panning back), not loaded anew.
        let further = (2500.0, 0.0, 100.0, 100.0);
        assert_eq!(detail_for(further, at(1.0), VIEWPORT, true), Detail::Keep);
        assert_eq!(detail_for(further, at(1.0), VIEWPORT, false), Detail::Keep);
    }

    #[test]
    fn zooming_far_out_drops_names_even_in_view() {
        let in_view = (0.0, 0.0, 100.0, 100.0);
        assert_eq!(detail_for(in_view, at(0.2), VIEWPORT, true), Detail::Drop);
        assert_eq!(detail_for(in_view, at(0.3), VIEWPORT, true), Detail::Keep);
    }
}
