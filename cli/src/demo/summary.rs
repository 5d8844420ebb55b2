//! What `finmark demo` reports about a stored simulated day, computed with the engine's queries
//! (so it reads what storage holds, not what the simulator meant to write).

use chrono::{Duration, NaiveDate};
use finmark::access::Actor;
use finmark::alert::Alert;
use finmark::event::ecs;
use finmark::sim::Window;
use finmark::storage::{AlertQuery, EventQuery, FieldCount, MAX_LIMIT};
use finmark::{Engine, Result};
use serde::Serialize;

/// Width of the windows the flow spike is looked for in.
const SPIKE_BUCKET_MINUTES: i64 = 10;
/// How many top values the summary lists.
const TOP: usize = 5;

/// A summary of one stored day: events per kind, failed logins, orders per hour, the busiest
/// minutes of network traffic, and detections per rule.
///
/// Counts cover events that have an `event.dataset` field (every simulated event has one).
#[derive(Debug, Clone, Serialize)]
pub struct DaySummary {
    /// The day, midnight to midnight (UTC).
    pub window: Window,
    /// Events stored in the day.
    pub total_events: u64,
    /// Events per `event.dataset`, most frequent first.
    pub events_by_kind: Vec<FieldCount>,
    /// Failed logins (`event.category: authentication`, `event.outcome: failure`).
    pub failed_logins: u64,
    /// The addresses with the most failed logins, most first (at most five).
    pub failed_login_sources: Vec<FieldCount>,
    /// Orders (`event.dataset: finmark.order`) per hour of the day, 00:00 first.
    pub orders_per_hour: Vec<u64>,
    /// The ten minutes with the most network flows; `None` when the day has no flows.
    pub flow_spike: Option<SpikeWindow>,
    /// Stored detections per rule, most frequent first (at most [`MAX_LIMIT`] detections
    /// are read).
    pub detections: Vec<RuleCount>,
    /// The alerts first seen in the day, most severe first, then by first seen (at most
    /// [`MAX_LIMIT`] are read).
    pub alerts: Vec<Alert>,
}

/// The busiest ten minutes of network flows, against a typical ten minutes of the day.
#[derive(Debug, Clone, Serialize)]
pub struct SpikeWindow {
    /// The ten minutes.
    pub window: Window,
    /// Flows that started in it.
    pub flows: u64,
    /// Flows in the median ten minutes of the day.
    pub median_flows: u64,
    /// The destinations with the most flows in the window, most first (at most five).
    pub top_destinations: Vec<FieldCount>,
}

/// How many detections one rule made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// The rule's id.
    pub rule_id: String,
    /// The rule's title.
    pub title: String,
    /// The rule's level.
    pub level: String,
    /// Its detections.
    pub count: u64,
}

impl DaySummary {
    /// Summarises the events `engine` stores for `date` (UTC), with about 180 count queries.
    pub async fn query(engine: &Engine, date: NaiveDate) -> Result<DaySummary> {
        let start = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let window = Window {
            start,
            end: start + Duration::days(1),
        };
        let day = EventQuery::new().since(window.start).until(window.end);

        let events_by_kind = engine
            .count_by(ecs::EVENT_DATASET, &day.clone().limit(MAX_LIMIT))
            .await?;
        let failures = day
            .clone()
            .field(ecs::EVENT_CATEGORY, "authentication")
            .field(ecs::EVENT_OUTCOME, "failure")
            .limit(MAX_LIMIT);
        let failed_login_sources = engine.count_by(ecs::SOURCE_IP, &failures).await?;
        let failed_logins = count(engine, &failures).await?;
        let mut orders_per_hour = Vec::with_capacity(24);
        for hour in 0..24 {
            let from = start + Duration::hours(hour);
            let orders = EventQuery::new()
                .since(from)
                .until(from + Duration::hours(1))
                .field(ecs::EVENT_DATASET, "finmark.order");
            orders_per_hour.push(count(engine, &orders).await?);
        }

        Ok(DaySummary {
            window,
            total_events: events_by_kind.iter().map(|c| c.count).sum(),
            events_by_kind,
            failed_logins,
            failed_login_sources: top(failed_login_sources),
            orders_per_hour,
            flow_spike: flow_spike(engine, &window).await?,
            detections: detections(engine, &day).await?,
            alerts: alerts(engine, &window).await?,
        })
    }
}

/// Events matching `query` (that have an `event.dataset`).
async fn count(engine: &Engine, query: &EventQuery) -> Result<u64> {
    let by_kind = engine
        .count_by(ecs::EVENT_DATASET, &query.clone().limit(MAX_LIMIT))
        .await?;
    Ok(by_kind.iter().map(|c| c.count).sum())
}

fn top(mut counts: Vec<FieldCount>) -> Vec<FieldCount> {
    counts.truncate(TOP);
    counts
}

async fn flow_spike(engine: &Engine, day: &Window) -> Result<Option<SpikeWindow>> {
    let bucket = Duration::minutes(SPIKE_BUCKET_MINUTES);
    let mut buckets = Vec::new();
    let mut from = day.start;
    while from < day.end {
        let flows = EventQuery::new()
            .since(from)
            .until(from + bucket)
            .field(ecs::EVENT_DATASET, "finmark.flow");
        buckets.push((count(engine, &flows).await?, from));
        from += bucket;
    }
    let Some(&(flows, busiest)) = buckets
        .iter()
        .max_by_key(|(n, t)| (*n, std::cmp::Reverse(*t)))
    else {
        return Ok(None);
    };
    if flows == 0 {
        return Ok(None);
    }
    let mut counts: Vec<u64> = buckets.iter().map(|(n, _)| *n).collect();
    counts.sort_unstable();
    let window = Window {
        start: busiest,
        end: busiest + bucket,
    };
    let in_window = EventQuery::new()
        .since(window.start)
        .until(window.end)
        .field(ecs::EVENT_DATASET, "finmark.flow")
        .limit(TOP);
    Ok(Some(SpikeWindow {
        window,
        flows,
        median_flows: counts[counts.len() / 2],
        top_destinations: engine.count_by(ecs::DESTINATION_IP, &in_window).await?,
    }))
}

async fn detections(engine: &Engine, day: &EventQuery) -> Result<Vec<RuleCount>> {
    let matches = engine.detections(&day.clone().limit(MAX_LIMIT)).await?;
    let mut per_rule: Vec<RuleCount> = Vec::new();
    for m in matches {
        match per_rule.iter_mut().find(|r| r.rule_id == m.rule_id) {
            Some(rule) => rule.count += 1,
            None => per_rule.push(RuleCount {
                rule_id: m.rule_id,
                title: m.title,
                level: m.level,
                count: 1,
            }),
        }
    }
    per_rule.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    Ok(per_rule)
}

/// The alerts first seen in `day`, read as the demo's viewer: most severe first.
async fn alerts(engine: &Engine, day: &Window) -> Result<Vec<Alert>> {
    let viewer = Actor::with_role("demo", "viewer")?;
    let mut query = AlertQuery::new();
    query.since = Some(day.start);
    query.until = Some(day.end);
    query.limit = MAX_LIMIT;
    let mut alerts = engine.alerts(&viewer, &query).await?.alerts;
    // Newest first from storage; the summary reads oldest first within a severity.
    alerts.reverse();
    alerts.sort_by_key(|a| std::cmp::Reverse(a.severity));
    Ok(alerts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use finmark::Value;
    use finmark::sim::{SimConfig, simulate};

    #[tokio::test]
    async fn summary_of_a_stored_day_finds_what_was_planted() {
        let config = SimConfig {
            seed: 3,
            orders: 300,
            ..SimConfig::default()
        };
        let day = simulate(&config);
        let engine = Engine::open("memory://").await.unwrap();
        for batch in day.events.chunks(10_000) {
            let report = engine.ingest(batch.to_vec()).await.unwrap();
            assert_eq!(report.accepted, batch.len());
        }
        let summary = DaySummary::query(&engine, config.date).await.unwrap();
        assert_eq!(summary.total_events, day.events.len() as u64);
        assert_eq!(summary.orders_per_hour.iter().sum::<u64>(), 300);
        assert_eq!(summary.orders_per_hour.len(), 24);
        let top_source = &summary.failed_login_sources[0];
        assert_eq!(
            top_source.value,
            Value::from(day.truth.brute_force.attacker_ip.as_str())
        );
        assert!(summary.failed_logins >= day.truth.brute_force.failed_attempts as u64);
        let spike = summary.flow_spike.expect("a flow spike");
        let burst = &day.truth.exfiltration;
        assert!(spike.window.start < burst.window.end && burst.window.start < spike.window.end);
        assert_eq!(
            spike.top_destinations[0].value,
            Value::from(burst.destination_ip.as_str())
        );
        assert!(spike.flows > 3 * spike.median_flows);
        assert!(summary.detections.is_empty());
    }
}
