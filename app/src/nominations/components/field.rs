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
            <textarea id=id.clone() name=name rows="6" required=required maxlength=maxlength
                aria-invalid=invalid aria-describedby=described>{value}</textarea>
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
