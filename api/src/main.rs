//! The `api` binary: `api` serves; `api demo` seeds a fresh database with a demo municipality,
//! prints its users' credentials and serves; `api export-schema [FILE]` writes the SDL.

use api::clock::SystemClock;
use api::config::Config;
use api::db::DbOptions;
use std::process::ExitCode;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    run()
}

/// glibc's malloc raises its mmap threshold each time a large block is freed, and then serves
/// later large blocks (argon2's 19 MiB of working memory per password hash) from per-thread
/// arenas that keep them after `free`: measured on the release build, 23 logins left the
/// server at 239 MiB resident, in four arena heaps. A fixed threshold of 1 MiB sends such
/// blocks to `mmap`, which gives them back to the system when they are freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn return_large_blocks_to_the_system() {
    // SAFETY: mallopt only sets an allocator parameter; this runs first in `main`, before the
    // runtime or any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_system() {}

#[tokio::main]
async fn run() -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if api::config::json_logs_from_env() {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("export-schema") => export_schema(args.get(1).map(String::as_str)),
        Some("demo") => match demo().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!("{e:#}");
                ExitCode::FAILURE
            }
        },
        None | Some("serve") => match serve().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!("{e:#}");
                ExitCode::FAILURE
            }
        },
        Some(other) => {
            eprintln!(
                "unknown command {other:?}; usage: api [serve | demo | export-schema [FILE]]"
            );
            ExitCode::from(2)
        }
    }
}

fn export_schema(path: Option<&str>) -> ExitCode {
    let sdl = api::sdl();
    match path {
        None => {
            print!("{sdl}");
            ExitCode::SUCCESS
        }
        Some(p) => match std::fs::write(p, sdl) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("writing {p}: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Seeds the demo municipality into a fresh database (`DATABASE_URL`, by default
/// `kilpailutus-demo.db`), prints the credentials, and serves it.
async fn demo() -> anyhow::Result<()> {
    let mut config = Config::from_env()?;
    if std::env::var("DATABASE_URL").is_err() {
        config.database_url = "sqlite://kilpailutus-demo.db?mode=rwc".to_owned();
    }
    tracing::info!("seeding the demo municipality into {}", config.database_url);
    let credentials = api::demo::seed(config.clone(), DbOptions::default()).await?;
    println!(
        "\nKilpailutus demo: a Kouvola-model municipality. Sign in at http://{}/ as:\n",
        config.bind
    );
    for c in &credentials {
        println!(
            "  {:<18} {:<40} {:<36} {}",
            c.role, c.organization, c.email, c.password
        );
    }
    println!();
    serve_with(config).await
}

async fn serve() -> anyhow::Result<()> {
    serve_with(Config::from_env()?).await
}

async fn serve_with(config: Config) -> anyhow::Result<()> {
    let bind = config.bind;
    let state = api::prepare(config, Arc::new(SystemClock), DbOptions::default()).await?;
    let (mailer, stop_mailer) = api::start_mail_worker(&state)?;
    let listener = tokio::net::TcpListener::bind(bind).await?;
    tracing::info!(
        "listening on http://{} (GraphiQL at /graphql)",
        listener.local_addr()?
    );
    let header_read_timeout = state.config.header_read_timeout;
    api::serve::serve(
        listener,
        api::build_app(state),
        header_read_timeout,
        shutdown_signal(),
    )
    .await;
    // Requests are done; let the mail worker finish the round it is in.
    let _ = stop_mailer.send(true);
    if let Err(e) = mailer.await {
        tracing::error!("mail worker: {e}");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C; in-flight requests then finish before the server stops.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
