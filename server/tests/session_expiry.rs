//! Session lifetimes, checked by moving the server's clock (its own server: the clock is shared).
mod common;

use app::auth::{accounts, second_factor, session};
use app::clock::Clock;
use app::db::AuditEntry;
use app::nominations::workflow::Role;
use chrono::Duration;
use common::*;

const PASSWORD: &str = "granite-lantern-47-plaza";

async fn signed_in(username: &str) -> String {
    let (user, secrets) =
        accounts::prepare(username, "测试", Role::Reviewer, None, PASSWORD).unwrap();
    let audit = AuditEntry {
        at: "2026-01-01T00:00:00.000Z".into(),
        actor_id: None,
        actor_name: "test".into(),
        action: "account.create".into(),
        object_type: "user".into(),
        object_id: None,
        before_json: None,
        after_json: None,
        address: None,
    };
    server().state.db.create_user(&user, &audit).await.unwrap();
    let code = second_factor::code_at(
        &secrets.totp_secret,
        server().clock.now().timestamp() as u64,
    )
    .unwrap();
    let (token, _) = session::login(&server().state, username, PASSWORD, &code, "127.0.0.1")
        .await
        .unwrap();
    format!("session={token}")
}

async fn alive(cookie: &str) -> bool {
    session::current_user(&server().state, cookie)
        .await
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
