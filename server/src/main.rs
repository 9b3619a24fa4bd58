//! `server [serve]` runs the site; `server demo-data [--replace] [--seed N]` fills the database with
//! the demo data; `server import FILE.csv|FILE.xlsx` adds real records (see the README).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use leptos::prelude::get_configuration;
use server::database::Migrations::RefuseIfBehind;

/// Rendering a page makes many small allocations from every worker thread at once; glibc's
/// allocator spent over a third of a cold page's time in malloc, free and its arena locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The Labor Plaza server (劳动广场数字名录墙). Configuration comes from the environment:
/// DATABASE_URL, LEPTOS_SITE_ADDR, UPLOADS_DIR, PUBLIC_BASE_URL, TRUSTED_PROXIES (see the README).
#[derive(Parser)]
#[command(name = "server", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum KioskCommand {
    /// Register a kiosk; prints its heartbeat secret once (configure it on the kiosk).
    Add {
        /// Its id, as in its address /kiosk/ID: lower-case letters, digits and dashes.
        id: String,
        /// What the people who run it call it ("广场北门").
        #[arg(long)]
        name: String,
        /// The monument (wall section code) it stands by, e.g. plaza-municipal.
        #[arg(long)]
        monument: String,
        /// Where it stands on the monument's plan, metres east of the plan's origin.
        #[arg(long, requires_all = ["y", "facing"])]
        x: Option<f64>,
        /// Metres south of the plan's origin.
        #[arg(long, requires_all = ["x", "facing"])]
        y: Option<f64>,
        /// Which way its screen faces, degrees clockwise from north.
        #[arg(long, requires_all = ["x", "y"])]
        facing: Option<i64>,
        /// Seconds without a touch before it asks "are you still there?" and starts over.
        #[arg(long, default_value_t = app::domain::kiosk::DEFAULT_IDLE_SECONDS)]
        idle_seconds: u32,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Set the plan of a monument's grounds from a JSON file (checked first; audited). Kiosks
    /// draw their "you are here" maps from it.
    Set {
        /// The monument (wall section code), e.g. plaza-municipal.
        monument: String,
        /// The plan: {"width","height","points","segments","stones","landmarks"} in metres.
        file: std::path::PathBuf,
    },
    /// Print a schematic plan for the monument's stones as they stand now, to start from.
    Example { monument: String },
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default). A new, empty database is set up; one whose schema is
    /// behind this release is refused unless --migrate is given.
    Serve {
        /// Apply pending migrations first (take a backup before).
        #[arg(long)]
        migrate: bool,
    },
    /// Apply the migrations this release has and the database lacks.
    Migrate,
    /// Write a consistent, checked copy of the database (SQLite; for PostgreSQL use pg_dump).
    Backup {
        /// Where to write it; must not exist.
        file: std::path::PathBuf,
    },
    /// Replace the database with a checked backup (SQLite; the server must be stopped). The
    /// database it replaces is kept beside it.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
    },
    /// Copy a whole database into a new one, of either backend: how an installation moves from
    /// SQLite to PostgreSQL (or back). Stop the servers first. DATABASE_URL is not used.
    CopyDb {
        /// The database to copy (sqlite:PATH or postgres://…).
        from: String,
        /// The new database (sqlite:PATH or postgres://…); it must hold no records.
        to: String,
    },
    /// PostgreSQL: grant the role the servers connect as what they need and no more (read and
    /// write the records, append to the audit log; no schema changes). Run as the schema's
    /// owner after every `migrate`.
    GrantAppRole {
        /// An existing role (CREATE ROLE … LOGIN PASSWORD …).
        role: String,
    },
    /// Kiosks at the plaza.
    Kiosk {
        #[command(subcommand)]
        command: KioskCommand,
    },
    /// The plans of the monuments' grounds, for the kiosks' maps.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Fill an empty database with the demo data.
    DemoData {
        /// Delete every record first.
        #[arg(long)]
        replace: bool,
        /// Seed of the generator (the same seed gives the same data).
        #[arg(long, default_value_t = app::import::demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// Add and update laureates from a CSV file or an Excel workbook: all rows or none, written
    /// as one import batch that `undo-import` can take back.
    Import {
        /// A UTF-8 CSV file or an .xlsx workbook (first sheet), with a header row (see the
        /// README for its columns).
        file: std::path::PathBuf,
        /// Check the file and say what would be added and updated, without writing.
        #[arg(long)]
        dry_run: bool,
        /// If rows have problems, write the whole list to this workbook (.xlsx) with a reason
        /// column filled on the rows to fix: correct it and import it.
        #[arg(long, value_name = "FILE.xlsx")]
        bad_rows: Option<std::path::PathBuf>,
    },
    /// Write every person with all their fields, one row per honour, in the import's columns
    /// (.csv or .xlsx by the file's name): edited and imported again, it updates the same people.
    Export {
        /// Where to write it; must not exist.
        file: std::path::PathBuf,
    },
    /// List the imports, newest first.
    Imports,
    /// Undo an import as a whole: the people it added removed, the fields it changed put back.
    /// Refused if any of them changed since.
    UndoImport {
        /// The import's number (see `imports`).
        id: i64,
    },
    /// Create a system administrator. The password is read from the terminal, or from the first
    /// line of standard input; the second factor is printed once.
    CreateAdmin {
        /// The sign-in name: 3 to 32 lower-case letters, digits, `.`, `_` or `-`.
        #[arg(long)]
        username: String,
        /// The name shown in the admin area and the audit log.
        #[arg(long, default_value = "系统管理员")]
        display_name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    server::memory::limit_arenas();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let result = run(cli.command.unwrap_or(Command::Serve { migrate: false })).await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    // Every command but a restore holds the database's shared lock while it runs; a restore
    // needs it alone (see `server::database::ServingLock`).
    let _in_use = match command {
        Command::Restore { .. } => None,
        Command::CopyDb { ref from, .. } => server::database::ServingLock::for_serving(from)?,
        _ => server::database::ServingLock::for_serving(&database_url())?,
    };
    match command {
        Command::Serve { migrate } => serve(migrate).await,
        Command::Migrate => say(server::database::migrate(&database_url()).await),
        Command::Backup { file } => say(server::database::backup(&database_url(), &file).await),
        Command::Restore { file } => say(server::database::restore(&database_url(), &file).await),
        Command::CopyDb { from, to } => say(server::database::copy(&from, &to).await),
        Command::GrantAppRole { role } => {
            say(server::database::grant_app_role(&database_url(), &role).await)
        }
        Command::Kiosk {
            command:
                KioskCommand::Add {
                    id,
                    name,
                    monument,
                    x,
                    y,
                    facing,
                    idle_seconds,
                },
        } => {
            let db = server::database::open(&database_url(), RefuseIfBehind).await?;
            let registration = app::kiosk::service::Registration {
                id: &id,
                name: &name,
                monument: &monument,
                placement: x.zip(y).zip(facing).map(|((x, y), f)| (x, y, f)),
                idle_seconds,
            };
            let secret = app::kiosk::service::register(
                &db,
                &registration,
                chrono::Utc::now(),
                "kiosk add (command line)",
            )
            .await?;
            println!("kiosk {id} registered: its page is /kiosk/{id}");
            println!("heartbeat secret (shown once; configure it on the kiosk): {secret}");
            println!(
                "to configure it, open /kiosk/{id}#secret={secret} once on the kiosk (the part after # never leaves the device)"
            );
            Ok(())
        }
        Command::Plan { command } => {
            let db = server::database::open(&database_url(), RefuseIfBehind).await?;
            match command {
                PlanCommand::Set { monument, file } => {
                    let json = std::fs::read_to_string(&file)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                    let plan = app::kiosk::service::set_plan(
                        &db,
                        &monument,
                        &json,
                        chrono::Utc::now(),
                        "plan set (command line)",
                    )
                    .await?;
                    println!(
                        "plan of {monument} set: {} points, {} path segments, {} stones, {} landmarks",
                        plan.points.len(),
                        plan.segments.len(),
                        plan.stones.len(),
                        plan.landmarks.len()
                    );
                }
                PlanCommand::Example { monument } => {
                    println!(
                        "{}",
                        app::kiosk::service::example_plan(&db, &monument).await?
                    );
                }
            }
            Ok(())
        }
        Command::DemoData { replace, seed } => demo_data(replace, seed).await,
        Command::Import {
            file,
            dry_run,
            bad_rows,
        } => import(&file, dry_run, bad_rows.as_deref()).await,
        Command::Export { file } => export(&file).await,
        Command::Imports => list_imports().await,
        Command::UndoImport { id } => undo_import(id).await,
        Command::CreateAdmin {
            username,
            display_name,
        } => create_admin(username, display_name).await,
    }
}

fn database_url() -> String {
    server::config::database_url()
}

/// Prints what a command did.
fn say(result: anyhow::Result<String>) -> anyhow::Result<()> {
    println!("{}", result?);
    Ok(())
}

async fn serve(migrate: bool) -> anyhow::Result<()> {
    let conf = get_configuration(None)?;
    let options = conf.leptos_options;
    let addr = options.site_addr;
    let url = database_url();
    let migrations = if migrate {
        server::database::Migrations::Apply
    } else {
        server::database::Migrations::RefuseIfBehind
    };
    let db = server::database::open(&url, migrations).await?;
    let state = server::load_state(db, true).await?;
    let mode = server::changes::Mode::parse(&std::env::var("DATA_CHANGES").unwrap_or_default())
        .map_err(anyhow::Error::msg)?;
    let feed = server::changes::FeedHealth::default();
    tokio::spawn(server::changes::keep_in_step(
        state.clone(),
        mode,
        feed.clone(),
    ));
    let proxies = server::security::TrustedProxies::from_env().map_err(anyhow::Error::msg)?;
    let me = server::scheduler::instance_name();
    let scheduler = server::scheduler::SchedulerHealth::default();
    let scheduled = tokio::spawn(server::scheduler::run(
        state.clone(),
        me.clone(),
        scheduler.clone(),
    ));
    // The health endpoint reports how the server hears of changes and whether it runs the
    // scheduled work.
    let app = server::router(state.clone(), options, proxies)
        .layer(axum::Extension(feed))
        .layer(axum::Extension(scheduler));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // Stopped first, so a last renewal cannot take the lease again after it is given up.
    scheduled.abort();
    let _ = scheduled.await;
    server::scheduler::release(&state, &me).await;
    Ok(())
}

/// Ctrl-C, or SIGTERM (what service managers and orchestrators send): requests under way finish,
/// then the scheduler lease is given up.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}

async fn demo_data(replace: bool, seed: u64) -> anyhow::Result<()> {
    let db = server::database::open(&database_url(), RefuseIfBehind).await?;
    let existing = db.catalogue.count_people().await?;
    if existing > 0 && !replace {
        anyhow::bail!("the database already holds {existing} people; run with --replace to delete them and load the demo data");
    }
    let data = tokio::task::spawn_blocking(move || app::import::demo::generate(seed)).await?;
    db.catalogue.replace_all(&data).await?;
    println!(
        "demo data loaded: {} people, {} wall slots, {} organisations",
        data.people.len(),
        data.slots.len(),
        data.organisations.len()
    );
    Ok(())
}

async fn import(
    path: &std::path::Path,
    dry_run: bool,
    bad_rows: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use app::import::table::Table;
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let table =
        Table::read(&name, &bytes).map_err(|e| anyhow::anyhow!("nothing was imported: {e}"))?;
    if let Some(out) = bad_rows {
        let same = |p: &std::path::Path| std::fs::canonicalize(p).ok();
        if out.exists() && same(out) == same(path) {
            anyhow::bail!("--bad-rows must name another file than the list being imported");
        }
    }
    let db = server::database::open(&database_url(), RefuseIfBehind).await?;
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let now = app::auth::session::timestamp(chrono::Utc::now());
    use app::import::service::{import_table, ImportError};
    let mut writing = |counts: &app::import::csv::RowCounts| {
        println!("writing, in one transaction: {counts}");
    };
    let actor = command_line_user();
    let importer = app::import::service::Importer {
        name: &actor,
        account: None,
        address: None,
    };
    match import_table(&db, &table, &importer, &source, &now, dry_run, &mut writing).await {
        Ok(done) => {
            match done.batch {
                None => println!("dry run, nothing written: {}", done.counts),
                Some(batch) => println!("import {batch} written: {}", done.counts),
            }
            for update in done.plan.updates.iter().take(20) {
                println!(
                    "  line {}: person {} — {}",
                    update.line,
                    update.person_id,
                    update.after.changed_from(&update.before).join(", ")
                );
            }
            if done.plan.updates.len() > 20 {
                println!(
                    "  … and {} more people updated",
                    done.plan.updates.len() - 20
                );
            }
            Ok(())
        }
        Err(ImportError::Refused(refusal)) => Err(refused(&table, &refusal, bad_rows)),
        Err(e) => Err(e.into()),
    }
}

/// Who runs a command, for the import batch and the audit log.
fn command_line_user() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "?".into());
    format!("command line ({user})")
}

async fn export(path: &std::path::Path) -> anyhow::Result<()> {
    use std::io::Write;
    let excel = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let db = server::database::open(&database_url(), RefuseIfBehind).await?;
    let rows = app::import::records::export_rows(&db.catalogue.load().await?);
    let bytes = if excel {
        app::import::records::export_xlsx(&rows)?
    } else {
        app::import::records::export_csv(&rows)?
    };
    // Never over another file: the list holds every field of every record.
    // Readable by its owner only: it holds what is not public.
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    file.write_all(&bytes)?;
    println!("{} rows written to {}", rows.len(), path.display());
    Ok(())
}

async fn list_imports() -> anyhow::Result<()> {
    let db = server::database::open(&database_url(), RefuseIfBehind).await?;
    let batches = app::import::service::import_batches(&db).await?;
    if batches.is_empty() {
        println!("no imports yet");
    }
    for b in batches {
        let state = match (&b.undone_at, &b.undone_by) {
            (Some(at), by) => format!("undone {at} by {}", by.as_deref().unwrap_or("?")),
            _ => "in effect".to_string(),
        };
        println!(
            "{}\t{}\t{}\t{}\tadded {} · updated {} · unchanged {}\t{state}",
            b.id, b.imported_at, b.actor, b.source, b.added, b.updated, b.unchanged
        );
    }
    Ok(())
}

async fn undo_import(id: i64) -> anyhow::Result<()> {
    use app::db::imports::UndoOutcome;
    let db = server::database::open(&database_url(), RefuseIfBehind).await?;
    let now = app::auth::session::timestamp(chrono::Utc::now());
    match app::import::service::undo_import(&db, id, &command_line_user(), &now).await? {
        UndoOutcome::Undone { removed, restored } => {
            println!(
                "import {id} undone: {removed} people removed, {restored} put back as they were"
            );
            Ok(())
        }
        UndoOutcome::NotFound => anyhow::bail!("there is no import {id} (see `imports`)"),
        UndoOutcome::AlreadyUndone { at } => {
            anyhow::bail!("import {id} was already undone at {at}")
        }
        UndoOutcome::ChangedSince(ids) => {
            anyhow::bail!(
            "nothing was undone: these people changed after import {id} (undo the later imports \
             first, or correct them by hand): {}",
            ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        )
        }
    }
}

/// The import's refusal: every problem, and the bad rows written out if asked for.
fn refused(
    table: &app::import::table::Table,
    refusal: &app::import::csv::ImportRefusal,
    bad_rows: Option<&std::path::Path>,
) -> anyhow::Error {
    let problems = &refusal.problems;
    let rows = problems.iter().filter(|p| p.line.is_some()).count();
    let summary = if rows > 0 {
        format!(
            "{rows} of {} rows need fixing ({})",
            table.rows.len(),
            refusal.counts
        )
    } else {
        "the file needs fixing".to_string()
    };
    let listed: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let written = bad_rows.map(|out| {
        app::import::report::bad_rows_workbook(table, problems)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| std::fs::write(out, bytes).map_err(anyhow::Error::from))
            .map(|()| {
                format!(
                    "\nthe rows to fix, with the reason, are in {}",
                    out.display()
                )
            })
            .unwrap_or_else(|e| format!("\n(could not write {}: {e})", out.display()))
    });
    anyhow::anyhow!(
        "nothing was imported; {summary}, then run it again:\n{}{}",
        listed.join("\n"),
        written.unwrap_or_default()
    )
}

async fn create_admin(username: String, display_name: String) -> anyhow::Result<()> {
    use std::io::IsTerminal;

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

    let db = server::database::open(&database_url(), RefuseIfBehind).await?;
    anyhow::ensure!(
        !db.accounts.username_taken(&username).await?,
        "an account named {username:?} exists already; nothing was created"
    );
    let (user, secrets) = app::auth::accounts::prepare(
        &username,
        &display_name,
        app::domain::procedure::Role::Administrator,
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
    let id = db.accounts.create_user(&user, &audit).await?;
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
