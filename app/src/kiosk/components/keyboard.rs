//! The kiosk's on-screen keyboard: letters for pinyin and initials, digits for years, and above it
//! a bar of candidate characters drawn from the directory's own names (what the letters typed so
//! far are read as, the most frequent first), so a visitor can spell a name in characters without
//! an input method. Keys are large buttons; nothing here needs the system keyboard.
use leptos::prelude::*;

use crate::i18n::Lang;
use crate::kiosk::directory::Candidates;

/// The longest query a kiosk takes (as the server does).
pub const MAX_TYPED: usize = 40;

const ROWS: [&str; 4] = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

#[component]
pub fn Keyboard(
    typed: RwSignal<String>,
    candidates: Signal<Candidates>,
    lang: Lang,
) -> impl IntoView {
    let press = move |c: char| {
        typed.update(|t| {
            if t.chars().count() < MAX_TYPED {
                t.push(c);
            }
        })
    };
    let choose = move |c: char| {
        let Candidates {
            replace,
            replace_end,
            ..
        } = candidates.get_untracked();
        typed.update(|t| {
            if replace <= replace_end && replace_end <= t.len() {
                t.replace_range(replace..replace_end, c.encode_utf8(&mut [0; 4]));
            }
        })
    };
    view! {
        <div class="kiosk-candidates" role="group" aria-label=lang.t("候选字", "Characters")>
            {move || {
                let chars = candidates.with(|c| c.chars.clone());
                if chars.is_empty() {
                    view! { <p class="kiosk-hint">{lang.t("输入拼音，这里会出现名录里的字", "Type pinyin: the directory's characters appear here")}</p> }.into_any()
                } else {
                    chars.into_iter().map(|c| view! {
                        <button type="button" class="key candidate" on:click=move |_| choose(c)>{c.to_string()}</button>
                    }).collect_view().into_any()
                }
            }}
        </div>
        <div class="kiosk-keyboard" role="group" aria-label=lang.t("键盘", "Keyboard")>
            {ROWS.iter().map(|row| view! {
                <div class="keys">
                    {row.chars().map(|c| view! {
                        <button type="button" class="key" data-key=c.to_string() on:click=move |_| press(c)>{c.to_string()}</button>
                    }).collect_view()}
                </div>
            }).collect_view()}
            <div class="keys">
                <button type="button" class="key wide" aria-label=lang.t("删除一个字", "Delete one")
                    on:click=move |_| typed.update(|t| { t.pop(); })>"⌫"</button>
                <button type="button" class="key wide" on:click=move |_| typed.set(String::new())>
                    {lang.t("清空", "Clear")}
                </button>
            </div>
        </div>
    }
}
