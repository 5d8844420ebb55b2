//! One storage test suite, run unchanged against every backend: `memory://`, a SQLite file in
//! a temporary directory, and PostgreSQL.
//!
//! The PostgreSQL tests need a server: `FINMARK_TEST_POSTGRES` is a superuser URL, and each
//! test creates (and at the end drops) a database of its own. `scripts/with-postgres.sh cargo
//! test` starts a throwaway server and sets the variable. Without it the PostgreSQL tests
//! print a notice and pass, except when `CI` is set: CI never skips them.

use chrono::{DateTime, Duration, TimeZone, Utc};
use finmark::alert::{
    Alert, AlertAction, AlertSource, AlertStatus, AlertUpdate, Entity, EntityKind, Muting, Silence,
    SilenceMatcher, alert_id, fingerprint,
};
use finmark::detect::{Match, MatchedField, Severity};
use finmark::event::{Event, Value};
use finmark::storage::{
    self, Cursor, EventQuery, LoadRequest, MAX_LIMIT, StateRecord, Storage, WriteSet,
    WriteTransaction,
};
use finmark::storage::{AlertPage, AlertQuery};
use finmark::{Error, ErrorKind};
use std::collections::BTreeMap;
use std::sync::Arc;

mod common;
use common::Backend;

// ---------------------------------------------------------------------------------------------
// The suite: every check runs against every backend; durable checks against the SQL ones.

macro_rules! tests_for {
    ($backend:ident: $($check:ident),* $(,)?) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    if let Some(backend) = super::Backend::$backend().await {
                        super::$check(&backend).await;
                    }
                }
            )*
        }
    };
}

macro_rules! suite {
    (shared: [$($shared:ident),* $(,)?], durable: [$($durable:ident),* $(,)?]) => {
        tests_for!(memory: $($shared),*);
        tests_for!(sqlite: $($shared,)* $($durable),*);
        tests_for!(postgres: $($shared,)* $($durable),*);
    };
}

suite!(
    shared: [
        writes_and_reads_back_events,
        queries_time_ranges_newest_first,
        writes_are_idempotent_by_event_id,
        field_equality_is_typed,
        field_names_are_data_not_sql,
        pages_cover_everything_once,
        limits_are_validated,
        counts_values_most_frequent_first,
        stores_and_queries_detections,
        purges_old_events_and_their_detections,
        closed_storage_fails,
        transactions_claim_then_write_a_set,
        uncommitted_transactions_leave_nothing,
        state_checkpoints_are_replaced_by_key,
        alerts_are_stored_queried_and_counted,
        alerts_load_latest_inhibiting_and_silences,
        alert_actions_follow_the_lifecycle,
        silences_are_added_listed_and_expired,
    ],
    durable: [
        reopened_storage_keeps_committed_data,
        two_handles_share_one_store,
        loaded_state_waits_for_the_other_writer,
        two_writers_of_one_alert_store_one_alert,
    ]
);

// ---------------------------------------------------------------------------------------------
// Helpers

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 0, 0, 0).unwrap()
}

/// An event `seconds` after [`t0`] with `fields`.
fn event(id: &str, seconds: i64, fields: &[(&str, Value)]) -> Event {
    Event {
        id: id.to_string(),
        time: t0() + Duration::seconds(seconds),
        fields: fields.iter().cloned().collect(),
    }
}

fn ids(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

async fn write(storage: &dyn Storage, events: &[Event]) -> Vec<bool> {
    storage.write(events, &[]).await.expect("write").is_new
}

async fn query_ids(storage: &dyn Storage, query: EventQuery) -> Vec<String> {
    let page = storage.events(&query).await.expect("events");
    page.events.into_iter().map(|e| e.id).collect()
}

fn detection(event: &Event, rule: &str, level: &str, severity: Severity) -> Match {
    Match {
        rule_id: rule.to_string(),
        title: format!("Rule {rule}"),
        level: level.to_string(),
        severity,
        tags: vec!["attack.t1110".into(), "attack.credential_access".into()],
        event_id: event.id.clone(),
        event_time: event.time,
        event_index: 0,
        fields: vec![MatchedField {
            field: "user.name".into(),
            value: Value::from("alice"),
        }],
    }
}

fn assert_storage_error<T: std::fmt::Debug>(result: Result<T, Error>, what: &str) {
    let error = result.expect_err(what);
    assert_eq!(error.kind(), ErrorKind::Storage, "{what}: {error}");
}

// ---------------------------------------------------------------------------------------------
// Checks

async fn writes_and_reads_back_events(backend: &Backend) {
    let storage = backend.open().await;
    let rich = event(
        "rich",
        1,
        &[
            ("@timestamp", Value::from("2026-01-15T00:00:01Z")),
            ("source.ip", Value::from("203.0.113.9")),
            ("http.response.status_code", Value::from(503)),
            ("event.duration", Value::from(1.25)),
            ("user.is_admin", Value::from(false)),
            ("user.roles", Value::from(vec!["ops", "dev"])),
            (
                "process.args",
                Value::List(vec![Value::from(1), Value::from("x")]),
            ),
            ("error.message", Value::Null),
            (
                "message",
                Value::from("line\nwith \"quotes\", \\, tab\t and ünïcødé"),
            ),
        ],
    );
    let plain = event("plain", 0, &[("user.name", Value::from("bob"))]);
    let report = storage
        .write(&[rich.clone(), plain.clone()], &[])
        .await
        .unwrap();
    assert_eq!(report.is_new, [true, true]);
    assert_eq!((report.inserted(), report.duplicates()), (2, 0));

    let page = storage.events(&EventQuery::new()).await.unwrap();
    assert_eq!(page.next_cursor, None);
    assert_eq!(
        page.events,
        [rich, plain],
        "events come back as written, fields in order"
    );
    storage.close().await.unwrap();
}

async fn queries_time_ranges_newest_first(backend: &Backend) {
    let storage = backend.open().await;
    // Written out of order, with two events sharing a time (then ordered by id).
    let batch = [
        event("e3", 30, &[]),
        event("e1", 10, &[]),
        event("e4", 40, &[]),
        event("e2b", 20, &[]),
        event("e2a", 20, &[]),
        event("e0", -10, &[]),
    ];
    write(&*storage, &batch).await;
    assert_eq!(
        query_ids(&*storage, EventQuery::new()).await,
        ["e4", "e3", "e2b", "e2a", "e1", "e0"]
    );
    let since = t0() + Duration::seconds(10);
    let until = t0() + Duration::seconds(30);
    assert_eq!(
        query_ids(&*storage, EventQuery::new().since(since).until(until)).await,
        ["e2b", "e2a", "e1"],
        "since is inclusive, until exclusive"
    );
    assert_eq!(
        query_ids(&*storage, EventQuery::new().until(t0())).await,
        ["e0"]
    );
    assert!(
        query_ids(
            &*storage,
            EventQuery::new().since(t0() + Duration::hours(1))
        )
        .await
        .is_empty()
    );
    storage.close().await.unwrap();
}

async fn writes_are_idempotent_by_event_id(backend: &Backend) {
    let storage = backend.open().await;
    let batch = [event("a", 1, &[]), event("b", 2, &[]), event("c", 3, &[])];
    assert_eq!(write(&*storage, &batch).await, [true, true, true]);
    assert_eq!(
        write(&*storage, &batch).await,
        [false, false, false],
        "re-sent batch"
    );

    // Repeats inside one batch: the first occurrence wins, later ones are duplicates.
    let first_d = event("d", 4, &[("copy", Value::from(1))]);
    let mixed = [
        first_d.clone(),
        event("a", 1, &[]),
        event("d", 99, &[("copy", Value::from(2))]),
        event("e", 5, &[]),
        event("e", 5, &[]),
    ];
    // write_owned (what the engine calls) behaves exactly like write.
    let report = storage.write_owned(mixed.to_vec(), &[]).await.unwrap();
    assert_eq!(report.is_new, [true, false, false, true, false]);
    assert_eq!((report.inserted(), report.duplicates()), (2, 3));

    let all = storage.events(&EventQuery::new()).await.unwrap().events;
    assert_eq!(ids(&all), ["e", "d", "c", "b", "a"]);
    let d = all.into_iter().find(|e| e.id == "d").unwrap();
    assert_eq!(d, first_d);

    assert_eq!(
        write(&*storage, &[]).await,
        Vec::<bool>::new(),
        "empty batch"
    );
    storage.close().await.unwrap();
}

async fn field_equality_is_typed(backend: &Backend) {
    let storage = backend.open().await;
    let code = "http.response.status_code";
    let batch = [
        event("int", 1, &[(code, Value::from(500))]),
        event("float", 2, &[(code, Value::from(500.0))]),
        event("string", 3, &[(code, Value::from("500"))]),
        event("other", 4, &[(code, Value::from(404))]),
        event("one", 5, &[(code, Value::from(1))]),
        event("true", 6, &[(code, Value::from(true))]),
        event("null", 7, &[(code, Value::Null)]),
        event("list", 8, &[(code, Value::from(vec!["a", "b"]))]),
        event("missing", 9, &[("user.name", Value::from("alice"))]),
        event(
            "both",
            10,
            &[
                (code, Value::from(500)),
                ("user.name", Value::from("alice")),
            ],
        ),
    ];
    write(&*storage, &batch).await;
    let by = |value: Value| EventQuery::new().field(code, value);

    assert_eq!(
        query_ids(&*storage, by(Value::from(500))).await,
        ["both", "float", "int"]
    );
    assert_eq!(
        query_ids(&*storage, by(Value::from(500.0))).await,
        ["both", "float", "int"]
    );
    assert_eq!(
        query_ids(&*storage, by(Value::from("500"))).await,
        ["string"]
    );
    assert_eq!(query_ids(&*storage, by(Value::from(1))).await, ["one"]);
    assert_eq!(query_ids(&*storage, by(Value::from(true))).await, ["true"]);
    assert!(
        query_ids(&*storage, by(Value::from(false)))
            .await
            .is_empty()
    );
    assert_eq!(query_ids(&*storage, by(Value::Null)).await, ["null"]);
    assert_eq!(
        query_ids(&*storage, by(Value::from(vec!["a", "b"]))).await,
        ["list"]
    );
    assert!(
        query_ids(&*storage, by(Value::from(vec!["b", "a"])))
            .await
            .is_empty()
    );
    assert!(query_ids(&*storage, by(Value::from(501))).await.is_empty());
    assert!(
        query_ids(&*storage, by(Value::Float(f64::NAN)))
            .await
            .is_empty()
    );
    assert_eq!(
        query_ids(&*storage, by(Value::from(500)).field("user.name", "alice")).await,
        ["both"],
        "filters combine with AND"
    );
    assert!(
        query_ids(
            &*storage,
            EventQuery::new().field("no.such.field", Value::Null)
        )
        .await
        .is_empty()
    );
    // The JSON form the bindings send.
    let json: EventQuery =
        serde_json::from_str(r#"{"where": {"http.response.status_code": 500}, "limit": 2}"#)
            .unwrap();
    let page = storage.events(&json).await.unwrap();
    assert_eq!(ids(&page.events), ["both", "float"]);
    assert!(page.next_cursor.is_some());
    storage.close().await.unwrap();
}

async fn field_names_are_data_not_sql(backend: &Backend) {
    let storage = backend.open().await;
    let names = [
        "it's",
        "say \"hi\"",
        "back\\slash",
        "dotted.name[0]",
        "$.root",
        "x'); DELETE FROM events; --",
        "\" OR 1=1 --",
    ];
    let batch: Vec<Event> = names
        .iter()
        .enumerate()
        .map(|(i, name)| event(&format!("n{i}"), i as i64, &[(name, Value::from(i as i64))]))
        .collect();
    write(&*storage, &batch).await;
    for (i, name) in names.iter().enumerate() {
        assert_eq!(
            query_ids(&*storage, EventQuery::new().field(*name, i as i64)).await,
            [format!("n{i}")],
            "field {name:?}"
        );
        let counts = storage.count_by(name, &EventQuery::new()).await.unwrap();
        assert_eq!(counts.len(), 1, "count_by {name:?}");
        assert_eq!(counts[0].value, Value::from(i as i64));
    }
    assert!(
        query_ids(&*storage, EventQuery::new().field("' OR '1'='1", "x"))
            .await
            .is_empty()
    );
    assert!(
        storage
            .detections(&EventQuery::new().field("rule_id' OR '1'='1", "x"))
            .await
            .unwrap()
            .is_empty()
    );
    let all = storage.events(&EventQuery::new()).await.unwrap().events;
    assert_eq!(all.len(), names.len(), "nothing was deleted");
    storage.close().await.unwrap();
}

async fn pages_cover_everything_once(backend: &Backend) {
    let storage = backend.open().await;
    // 250 events, five per second, so that many pages end between events of equal time.
    let batch: Vec<Event> = (0..250)
        .map(|i| {
            let kind = if i % 3 == 0 { "login" } else { "request" };
            event(
                &format!("ev-{i:03}"),
                i / 5,
                &[("event.action", Value::from(kind))],
            )
        })
        .collect();
    write(&*storage, &batch).await;
    let mut expected: Vec<&Event> = batch.iter().collect();
    expected.sort_by(|a, b| (b.time, &b.id).cmp(&(a.time, &a.id)));

    for (filter, limit) in [(None, 40), (Some("login"), 7), (None, 250), (None, 1000)] {
        let mut query = EventQuery::new().limit(limit);
        if let Some(action) = filter {
            query = query.field("event.action", action);
        }
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = storage.events(&query).await.unwrap();
            assert!(page.events.len() <= limit);
            pages += 1;
            seen.extend(page.events.into_iter().map(|e| e.id));
            match page.next_cursor {
                // The cursor crosses the bindings as text.
                Some(cursor) => {
                    let text = cursor.to_string();
                    query = query.after(text.parse::<Cursor>().unwrap());
                }
                None => break,
            }
        }
        let want: Vec<&str> = expected
            .iter()
            .filter(|e| {
                filter.is_none_or(|action| e.get("event.action") == Some(&Value::from(action)))
            })
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(seen, want, "filter {filter:?}, limit {limit}");
        assert_eq!(
            pages,
            want.len().div_ceil(limit).max(1),
            "no empty last page"
        );
    }

    // A page of a time range, continued: the range still applies.
    let ranged = EventQuery::new()
        .since(t0() + Duration::seconds(10))
        .until(t0() + Duration::seconds(12))
        .limit(6);
    let first = storage.events(&ranged).await.unwrap();
    assert_eq!(first.events.len(), 6);
    let rest = storage
        .events(&ranged.clone().after(first.next_cursor.unwrap()))
        .await
        .unwrap();
    assert_eq!(rest.events.len(), 4);
    assert_eq!(rest.next_cursor, None);
    storage.close().await.unwrap();
}

async fn limits_are_validated(backend: &Backend) {
    let storage = backend.open().await;
    let batch: Vec<Event> = (0..120)
        .map(|i| event(&format!("{i:03}"), i, &[]))
        .collect();
    write(&*storage, &batch).await;
    let default = storage.events(&EventQuery::new()).await.unwrap();
    assert_eq!(default.events.len(), storage::DEFAULT_LIMIT);
    let too_big = EventQuery::new().limit(MAX_LIMIT + 1);
    for result in [
        storage.events(&too_big).await.map(|_| ()),
        storage.count_by("x", &too_big).await.map(|_| ()),
        storage.detections(&too_big).await.map(|_| ()),
    ] {
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidQuery);
    }
    assert_eq!(
        storage
            .events(&EventQuery::new().limit(MAX_LIMIT))
            .await
            .unwrap()
            .events
            .len(),
        120
    );
    storage.close().await.unwrap();
}

async fn counts_values_most_frequent_first(backend: &Backend) {
    let storage = backend.open().await;
    let mut batch = Vec::new();
    let mut add = |ip: Value, n: usize| {
        for _ in 0..n {
            let i = batch.len();
            batch.push(event(
                &format!("c{i:02}"),
                i as i64,
                &[("source.ip", ip.clone()), ("n", Value::from(i as i64 % 2))],
            ));
        }
    };
    add(Value::from("10.0.0.3"), 5);
    add(Value::from("10.0.0.1"), 3);
    add(Value::from("10.0.0.2"), 3);
    add(Value::from(1), 2);
    add(Value::from(true), 2);
    add(Value::from("1"), 1);
    add(Value::Null, 1);
    add(Value::from(7), 1);
    add(Value::from(7.0), 1);
    batch.push(event("no-ip", 100, &[("n", Value::from(0))]));
    write(&*storage, &batch).await;

    let counts = storage
        .count_by("source.ip", &EventQuery::new())
        .await
        .unwrap();
    let got: Vec<(String, u64)> = counts
        .iter()
        .map(|c| (c.value.to_string(), c.count))
        .collect();
    // Ties by the value's text; 7 and 7.0 count together, 1, true and "1" apart; the event
    // without the field is not counted, the null one is.
    let seven = &got[4].0;
    assert!(seven == "7" || seven == "7.0", "{seven}");
    assert_eq!(
        got,
        [
            ("10.0.0.3".into(), 5),
            ("10.0.0.1".into(), 3),
            ("10.0.0.2".into(), 3),
            ("1".into(), 2),
            (seven.clone(), 2),
            ("true".into(), 2),
            ("1".into(), 1),
            ("null".into(), 1),
        ]
    );
    assert_eq!(counts[3].value, Value::from(1));
    assert_eq!(counts[6].value, Value::from("1"));

    let top = storage
        .count_by("source.ip", &EventQuery::new().limit(2))
        .await
        .unwrap();
    assert_eq!(top, counts[..2], "the tie at the limit is broken by value");
    let filtered = storage
        .count_by(
            "source.ip",
            &EventQuery::new()
                .field("n", 1)
                .until(t0() + Duration::seconds(8)),
        )
        .await
        .unwrap();
    let got: Vec<(String, u64)> = filtered
        .iter()
        .map(|c| (c.value.to_string(), c.count))
        .collect();
    assert_eq!(got, [("10.0.0.1".into(), 2), ("10.0.0.3".into(), 2)]);
    assert!(
        storage
            .count_by("absent", &EventQuery::new())
            .await
            .unwrap()
            .is_empty()
    );
    storage.close().await.unwrap();
}

async fn stores_and_queries_detections(backend: &Backend) {
    let storage = backend.open().await;
    let old = event("old", 10, &[("user.name", Value::from("alice"))]);
    let new = event("new", 20, &[("user.name", Value::from("alice"))]);
    let mut m_old = detection(&old, "brute-force", "high", Severity::Critical);
    m_old.event_index = 0;
    let mut m_new = detection(&new, "brute-force", "high", Severity::Critical);
    m_new.event_index = 1;
    let mut m_new2 = detection(&new, "odd-login", "medium", Severity::Warning);
    m_new2.event_index = 1;
    m_new2.tags.clear();
    m_new2.fields.push(MatchedField {
        field: "source.port".into(),
        value: Value::from(22),
    });
    let matches = [m_old.clone(), m_new.clone(), m_new2.clone()];
    storage
        .write(&[old.clone(), new.clone()], &matches)
        .await
        .unwrap();
    // Again, with a repeat in the batch: nothing new.
    let report = storage
        .write_owned(
            vec![old, new],
            &[m_new.clone(), m_new.clone(), m_old.clone()],
        )
        .await
        .unwrap();
    assert_eq!(report.is_new, [false, false]);

    let all = storage.detections(&EventQuery::new()).await.unwrap();
    assert_eq!(all, [m_new2.clone(), m_new.clone(), m_old.clone()]);
    let q = |query: EventQuery| {
        let storage = storage.clone();
        async move { storage.detections(&query).await.unwrap() }
    };
    assert_eq!(
        q(EventQuery::new().field("rule_id", "brute-force")).await,
        [m_new.clone(), m_old.clone()]
    );
    assert_eq!(
        q(EventQuery::new().field("severity", "warning")).await,
        [m_new2.clone()]
    );
    assert_eq!(
        q(EventQuery::new()
            .field("event_id", "old")
            .field("level", "high"))
        .await,
        [m_old.clone()]
    );
    assert_eq!(
        q(EventQuery::new().field("title", "Rule odd-login")).await,
        [m_new2.clone()]
    );
    assert_eq!(
        q(EventQuery::new().since(t0() + Duration::seconds(15))).await,
        [m_new2.clone(), m_new.clone()]
    );
    assert_eq!(q(EventQuery::new().limit(1)).await, [m_new2]);
    assert!(
        q(EventQuery::new().field("user.name", "alice"))
            .await
            .is_empty(),
        "detections have no event fields to filter on"
    );
    assert!(q(EventQuery::new().field("rule_id", 5)).await.is_empty());
    storage.close().await.unwrap();
}

async fn purges_old_events_and_their_detections(backend: &Backend) {
    let storage = backend.open().await;
    let batch: Vec<Event> = (0..10).map(|i| event(&format!("p{i}"), i, &[])).collect();
    let matches: Vec<Match> = batch
        .iter()
        .map(|e| detection(e, "rule", "low", Severity::Info))
        .collect();
    storage.write(&batch, &matches).await.unwrap();

    let cutoff = t0() + Duration::seconds(4);
    assert_eq!(storage.purge_before(cutoff).await.unwrap(), 4);
    assert_eq!(
        storage.purge_before(cutoff).await.unwrap(),
        0,
        "nothing left to purge"
    );
    let left = storage.events(&EventQuery::new()).await.unwrap().events;
    assert_eq!(ids(&left), ["p9", "p8", "p7", "p6", "p5", "p4"]);
    let detections = storage.detections(&EventQuery::new()).await.unwrap();
    assert_eq!(detections.len(), 6);
    assert!(detections.iter().all(|m| m.event_time >= cutoff));

    // A purged event is forgotten: sent again, it is new.
    assert_eq!(
        write(&*storage, &batch[..5]).await,
        [true, true, true, true, false]
    );
    storage.close().await.unwrap();
}

async fn closed_storage_fails(backend: &Backend) {
    let storage = backend.open().await;
    write(&*storage, &[event("x", 0, &[])]).await;
    storage.close().await.unwrap();
    let q = EventQuery::new();
    assert_storage_error(storage.write(&[event("y", 0, &[])], &[]).await, "write");
    assert_storage_error(storage.events(&q).await, "events");
    assert_storage_error(storage.count_by("x", &q).await, "count_by");
    assert_storage_error(storage.detections(&q).await, "detections");
    assert_storage_error(
        storage
            .detections(&EventQuery::new().field("nothing", "x"))
            .await,
        "detections that match nothing",
    );
    assert_storage_error(storage.purge_before(t0()).await, "purge_before");
    assert_storage_error(storage.close().await, "close again");
}

async fn reopened_storage_keeps_committed_data(backend: &Backend) {
    let first = [
        event("k1", 1, &[("a", Value::from(1))]),
        event("k2", 2, &[]),
    ];
    let storage = backend.open().await;
    let m = detection(&first[0], "rule", "high", Severity::Critical);
    storage
        .write(&first, std::slice::from_ref(&m))
        .await
        .unwrap();
    storage.close().await.unwrap();

    let storage = backend.open().await;
    let got = storage.events(&EventQuery::new()).await.unwrap().events;
    assert_eq!(ids(&got), ["k2", "k1"]);
    assert_eq!(storage.detections(&EventQuery::new()).await.unwrap(), [m]);
    assert_eq!(write(&*storage, &first).await, [false, false]);
    write(&*storage, &[event("k3", 3, &[])]).await;
    // Dropped without close, as when a process dies: what was committed is there.
    drop(storage);

    let storage = backend.open().await;
    let got = storage.events(&EventQuery::new()).await.unwrap().events;
    assert_eq!(ids(&got), ["k3", "k2", "k1"]);
    storage.close().await.unwrap();
}

async fn two_handles_share_one_store(backend: &Backend) {
    // Two handles on one database, as two processes would have, writing overlapping
    // batches at the same time: every event is stored once and reported new once.
    let (a, b) = (backend.open().await, backend.open().await);
    let batch = |from: usize| -> Vec<Event> {
        (from..from + 2000)
            .map(|i| event(&format!("s{i:05}"), i as i64, &[]))
            .collect()
    };
    let (batch_a, batch_b) = (batch(0), batch(1000));
    let (ra, rb) = tokio::join!(a.write(&batch_a, &[]), b.write(&batch_b, &[]));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.inserted() + rb.inserted(), 3000);
    let all = b
        .events(&EventQuery::new().limit(MAX_LIMIT))
        .await
        .unwrap()
        .events;
    assert_eq!(all.len(), 3000);
    a.close().await.unwrap();
    b.close().await.unwrap();
}

async fn transactions_claim_then_write_a_set(backend: &Backend) {
    let storage = backend.open().await;
    write(&*storage, &[event("old", 0, &[])]).await;
    let batch = [event("a", 1, &[]), event("old", 0, &[]), event("a", 1, &[])];
    let mut tx = storage.begin_write().await.unwrap();
    let report = tx.claim(&batch).await.unwrap();
    assert_eq!(report.is_new, [true, false, false]);
    let found = detection(&batch[0], "rule", "high", Severity::Critical);
    tx.write(WriteSet {
        events: vec![batch[0].clone()],
        detections: vec![found.clone()],
        state: vec![state("k", b"v1")],
        ..WriteSet::default()
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let got = storage.events(&EventQuery::new()).await.unwrap().events;
    assert_eq!(ids(&got), ["a", "old"]);
    assert_eq!(
        storage.detections(&EventQuery::new()).await.unwrap(),
        [found]
    );
    let mut tx = storage.begin_write().await.unwrap();
    assert_eq!(
        load_state(&mut *tx, &keys(&["k"])).await,
        [state("k", b"v1")]
    );
    storage_commit(tx).await;
    storage.close().await.unwrap();
}

async fn uncommitted_transactions_leave_nothing(backend: &Backend) {
    let storage = backend.open().await;
    let batch = [event("r1", 1, &[]), event("r2", 2, &[])];
    let mut tx = storage.begin_write().await.unwrap();
    assert_eq!(tx.claim(&batch).await.unwrap().is_new, [true, true]);
    tx.write(WriteSet {
        events: batch.to_vec(),
        detections: vec![detection(&batch[0], "rule", "low", Severity::Info)],
        state: vec![state("gone", b"x")],
        ..WriteSet::default()
    })
    .await
    .unwrap();
    // A stage failed, or the process died: the transaction is dropped, not committed.
    drop(tx);
    assert!(
        storage
            .events(&EventQuery::new())
            .await
            .unwrap()
            .events
            .is_empty()
    );
    assert!(
        storage
            .detections(&EventQuery::new())
            .await
            .unwrap()
            .is_empty()
    );
    let mut tx = storage.begin_write().await.unwrap();
    assert!(load_state(&mut *tx, &keys(&["gone"])).await.is_empty());
    // The ids claimed by the dropped transaction are free again.
    assert_eq!(tx.claim(&batch).await.unwrap().is_new, [true, true]);
    storage_commit(tx).await;
    storage.close().await.unwrap();
}

async fn state_checkpoints_are_replaced_by_key(backend: &Backend) {
    let storage = backend.open().await;
    for (key, value) in [("a", &b"1"[..]), ("b", b"2"), ("a", b"3")] {
        let mut tx = storage.begin_write().await.unwrap();
        tx.write(WriteSet {
            state: vec![state(key, value)],
            ..WriteSet::default()
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let mut tx = storage.begin_write().await.unwrap();
    let mut loaded = load_state(&mut *tx, &keys(&["b", "a", "none"])).await;
    loaded.sort_by(|x, y| x.key.cmp(&y.key));
    assert_eq!(loaded, [state("a", b"3"), state("b", b"2")]);
    assert!(load_state(&mut *tx, &[]).await.is_empty());
    // Bytes come back as they were, whatever they are.
    let binary: Vec<u8> = (0..=255).collect();
    tx.write(WriteSet {
        state: vec![state("bin", &binary)],
        ..WriteSet::default()
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = storage.begin_write().await.unwrap();
    assert_eq!(
        load_state(&mut *tx, &keys(&["bin"])).await,
        [state("bin", &binary)]
    );
    storage_commit(tx).await;
    storage.close().await.unwrap();
}

async fn loaded_state_waits_for_the_other_writer(backend: &Backend) {
    // Two handles (as two processes) advance one counter kept as stage state, each in many
    // transactions: loading locks the key until commit, so no increment is lost.
    let (a, b) = (backend.open().await, backend.open().await);
    async fn increment(storage: Arc<dyn Storage>, times: usize) {
        for _ in 0..times {
            let mut tx = storage.begin_write().await.unwrap();
            let loaded = load_state(&mut *tx, &keys(&["counter"])).await;
            let n: u64 = loaded
                .first()
                .map_or(0, |r| String::from_utf8_lossy(&r.value).parse().unwrap());
            tokio::task::yield_now().await;
            tx.write(WriteSet {
                state: vec![state("counter", (n + 1).to_string().as_bytes())],
                ..WriteSet::default()
            })
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
    }
    let (ra, rb) = tokio::join!(
        tokio::spawn(increment(Arc::clone(&a), 25)),
        tokio::spawn(increment(Arc::clone(&b), 25))
    );
    ra.unwrap();
    rb.unwrap();
    let mut tx = a.begin_write().await.unwrap();
    assert_eq!(
        load_state(&mut *tx, &keys(&["counter"])).await,
        [state("counter", b"50")]
    );
    storage_commit(tx).await;
    a.close().await.unwrap();
    b.close().await.unwrap();
}

fn alert(rule: &str, ip: &str, generation: u64, minute: i64, severity: Severity) -> Alert {
    let group: BTreeMap<String, Value> = [("source.ip".to_string(), Value::from(ip))]
        .into_iter()
        .collect();
    let fp = fingerprint(rule, &group);
    Alert {
        id: alert_id(&fp, generation),
        fingerprint: fp,
        rule_id: rule.into(),
        title: format!("rule {rule}"),
        severity,
        source: AlertSource::Rule,
        status: AlertStatus::Open,
        group,
        entities: vec![Entity {
            kind: EntityKind::Ip,
            value: ip.into(),
        }],
        first_seen: t0() + Duration::minutes(minute),
        last_seen: t0() + Duration::minutes(minute + 1),
        count: 2,
        evidence: vec![format!("e-{rule}-{ip}")],
        tags: vec!["attack.t1110".into()],
        muted_by: None,
        generation,
        details: Some(serde_json::json!({"why": "test"})),
        updated: None,
    }
}

async fn write_alerts(storage: &dyn Storage, alerts: Vec<Alert>) {
    let mut tx = storage.begin_write().await.unwrap();
    tx.write(WriteSet {
        alerts,
        ..WriteSet::default()
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn alerts_are_stored_queried_and_counted(backend: &Backend) {
    let storage = backend.open().await;
    let a = alert("r1", "10.0.0.1", 1, 0, Severity::Critical);
    let b = alert("r1", "10.0.0.2", 1, 5, Severity::Warning);
    let mut c = alert("r2", "10.0.0.1", 1, 10, Severity::Info);
    c.muted_by = Some(Muting::Silence { id: "s1".into() });
    c.status = AlertStatus::Silenced;
    write_alerts(&*storage, vec![a.clone(), b.clone(), c.clone()]).await;
    // Read back whole, newest first.
    let page = storage.alerts(&AlertQuery::new()).await.unwrap();
    assert_eq!(page.alerts, [c.clone(), b.clone(), a.clone()]);
    assert_eq!(page.next_cursor, None);
    assert_eq!(storage.alert(&a.id).await.unwrap(), a);
    let missing = storage.alert("nope").await.unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound, "{missing}");
    // An update of a stored alert replaces its counts, not its status.
    let mut more = a.clone();
    more.count = 9;
    more.last_seen = t0() + Duration::minutes(30);
    more.evidence.push("e-more".into());
    more.status = AlertStatus::Resolved;
    write_alerts(&*storage, vec![more.clone()]).await;
    let stored = storage.alert(&a.id).await.unwrap();
    assert_eq!(
        (stored.count, stored.last_seen, stored.status),
        (9, more.last_seen, AlertStatus::Open)
    );
    assert_eq!(stored.evidence, more.evidence);
    // Filters.
    let ids = |page: AlertPage| page.alerts.into_iter().map(|a| a.id).collect::<Vec<_>>();
    let q = |json: &str| serde_json::from_str::<AlertQuery>(json).unwrap();
    assert_eq!(
        ids(storage.alerts(&q(r#"{"rule_id": "r1"}"#)).await.unwrap()),
        [b.id.as_str(), a.id.as_str()]
    );
    assert_eq!(
        ids(storage
            .alerts(&q(r#"{"severity": "critical"}"#))
            .await
            .unwrap()),
        [a.id.as_str()]
    );
    assert_eq!(
        ids(storage
            .alerts(&q(r#"{"status": "silenced"}"#))
            .await
            .unwrap()),
        [c.id.as_str()]
    );
    assert_eq!(
        ids(storage
            .alerts(&q(r#"{"entity": "ip:10.0.0.1"}"#))
            .await
            .unwrap()),
        [c.id.as_str(), a.id.as_str()]
    );
    assert_eq!(
        ids(storage
            .alerts(&q(
                r#"{"since": "2026-01-15T00:07:00Z", "until": "2026-01-15T00:10:00Z"}"#
            ))
            .await
            .unwrap()),
        [a.id.as_str()],
        "a (00:00 to 00:30 after its update) overlaps; b ended 00:06, c starts 00:10"
    );
    // Pages cover everything once.
    let first = storage.alerts(&q(r#"{"limit": 2}"#)).await.unwrap();
    assert_eq!(first.alerts.len(), 2);
    let next = AlertQuery {
        limit: 2,
        cursor: first.next_cursor.clone(),
        ..AlertQuery::new()
    };
    let second = storage.alerts(&next).await.unwrap();
    assert_eq!(ids(second), [a.id.as_str()]);
    let bad = AlertQuery {
        cursor: Some("x".into()),
        ..AlertQuery::new()
    };
    assert_eq!(
        storage.alerts(&bad).await.unwrap_err().kind(),
        ErrorKind::InvalidQuery
    );
    // Counts, every severity and status listed.
    let counts = storage.alert_counts(&AlertQuery::new()).await.unwrap();
    assert_eq!(counts.total, 3);
    assert_eq!(counts.by_severity["critical"], 1);
    assert_eq!(counts.by_severity["info"], 1);
    assert_eq!(counts.by_status["open"], 2);
    assert_eq!(counts.by_status["silenced"], 1);
    assert_eq!(counts.by_status["resolved"], 0);
    let r1 = storage
        .alert_counts(&q(r#"{"rule_id": "r1"}"#))
        .await
        .unwrap();
    assert_eq!(r1.total, 2);
    storage.close().await.unwrap();
}

async fn alerts_load_latest_inhibiting_and_silences(backend: &Backend) {
    let storage = backend.open().await;
    let first = alert("r1", "10.0.0.1", 1, 0, Severity::Critical);
    let second = alert("r1", "10.0.0.1", 2, 60, Severity::Critical);
    let muted = {
        let mut m = alert("r2", "10.0.0.2", 1, 0, Severity::Critical);
        m.status = AlertStatus::Silenced;
        m.muted_by = Some(Muting::Silence { id: "s".into() });
        m
    };
    write_alerts(
        &*storage,
        vec![first.clone(), second.clone(), muted.clone()],
    )
    .await;
    let silence = Silence {
        id: "quiet".into(),
        matchers: vec![SilenceMatcher::parse("rule_id=r9").unwrap()],
        starts_at: t0(),
        ends_at: t0() + Duration::hours(1),
        author: "ana".into(),
        reason: "test".into(),
        created_at: t0(),
    };
    storage.add_silence(&silence).await.unwrap();
    let ip = |v: &str| Entity {
        kind: EntityKind::Ip,
        value: v.into(),
    };
    let mut tx = storage.begin_write().await.unwrap();
    let loaded = tx
        .load(&LoadRequest {
            alert_fingerprints: vec![first.fingerprint.clone(), "unknown".into()],
            inhibiting: vec![ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")],
            silences: Some((t0() + Duration::minutes(30), t0() + Duration::hours(2))),
            ..LoadRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(
        loaded.alerts,
        std::slice::from_ref(&second),
        "the latest generation only"
    );
    assert_eq!(loaded.inhibiting.len(), 1, "{:?}", loaded.inhibiting);
    assert_eq!(loaded.inhibiting[0].0, ip("10.0.0.1"));
    assert!([&first.id, &second.id].contains(&&loaded.inhibiting[0].1));
    assert_eq!(loaded.silences, std::slice::from_ref(&silence));
    let outside = tx
        .load(&LoadRequest {
            silences: Some((t0() + Duration::hours(1), t0() + Duration::hours(2))),
            ..LoadRequest::default()
        })
        .await
        .unwrap();
    assert!(
        outside.silences.is_empty(),
        "the silence ends at 01:00, exclusive"
    );
    tx.commit().await.unwrap();
    storage.close().await.unwrap();
}

async fn alert_actions_follow_the_lifecycle(backend: &Backend) {
    let storage = backend.open().await;
    let a = alert("r1", "10.0.0.1", 1, 0, Severity::Critical);
    write_alerts(&*storage, vec![a.clone()]).await;
    let update = |action| AlertUpdate {
        actor: "ana".into(),
        action,
        at: t0() + Duration::hours(1),
    };
    let acked = storage
        .act_on_alert(&a.id, update(AlertAction::Acknowledge))
        .await
        .unwrap();
    assert_eq!(acked.status, AlertStatus::Acknowledged);
    assert_eq!(acked.updated.as_ref().unwrap().actor, "ana");
    assert_eq!(storage.alert(&a.id).await.unwrap(), acked);
    let twice = storage
        .act_on_alert(&a.id, update(AlertAction::Acknowledge))
        .await;
    assert_eq!(twice.unwrap_err().kind(), ErrorKind::Conflict);
    let resolved = storage
        .act_on_alert(&a.id, update(AlertAction::Resolve))
        .await
        .unwrap();
    assert_eq!(resolved.status, AlertStatus::Resolved);
    let reopen = storage
        .act_on_alert(&a.id, update(AlertAction::Acknowledge))
        .await;
    assert_eq!(reopen.unwrap_err().kind(), ErrorKind::Conflict);
    let missing = storage
        .act_on_alert("nope", update(AlertAction::Resolve))
        .await;
    assert_eq!(missing.unwrap_err().kind(), ErrorKind::NotFound);
    storage.close().await.unwrap();
}

async fn silences_are_added_listed_and_expired(backend: &Backend) {
    let storage = backend.open().await;
    let silence = |id: &str, from: i64, to: i64| Silence {
        id: id.into(),
        matchers: vec![
            SilenceMatcher::parse("rule_id=r1").unwrap(),
            SilenceMatcher::parse("source.ip!~10\\..*").unwrap(),
        ],
        starts_at: t0() + Duration::hours(from),
        ends_at: t0() + Duration::hours(to),
        author: "ana".into(),
        reason: "maintenance window".into(),
        created_at: t0(),
    };
    let (a, b) = (silence("a", 0, 2), silence("b", 1, 5));
    storage.add_silence(&a).await.unwrap();
    storage.add_silence(&b).await.unwrap();
    let again = storage.add_silence(&a).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::Conflict);
    assert_eq!(
        storage.silences(None).await.unwrap(),
        [a.clone(), b.clone()]
    );
    let active = storage
        .silences(Some(t0() + Duration::minutes(150)))
        .await
        .unwrap();
    assert_eq!(active, std::slice::from_ref(&b));
    let expired = storage
        .expire_silence("b", t0() + Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(expired.ends_at, t0() + Duration::hours(3));
    assert!(
        storage
            .silences(Some(t0() + Duration::hours(4)))
            .await
            .unwrap()
            .is_empty()
    );
    // Expiring never extends, and never ends before the start.
    let later = storage
        .expire_silence("b", t0() + Duration::hours(9))
        .await
        .unwrap();
    assert_eq!(later.ends_at, t0() + Duration::hours(3));
    let early = storage
        .expire_silence("a", t0() - Duration::hours(9))
        .await
        .unwrap();
    assert_eq!(early.ends_at, a.starts_at);
    assert_eq!(
        storage
            .expire_silence("zzz", t0())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    storage.close().await.unwrap();
}

async fn two_writers_of_one_alert_store_one_alert(backend: &Backend) {
    // Two handles (as two processes) raise the same alert at once: one row, the same id.
    let (a, b) = (backend.open().await, backend.open().await);
    let raised = alert("r1", "10.0.0.1", 1, 0, Severity::Critical);
    let (ra, rb) = tokio::join!(
        write_alerts(&*a, vec![raised.clone()]),
        write_alerts(&*b, vec![raised.clone()])
    );
    let ((), ()) = (ra, rb);
    let page = a.alerts(&AlertQuery::new()).await.unwrap();
    assert_eq!(page.alerts, [raised]);
    a.close().await.unwrap();
    b.close().await.unwrap();
}

fn state(key: &str, value: &[u8]) -> StateRecord {
    StateRecord {
        key: key.to_string(),
        value: value.to_vec(),
    }
}

async fn load_state(tx: &mut dyn WriteTransaction, keys: &[String]) -> Vec<StateRecord> {
    let request = LoadRequest {
        state: keys.to_vec(),
        ..LoadRequest::default()
    };
    tx.load(&request).await.expect("load").state
}

fn keys(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

async fn storage_commit(tx: Box<dyn WriteTransaction>) {
    tx.commit().await.expect("commit");
}

// ---------------------------------------------------------------------------------------------
// Opening: bad URLs and places that cannot hold a database

#[tokio::test]
async fn bad_urls_are_invalid_queries() {
    for url in ["", "nope", "ftp://x", "sqlite://", "postgres:x"] {
        let error = storage::open(url).await.err().expect(url);
        assert_eq!(error.kind(), ErrorKind::InvalidQuery, "{url}: {error}");
        assert!(error.message().contains("storage URL"), "{error}");
    }
    let error = storage::open("postgres://u@localhost:notaport/db")
        .await
        .err()
        .unwrap();
    assert_eq!(error.kind(), ErrorKind::InvalidQuery, "{error}");
}

#[tokio::test]
async fn unopenable_sqlite_paths_are_storage_errors_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing_dir = dir.path().join("no/such/dir/finmark.db");
    let not_a_file = dir.path().to_path_buf();
    let not_a_database = dir.path().join("text.db");
    std::fs::write(
        &not_a_database,
        "this is not an SQLite database, just some text",
    )
    .unwrap();
    for path in [missing_dir, not_a_file, not_a_database] {
        let path = path.display().to_string();
        let error = storage::open(&format!("sqlite://{path}"))
            .await
            .err()
            .expect(&path);
        assert_eq!(error.kind(), ErrorKind::Storage, "{path}: {error}");
        assert!(error.message().contains(&path), "{error}");
    }
}

#[tokio::test]
async fn sqlite_in_memory_points_to_memory_storage() {
    let error = storage::open("sqlite://:memory:").await.err().unwrap();
    assert_eq!(error.kind(), ErrorKind::InvalidQuery, "{error}");
    assert!(error.message().contains("memory://"), "{error}");
}

#[tokio::test]
async fn unreachable_postgres_is_a_prompt_storage_error() {
    // Nothing listens on port 1.
    let started = std::time::Instant::now();
    let error = storage::open("postgres://finmark@127.0.0.1:1/finmark")
        .await
        .err()
        .unwrap();
    assert_eq!(error.kind(), ErrorKind::Storage, "{error}");
    assert!(error.message().contains("127.0.0.1:1/finmark"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[tokio::test]
async fn postgres_password_stays_out_of_messages() {
    let error = storage::open("postgres://finmark:s3cret@127.0.0.1:1/finmark")
        .await
        .err()
        .unwrap();
    assert!(!error.message().contains("s3cret"), "{error}");
}
