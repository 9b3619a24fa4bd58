//! Level of detail on the wall: the page carries only the stones' outlines; a stone's names are
//! fetched (`/wall/{section}/{stone}/names`, cacheable) and put in when it is in or near view at
//! a zoom where names can be read, and taken out again once it is far away. So the page stays
//! small at any zoom: at most the few stones around the view hold their names as elements.
//! Each stone's list is sized for its rows before its names arrive, so nothing moves then.
//!
//! Kept off the main thread's long tasks on a slow phone: the stones' boxes are measured once
//! (their sizes never depend on their names) and again only when the filters change the layout,
//! so deciding reads no layout; and names go in one stone per frame.

use std::collections::HashSet;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::view_transform::ViewTransform;

/// From this scale on, names are put in (below it a stone is drawn as its outline).
pub const NAMES_FROM_SCALE: f64 = 0.45;
/// From this scale on, a name is at least 24 CSS pixels tall (WCAG 2.5.8) and a tap opens it;
/// below it a tap zooms in.
pub const TAP_SCALE: f64 = 0.9;

/// Which stones hold their names now, and which are being fetched (by element id).
#[derive(Clone, Debug, Default)]
pub struct LoadedStones {
    loaded: HashSet<String>,
    loading: HashSet<String>,
    /// Each stone's box in canvas coordinates (`None` for a hidden one), measured once.
    boxes: Option<Vec<(String, Option<Rect>)>>,
    /// A stone's names are being put in (one stone per frame; only the browser puts names in).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    inserting: bool,
    /// Stones someone waits for (a flight to a name on them): never taken out meanwhile.
    pinned: HashSet<String>,
    /// The element id of the highlighted name, lit again whenever its stone's names go in.
    pub highlighted: Option<String>,
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
        let loaded = stones.with_value(|s| s.loaded.contains(&id));
        let pinned = stones.with_value(|s| s.pinned.contains(&id));
        let detail = match rect {
            Some(_) if pinned => Detail::Keep,
            Some(rect) => detail_for(rect, view, viewport, loaded),
            None if loaded => Detail::Drop,
            None => Detail::Keep,
        };
        match detail {
            Detail::Load => load(stones, id, None::<fn()>),
            Detail::Drop => {
                if let Some(list) = document()
                    .get_element_by_id(&id)
                    .and_then(|el| names_list(&el))
                {
                    list.set_inner_html("");
                }
                stones.update_value(|s| {
                    s.loaded.remove(&id);
                });
            }
            Detail::Keep => {}
        }
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
/// fly to a name is never left waiting. A call while the stone is being fetched fetches it again
/// only if it has something to run afterwards (the browser's cache answers). A stone with a
/// caller waiting is pinned: a refresh meanwhile does not take its names out.
pub fn load(
    stones: StoredValue<LoadedStones>,
    stone_id: String,
    then: Option<impl FnOnce() + 'static>,
) {
    if stones.with_value(|s| s.loaded.contains(&stone_id)) {
        if let Some(then) = then {
            then();
        }
        return;
    }
    let first = stones
        .try_update_value(|s| {
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
        put_names_in(stones, &stone_id).await;
        stones.update_value(|s| {
            s.loading.remove(&stone_id);
        });
        if let Some(then) = then {
            then();
            stones.update_value(|s| {
                s.pinned.remove(&stone_id);
            });
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (stone_id, then);
}

/// Fetches a stone's names and puts them in, one stone per frame; then waits for the browser's
/// frame, so they are laid out before anyone reads positions. Nothing happens on any failure.
#[cfg(feature = "hydrate")]
async fn put_names_in(stones: StoredValue<LoadedStones>, stone_id: &str) {
    let Some(stone) = document().get_element_by_id(stone_id) else {
        return;
    };
    let Some(src) = stone.get_attribute("data-names") else {
        return;
    };
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
    let Ok(html) = html else { return };
    while stones.with_value(|s| s.inserting) {
        next_frame().await;
    }
    if stones.with_value(|s| s.loaded.contains(stone_id)) {
        return;
    }
    let Some(list) = names_list(&stone) else {
        return;
    };
    stones.update_value(|s| s.inserting = true);
    // Our own server's list items, names escaped there (`catalog::render_stone`).
    list.set_inner_html(&html);
    let highlighted = stones
        .try_update_value(|s| {
            s.loaded.insert(stone_id.to_string());
            s.highlighted.clone()
        })
        .flatten();
    // A highlighted name whose stone was taken out and put in again is lit again.
    if let Some(el) = highlighted.and_then(|id| document().get_element_by_id(&id)) {
        let _ = el.class_list().add_1("hl");
    }
    next_frame().await;
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
