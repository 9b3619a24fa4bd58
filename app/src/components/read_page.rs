use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

use super::not_found::NotFound;
use crate::error::AppError;

/// The body of a public page that shows one thing read by a server function (a profile, a
/// stone): the page once it is read, the 404 page for something that does not exist, or the
/// error with its status.
pub fn read_page<T, V>(resource: Resource<Result<T, AppError>>, page: fn(T) -> V) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => page(value).into_any(),
                    Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                    Err(e) => {
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(e.status());
                        }
                        view! { <section class="message-page" role="alert"><p>{e.to_string()}</p></section> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
