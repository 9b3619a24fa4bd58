//! The baseline of the page benchmark: axum returning a fixed body (a copy of a profile page).
//! `fixed_body FILE ADDR`
use axum::{response::Html, routing::get, Router};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(addr)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: fixed_body FILE ADDR");
        std::process::exit(2);
    };
    let body: &'static str = Box::leak(
        std::fs::read_to_string(file)
            .expect("body file")
            .into_boxed_str(),
    );
    let app = Router::new().fallback(get(move || async move { Html(body) }));
    let listener = tokio::net::TcpListener::bind(addr.as_str())
        .await
        .expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
