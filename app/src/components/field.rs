//! Form fields: the one place a form's controls are written, so kept input is always escaped.

use leptos::prelude::*;

use crate::nominations::model::FormState;

/// A labelled input with its error message next to it (and tied to it for screen readers).
#[component]
pub fn Field(
    name: &'static str,
    label: String,
    form: FormState,
    /// `text`, `number`, `textarea`, `email`, `password` …
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let error_id = format!("e-{name}");
    let hint_id = format!("h-{name}");
    let error = form.error(name);
    let value = form.value(name);
    let has_error = error.is_some();
    let invalid = has_error.then_some("true");
    let described = [
        error.as_ref().map(|_| error_id.clone()),
        hint.as_ref().map(|_| hint_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let maxlength = maxlength.map(|m| m.to_string());
    let control = if kind == "textarea" {
        view! {
            <TextArea id=id.clone() name=name rows=6 value required maxlength
                invalid=has_error described/>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=kind value=value required=required maxlength=maxlength
                autocomplete=autocomplete aria-invalid=invalid aria-describedby=described/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id>{label}{required.then_some(" *")}</label>
            {control}
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
        </div>
    }
}

/// A `<textarea>` showing `value`. Leptos 0.8's renderer writes textarea children without
/// escaping them (`</textarea><script>` would end the element and run), so the content is escaped
/// here and written as the element's inner HTML: the browser shows exactly the text typed. Every
/// textarea of the site goes through this component.
#[component]
pub fn TextArea(
    id: String,
    name: &'static str,
    #[prop(default = 4)] rows: u32,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(default = None)] maxlength: Option<String>,
    #[prop(optional)] invalid: bool,
    #[prop(default = None)] described: Option<String>,
) -> impl IntoView {
    // The HTML parser drops one line break right after `<textarea>`: a leading one is added so a
    // value that starts with a line break keeps it.
    let content = format!("\n{}", crate::domain::text::escape_html(&value));
    view! {
        <textarea id=id name=name rows=rows.to_string() required=required maxlength=maxlength
            aria-invalid=invalid.then_some("true") aria-describedby=described inner_html=content></textarea>
    }
}
