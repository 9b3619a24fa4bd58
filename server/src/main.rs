//! `server [serve]` runs the site; `server demo-data [--replace] [--seed N]` fills the database with
//! the demo data; `server import FILE.csv` adds real records (see the README).

use std::process::ExitCode;

use leptos::prelude::get_configuration;

const USAGE: &str = "usage:
  server [serve]                       run the web server (DATABASE_URL, LEPTOS_SITE_ADDR)
  server demo-data [--replace] [--seed N]
                                       fill an empty database with the demo data
                                       (--replace: delete everything first)
  server import FILE.csv [--dry-run]   add laureates from a CSV file (all rows or none)
  server create-admin --username NAME [--display-name NAME]
                                       create a system administrator; the password is read
                                       from the terminal (or the first line of standard input)";

#[tokio::main]
async fn main() -> ExitCode {
    server::memory::limit_arenas();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("demo-data") => demo_data(&args[1..]).await,
        Some("import") => import(&args[1..]).await,
        Some("create-admin") => create_admin(&args[1..]).await,
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> anyhow::Result<()> {
    let conf = get_configuration(None)?;
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let state = server::prepare_state(&server::config::database_url(), true).await?;
    tokio::spawn(server::watch_for_new_records(state.clone()));
    let app = server::router(state, options);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

async fn demo_data(args: &[String]) -> anyhow::Result<()> {
    let mut replace = false;
    let mut seed = app::import::demo::DEFAULT_SEED;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--replace" => replace = true,
            "--seed" => {
                let v = it
                    .next()
                    .ok_or_else(|| anyhow::anyhow!("--seed needs a number"))?;
                seed = v
                    .parse()
                    .map_err(|_| anyhow::anyhow!("--seed needs a whole number, not {v:?}"))?;
            }
            other => anyhow::bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let db = app::db::connect(&server::config::database_url()).await?;
    db.migrate().await?;
    let existing = db.count_people().await?;
    if existing > 0 && !replace {
        anyhow::bail!("the database already holds {existing} people; run with --replace to delete them and load the demo data");
    }
    let data = tokio::task::spawn_blocking(move || app::import::demo::generate(seed)).await?;
    db.replace_all(&data).await?;
    println!(
        "demo data loaded: {} people, {} wall slots, {} organisations",
        data.people.len(),
        data.slots.len(),
        data.organisations.len()
    );
    Ok(())
}

async fn import(args: &[String]) -> anyhow::Result<()> {
    let path = args
        .first()
        .ok_or_else(|| anyhow::anyhow!("import needs a CSV file\n{USAGE}"))?;
    let dry_run = args.iter().any(|a| a == "--dry-run");
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {path}: {e}"))?;
    let db = app::db::connect(&server::config::database_url()).await?;
    db.migrate().await?;
    let existing = db.load().await?;
    let additions = app::import::csv::plan_import(&text, &existing).map_err(|errors| {
        anyhow::anyhow!(
            "nothing was imported; fix these rows and run again:\n{}",
            errors.join("\n")
        )
    })?;
    if dry_run {
        println!("dry run: {} people would be added", additions.people.len());
        return Ok(());
    }
    db.add(&additions).await?;
    println!("imported {} people", additions.people.len());
    Ok(())
}

async fn create_admin(args: &[String]) -> anyhow::Result<()> {
    use std::io::IsTerminal;

    let mut username = None;
    let mut display_name = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--username" => username = it.next().cloned(),
            "--display-name" => display_name = it.next().cloned(),
            other => anyhow::bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let username =
        username.ok_or_else(|| anyhow::anyhow!("create-admin needs --username NAME\n{USAGE}"))?;
    let display_name = display_name.unwrap_or_else(|| "系统管理员".to_string());
    app::auth::accounts::validate_username(&username)?;

    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let again = rpassword::prompt_password("Once more: ")?;
        anyhow::ensure!(
            first == again,
            "the two passwords differ; nothing was created"
        );
        first
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_string()
    };

    let db = app::db::connect(&server::config::database_url()).await?;
    db.migrate().await?;
    anyhow::ensure!(
        !db.username_taken(&username).await?,
        "an account named {username:?} exists already; nothing was created"
    );
    let (user, secrets) = app::auth::accounts::prepare(
        &username,
        &display_name,
        app::nominations::workflow::Role::Administrator,
        None,
        &password,
    )?;
    let audit = app::db::AuditEntry {
        after_json: Some(
            serde_json::json!({"username": username, "role": "administrator"}).to_string(),
        ),
        ..app::db::AuditEntry::new(
            app::auth::session::timestamp(chrono::Utc::now()),
            "create-admin (command line)",
            "account.create",
            "user",
        )
    };
    let id = db.create_user(&user, &audit).await?;
    println!("created administrator {username:?} (id {id})");
    println!();
    println!("Second factor: add this account to an authenticator app (TOTP, 6 digits, 30 s):");
    println!("  secret: {}", secrets.totp_secret);
    println!("  or open: {}", secrets.provisioning_url);
    println!();
    println!(
        "Recovery codes (each works once; keep them somewhere safe, they are not shown again):"
    );
    for code in &secrets.recovery_codes {
        println!("  {code}");
    }
    Ok(())
}
