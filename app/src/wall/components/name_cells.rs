//! Names on a zoomed-in stone are lines of text, a row per list item (`wall::engraving`): these
//! find a person's place in them, light a name (a real link laid over its place), and tell which
//! person is under a tap.
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::wall::engraving::{column_of, id_at};

/// The row holding a person's name, and the column it is in.
fn row_of(id: i64) -> Option<(web_sys::Element, usize)> {
    let row = document()
        .query_selector(&format!("ol.names > li[data-ids~=\"{id}\"]"))
        .ok()
        .flatten()?;
    let column = column_of(&row.get_attribute("data-ids")?, id)?;
    Some((row, column))
}

/// Takes the light off whatever name has it.
pub fn unlight() {
    if let Ok(lit) = document().query_selector_all("ol.names > li.hl") {
        for i in 0..lit.length() {
            if let Some(el) = lit
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                el.remove();
            }
        }
    }
}

/// Lights a person's name if its stone's names are in: a link to the profile, laid over the
/// name's place (id `p{id}`). Returns it, or `None` if the name is not in the page.
pub fn light(id: i64) -> Option<web_sys::HtmlElement> {
    let element_id = format!("p{id}");
    if let Some(lit) = document().get_element_by_id(&element_id) {
        return lit.dyn_into().ok();
    }
    let (row, column) = row_of(id)?;
    let list = row.parent_element()?;
    let row_index = {
        let mut index = 0;
        let mut previous = row.previous_element_sibling();
        while let Some(el) = previous {
            if el.has_attribute("data-ids") {
                index += 1;
            }
            previous = el.previous_element_sibling();
        }
        index
    };
    let text = row.text_content().unwrap_or_default();
    let name = text.split('\t').nth(column).unwrap_or_default().to_string();
    unlight();
    let doc = document();
    let item = doc.create_element("li").ok()?;
    item.set_id(&element_id);
    item.set_class_name("hl");
    let _ = item.set_attribute("style", &format!("--c:{column};--r:{row_index}"));
    let link = doc.create_element("a").ok()?;
    let _ = link.set_attribute("href", &format!("/laureates/{id}"));
    link.set_text_content(Some(&name));
    item.append_child(&link).ok()?;
    list.append_child(&item).ok()?;
    item.dyn_into().ok()
}

/// The person whose name is under a pointer at `client_x` on this element, if it is a row of
/// names (`scale`: the view's, if the row's own cannot be measured). The column width is the
/// list's `tab-size` (the stylesheet's one figure for it).
pub fn person_at(target: &web_sys::Element, client_x: f64, scale: f64) -> Option<i64> {
    let row = target.closest("ol.names > li[data-ids]").ok().flatten()?;
    let ids = row.get_attribute("data-ids")?;
    let style = window().get_computed_style(&row).ok().flatten()?;
    let column_px = style
        .get_property_value("tab-size")
        .ok()?
        .trim_end_matches("px")
        .parse::<f64>()
        .ok()
        .filter(|w| *w > 0.0)?;
    // The scale as drawn now (mid-flight it is not yet the view's target scale).
    let rect = row.get_bounding_client_rect();
    let width = row
        .dyn_ref::<web_sys::HtmlElement>()
        .map(|el| el.offset_width() as f64)
        .filter(|w| *w > 0.0);
    let scale = width.map_or(scale, |w| rect.width() / w);
    let column = ((client_x - rect.left()) / (column_px * scale)).floor();
    if column < 0.0 {
        return None;
    }
    id_at(&ids, column as usize)
}
