//! A small Rust app embedding finmark: it stores a simulated day of a fintech's traffic in
//! SQLite, asks where the failed logins came from, and shows the latest from the attacker.
//!
//! `cargo run -p finmark-example [STORAGE_URL]`; without a URL it uses a fresh SQLite file in
//! the temporary directory and deletes it afterwards. It fails if the stored day does not
//! show the brute force the simulator planted, so the test command that runs it checks it.

use finmark::sim::{SimConfig, simulate};
use finmark::storage::EventQuery;
use finmark::{Engine, Error, Value};
use std::path::PathBuf;

#[tokio::main]
async fn main() -> finmark::Result<()> {
    let scratch = std::env::temp_dir().join(format!("finmark-example-{}.db", std::process::id()));
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}", scratch.display()));
    let day = simulate(&SimConfig::default());
    let attacker = day.truth.brute_force.attacker_ip;

    let engine = Engine::open(&url).await?;
    let report = engine.ingest(day.events).await?;
    let logins = EventQuery::new().field("event.category", "authentication");
    let failed = logins.field("event.outcome", "failure").limit(3);
    let sources = engine.count_by("source.ip", &failed).await?;
    println!(
        "stored {} events; failed logins by source:",
        report.accepted
    );
    for source in &sources {
        println!("{:>5} {}", source.count, source.value);
    }
    let latest = engine
        .events(&failed.field("source.ip", attacker.as_str()))
        .await?;
    for event in &latest.events {
        println!("{}", event.to_json());
    }
    engine.close().await?;
    remove_sqlite(scratch);

    match sources.first() {
        Some(top) if top.value == Value::from(attacker.as_str()) && latest.events.len() == 3 => {
            Ok(())
        }
        _ => Err(Error::internal(format!(
            "the brute force from {attacker} is missing from {url}"
        ))),
    }
}

/// Deletes a SQLite file and its WAL companions, if they exist.
fn remove_sqlite(path: PathBuf) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}
