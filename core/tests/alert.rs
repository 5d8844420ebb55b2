//! Raising alerts from signals: dedup in the suppression window, generations after resolve,
//! silences, inhibition and entity risk, each on hand-made signals.

use chrono::{DateTime, Duration, TimeZone, Utc};
use finmark::alert::{
    AlertConfig, AlertSource, AlertStatus, Entity, EntityKind, Known, Muting, RISK_RULE_ID, Raiser,
    RiskConfig, Signal, Silence, SilenceMatcher, SilenceSet,
};
use finmark::{Severity, Value};

fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn ip(value: &str) -> Entity {
    Entity {
        kind: EntityKind::Ip,
        value: value.into(),
    }
}

fn signal(rule: &str, severity: Severity, source_ip: &str, minute: i64) -> Signal {
    Signal {
        rule_id: rule.into(),
        title: format!("rule {rule}"),
        severity,
        source: AlertSource::Rule,
        tags: vec![],
        group: [("source.ip".to_string(), Value::from(source_ip))]
            .into_iter()
            .collect(),
        entities: vec![ip(source_ip)],
        first_time: t(minute),
        last_time: t(minute),
        count: 1,
        evidence: vec![format!("{rule}-{source_ip}-{minute}")],
        details: None,
    }
}

fn no_risk() -> AlertConfig {
    AlertConfig {
        risk: RiskConfig {
            enabled: false,
            ..RiskConfig::default()
        },
        ..AlertConfig::default()
    }
}

#[test]
fn duplicates_in_the_window_update_one_alert_and_later_ones_start_a_new_one() {
    let raiser = Raiser::new(AlertConfig {
        suppression_window_secs: 600,
        evidence: 2,
        ..no_risk()
    });
    let mut known = Known::default();
    let raised = raiser.raise(
        vec![
            signal("r", Severity::Warning, "10.0.0.1", 9),
            signal("r", Severity::Warning, "10.0.0.1", 0),
            signal("r", Severity::Warning, "10.0.0.2", 1),
            signal("r", Severity::Warning, "10.0.0.1", 19), // 10 min after the last: still in
        ],
        &mut known,
    );
    assert_eq!(raised.alerts.len(), 2);
    let first = &raised.alerts[0];
    assert_eq!(
        (first.count, first.first_seen, first.last_seen),
        (3, t(0), t(19))
    );
    assert_eq!(first.evidence, ["r-10.0.0.1-0", "r-10.0.0.1-9"]); // bounded at 2
    assert_eq!(first.group["source.ip"], Value::from("10.0.0.1"));
    assert_eq!((first.generation, first.status), (1, AlertStatus::Open));
    assert_eq!(raised.alerts[1].count, 1);

    // Exactly 10 minutes after the last signal: still the same alert (the window slides
    // with the last signal)...
    let late = raiser.raise(
        vec![signal("r", Severity::Warning, "10.0.0.1", 29)],
        &mut known,
    );
    // ...and 10 minutes and one second after that one: a new alert, generation 2.
    let mut late_signal = signal("r", Severity::Warning, "10.0.0.1", 0);
    late_signal.first_time = t(39) + Duration::seconds(1);
    late_signal.last_time = late_signal.first_time;
    assert_eq!(
        late.alerts[0].generation, 1,
        "exactly at the window's end: same alert"
    );
    let later = raiser.raise(vec![late_signal], &mut known);
    assert_eq!(later.alerts[0].generation, 2);
    assert_eq!(later.alerts[0].fingerprint, first.fingerprint);
    assert_ne!(later.alerts[0].id, first.id);
}

#[test]
fn a_resolved_alert_is_never_reopened() {
    let raiser = Raiser::new(no_risk());
    let mut known = Known::default();
    let raised = raiser.raise(
        vec![signal("r", Severity::Critical, "10.0.0.1", 0)],
        &mut known,
    );
    let mut resolved = raised.alerts[0].clone();
    resolved.status = AlertStatus::Resolved;
    known
        .latest
        .insert(resolved.fingerprint.clone(), resolved.clone());
    let again = raiser.raise(
        vec![signal("r", Severity::Critical, "10.0.0.1", 1)],
        &mut known,
    );
    assert_eq!(again.alerts.len(), 1);
    assert_eq!(again.alerts[0].generation, 2);
    assert_eq!(again.alerts[0].status, AlertStatus::Open);
    assert_eq!(again.alerts[0].count, 1);
}

#[test]
fn the_outcome_does_not_depend_on_the_order_signals_come_in() {
    let raiser = Raiser::new(AlertConfig::default());
    let signals: Vec<Signal> = (0..6)
        .map(|i| signal("r", Severity::Critical, &format!("10.0.0.{}", i % 2), i * 7))
        .collect();
    let forward = raiser.raise(signals.clone(), &mut Known::default());
    let mut reversed_signals = signals;
    reversed_signals.reverse();
    let backward = raiser.raise(reversed_signals, &mut Known::default());
    assert_eq!(forward, backward);
}

#[test]
fn silences_mute_what_every_matcher_matches_in_their_time_range() {
    let silence = |matchers: &[&str], from: i64, to: i64| Silence {
        id: format!("s-{}", matchers.join(",")),
        matchers: matchers
            .iter()
            .map(|m| SilenceMatcher::parse(m).unwrap())
            .collect(),
        starts_at: t(from),
        ends_at: t(to),
        author: "ana".into(),
        reason: "maintenance".into(),
        created_at: t(from),
    };
    let raiser = Raiser::new(no_risk());
    let mut known = Known {
        silences: SilenceSet::new(vec![
            silence(&["rule_id=r", "source.ip=~10\\.0\\.0\\..*"], 0, 60),
            silence(&["severity=info", "entity!=ip:10.9.9.9"], 100, 200),
        ]),
        ..Known::default()
    };
    let raised = raiser.raise(
        vec![
            signal("r", Severity::Warning, "10.0.0.1", 5), // both matchers: silenced
            signal("r", Severity::Warning, "192.0.2.1", 5), // IP does not match
            signal("r2", Severity::Warning, "10.0.0.3", 5), // rule does not match
            signal("r", Severity::Warning, "10.0.0.4", 60), // the silence has ended
            signal("x", Severity::Info, "10.9.9.9", 150),  // negated entity: not silenced
            signal("x", Severity::Info, "10.9.9.8", 150),  // silenced by the second
        ],
        &mut known,
    );
    let status: Vec<(String, AlertStatus)> = raised
        .alerts
        .iter()
        .map(|a| (a.group["source.ip"].to_string(), a.status))
        .collect();
    use AlertStatus::*;
    assert_eq!(
        status,
        [
            ("10.0.0.1".into(), Silenced),
            ("192.0.2.1".into(), Open),
            ("10.0.0.3".into(), Open),
            ("10.0.0.4".into(), Open),
            ("10.9.9.9".into(), Open),
            ("10.9.9.8".into(), Silenced),
        ]
    );
    assert_eq!(
        raised.alerts[0].muted_by,
        Some(Muting::Silence {
            id: "s-rule_id=r,source.ip=~10\\.0\\.0\\..*".into()
        })
    );
}

#[test]
fn silences_are_checked_when_created() {
    let mut s = Silence {
        id: "s".into(),
        matchers: vec![],
        starts_at: t(0),
        ends_at: t(10),
        author: "a".into(),
        reason: "r".into(),
        created_at: t(0),
    };
    assert!(
        s.validate()
            .unwrap_err()
            .message()
            .contains("at least one matcher")
    );
    s.matchers = vec![SilenceMatcher::parse("rule_id=r").unwrap()];
    s.ends_at = t(0);
    assert!(s.validate().unwrap_err().message().contains("end after"));
    assert!(SilenceMatcher::parse("title=~(").is_err());
    assert!(SilenceMatcher::parse("=x").is_err());
}

#[test]
fn an_open_critical_alert_inhibits_warnings_about_the_same_entity() {
    let raiser = Raiser::new(no_risk());
    let mut known = Known::default();
    let raised = raiser.raise(
        vec![
            signal("warn-before", Severity::Warning, "10.0.0.1", 0),
            signal("crit", Severity::Critical, "10.0.0.1", 1),
            signal("warn-after", Severity::Warning, "10.0.0.1", 2),
            signal("info-after", Severity::Info, "10.0.0.1", 3),
            signal("crit-2", Severity::Critical, "10.0.0.1", 4), // critical is never inhibited
            signal("warn-other", Severity::Warning, "10.0.0.2", 5),
        ],
        &mut known,
    );
    let crit_id = raised.alerts[1].id.clone();
    let muted: Vec<(&str, Option<Muting>)> = raised
        .alerts
        .iter()
        .map(|a| (a.rule_id.as_str(), a.muted_by.clone()))
        .collect();
    let by = Some(Muting::Inhibition { alert_id: crit_id });
    assert_eq!(
        muted,
        [
            ("warn-before", None),
            ("crit", None),
            ("warn-after", by.clone()),
            ("info-after", by),
            ("crit-2", None),
            ("warn-other", None),
        ]
    );
    // Inhibition can be turned off.
    let free = Raiser::new(AlertConfig {
        inhibition: false,
        ..no_risk()
    });
    let mut known = Known::default();
    let raised = free.raise(
        vec![
            signal("crit", Severity::Critical, "10.0.0.1", 1),
            signal("warn-after", Severity::Warning, "10.0.0.1", 2),
        ],
        &mut known,
    );
    assert!(raised.alerts.iter().all(|a| a.muted_by.is_none()));
}

#[test]
fn entity_risk_raises_one_risk_alert_naming_the_alerts_that_built_it() {
    let raiser = Raiser::new(AlertConfig {
        inhibition: false,
        risk: RiskConfig {
            threshold: 40.0,
            half_life_secs: 3600,
            ..RiskConfig::default()
        },
        ..AlertConfig::default()
    });
    let mut known = Known::default();
    // Warnings add 15 each: the third crosses 40 (15 + 15 + 15, minus a little decay).
    let raised = raiser.raise(
        vec![
            signal("a", Severity::Warning, "10.0.0.1", 0),
            signal("b", Severity::Warning, "10.0.0.1", 1),
            signal("c", Severity::Warning, "10.0.0.1", 2),
            signal("d", Severity::Warning, "10.0.0.1", 3),
            signal("a", Severity::Warning, "10.0.0.2", 0),
        ],
        &mut known,
    );
    let risk: Vec<_> = raised
        .alerts
        .iter()
        .filter(|a| a.source == AlertSource::Risk)
        .collect();
    assert_eq!(risk.len(), 1, "{:#?}", raised.alerts);
    let alert = risk[0];
    assert_eq!(alert.rule_id, RISK_RULE_ID);
    assert_eq!(alert.severity, Severity::Critical);
    assert_eq!(alert.entities, [ip("10.0.0.1")]);
    let contributors = alert.details.as_ref().unwrap()["alerts"]
        .as_array()
        .unwrap();
    let ids = |rule: &str| {
        raised
            .alerts
            .iter()
            .find(|a| a.rule_id == rule && a.entities == [ip("10.0.0.1")])
            .unwrap()
            .id
            .clone()
    };
    assert_eq!(
        contributors
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect::<Vec<_>>(),
        [ids("a"), ids("b"), ids("c")]
    );
    let state = known.risk.get(&ip("10.0.0.1")).unwrap();
    assert_eq!(state.raised.as_deref(), Some(alert.id.as_str()));
    // The risk state that changed is reported for storage.
    assert_eq!(raised.risk.len(), 2);
}
