//! Instant search over the whole wall, in the browser: the index (names, pinyin, places) is fetched
//! once, on first use, from the cacheable `/api/v1/search-index`; every keystroke then searches
//! 13,058 names locally. Without JavaScript the same box submits to `/search`.
use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::{use_lang, Lang};
use crate::search::engine::SearchIndex;
use crate::search::model::SearchPayload;

/// Results shown at once; the rest are counted.
pub const SHOWN: usize = 12;

#[derive(Clone, Debug, PartialEq)]
pub struct SelectedName {
    pub id: i64,
    pub name: String,
    pub place: String,
    /// The element id of the stone the name is on (`stone-{section}-{number}`).
    pub stone: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct ResultRow {
    id: i64,
    name: String,
    detail: String,
    place: String,
    stone: Option<String>,
}

pub struct ClientIndex {
    index: SearchIndex,
    payload: SearchPayload,
}

impl ClientIndex {
    pub fn new(payload: SearchPayload) -> Self {
        ClientIndex {
            index: payload.index(),
            payload,
        }
    }

    fn search(&self, query: &str, lang: Lang) -> (usize, Vec<ResultRow>) {
        let hits = self.index.search(query);
        let rows = hits
            .iter()
            .take(SHOWN)
            .map(|hit| {
                let p = &self.payload.people[hit.index];
                let honour = self
                    .payload
                    .honours
                    .get(p.5 as usize)
                    .map(|h| {
                        if lang == Lang::Zh {
                            h.1.clone()
                        } else {
                            h.2.clone()
                        }
                    })
                    .unwrap_or_default();
                let unit = self
                    .payload
                    .units
                    .get(p.6 as usize)
                    .cloned()
                    .unwrap_or_default();
                let stone = self
                    .payload
                    .sections
                    .get(p.7 as usize)
                    .map(|s| format!("stone-{}-{}", s.0, p.8));
                let section = self.payload.sections.get(p.7 as usize).map(|s| {
                    if lang == Lang::Zh {
                        s.1.clone()
                    } else {
                        s.2.clone()
                    }
                });
                let place = match (section, lang) {
                    (Some(s), Lang::Zh) => {
                        format!("{s} · 第{}号石 · 第{}行 · 第{}位", p.8, p.9, p.10)
                    }
                    (Some(s), Lang::En) => {
                        format!("{s} · stone {} · row {} · position {}", p.8, p.9, p.10)
                    }
                    (None, _) => String::new(),
                };
                let mut detail = match lang {
                    Lang::Zh => format!("{}年 · {} · {}", p.4, honour, unit),
                    Lang::En => format!("{} · {} · {}", p.4, honour, unit),
                };
                // Found by a wrong reading of the surname: say how the name is read.
                if hit.misread {
                    detail = match lang {
                        Lang::Zh => format!("读作 {} · {detail}", p.2),
                        Lang::En => format!("read {} · {detail}", p.2),
                    };
                }
                ResultRow {
                    id: p.0,
                    name: p.1.clone(),
                    detail,
                    place,
                    stone,
                }
            })
            .collect();
        (hits.len(), rows)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum IndexState {
    Idle,
    Loading,
    Ready,
    Failed,
}

#[component]
pub fn SearchBox(selected: RwSignal<Option<SelectedName>>) -> impl IntoView {
    let lang = use_lang();
    let index: StoredValue<Option<Arc<ClientIndex>>> = StoredValue::new(None);
    let state = RwSignal::new(IndexState::Idle);
    let query = RwSignal::new(String::new());
    let results: RwSignal<(usize, Vec<ResultRow>)> = RwSignal::new((0, Vec::new()));
    let active = RwSignal::new(0usize);
    let last_ms = RwSignal::new(None::<f64>);
    // The list closes when a result is chosen and opens again with the next keystroke.
    let open = RwSignal::new(false);

    let run = move || {
        let q = query.get_untracked();
        let Some(ix) = index.get_value() else { return };
        let started = now_ms();
        let found = if q.trim().is_empty() {
            (0, Vec::new())
        } else {
            ix.search(&q, lang)
        };
        last_ms.set(Some(now_ms() - started));
        active.set(0);
        results.set(found);
    };

    // The search and its list run in a task of their own after the keystroke, so the typed
    // character shows at once and fast typing runs one search for several keys.
    let run_due = StoredValue::new(false);
    let run_soon = move || {
        if run_due.get_value() {
            return;
        }
        run_due.set_value(true);
        set_timeout(
            move || {
                // Unless a key ran it meanwhile (`settle`).
                if run_due.get_value() {
                    run_due.set_value(false);
                    run();
                }
            },
            std::time::Duration::ZERO,
        );
    };

    let ensure_index = move || {
        if state.get_untracked() != IndexState::Idle {
            return;
        }
        state.set(IndexState::Loading);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let fetched = async {
                gloo_net::http::Request::get("/api/v1/search-index")
                    .send()
                    .await?
                    .json::<SearchPayload>()
                    .await
            }
            .await;
            match fetched {
                Ok(payload) => {
                    index.set_value(Some(Arc::new(ClientIndex::new(payload))));
                    state.set(IndexState::Ready);
                    run();
                }
                Err(_) => state.set(IndexState::Failed),
            }
        });
    };

    let choose = move |row: ResultRow| {
        open.set(false);
        selected.set(Some(SelectedName {
            id: row.id,
            name: row.name.clone(),
            place: row.place.clone(),
            stone: row.stone.clone(),
        }));
    };

    // A keystroke's search not yet run (Enter or an arrow right after typing): run it now, so
    // nothing acts on the results of the query before.
    let settle = move || {
        if run_due.get_value() {
            run_due.set_value(false);
            run();
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        settle();
        let count = results.with_untracked(|r| r.1.len());
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = (*a + count - 1) % count);
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };

    let on_submit = move |ev: web_sys::SubmitEvent| {
        // With the index loaded, Enter picks the highlighted result; otherwise the form goes to /search.
        if state.get_untracked() == IndexState::Ready {
            ev.prevent_default();
            settle();
            if let Some(row) = results.with_untracked(|r| r.1.get(active.get_untracked()).cloned())
            {
                choose(row);
            }
        }
    };

    view! {
        <form class="search-box" role="search" method="get" action="/search" on:submit=on_submit>
            <label for="wall-search" class="visually-hidden">{lang.t("搜索姓名", "Search names")}</label>
            <input
                id="wall-search"
                name="q"
                type="search"
                autocomplete="off"
                spellcheck="false"
                maxlength="64"
                placeholder=lang.t("输入姓名、拼音或首字母，如 张伟明 / zwm", "Name, pinyin or initials, e.g. zwm")
                aria-controls="search-results"
                data-state=move || match state.get() {
                    IndexState::Idle => "idle",
                    IndexState::Loading => "loading",
                    IndexState::Ready => "ready",
                    IndexState::Failed => "failed",
                }
                data-search-ms=move || last_ms.get().map(|ms| format!("{ms:.3}"))
                prop:value=move || query.get()
                on:focus=move |_| ensure_index()
                on:input=move |ev| {
                    open.set(true);
                    query.set(event_target_value(&ev));
                    ensure_index();
                    run_soon();
                }
                on:keydown=on_key
            />
            <button type="submit">{lang.t("搜索", "Search")}</button>
            <div id="search-results" class="search-results" role="listbox" aria-label=lang.t("搜索结果", "Results")>
                {move || (state.get() == IndexState::Failed).then(|| view! {
                    <p class="search-note">{lang.t("索引载入失败，按回车在服务器上搜索。", "Could not load the index; press Enter to search on the server.")}</p>
                })}
                {move || {
                    let (total, rows) = results.get();
                    let q = query.get();
                    if q.trim().is_empty() || state.get() != IndexState::Ready || !open.get() {
                        return None;
                    }
                    Some(view! {
                        <p class="search-note">{match lang {
                            Lang::Zh => format!("找到 {total} 人"),
                            Lang::En => format!("{total} found"),
                        }}</p>
                        <ul>
                            {rows.into_iter().enumerate().map(|(i, row)| {
                                let chosen = row.clone();
                                view! {
                                    <li
                                        role="option"
                                        class="search-result"
                                        class:active=move || active.get() == i
                                        aria-selected=move || (active.get() == i).to_string()
                                        on:mousedown=move |ev| ev.prevent_default()
                                        on:click=move |_| choose(chosen.clone())
                                    >
                                        <span class="result-name">{row.name}</span>
                                        <span class="result-detail">{row.detail}</span>
                                        <span class="result-place">{row.place}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }}
            </div>
        </form>
    }
}

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or(0.0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}
