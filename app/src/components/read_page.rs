use leptos::prelude::*;

use super::not_found::NotFound;
use crate::error::AppError;

/// The body of a public page that shows one thing (a profile, a stone): the page, the 404 page
/// for something that does not exist, or the error with its status.
///
/// These pages are not islands: they render only on the server, and what they show is already in
/// memory (the catalogue), so it is read synchronously (`read_now`) — no resource, no suspense. A
/// resource made every page not yet in the page cache wait on the async machinery for nothing:
/// 1.5–2× slower.
pub fn read_page<T, V>(read: Result<T, AppError>, page: fn(T) -> V) -> AnyView
where
    V: IntoView + 'static,
{
    match read {
        Ok(value) => page(value).into_any(),
        Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
        Err(e) => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(e.status());
            }
            view! { <section class="message-page" role="alert"><p>{e.to_string()}</p></section> }
                .into_any()
        }
    }
}
