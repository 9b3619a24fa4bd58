use leptos::prelude::*;

use crate::i18n::use_lang;
use crate::wall::model::WallOutline;

/// What the visitor narrowed the wall to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WallFilter {
    pub level: Option<String>,
    pub year: Option<i32>,
    pub honour: Option<String>,
}

impl WallFilter {
    /// The filter as CSS: hiding and dimming by attribute costs one style pass, not 13,000 updates.
    pub fn css(&self) -> String {
        let mut css = String::new();
        if let Some(level) = &self.level {
            css.push_str(&format!(
                ".wall-section:not([data-level=\"{}\"]){{display:none}}",
                css_escape(level)
            ));
        }
        if let Some(year) = self.year {
            css.push_str(&format!(
                ".stone:not([data-years~=\"{year}\"]){{display:none}}.names [data-y]:not([data-y=\"{year}\"]){{opacity:.14}}"
            ));
        }
        if let Some(honour) = &self.honour {
            css.push_str(&format!(
                ".names [data-h]:not([data-h=\"{}\"]){{opacity:.14}}",
                css_escape(honour)
            ));
        }
        css
    }

    pub fn is_empty(&self) -> bool {
        self.level.is_none() && self.year.is_none() && self.honour.is_none()
    }
}

fn css_escape(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// Batch, level and honour selectors.
#[component]
pub fn WallFilters(outline: WallOutline, filter: RwSignal<WallFilter>) -> impl IntoView {
    let lang = use_lang();
    let mut years: Vec<i32> = outline
        .sections
        .iter()
        .flat_map(|s| s.stones.iter().flat_map(|st| st.years.iter().copied()))
        .collect();
    years.sort();
    years.dedup();
    let honours: Vec<(String, String)> = outline
        .honours
        .iter()
        .filter(|h| h.engraved)
        .map(|h| (h.code.clone(), lang.t(&h.name_zh, &h.name_en).to_string()))
        .collect();
    let levels = [
        ("national", lang.t("全国劳模", "National")),
        ("municipal", lang.t("北京市劳模", "Beijing")),
    ];
    view! {
        <form class="wall-filters" method="get" action="/" on:submit=|ev| ev.prevent_default()>
            <label>
                <span>{lang.t("级别", "Level")}</span>
                <select name="level" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.level = (!v.is_empty()).then_some(v));
                }>
                    <option value="">{lang.t("全部", "All")}</option>
                    {levels.into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{lang.t("批次", "Batch")}</span>
                <select name="batch" data-testid="batch-filter" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.year = v.parse().ok());
                }>
                    <option value="">{lang.t("全部年份", "All years")}</option>
                    {years.into_iter().map(|y| view! { <option value=y.to_string()>{y.to_string()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{lang.t("荣誉", "Honour")}</span>
                <select name="honour" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.honour = (!v.is_empty()).then_some(v));
                }>
                    <option value="">{lang.t("全部", "All")}</option>
                    {honours.into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                </select>
            </label>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_css() {
        assert_eq!(WallFilter::default().css(), "");
        let f = WallFilter {
            level: Some("national".into()),
            year: Some(1952),
            honour: Some("x\"}*{".into()),
        };
        let css = f.css();
        assert!(css.contains("[data-level=\"national\"]"));
        assert!(css.contains("[data-years~=\"1952\"]"));
        assert!(css.contains("[data-h=\"x\"]"), "injection stripped: {css}");
    }
}
