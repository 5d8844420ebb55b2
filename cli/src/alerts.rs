//! `finmark alerts` (list), `finmark alerts ack|resolve`, and `finmark silences
//! add|list|expire`.

use crate::output::print;
use crate::{Failure, Finished, Format, Outcome};
use chrono::{DateTime, Utc};
use finmark::Engine;
use finmark::access::Actor;
use finmark::alert::{AlertStatus, MatcherSpec, SilenceRequest};
use finmark::detection::Severity;
use finmark::storage::{AlertQuery, DEFAULT_LIMIT};

/// Storage URL.
#[derive(Debug, clap::Args)]
pub struct Db {
    /// Storage URL: sqlite://PATH, postgres://USER@HOST:PORT/DB or memory://.
    #[arg(long, value_name = "URL")]
    db: String,
}

/// Who performs an action.
#[derive(Debug, clap::Args)]
pub struct ActorArgs {
    /// The actor's id (a user name or a service account), recorded with the action.
    #[arg(long, value_name = "ID")]
    actor: String,
    /// The actor's role: admin, analyst, viewer or service.
    #[arg(long, value_name = "ROLE")]
    role: String,
}

impl ActorArgs {
    fn actor(&self) -> Result<Actor, Failure> {
        Actor::with_role(&self.actor, &self.role)
            .map_err(|e| Failure::Usage(e.message().to_string()))
    }
}

/// `finmark alerts`: list alerts, or act on them.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    #[command(flatten)]
    list: Option<ListArgs>,
}

/// What to do with alerts.
#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Acknowledge alerts (open or silenced -> acknowledged).
    Ack(ActArgs),
    /// Resolve alerts; a resolved alert is never reopened.
    Resolve(ActArgs),
}

/// Arguments of `finmark alerts ack|resolve`.
#[derive(Debug, clap::Args)]
struct ActArgs {
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    actor: ActorArgs,
    /// The alerts' ids.
    #[arg(required = true, value_name = "ALERT_ID")]
    ids: Vec<String>,
}

/// Arguments of `finmark alerts` (listing).
#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Storage URL: sqlite://PATH, postgres://USER@HOST:PORT/DB or memory://.
    #[arg(long, value_name = "URL")]
    db: String,
    /// Only alerts in this status: open, silenced, acknowledged or resolved.
    #[arg(long, value_name = "S", value_parser = parse_status)]
    status: Option<AlertStatus>,
    /// Only alerts of this severity: critical, warning or info.
    #[arg(long, value_name = "S", value_parser = parse_severity)]
    severity: Option<Severity>,
    /// Only alerts of this rule (its id).
    #[arg(long = "rule", value_name = "ID")]
    rule_id: Option<String>,
    /// Only alerts about this entity, as kind:value (ip:203.0.113.9, user:alice).
    #[arg(long, value_name = "KIND:VALUE")]
    entity: Option<String>,
    /// Only alerts last seen at or after this time: RFC 3339, a date-time (UTC) or a date.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    since: Option<DateTime<Utc>>,
    /// Only alerts first seen before this time (same forms as --since).
    #[arg(long, value_name = "T", value_parser = parse_time)]
    until: Option<DateTime<Utc>>,
    /// Alerts per page (at most 10000), newest first.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIMIT)]
    limit: usize,
    /// Continue after an earlier page (its cursor is printed on stderr as `next: --cursor C`).
    #[arg(long, value_name = "C")]
    cursor: Option<String>,
    /// jsonl: one alert per line; table and csv: its main columns.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
}

/// The columns `table` and `csv` show of an alert.
const COLUMNS: &[&str] = &[
    "id",
    "severity",
    "status",
    "title",
    "group",
    "count",
    "first_seen",
    "last_seen",
    "rule_id",
    "source",
    "fingerprint",
];

fn parse_status(text: &str) -> Result<AlertStatus, String> {
    AlertStatus::parse(text).map_err(|e| e.message().to_string())
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text)
        .ok_or_else(|| format!("unknown severity '{text}': expected critical, warning or info"))
}

/// A time argument, read by the core's one parser of times.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    finmark::event::parse_time_arg(text).map_err(|e| e.message().to_string())
}

/// The host running the command line: reading needs no role of its own.
fn host() -> Actor {
    Actor::with_role("finmark-cli", "admin").expect("a valid actor")
}

/// Runs `finmark alerts`.
pub async fn run(args: Args) -> Outcome {
    match (args.action, args.list) {
        (Some(Action::Ack(act)), _) => act_on(act, true).await,
        (Some(Action::Resolve(act)), _) => act_on(act, false).await,
        (None, Some(list)) => list_alerts(list).await,
        (None, None) => Err(Failure::Usage(
            "finmark alerts needs --db URL (to list) or a subcommand: ack, resolve".into(),
        )),
    }
}

async fn list_alerts(args: ListArgs) -> Outcome {
    let query = AlertQuery {
        status: args.status,
        severity: args.severity,
        rule_id: args.rule_id,
        entity: args.entity,
        since: args.since,
        until: args.until,
        limit: args.limit,
        cursor: args.cursor,
        ..AlertQuery::new()
    };
    query.effective_limit()?;
    let engine = Engine::open(&args.db).await?;
    let page = engine.alerts(&host(), &query).await?;
    engine.close().await?;
    print(args.format, COLUMNS, &page.alerts)?;
    if let Some(cursor) = page.next_cursor {
        eprintln!("next: --cursor {cursor}");
    }
    Ok(Finished::Clean)
}

async fn act_on(args: ActArgs, acknowledge: bool) -> Outcome {
    let actor = args.actor.actor()?;
    let engine = Engine::open(&args.db.db).await?;
    let outcome = each(&args.ids, async |id| {
        if acknowledge {
            engine.acknowledge_alert(&actor, id).await
        } else {
            engine.resolve_alert(&actor, id).await
        }
    })
    .await;
    engine.close().await?;
    let (done, failed) = outcome?;
    print(Format::Jsonl, COLUMNS, &done)?;
    Ok(Finished::rejecting(failed))
}

/// Acts on each id in turn, printing on stderr why an id failed and going on; a denied
/// permission stops at once (it would deny every id).
async fn each<T>(
    ids: &[String],
    mut act: impl AsyncFnMut(&str) -> finmark::Result<T>,
) -> Result<(Vec<T>, usize), Failure> {
    let mut done = Vec::new();
    let mut failed = 0;
    for id in ids {
        match act(id).await {
            Ok(value) => done.push(value),
            Err(e) if e.kind() == finmark::ErrorKind::PermissionDenied => return Err(e.into()),
            Err(e) => {
                eprintln!("{id}: {e}");
                failed += 1;
            }
        }
    }
    Ok((done, failed))
}

/// `finmark silences`: add, list and expire silences.
#[derive(Debug, clap::Subcommand)]
pub enum SilenceCommand {
    /// Mute the alerts the matchers match for a while (they are stored as silenced).
    Add(AddArgs),
    /// List silences.
    List(SilenceListArgs),
    /// End silences now.
    Expire(ExpireArgs),
}

/// Arguments of `finmark silences add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    actor: ActorArgs,
    /// A matcher, repeated for several (all must match): NAME=VALUE, NAME!=VALUE,
    /// NAME=~REGEX or NAME!~REGEX, where NAME is rule_id, title, severity, source, entity
    /// (kind:value) or a group field such as source.ip.
    #[arg(long = "matcher", required = true, value_name = "MATCHER")]
    matchers: Vec<String>,
    /// When it starts (default now): RFC 3339, a date-time (UTC) or a date.
    #[arg(long, value_name = "T", value_parser = parse_time)]
    starts: Option<DateTime<Utc>>,
    /// When it ends (or use --duration).
    #[arg(long, value_name = "T", value_parser = parse_time, conflicts_with = "duration")]
    ends: Option<DateTime<Utc>>,
    /// How long it lasts: N followed by s, m, h or d (2h).
    #[arg(long, value_name = "D", value_parser = parse_duration)]
    duration: Option<u64>,
    /// Why (required).
    #[arg(long, value_name = "TEXT")]
    reason: String,
}

/// Arguments of `finmark silences list`.
#[derive(Debug, clap::Args)]
pub struct SilenceListArgs {
    #[command(flatten)]
    db: Db,
    /// Only the silences muting now.
    #[arg(long)]
    active: bool,
    /// jsonl: one silence per line; table and csv: its main columns.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
}

/// Arguments of `finmark silences expire`.
#[derive(Debug, clap::Args)]
pub struct ExpireArgs {
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    actor: ActorArgs,
    /// The silences' ids.
    #[arg(required = true, value_name = "SILENCE_ID")]
    ids: Vec<String>,
}

/// The columns `table` and `csv` show of a silence.
const SILENCE_COLUMNS: &[&str] = &["id", "starts_at", "ends_at", "author", "reason", "matchers"];

/// `2h` as seconds.
fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = number.parse().map_err(|_| {
        format!("'{text}' is not a duration: expected N followed by s, m, h or d (2h)")
    })?;
    let scale = match unit {
        "s" | "" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "'{text}': unknown unit '{unit}': expected s, m, h or d"
            ));
        }
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("'{text}' is too long"))
}

/// Runs `finmark silences`.
pub async fn run_silences(command: SilenceCommand) -> Outcome {
    match command {
        SilenceCommand::Add(args) => {
            let actor = args.actor.actor()?;
            let request = SilenceRequest {
                matchers: args.matchers.into_iter().map(MatcherSpec::Text).collect(),
                starts_at: args.starts,
                ends_at: args.ends,
                duration_secs: args.duration,
                reason: args.reason,
            };
            let engine = Engine::open(&args.db.db).await?;
            let silence = engine.add_silence(&actor, request).await;
            engine.close().await?;
            print(Format::Jsonl, SILENCE_COLUMNS, &[silence?])?;
            Ok(Finished::Clean)
        }
        SilenceCommand::List(args) => {
            let engine = Engine::open(&args.db.db).await?;
            let silences = engine.silences(&host(), args.active).await;
            engine.close().await?;
            print(args.format, SILENCE_COLUMNS, &silences?)?;
            Ok(Finished::Clean)
        }
        SilenceCommand::Expire(args) => {
            let actor = args.actor.actor()?;
            let engine = Engine::open(&args.db.db).await?;
            let outcome = each(&args.ids, async |id| {
                engine.expire_silence(&actor, id).await
            })
            .await;
            engine.close().await?;
            let (expired, failed) = outcome?;
            print(Format::Jsonl, SILENCE_COLUMNS, &expired)?;
            Ok(Finished::rejecting(failed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("2h"), Ok(7200));
        assert_eq!(parse_duration("3d"), Ok(259_200));
        assert!(parse_duration("2w").unwrap_err().contains("unknown unit"));
        assert!(parse_duration("h").is_err());
    }
}
