//! `finmark events`: query stored events.

use crate::alerts::parse_time;
use crate::{Finished, Format, Outcome, output};
use chrono::{DateTime, Utc};
use finmark::storage::{Cursor, DEFAULT_LIMIT, EventQuery};
use finmark::{Engine, Event, Value};
use std::io::Write;

/// Arguments of `finmark events`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Storage URL: sqlite://PATH, postgres://USER@HOST:PORT/DB or memory://.
    #[arg(long, value_name = "URL")]
    db: String,
    /// Only events at or after this time: RFC 3339 (2026-01-15T08:00:00Z), a date-time
    /// without offset taken as UTC (2026-01-15 08:00:00), or a date (2026-01-15).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    since: Option<DateTime<Utc>>,
    /// Only events before this time (same forms as --since).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    until: Option<DateTime<Utc>>,
    /// Only events whose FIELD equals VALUE; repeat for several. VALUE is typed: integers,
    /// floats, true, false and null match those JSON values, a JSON string ("500") matches
    /// that string, anything else matches as a string.
    #[arg(long = "where", value_name = "FIELD=VALUE", value_parser = parse_filter)]
    filters: Vec<(String, Value)>,
    /// Events per page (at most 10000).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIMIT)]
    limit: usize,
    /// Continue after an earlier page (its cursor is printed on stderr as `next: --cursor C`).
    #[arg(long, value_name = "C")]
    cursor: Option<Cursor>,
    /// jsonl: one flat JSON object per event; table and csv: time, id and fields.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
}

/// Runs `finmark events`.
pub async fn run(args: Args) -> Outcome {
    let query = EventQuery {
        since: args.since,
        until: args.until,
        filters: args.filters,
        limit: args.limit,
        cursor: args.cursor,
    };
    query.effective_limit()?;
    let engine = Engine::open(&args.db).await?;
    let page = engine.events(&query).await?;
    engine.close().await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Jsonl => {
            for event in &page.events {
                serde_json::to_writer(&mut out, &event.to_json()).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Table | Format::Csv => {
            let rows: Vec<Vec<String>> = page.events.iter().map(row).collect();
            output::write_rows(&mut out, args.format, &["time", "id", "fields"], &rows)?;
        }
    }
    out.flush()?;
    if let Some(cursor) = page.next_cursor {
        eprintln!("next: --cursor {cursor}");
    }
    Ok(Finished::Clean)
}

fn row(event: &Event) -> Vec<String> {
    let fields = event
        .fields
        .iter()
        .filter(|(name, _)| !["@timestamp", "event.id"].contains(name))
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        event.time.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
        event.id.clone(),
        fields,
    ]
}

/// A `FIELD=VALUE` argument with its value typed.
fn parse_filter(text: &str) -> Result<(String, Value), String> {
    let (field, value) = text
        .split_once('=')
        .filter(|(field, _)| !field.is_empty())
        .ok_or_else(|| format!("'{text}' is not FIELD=VALUE"))?;
    Ok((field.to_string(), typed(value)))
}

/// Integers, floats, `true`, `false`, `null` and JSON strings as JSON; anything else as text.
fn typed(value: &str) -> Value {
    match serde_json::from_str::<serde_json::Value>(value) {
        Ok(json) if !json.is_array() && !json.is_object() => Value::from_json(json),
        _ => Value::from(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_are_typed() {
        let value = |text: &str| parse_filter(text).unwrap().1;
        assert_eq!(value("a=500"), Value::Int(500));
        assert_eq!(value("a=-2.5"), Value::Float(-2.5));
        assert_eq!(value("a=true"), Value::Bool(true));
        assert_eq!(value("a=null"), Value::Null);
        assert_eq!(value("a=\"500\""), Value::from("500"));
        assert_eq!(value("a=alice"), Value::from("alice"));
        assert_eq!(value("a=x=y"), Value::from("x=y"));
        assert_eq!(value("a=[1]"), Value::from("[1]"));
        assert_eq!(value("a="), Value::from(""));
        assert_eq!(parse_filter("source.ip=10.0.0.1").unwrap().0, "source.ip");
        assert!(parse_filter("novalue").is_err());
        assert!(parse_filter("=1").is_err());
    }

    #[test]
    fn times_in_three_forms() {
        let t = |text: &str| parse_time(text).unwrap().to_rfc3339();
        assert_eq!(t("2026-01-15T08:00:00Z"), "2026-01-15T08:00:00+00:00");
        assert_eq!(t("2026-01-15T09:00:00+01:00"), "2026-01-15T08:00:00+00:00");
        assert_eq!(t("2026-01-15 08:00:00"), "2026-01-15T08:00:00+00:00");
        assert_eq!(t("2026-01-15"), "2026-01-15T00:00:00+00:00");
        assert!(parse_time("yesterday").unwrap_err().contains("yesterday"));
    }
}
