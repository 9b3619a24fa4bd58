use leptos::prelude::*;

use crate::i18n::{use_lang, Lang};
use crate::wall::model::{stone_path, StoneOutline};

/// One stone as the wall page first shows it: its label (a link to the stone's own page), how
/// many names it holds and the surnames it runs from and to, and an empty list sized for its
/// rows. The names are put in by the wall when the stone comes into view at a zoom where they
/// can be read (`/wall/{section}/{stone}/names`), so the page stays light and nothing moves
/// when they arrive.
#[component]
pub fn Stone(section_code: String, stone: StoneOutline, columns: u16) -> impl IntoView {
    let lang = use_lang();
    let years: Vec<String> = stone.years.iter().map(|y| y.to_string()).collect();
    let years_label = match (stone.years.first(), stone.years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}—{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let heading = match lang {
        Lang::Zh => format!("第{}号石 · {}年", stone.number, years_label),
        Lang::En => format!("Stone {} · {}", stone.number, years_label),
    };
    let count = match lang {
        Lang::Zh => format!("{}人", stone.names),
        Lang::En => format!("{} names", stone.names),
    };
    let span = match lang {
        Lang::Zh => format!("{}姓 — {}姓", stone.first_surname, stone.last_surname),
        Lang::En => format!("surnames {} to {}", stone.first_surname, stone.last_surname),
    };
    let label = heading.clone();
    let page = stone_path(&section_code, stone.number);
    let names_src = format!("{page}/names");
    view! {
        <section
            class="stone"
            id=format!("stone-{}-{}", section_code, stone.number)
            data-years=years.join(" ")
            data-names=names_src
            style=format!("--cols:{columns};--rows:{}", stone.rows.max(1))
            aria-label=label
        >
            <h3 class="stone-label"><a href=page>{heading}</a><span class="stone-count">{count}</span></h3>
            <p class="stone-span">{span}</p>
            <ol class="names"></ol>
        </section>
    }
}
