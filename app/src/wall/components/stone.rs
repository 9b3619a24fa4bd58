use leptos::prelude::*;

use crate::i18n::use_lang;
use crate::wall::model::{stone_path, StoneOutline};

/// One stone: its label and its names as a real ordered list (what screen readers read). The
/// names come as server-rendered HTML; hydration keeps that HTML as it is.
#[component]
pub fn Stone(
    section_index: usize,
    section_code: String,
    stone: StoneOutline,
    columns: u16,
) -> impl IntoView {
    let lang = use_lang();
    let years: Vec<String> = stone.years.iter().map(|y| y.to_string()).collect();
    let years_label = match (stone.years.first(), stone.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}—{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let heading = match lang {
        crate::i18n::Lang::Zh => format!("第{}号石 · {}年", stone.number, years_label),
        crate::i18n::Lang::En => format!("Stone {} · {}", stone.number, years_label),
    };
    #[cfg(feature = "ssr")]
    let names_html = crate::wall::server::stone_names_html(section_index, stone.number);
    #[cfg(not(feature = "ssr"))]
    let names_html = {
        let _ = section_index;
        String::new()
    };
    let count = match lang {
        crate::i18n::Lang::Zh => format!("{}人", stone.names),
        crate::i18n::Lang::En => format!("{} names", stone.names),
    };
    let label = heading.clone();
    let page = stone_path(&section_code, stone.number);
    view! {
        <section
            class="stone"
            id=format!("stone-{}-{}", section_code, stone.number)
            data-years=years.join(" ")
            style=format!("--cols:{columns}")
            aria-label=label
        >
            <h3 class="stone-label"><a href=page>{heading}</a><span class="stone-count">{count}</span></h3>
            <ol class="names" inner_html=names_html></ol>
        </section>
    }
}
