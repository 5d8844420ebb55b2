//! Places to open storage for tests: `memory://`, a SQLite file in a temporary directory,
//! and a scratch database on the PostgreSQL server of `FINMARK_TEST_POSTGRES` (started by
//! `scripts/with-postgres.sh`). Without that variable the PostgreSQL backend is `None` after a
//! notice, except when `CI` is set: CI never skips it.
//!
//! The ingest bench (`benches/benches/ingest.rs`) includes this file too, by `#[path]`.

#![allow(dead_code)] // each test crate uses the part it needs

use chrono::Utc;
use finmark::storage::{self, Storage};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A place to open storage: its URL and whatever must live as long as it (a temporary
/// directory, a scratch database).
pub struct Backend {
    /// The storage URL.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    _database: Option<ScratchDatabase>,
}

impl Backend {
    /// `memory://`.
    pub async fn memory() -> Option<Backend> {
        Some(Backend {
            url: "memory://".into(),
            _dir: None,
            _database: None,
        })
    }

    /// A SQLite file in a temporary directory.
    pub async fn sqlite() -> Option<Backend> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("finmark.db").display());
        Some(Backend {
            url,
            _dir: Some(dir),
            _database: None,
        })
    }

    /// A scratch PostgreSQL database, or `None` without a server (outside CI).
    pub async fn postgres() -> Option<Backend> {
        let database = ScratchDatabase::create().await?;
        Some(Backend {
            url: database.url.clone(),
            _dir: None,
            _database: Some(database),
        })
    }

    /// Opens storage at the URL.
    pub async fn open(&self) -> Arc<dyn Storage> {
        storage::open(&self.url)
            .await
            .unwrap_or_else(|e| panic!("opening {}: {e}", self.url))
    }
}

/// A database created for one test on the server of `FINMARK_TEST_POSTGRES`, dropped when
/// the test ends (even when it fails).
struct ScratchDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// A fresh database, or `None` (after a notice) when no server is configured outside CI.
    async fn create() -> Option<ScratchDatabase> {
        let admin_url = postgres_admin_url()?;
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "finmark_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            Utc::now().timestamp_micros()
        );
        admin_sql(&admin_url, &format!("CREATE DATABASE {name}")).await;
        let url = with_database(&admin_url, &name);
        Some(ScratchDatabase {
            admin_url,
            name,
            url,
        })
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop cannot await, and may run inside the test's runtime: use a thread of its own.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(admin_sql(&admin_url, &sql));
        })
        .join();
    }
}

/// The admin URL of the test server; without one, a notice (or a failure in CI).
fn postgres_admin_url() -> Option<String> {
    match std::env::var("FINMARK_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => panic!(
            "FINMARK_TEST_POSTGRES is not set, and CI never skips the PostgreSQL tests: \
             run them as `scripts/with-postgres.sh cargo test`"
        ),
        _ => {
            // Straight to stderr: the test harness would swallow println! of a passing test.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED PostgreSQL storage test: FINMARK_TEST_POSTGRES is not set \
                 (run `scripts/with-postgres.sh cargo test`)"
            );
            None
        }
    }
}

async fn admin_sql(admin_url: &str, sql: &str) {
    let mut conn = PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("connecting to {admin_url}: {e}"));
    sqlx::raw_sql(AssertSqlSafe(sql.to_string()))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

/// `url` with its database name replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, params) = match url.split_once('?') {
        Some((base, params)) => (base, format!("?{params}")),
        None => (url, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    format!("{}/{database}{params}", &base[..path])
}
