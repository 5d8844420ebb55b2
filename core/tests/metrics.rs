//! Metric rollups and queries: exact statistics, level merging, sketch accuracy, the group
//! bound, retention, serialisation, and agreement of the rollup and raw-event paths. Every
//! expected number is worked out by hand in the comments.

use chrono::{DateTime, Duration, Utc};
use finmark::event::{Event, Value};
use finmark::metrics::{
    Answer, Bucket, BucketKey, GroupKey, KeyedBucket, Level, Measure, MetricQuery, MetricRow,
    RollupSpec, Rollups, Source, Statistic, View,
};
use std::collections::BTreeMap;

fn t(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// An event at `time` with these fields.
fn event(time: DateTime<Utc>, fields: &[(&str, Value)]) -> Event {
    let mut all: Vec<(&str, Value)> = vec![("@timestamp", Value::from(time.to_rfc3339()))];
    all.extend(fields.iter().cloned());
    Event::new(all.into_iter().collect())
}

fn spec(json: &str) -> RollupSpec {
    serde_json::from_str(json).unwrap()
}

fn query(json: &str) -> MetricQuery {
    serde_json::from_str(json).unwrap()
}

fn rows(answer: Answer) -> Vec<MetricRow> {
    match answer {
        Answer::Rows(rows) => rows,
        other => panic!("not rows: {other:?}"),
    }
}

/// The deltas of `events` keyed for lookup.
fn deltas(rollups: &Rollups, events: &[Event], now: DateTime<Utc>) -> BTreeMap<BucketKey, Bucket> {
    rollups
        .deltas(events, now)
        .finish(&())
        .buckets
        .into_iter()
        .map(|b| (b.key, b.bucket))
        .collect()
}

fn key(rollup: &str, level: Level, start: &str, group: &str) -> BucketKey {
    BucketKey {
        rollup: rollup.into(),
        level,
        start: t(start),
        group: GroupKey::from_text(group),
    }
}

/// A deterministic stream of numbers (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn exact_statistics_of_hand_made_events_at_every_level() {
    let rollups = Rollups::new(vec![spec(
        r#"{"name": "latency", "measure": {"field": "event.duration"},
            "where": {"event.dataset": "finmark.http"}, "group_by": ["url.path"]}"#,
    )])
    .unwrap();
    let http = |time: &str, path: &str, ms: Value| {
        event(
            t(time),
            &[
                ("event.dataset", Value::from("finmark.http")),
                ("url.path", Value::from(path)),
                ("event.duration", ms),
            ],
        )
    };
    let events = vec![
        http("2026-01-15T10:00:05Z", "/a", Value::from(10)),
        http("2026-01-15T10:00:50Z", "/a", Value::from(30)),
        http("2026-01-15T10:01:00Z", "/a", Value::from(-4)),
        http("2026-01-15T11:30:00Z", "/a", Value::Float(2.5)),
        http("2026-01-15T10:00:10Z", "/b", Value::from(7)),
        // Left out: another dataset, a missing and a non-numeric duration.
        event(
            t("2026-01-15T10:00:00Z"),
            &[
                ("url.path", Value::from("/a")),
                ("event.duration", Value::from(99)),
            ],
        ),
        http("2026-01-15T10:00:00Z", "/a", Value::Null),
        http("2026-01-15T10:00:00Z", "/a", Value::from("12")),
    ];
    let update = rollups
        .deltas(&events, t("2026-01-15T12:00:00Z"))
        .finish(&());
    assert_eq!(update.report.samples, 5);
    assert_eq!(update.report.not_numeric, 2);
    let got: BTreeMap<_, _> = update
        .buckets
        .into_iter()
        .map(|b| (b.key, b.bucket))
        .collect();
    // /a: minute 10:00 has 10 and 30, 10:01 has −4, 11:30 has 2.5; /b: 7 at 10:00.
    // For /a three minute buckets, hours 10 and 11, and the day; for /b one of each level.
    assert_eq!(got.len(), 3 + 2 + 1 + 3);
    let stats = |k: BucketKey| {
        let b = &got[&k];
        (
            b.count(),
            b.sum(),
            b.min().unwrap(),
            b.max().unwrap(),
            b.sum_squares(),
        )
    };
    let a = r#"["/a"]"#;
    assert_eq!(
        stats(key("latency", Level::Minute, "2026-01-15T10:00:00Z", a)),
        (2, 40.0, 10.0, 30.0, 1_000.0)
    );
    assert_eq!(
        stats(key("latency", Level::Minute, "2026-01-15T10:01:00Z", a)),
        (1, -4.0, -4.0, -4.0, 16.0)
    );
    // Hour 10: 10 + 30 − 4 = 36; squares 100 + 900 + 16 = 1,016.
    assert_eq!(
        stats(key("latency", Level::Hour, "2026-01-15T10:00:00Z", a)),
        (3, 36.0, -4.0, 30.0, 1_016.0)
    );
    // The day adds 2.5: sum 38.5, squares 1,016 + 6.25.
    assert_eq!(
        stats(key("latency", Level::Day, "2026-01-15T00:00:00Z", a)),
        (4, 38.5, -4.0, 30.0, 1_022.25)
    );
    assert_eq!(
        stats(key(
            "latency",
            Level::Day,
            "2026-01-15T00:00:00Z",
            r#"["/b"]"#
        )),
        (1, 7.0, 7.0, 7.0, 49.0)
    );
    let day = &got[&key("latency", Level::Day, "2026-01-15T00:00:00Z", a)];
    // Mean 38.5 / 4 = 9.625.
    assert_eq!(day.mean(), Some(9.625));
}

#[test]
fn minute_buckets_merge_into_the_same_hours_and_days_as_direct_computation() {
    let rollups = Rollups::new(vec![spec(
        r#"{"name": "bytes", "measure": {"field": "http.response.body.bytes"},
            "group_by": ["source.ip"], "distinct": "user.name"}"#,
    )])
    .unwrap();
    let mut rng = Lcg(7);
    let start = t("2026-01-15T00:00:00Z");
    let events: Vec<Event> = (0..20_000)
        .map(|_| {
            let at = start + Duration::seconds((rng.next() % (2 * 86_400)) as i64);
            event(
                at,
                &[
                    (
                        "source.ip",
                        Value::from(format!("10.0.0.{}", rng.next() % 5)),
                    ),
                    ("user.name", Value::from(format!("u{}", rng.next() % 700))),
                    (
                        "http.response.body.bytes",
                        Value::from((rng.next() % 50_000) as i64 + 1),
                    ),
                ],
            )
        })
        .collect();
    let got = deltas(&rollups, &events, t("2026-01-17T00:00:00Z"));
    let spec = rollups.get("bytes").unwrap();
    for coarse in [Level::Hour, Level::Day] {
        let q = MetricQuery {
            measure: spec.measure.clone(),
            group_by: vec!["source.ip".into()],
            distinct: Some("user.name".into()),
            interval: coarse,
            ..MetricQuery::default()
        };
        let level_rows = |level: Level| {
            let buckets = got
                .iter()
                .filter(|(k, _)| k.level == level)
                .map(|(k, b)| KeyedBucket {
                    key: k.clone(),
                    bucket: b.clone(),
                });
            rows(q.run(&q.from_buckets(spec, buckets).unwrap()).unwrap())
        };
        let from_minutes = level_rows(Level::Minute);
        let from_level = level_rows(coarse);
        let from_events = rows(q.run(&q.from_events(&events).unwrap()).unwrap());
        assert_eq!(
            from_minutes.len(),
            if coarse == Level::Hour { 48 * 5 } else { 2 * 5 }
        );
        // Whole numbers: every statistic agrees exactly, sketches included (bins add,
        // registers take the maximum).
        assert_eq!(from_minutes, from_level, "{coarse}");
        assert_eq!(from_minutes, from_events, "{coarse}");
        assert_eq!(from_minutes.iter().map(|r| r.count).sum::<u64>(), 20_000);
    }
}

#[test]
fn sketch_quantiles_are_within_one_percent_of_the_exact_values() {
    let events: Vec<Event> = (1..=10_000)
        .map(|i| event(t("2026-01-15T10:00:00Z"), &[("v", Value::from(i))]))
        .collect();
    let q = query(r#"{"measure": {"field": "v"}, "interval": "1d"}"#);
    let row = rows(q.run(&q.from_events(&events).unwrap()).unwrap()).remove(0);
    // The values 1..=10,000: the value of rank ⌊q·9,999⌋ (0-based) is that rank + 1.
    for (got, exact) in [(row.p50, 5_000.0), (row.p95, 9_500.0), (row.p99, 9_900.0)] {
        let got = got.unwrap();
        assert!((got / exact - 1.0).abs() <= 0.01, "{got} vs {exact}");
    }
    assert_eq!((row.min, row.max, row.sum), (1.0, 10_000.0, 50_005_000.0));
    // Population standard deviation of 1..=n is √((n² − 1)/12) = 2,886.7513…
    assert!((row.stddev - ((1e8f64 - 1.0) / 12.0).sqrt()).abs() < 1e-6);
}

#[test]
fn distinct_counts_are_within_the_hyperloglog_error() {
    let ips = |n: u32| -> Vec<Event> {
        (0..n)
            .flat_map(|i| {
                let ip = Value::from(format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255));
                // Every address twice: it counts once.
                [0, 1].map(|s| {
                    event(
                        t("2026-01-15T10:00:00Z") + Duration::seconds(s),
                        &[("source.ip", ip.clone())],
                    )
                })
            })
            .collect()
    };
    let q = query(r#"{"distinct": "source.ip", "interval": "1d"}"#);
    let small = rows(q.run(&q.from_events(&ips(300)).unwrap()).unwrap()).remove(0);
    assert_eq!((small.count, small.distinct), (600, Some(300)));
    let large = rows(q.run(&q.from_events(&ips(60_000)).unwrap()).unwrap()).remove(0);
    // Standard error 1.04/√16,384 = 0.81 %; three of them: 2.4 %.
    let d = large.distinct.unwrap() as f64;
    assert!((d / 60_000.0 - 1.0).abs() < 0.024, "{d}");
}

/// Three days of hourly traffic: hour h of every day has h + 1 requests, except a spike of
/// 100 at 12:00 on the second day.
fn traffic() -> Vec<Event> {
    let mut events = Vec::new();
    for day in 0..3 {
        for hour in 0..24i64 {
            let n = if day == 1 && hour == 12 {
                100
            } else {
                hour + 1
            };
            for i in 0..n {
                let at = t("2026-01-14T00:00:00Z")
                    + Duration::hours(day * 24 + hour)
                    + Duration::seconds(i);
                events.push(event(at, &[("url.path", Value::from("/api"))]));
            }
        }
    }
    events
}

#[test]
fn the_24_hour_pattern_and_the_peak_of_hand_made_traffic() {
    let events = traffic();
    let q = query(
        r#"{"view": "pattern", "interval": "1h",
            "since": "2026-01-14T00:00:00Z", "until": "2026-01-17T00:00:00Z"}"#,
    );
    let Answer::Pattern(profile) = q.run(&q.from_events(&events).unwrap()).unwrap() else {
        panic!("not a pattern")
    };
    assert_eq!(profile.len(), 24);
    assert_eq!(profile[3].hour, 3);
    // Hour 3: 4, 4, 4.
    assert_eq!(
        (profile[3].days, profile[3].median, profile[3].mean),
        (3, Some(4.0), Some(4.0))
    );
    // Hour 12: 13, 100, 13 → sorted 13, 13, 100: median 13, mean 42, p95 at rank 0.95·2 = 1.9:
    // 13 + 0.9 · 87 = 91.3.
    let noon = &profile[12];
    assert_eq!((noon.median, noon.mean), (Some(13.0), Some(42.0)));
    assert!((noon.p95.unwrap() - 91.3).abs() < 1e-9);

    // A fourth day in the range without traffic counts as zeros.
    let q = query(
        r#"{"view": "pattern", "since": "2026-01-14T00:00:00Z", "until": "2026-01-18T00:00:00Z"}"#,
    );
    let Answer::Pattern(profile) = q.run(&q.from_events(&events).unwrap()).unwrap() else {
        panic!("not a pattern")
    };
    // Hour 3: 0, 4, 4, 4: median 4, mean 3.
    assert_eq!(
        (profile[3].days, profile[3].median, profile[3].mean),
        (4, Some(4.0), Some(3.0))
    );

    let q =
        query(r#"{"view": "peak", "interval": "1h", "statistic": "rate", "rate": "per_minute"}"#);
    let Answer::Peaks(peaks) = q.run(&q.from_events(&events).unwrap()).unwrap() else {
        panic!("not peaks")
    };
    assert_eq!(peaks.len(), 1);
    // 100 requests in the hour 2026-01-15T12:00: 100/60 per minute.
    assert_eq!(peaks[0].start, t("2026-01-15T12:00:00Z"));
    assert!((peaks[0].value - 100.0 / 60.0).abs() < 1e-12);
    assert_eq!(peaks[0].intervals, 72);
    // The 95th percentile of the 72 hourly rates is far below the spike: the hourly counts
    // sorted are 1,1,1,2,2,2,…; rank 0.95·71 = 67.45 lies among the three 23s and 24s
    // (ranks 66–68 are 23, 23, 24 → 23 + 0.45 · 1 = 23.45 requests).
    assert!(
        (peaks[0].p95 - 23.45 / 60.0).abs() < 1e-12,
        "{}",
        peaks[0].p95
    );
}

#[test]
fn top_keys_rank_groups_by_their_total() {
    let mut events = Vec::new();
    for (ip, n) in [
        ("10.0.0.1", 5),
        ("10.0.0.2", 50),
        ("10.0.0.3", 20),
        ("10.0.0.4", 1),
    ] {
        for i in 0..n {
            let at = t("2026-01-15T08:00:00Z") + Duration::minutes(i);
            events.push(event(at, &[("source.ip", Value::from(ip))]));
        }
    }
    let q = query(r#"{"view": "top", "group_by": ["source.ip"], "limit": 2, "interval": "1m"}"#);
    let top = rows(q.run(&q.from_events(&events).unwrap()).unwrap());
    let got: Vec<(Value, u64)> = top
        .iter()
        .map(|r| (r.group.get("source.ip").unwrap().clone(), r.count))
        .collect();
    assert_eq!(
        got,
        vec![(Value::from("10.0.0.2"), 50), (Value::from("10.0.0.3"), 20)]
    );
    assert_eq!(top[0].start, t("2026-01-15T08:00:00Z"));
}

#[test]
fn groups_beyond_the_limit_go_to_the_counted_overflow_group() {
    let rollups = Rollups::new(vec![spec(
        r#"{"name": "by_ip", "measure": "count", "group_by": ["source.ip"], "max_groups": 2}"#,
    )])
    .unwrap();
    let at = t("2026-01-15T10:00:00Z");
    let batch = |ips: &[&str]| -> Vec<Event> {
        ips.iter()
            .map(|ip| event(at, &[("source.ip", Value::from(*ip))]))
            .collect()
    };
    let now = t("2026-01-15T11:00:00Z");
    // First come, first served: .1 and .2 are kept; .3 and .4 (three events) overflow.
    let first = rollups
        .deltas(
            &batch(&[
                "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.3", "10.0.0.4", "10.0.0.3",
            ]),
            now,
        )
        .finish(&());
    assert_eq!(first.report.to_other, 3);
    let mut stored: BTreeMap<BucketKey, Bucket> = BTreeMap::new();
    for b in first.buckets {
        stored.entry(b.key).or_default().merge(&b.bucket);
    }
    let day = |group: &str| {
        stored
            .get(&key("by_ip", Level::Day, "2026-01-15T00:00:00Z", group))
            .map(Bucket::count)
    };
    assert_eq!(day(r#"["10.0.0.1"]"#), Some(2));
    assert_eq!(day(r#"["10.0.0.2"]"#), Some(1));
    assert_eq!(day("*"), Some(3));
    assert_eq!(day(r#"["10.0.0.3"]"#), None);
    // Each level has the same groups, so minutes still add up to the day.
    let minute_other = stored
        .get(&key("by_ip", Level::Minute, "2026-01-15T10:00:00Z", "*"))
        .map(Bucket::count);
    assert_eq!(minute_other, Some(3));

    // A later batch: the stored groups take the day's room, so a new address overflows even
    // though the batch alone has room, while a stored one keeps its own bucket.
    let second = rollups.deltas(&batch(&["10.0.0.5", "10.0.0.2"]), now);
    let lookups = second.lookups();
    assert_eq!(lookups.len(), 1);
    assert_eq!(lookups[0].groups.len(), 2);
    let second = second.finish(&stored);
    assert_eq!(second.report.to_other, 1);
    let groups: Vec<&str> = second
        .buckets
        .iter()
        .filter(|b| b.key.level == Level::Day)
        .map(|b| b.key.group.as_str())
        .collect();
    assert_eq!(groups, vec!["*", r#"["10.0.0.2"]"#]);

    // A query over the rollup shows the overflow group as such.
    let q = query(r#"{"group_by": ["source.ip"], "interval": "1d"}"#);
    let buckets = stored.iter().map(|(k, b)| KeyedBucket {
        key: k.clone(),
        bucket: b.clone(),
    });
    let rows = rows(
        q.run(
            &q.from_buckets(
                rollups.get("by_ip").unwrap(),
                buckets.filter(|b| b.key.level == Level::Day),
            )
            .unwrap(),
        )
        .unwrap(),
    );
    let other = rows.iter().find(|r| r.other).unwrap();
    assert_eq!(other.count, 3);
    assert_eq!(
        serde_json::to_value(other).unwrap()["group"],
        serde_json::json!({"source.ip": null})
    );
}

#[test]
fn deltas_round_trip_through_json_and_bytes() {
    let rollups = Rollups::new(vec![spec(
        r#"{"name": "d", "measure": {"field": "event.duration"}, "distinct": "user.name"}"#,
    )])
    .unwrap();
    let events: Vec<Event> = (0..500)
        .map(|i| {
            event(
                t("2026-01-15T10:00:00Z") + Duration::seconds(i),
                &[
                    ("event.duration", Value::Float(i as f64 * 1.5)),
                    ("user.name", Value::from(format!("u{}", i % 40))),
                ],
            )
        })
        .collect();
    let update = rollups
        .deltas(&events, t("2026-01-15T12:00:00Z"))
        .finish(&());
    let json = serde_json::to_string(&update).unwrap();
    let back: finmark::metrics::RollupUpdate = serde_json::from_str(&json).unwrap();
    assert_eq!(back.buckets.len(), update.buckets.len());
    for (a, b) in update.buckets.iter().zip(&back.buckets) {
        assert_eq!(a.key, b.key);
        assert_eq!(a.bucket.to_bytes(), b.bucket.to_bytes());
        let decoded = Bucket::from_bytes(&a.bucket.to_bytes()).unwrap();
        for q in [0.5, 0.95, 0.99] {
            assert_eq!(decoded.quantile(q), a.bucket.quantile(q));
        }
        assert_eq!(
            (decoded.count(), decoded.sum(), decoded.distinct()),
            (a.bucket.count(), a.bucket.sum(), a.bucket.distinct())
        );
    }
    assert_eq!(update.buckets.last().unwrap().bucket.distinct(), Some(40));
}

#[test]
fn retention_cuts_old_buckets_and_drops_late_events_for_them() {
    let rollups = Rollups::new(vec![spec(
        r#"{"name": "r", "measure": "count", "retention": {"1m": 3600, "1h": 86400, "1d": 864000}}"#,
    )])
    .unwrap();
    let now = t("2026-01-15T12:00:30Z");
    let cutoffs = rollups.cutoffs(now);
    let before: Vec<(Level, DateTime<Utc>)> = cutoffs.iter().map(|c| (c.level, c.before)).collect();
    assert_eq!(
        before,
        vec![
            (Level::Minute, t("2026-01-15T11:00:00Z")),
            (Level::Hour, t("2026-01-14T12:00:00Z")),
            (Level::Day, t("2026-01-05T00:00:00Z")),
        ]
    );
    // Late by two hours: past the minute retention, kept at the hour and day levels.
    let late = [event(t("2026-01-15T10:00:00Z"), &[])];
    let update = rollups.deltas(&late, now).finish(&());
    let levels: Vec<Level> = update.buckets.iter().map(|b| b.key.level).collect();
    assert_eq!(levels, vec![Level::Hour, Level::Day]);
    assert_eq!(update.report.past_retention, 1);
    // Twenty days late: dropped at every level.
    let ancient = [event(t("2025-12-26T10:00:00Z"), &[])];
    let update = rollups.deltas(&ancient, now).finish(&());
    assert!(update.buckets.is_empty());
    assert_eq!(update.report.past_retention, 1);
}

#[test]
fn the_rollup_and_raw_event_paths_agree_on_a_regrouped_filtered_query() {
    let rollups = Rollups::new(vec![
        spec(r#"{"name": "all_requests", "measure": "count"}"#),
        spec(
            r#"{"name": "latency", "measure": {"field": "event.duration"},
                "where": {"event.dataset": "finmark.http"},
                "group_by": ["url.path", "http.response.status_code"], "distinct": "source.ip"}"#,
        ),
    ])
    .unwrap();
    let mut rng = Lcg(42);
    let paths = ["/api/v1/balance", "/api/v1/orders", "/health"];
    let statuses = [200, 200, 200, 404, 500];
    let events: Vec<Event> = (0..30_000)
        .map(|i| {
            let at = t("2026-01-15T00:00:00Z") + Duration::seconds(i * 3);
            event(
                at,
                &[
                    ("event.dataset", Value::from("finmark.http")),
                    ("url.path", Value::from(paths[(rng.next() % 3) as usize])),
                    (
                        "http.response.status_code",
                        Value::from(statuses[(rng.next() % 5) as usize]),
                    ),
                    (
                        "source.ip",
                        Value::from(format!("203.0.113.{}", rng.next() % 200)),
                    ),
                    // Nanoseconds: log-uniform between 1 ms and 1 s.
                    (
                        "event.duration",
                        Value::from(
                            (1e6 * 1000f64.powf((rng.next() % 10_000) as f64 / 10_000.0)) as i64,
                        ),
                    ),
                ],
            )
        })
        .collect();
    let now = t("2026-01-16T06:00:00Z");
    let update = rollups.deltas(&events, now).finish(&());
    let q = query(
        r#"{"measure": {"field": "event.duration"},
            "where": {"event.dataset": "finmark.http", "http.response.status_code": 500},
            "group_by": ["url.path"], "distinct": "source.ip", "interval": "1h",
            "since": "2026-01-15T03:20:00Z", "until": "2026-01-15T20:00:00Z"}"#,
    );
    assert_eq!(
        q.source(&rollups, now),
        Source::Rollup {
            rollup: "latency".into(),
            level: Level::Hour
        }
    );
    let hours: Vec<KeyedBucket> = update
        .buckets
        .into_iter()
        .filter(|b| b.key.rollup == "latency" && b.key.level == Level::Hour)
        .collect();
    let latency = rollups.get("latency").unwrap();
    let from_rollup = rows(
        q.run(&q.from_buckets(latency, hours.clone()).unwrap())
            .unwrap(),
    );
    let from_events = rows(q.run(&q.from_events(&events).unwrap()).unwrap());
    // A query without a distinct count gets none from the rollup's sketches either.
    let plain = MetricQuery {
        distinct: None,
        ..q.clone()
    };
    let plain_rows = rows(
        plain
            .run(&plain.from_buckets(latency, hours).unwrap())
            .unwrap(),
    );
    assert!(plain_rows.iter().all(|r| r.distinct.is_none()));
    assert_eq!(
        plain_rows,
        rows(plain.run(&plain.from_events(&events).unwrap()).unwrap())
    );
    // Hours 03 to 19, three paths.
    assert_eq!(from_rollup.len(), 17 * 3);
    assert_eq!(from_rollup, from_events);

    // And both within the sketch guarantee of the exact answer, row by row.
    for row in &from_rollup {
        let start = row.start;
        let mut exact: Vec<i64> = events
            .iter()
            .filter(|e| e.time >= start && e.time < start + Duration::hours(1))
            .filter(|e| e.get("http.response.status_code") == Some(&Value::from(500)))
            .filter(|e| Some(e.get("url.path").unwrap()) == row.group.get("url.path"))
            .map(|e| e.get("event.duration").unwrap().as_i64().unwrap())
            .collect();
        exact.sort_unstable();
        assert_eq!(row.count as usize, exact.len());
        assert_eq!(row.sum, exact.iter().sum::<i64>() as f64);
        assert_eq!(
            (row.min, row.max),
            (exact[0] as f64, *exact.last().unwrap() as f64)
        );
        for (got, q) in [(row.p50, 0.5), (row.p95, 0.95), (row.p99, 0.99)] {
            let want = exact[(q * (exact.len() - 1) as f64) as usize] as f64;
            assert!(
                (got.unwrap() / want - 1.0).abs() <= 0.01,
                "{got:?} vs {want}"
            );
        }
    }

    // Queries no rollup covers go to the events.
    let by_ip = query(r#"{"group_by": ["source.ip"], "since": "2026-01-15T00:00:00Z"}"#);
    assert_eq!(
        by_ip.source(&rollups, now),
        Source::Events {
            since: Some(t("2026-01-15T00:00:00Z")),
            until: None
        }
    );
    // Older than the minute retention (3 days): not from the rollup's minute buckets.
    let old = query(r#"{"interval": "1m", "since": "2026-01-10T00:00:00Z"}"#);
    assert!(matches!(old.source(&rollups, now), Source::Events { .. }));
    let recent = query(r#"{"interval": "1m", "since": "2026-01-15T00:00:00Z"}"#);
    assert_eq!(
        recent.source(&rollups, now),
        Source::Rollup {
            rollup: "all_requests".into(),
            level: Level::Minute
        }
    );
}

#[test]
fn rows_have_the_documented_json_shape() {
    let events = [event(
        t("2026-01-15T10:00:00Z"),
        &[
            ("url.path", Value::from("/a")),
            ("user.name", Value::from("ann")),
        ],
    )];
    let q = query(r#"{"group_by": ["url.path"], "distinct": "user.name", "rate": "per_second"}"#);
    let row = rows(q.run(&q.from_events(&events).unwrap()).unwrap()).remove(0);
    assert_eq!(
        serde_json::to_string(&row).unwrap(),
        r#"{"start":"2026-01-15T10:00:00Z","group":{"url.path":"/a"},"count":1,"sum":1.0,"min":1.0,"max":1.0,"mean":1.0,"stddev":0.0,"p50":1.0,"p95":1.0,"p99":1.0,"distinct":1,"rate":0.0002777777777777778}"#
    );
}

#[test]
fn bad_queries_and_declarations_say_what_is_wrong() {
    let e = serde_json::from_str::<MetricQuery>(r#"{"intervl": "1h"}"#).unwrap_err();
    assert!(e.to_string().contains("intervl"), "{e}");
    let e = serde_json::from_str::<MetricQuery>(r#"{"interval": "5m"}"#).unwrap_err();
    assert!(e.to_string().contains("5m"), "{e}");
    let q = MetricQuery {
        view: View::Pattern,
        interval: Level::Day,
        ..MetricQuery::default()
    };
    assert!(q.validate().unwrap_err().message().contains("1h or 1m"));
    let q = MetricQuery {
        statistic: Statistic::Distinct,
        ..MetricQuery::default()
    };
    assert!(q.validate().unwrap_err().message().contains("distinct"));
    let q = query(r#"{"since": "2026-01-15T00:00:00Z", "until": "2026-01-14T00:00:00Z"}"#);
    assert!(
        q.from_events(&[])
            .unwrap_err()
            .message()
            .contains("not before")
    );
    let twice = Rollups::new(vec![
        RollupSpec::new("a", Measure::Count),
        RollupSpec::new("a", Measure::Count),
    ]);
    assert!(twice.unwrap_err().message().contains("declared twice"));
    // A rollup that does not cover a query refuses to answer it.
    let spec = RollupSpec::new("a", Measure::Count);
    let e = query(r#"{"group_by": ["host.name"]}"#)
        .from_buckets(&spec, [])
        .unwrap_err();
    assert!(e.message().contains("not grouped by host.name"), "{e}");
}
