//! The pannable, zoomable wall. Panning and zooming only change one CSS transform on the canvas, so
//! the browser moves a composited layer and lays nothing out again; the names of the stones in
//! view come and go with the zoom (`level_of_detail`).
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;

use super::level_of_detail::{self as lod, offset_rect, LoadedStones, TAP_SCALE};
use super::name_cells;
pub use super::view_transform::{ViewTransform, MAX_SCALE, MIN_SCALE, START_SCALE};
use crate::i18n::use_lang;

/// Handles for moving the wall from elsewhere on the page (search results, the focus parameter).
#[derive(Clone, Copy)]
pub struct WallController {
    pub view: RwSignal<ViewTransform>,
    pub animate: RwSignal<bool>,
    pub interactive: RwSignal<bool>,
    viewport: NodeRef<html::Div>,
    stones: StoredValue<LoadedStones>,
    /// A refresh of the stones' names is due (at most one waits at a time).
    refresh_due: StoredValue<bool>,
}

impl WallController {
    pub fn new() -> Self {
        WallController {
            view: RwSignal::new(ViewTransform::START),
            animate: RwSignal::new(false),
            interactive: RwSignal::new(false),
            viewport: NodeRef::new(),
            stones: StoredValue::new(LoadedStones::default()),
            refresh_due: StoredValue::new(false),
        }
    }

    fn viewport_size(&self) -> Option<(f64, f64)> {
        let vp = self.viewport.get_untracked()?;
        Some((vp.client_width() as f64, vp.client_height() as f64))
    }

    /// Flies to a laureate's name on the stone with this element id, putting the stone's names
    /// in first if they are not there yet, and highlights it.
    pub fn show_person(&self, id: i64, stone_id: String) {
        let controller = *self;
        let stone_id_for_fallback = stone_id.clone();
        lod::load(
            self.stones,
            stone_id,
            Some(move || {
                // Its names could not be fetched: at least show the stone.
                if !controller.fly_to_person(id) {
                    controller.fly_to_element(&stone_id_for_fallback);
                }
            }),
        );
    }

    /// Flies to a laureate's name and highlights it. Returns false if the name is not in the page
    /// (not on the wall, or its stone's names not put in).
    pub fn fly_to_person(&self, id: i64) -> bool {
        self.stones.update_value(|s| s.highlighted = Some(id));
        let Some(el) = name_cells::light(id) else {
            return false;
        };
        let rect = offset_rect(&el);
        if let Some(size) = self.viewport_size() {
            let scale = self.view.get_untracked().scale.max(1.4);
            self.fly(ViewTransform::centre_on(rect, size, scale));
        }
        true
    }

    /// Shows a whole element (a stone) in the viewport.
    pub fn fly_to_element(&self, element_id: &str) {
        let Some(el) = document().get_element_by_id(element_id) else {
            return;
        };
        let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() else {
            return;
        };
        let rect = offset_rect(&el);
        if let Some(size) = self.viewport_size() {
            let scale = ((size.0 - 32.0) / rect.2)
                .min((size.1 - 32.0) / rect.3)
                .min(1.2);
            self.fly(ViewTransform::centre_on(rect, size, scale));
        }
    }

    fn fly(&self, to: ViewTransform) {
        self.animate.set(true);
        self.view.set(to);
        let animate = self.animate;
        set_timeout(
            move || animate.set(false),
            std::time::Duration::from_millis(520),
        );
    }

    pub fn zoom_centre(&self, factor: f64) {
        if let Some((w, h)) = self.viewport_size() {
            self.fly(
                self.view
                    .get_untracked()
                    .zoom_about(factor, w / 2.0, h / 2.0),
            );
        }
    }

    /// The first view: the first stone across the viewport, at most at a scale where stones are
    /// still outlines, so the first screen holds no names (a phone shows one stone, a desktop two).
    pub fn reset(&self) {
        let stone_width = document()
            .query_selector("section.stone")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|el| el.offset_width() as f64)
            .filter(|w| *w > 0.0)
            .unwrap_or(1800.0);
        let start = self
            .viewport_size()
            .map(|(w, _)| ViewTransform {
                scale: ((w - 32.0) / stone_width).clamp(MIN_SCALE, START_SCALE),
                ..ViewTransform::START
            })
            .unwrap_or(ViewTransform::START);
        self.fly(start);
    }

    /// Puts in the names of the stones around the view and takes out those far from it, once
    /// the view has been still for a moment (not on every frame of a pan, nor during a flight).
    fn schedule_refresh(&self) {
        if self.refresh_due.get_value() {
            return;
        }
        self.refresh_due.set_value(true);
        let controller = *self;
        set_timeout(
            move || {
                controller.refresh_due.set_value(false);
                // Not during a flight: names going in would repaint every frame of it.
                if controller.animate.get_untracked() {
                    controller.schedule_refresh();
                    return;
                }
                if let Some(size) = controller.viewport_size() {
                    lod::refresh(controller.stones, controller.view.get_untracked(), size);
                }
                controller.rehighlight();
            },
            std::time::Duration::from_millis(120),
        );
    }

    /// Filters hid or showed stones: measure them again, and bring the names in line.
    pub fn layout_changed(&self) {
        self.stones.update_value(LoadedStones::layout_changed);
        self.schedule_refresh();
    }

    /// The highlight survives its stone's names being taken out and put in again.
    fn rehighlight(&self) {
        if let Some(id) = self.stones.with_value(|s| s.highlighted) {
            name_cells::light(id);
        }
    }
}

impl Default for WallController {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Clone, Copy, Default)]
struct Gesture {
    /// Up to two active pointers: (id, x, y).
    pointers: [Option<(i32, f64, f64)>; 2],
    moved: f64,
    dragging: bool,
    suppress_click: bool,
}

#[component]
pub fn WallView(controller: WallController, children: Children) -> impl IntoView {
    let lang = use_lang();
    let gesture = StoredValue::new(Gesture::default());
    let viewport = controller.viewport;
    let view = controller.view;

    Effect::new(move |_| {
        controller.interactive.set(true);
        controller.reset();
    });
    // Every move of the view (pan, zoom, flight) brings the stones' names in line with it.
    Effect::new(move |_| {
        view.track();
        controller.schedule_refresh();
    });

    let local = move |ev: &web_sys::PointerEvent| -> (f64, f64) {
        viewport
            .get_untracked()
            .map(|vp| {
                let r = vp.get_bounding_client_rect();
                (
                    ev.client_x() as f64 - r.left(),
                    ev.client_y() as f64 - r.top(),
                )
            })
            .unwrap_or((0.0, 0.0))
    };

    let on_pointer_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 && ev.pointer_type() == "mouse" {
            return;
        }
        let (x, y) = local(&ev);
        gesture.update_value(|g| {
            if g.pointers.iter().all(Option::is_none) {
                g.moved = 0.0;
                g.dragging = false;
            }
            if let Some(slot) = g.pointers.iter_mut().find(|p| p.is_none()) {
                *slot = Some((ev.pointer_id(), x, y));
            }
        });
    };
    let on_pointer_move = move |ev: web_sys::PointerEvent| {
        let (x, y) = local(&ev);
        let id = ev.pointer_id();
        let mut change: Option<ViewTransform> = None;
        gesture.update_value(|g| {
            let Some(index) = g.pointers.iter().position(|p| p.is_some_and(|p| p.0 == id)) else {
                return;
            };
            let (_, px, py) = g.pointers[index].expect("found above");
            let other = g.pointers[1 - index];
            let current = view.get_untracked();
            match other {
                None => {
                    g.moved += (x - px).abs() + (y - py).abs();
                    if g.moved > 6.0 {
                        if !g.dragging {
                            g.dragging = true;
                            if let Some(vp) = viewport.get_untracked() {
                                let _ = vp.set_pointer_capture(id);
                            }
                        }
                        change = Some(current.pan(x - px, y - py));
                    }
                }
                Some((_, ox, oy)) => {
                    // Pinch: zoom by the change of distance about the midpoint, pan by its move.
                    let before = ((px - ox).powi(2) + (py - oy).powi(2)).sqrt().max(1.0);
                    let after = ((x - ox).powi(2) + (y - oy).powi(2)).sqrt().max(1.0);
                    let (mx, my) = ((x + ox) / 2.0, (y + oy) / 2.0);
                    let (pmx, pmy) = ((px + ox) / 2.0, (py + oy) / 2.0);
                    g.dragging = true;
                    g.moved += 10.0;
                    change = Some(
                        current
                            .zoom_about(after / before, mx, my)
                            .pan(mx - pmx, my - pmy),
                    );
                }
            }
            g.pointers[index] = Some((id, x, y));
        });
        if let Some(next) = change {
            view.set(next);
        }
    };
    let on_pointer_end = move |ev: web_sys::PointerEvent| {
        let id = ev.pointer_id();
        gesture.update_value(|g| {
            for p in g.pointers.iter_mut() {
                if p.is_some_and(|p| p.0 == id) {
                    *p = None;
                }
            }
            if g.dragging {
                g.suppress_click = true;
            }
        });
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        // A drag that ends on a name must not open it.
        let suppress = gesture.with_value(|g| g.suppress_click);
        gesture.update_value(|g| g.suppress_click = false);
        if suppress {
            ev.prevent_default();
            ev.stop_propagation();
            return;
        }
        // Below the scale where names are big enough to tap, a pointer's tap zooms in about the
        // tap instead of opening what is under it (a keyboard's Enter, detail 0, still opens).
        // A stone's label is large enough at any zoom: it opens the stone's page.
        let on_label = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".stone-label").ok().flatten())
            .is_some();
        let current = view.get_untracked();
        // At a tappable zoom, a tap on a name opens its profile (names are lines of text; the
        // column under the pointer says whose). Ctrl or Cmd opens it in a new tab, as a link would.
        if current.scale >= TAP_SCALE {
            let person = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| name_cells::person_at(&el, ev.client_x() as f64, current.scale));
            if let Some(id) = person {
                ev.prevent_default();
                let url = format!("/laureates/{id}");
                if ev.ctrl_key() || ev.meta_key() {
                    let _ = window().open_with_url_and_target(&url, "_blank");
                } else {
                    let _ = window().location().assign(&url);
                }
            }
            return;
        }
        if ev.detail() > 0 && !on_label {
            ev.prevent_default();
            if let Some(vp) = viewport.get_untracked() {
                let r = vp.get_bounding_client_rect();
                let (cx, cy) = (
                    ev.client_x() as f64 - r.left(),
                    ev.client_y() as f64 - r.top(),
                );
                let factor = (TAP_SCALE * 1.05 / current.scale).min(2.5);
                controller.fly(current.zoom_about(factor, cx, cy));
            }
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(vp) = viewport.get_untracked() else {
            return;
        };
        let r = vp.get_bounding_client_rect();
        let (cx, cy) = (
            ev.client_x() as f64 - r.left(),
            ev.client_y() as f64 - r.top(),
        );
        let unit = if ev.delta_mode() == 1 { 16.0 } else { 1.0 };
        let current = view.get_untracked();
        let next = if ev.shift_key() || (ev.delta_x().abs() > ev.delta_y().abs() && !ev.ctrl_key())
        {
            current.pan(-ev.delta_x() * unit, -ev.delta_y() * unit)
        } else {
            current.zoom_about((-ev.delta_y() * unit * 0.0018).exp(), cx, cy)
        };
        view.set(next);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let current = view.get_untracked();
        let step = 120.0;
        let next = match ev.key().as_str() {
            "ArrowLeft" => current.pan(step, 0.0),
            "ArrowRight" => current.pan(-step, 0.0),
            "ArrowUp" => current.pan(0.0, step),
            "ArrowDown" => current.pan(0.0, -step),
            "+" | "=" => {
                controller.zoom_centre(1.25);
                ev.prevent_default();
                return;
            }
            "-" | "_" => {
                controller.zoom_centre(0.8);
                ev.prevent_default();
                return;
            }
            "0" => {
                controller.reset();
                ev.prevent_default();
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        view.set(next);
    };

    let canvas_style = move || {
        if controller.interactive.get() {
            view.get().css()
        } else {
            String::new()
        }
    };
    let canvas_class = move || {
        if controller.animate.get() {
            "wall-canvas flying"
        } else {
            "wall-canvas"
        }
    };

    view! {
        <div class="wall-stage">
        <div class="wall-controls" role="toolbar" aria-label=lang.t("名录墙缩放", "Wall zoom")>
            <button type="button" on:click=move |_| controller.zoom_centre(1.25) aria-label=lang.t("放大", "Zoom in")>"+"</button>
            <button type="button" on:click=move |_| controller.zoom_centre(0.8) aria-label=lang.t("缩小", "Zoom out")>"−"</button>
            <button type="button" on:click=move |_| controller.reset()>{lang.t("复位", "Reset")}</button>
        </div>
        <div
            class="wall-viewport"
            class:interactive=move || controller.interactive.get()
            node_ref=viewport
            tabindex="0"
            aria-label=lang.t("名录墙：用方向键平移，加减号缩放", "Name wall: arrow keys pan, plus and minus zoom")
            on:pointerdown=on_pointer_down
            on:pointermove=on_pointer_move
            on:pointerup=on_pointer_end
            on:pointercancel=on_pointer_end
            on:click=on_click
            on:wheel=on_wheel
            on:keydown=on_key
        >
            <div class=canvas_class style=canvas_style>
                {children()}
            </div>
        </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let v = ViewTransform {
            x: 10.0,
            y: 20.0,
            scale: 1.0,
        };
        let z = v.zoom_about(2.0, 110.0, 220.0);
        // Canvas point under (110, 220) before: (100, 200); after, it must map to the same screen point.
        assert!((100.0 * z.scale + z.x - 110.0).abs() < 1e-9);
        assert!((200.0 * z.scale + z.y - 220.0).abs() < 1e-9);
    }

    #[test]
    fn zoom_is_clamped() {
        let v = ViewTransform::START.zoom_about(1e9, 0.0, 0.0);
        assert_eq!(v.scale, MAX_SCALE);
        let v = ViewTransform::START.zoom_about(1e-9, 0.0, 0.0);
        assert_eq!(v.scale, MIN_SCALE);
    }

    #[test]
    fn centre_on_puts_the_rect_mid_viewport() {
        let v = ViewTransform::centre_on((1000.0, 500.0, 40.0, 20.0), (800.0, 600.0), 2.0);
        assert!((1020.0 * v.scale + v.x - 400.0).abs() < 1e-9);
        assert!((510.0 * v.scale + v.y - 300.0).abs() < 1e-9);
    }
}
