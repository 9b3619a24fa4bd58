//! Session lifetimes, checked by moving the server's clock (its own server: the clock is shared).
mod common;

use app::auth::{second_factor, session};
use app::clock::Clock;
use app::domain::procedure::Role;
use chrono::Duration;
use common::*;

async fn signed_in(username: &str) -> String {
    let secrets = create_account(username, Role::Reviewer).await;
    let code = second_factor::code_at(
        &secrets.totp_secret,
        server().clock.now().timestamp() as u64,
    )
    .unwrap();
    let (token, _) = session::login(&server().state, username, TEST_PASSWORD, &code, "127.0.0.1")
        .await
        .unwrap();
    format!("session={token}")
}

async fn alive(cookie: &str) -> bool {
    session::current_user(&server().state, cookie)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_the_absolute_limit() {
    let idle = signed_in("t-idle").await;
    let busy = signed_in("t-busy").await;
    server().clock.advance(Duration::minutes(20));
    assert!(alive(&busy).await, "used after 20 minutes");
    server().clock.advance(Duration::minutes(20));
    assert!(!alive(&idle).await, "40 idle minutes end a session");
    assert!(alive(&busy).await, "20 minutes since last use");
    // Kept busy, a session still ends after 12 hours.
    for _ in 0..(12 * 60 / 25) {
        server().clock.advance(Duration::minutes(25));
        let _ = alive(&busy).await;
    }
    assert!(!alive(&busy).await);
    assert!(!alive(&idle).await, "an ended session does not come back");
}
