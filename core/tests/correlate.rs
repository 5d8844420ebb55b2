//! Sigma correlations evaluated over hand-made event streams; every expected firing is
//! written out by hand. Times are seconds after 2026-03-01T09:00:00Z.

use finmark::correlate::{
    CorrelationConfig, CorrelationMatch, CorrelationState, Correlator, RuleHit, TimeMode,
};
use finmark::event::Fields;
use finmark::{Event, RuleSet, Value};

/// 2026-03-01T09:00:00Z.
const T0: i64 = 1_772_355_600;

const BASE: &str = "title: Failed login
name: failed_login
logsource: {category: authentication}
detection:
    selection: {event.outcome: failure}
    condition: selection
---
title: Successful login
name: successful_login
logsource: {category: authentication}
detection:
    selection: {event.outcome: success}
    condition: selection
---
title: Transfer
name: transfer
logsource: {category: payments}
detection:
    selection: {event.action: transfer}
    condition: selection
---
title: Recon whoami
name: recon_a
logsource: {category: process_creation}
detection:
    selection: {process.name: whoami}
    condition: selection
---
title: Recon net
name: recon_b
logsource: {category: process_creation}
detection:
    selection: {process.name: net}
    condition: selection
---
title: Recon ipconfig
name: recon_c
logsource: {category: process_creation}
detection:
    selection: {process.name: ipconfig}
    condition: selection
";

/// An event at `secs` after T0 with these fields (and an id).
fn event(id: &str, secs: i64, fields: &[(&str, Value)]) -> Event {
    let mut f = Fields::new();
    f.insert("event.id", id);
    f.insert("@timestamp", secs_to_rfc3339(secs));
    for (k, v) in fields {
        f.insert(*k, v.clone());
    }
    Event::new(f)
}

fn secs_to_rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(T0 + secs, 0)
        .unwrap()
        .to_rfc3339()
}

fn login(id: &str, secs: i64, ip: &str, user: &str, outcome: &str) -> Event {
    event(
        id,
        secs,
        &[
            ("source.ip", ip.into()),
            ("user.name", user.into()),
            ("event.outcome", outcome.into()),
        ],
    )
}

fn failure(id: &str, secs: i64, ip: &str) -> Event {
    login(id, secs, ip, "alice", "failure")
}

fn rules(correlations: &str) -> RuleSet {
    let rules = RuleSet::builder()
        .yaml(&format!("{BASE}---\n{correlations}"), "rules.yml")
        .build()
        .unwrap();
    assert!(rules.rejected().is_empty(), "{:?}", rules.rejected());
    rules
}

fn correlator(correlations: &str, config: CorrelationConfig) -> Correlator {
    let c = Correlator::new(&rules(correlations), config).unwrap();
    assert!(c.rejected().is_empty(), "{:?}", c.rejected());
    c
}

/// Matches `events` and advances `state` by their hits, in one batch.
fn advance(
    rules: &RuleSet,
    c: &Correlator,
    state: &mut CorrelationState,
    events: &[Event],
) -> Vec<CorrelationMatch> {
    let matches = rules.match_events(events);
    let hits = matches
        .iter()
        .map(|m| RuleHit::new(m, &events[m.event_index - 1]));
    c.advance(state, hits)
}

/// What the tests compare: rule id, group as `k=v` pairs, first and last time (seconds
/// after T0), events.
type Fired = (String, String, i64, i64, u64);

fn fired(firings: &[CorrelationMatch]) -> Vec<Fired> {
    firings
        .iter()
        .map(|f| {
            let group: Vec<String> = f.group.iter().map(|(k, v)| format!("{k}={v}")).collect();
            (
                f.rule_id.clone(),
                group.join(","),
                f.first_time.timestamp() - T0,
                f.last_time.timestamp() - T0,
                f.events,
            )
        })
        .collect()
}

fn f(rule: &str, group: &str, first: i64, last: i64, events: u64) -> Fired {
    (rule.into(), group.into(), first, last, events)
}

/// Runs `events` in one batch through fresh rules and state.
fn run(correlations: &str, events: &[Event]) -> Vec<Fired> {
    run_with(correlations, CorrelationConfig::default(), events)
}

fn run_with(correlations: &str, config: CorrelationConfig, events: &[Event]) -> Vec<Fired> {
    let rules = rules(correlations);
    let c = Correlator::new(&rules, config).unwrap();
    assert!(c.rejected().is_empty(), "{:?}", c.rejected());
    let mut state = c.new_state();
    fired(&advance(&rules, &c, &mut state, events))
}

const BRUTE_FORCE: &str = "title: Brute force
id: brute-force
level: high
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [source.ip]
    timespan: 5m
    condition: {gte: 5}
";

#[test]
fn event_count_fires_at_the_threshold_and_once_per_timespan() {
    let mut events: Vec<Event> = (0..5)
        .map(|i| failure(&format!("a{i}"), i * 60, "10.0.0.1"))
        .collect();
    // Within the quiet time after the firing at 240: these enter the window but do not fire.
    events.extend((0..6).map(|i| failure(&format!("b{i}"), 250 + i * 10, "10.0.0.1")));
    // 541 is more than 300 s after 240; its window 241..=541 holds 250..300 (6) and 541.
    events.push(failure("c0", 541, "10.0.0.1"));
    assert_eq!(
        run(BRUTE_FORCE, &events),
        [
            f("brute-force", "source.ip=10.0.0.1", 0, 240, 5),
            f("brute-force", "source.ip=10.0.0.1", 250, 541, 7),
        ]
    );
}

#[test]
fn event_count_near_misses() {
    // One below the threshold.
    let four: Vec<Event> = (0..4)
        .map(|i| failure(&format!("e{i}"), i, "10.0.0.1"))
        .collect();
    assert_eq!(run(BRUTE_FORCE, &four), []);
    // Just outside the timespan: 0 and 301 are 301 s apart.
    let spread: Vec<Event> = [0, 75, 150, 225, 301]
        .iter()
        .map(|&s| failure(&format!("e{s}"), s, "10.0.0.1"))
        .collect();
    assert_eq!(run(BRUTE_FORCE, &spread), []);
    // Exactly the timespan apart is inside.
    let edge: Vec<Event> = [0, 75, 150, 225, 300]
        .iter()
        .map(|&s| failure(&format!("e{s}"), s, "10.0.0.1"))
        .collect();
    assert_eq!(
        run(BRUTE_FORCE, &edge),
        [f("brute-force", "source.ip=10.0.0.1", 0, 300, 5)]
    );
}

#[test]
fn groups_are_never_combined() {
    // Hayabusa 1839: 3 failures from one source and 2 from another are not 5 from one.
    let events: Vec<Event> = (0..5)
        .map(|i| {
            let ip = if i % 2 == 0 { "10.0.0.1" } else { "10.0.0.2" };
            failure(&format!("e{i}"), i, ip)
        })
        .collect();
    assert_eq!(run(BRUTE_FORCE, &events), []);
    // Two group-by fields: the same source against two users is two groups.
    let by_both = BRUTE_FORCE.replace("[source.ip]", "[source.ip, user.name]");
    let events: Vec<Event> = (0..6)
        .map(|i| {
            let user = if i < 3 { "alice" } else { "bob" };
            login(&format!("e{i}"), i, "10.0.0.1", user, "failure")
        })
        .collect();
    assert_eq!(run(&by_both.replace("gte: 5", "gte: 3"), &events).len(), 2);
    assert_eq!(
        run(&by_both.replace("gte: 5", "gte: 4"), &events),
        [],
        "3 per (source, user) never reach 4"
    );
}

#[test]
fn comparisons_are_honoured() {
    // Velociraptor ignored gt and lt: gt 3 needs 4, lt 3 holds at the first hit.
    let events: Vec<Event> = (0..4)
        .map(|i| failure(&format!("e{i}"), i, "10.0.0.1"))
        .collect();
    let gt = BRUTE_FORCE.replace("gte: 5", "gt: 3");
    assert_eq!(
        run(&gt, &events[..3]),
        [],
        "three failures are not more than three"
    );
    assert_eq!(
        run(&gt, &events),
        [f("brute-force", "source.ip=10.0.0.1", 0, 3, 4)]
    );
    let lt = BRUTE_FORCE.replace("gte: 5", "lt: 3");
    assert_eq!(
        run(&lt, &events),
        [f("brute-force", "source.ip=10.0.0.1", 0, 0, 1)]
    );
    // A range: more than 1 and at most 2, checked at each hit.
    let range = BRUTE_FORCE.replace("gte: 5", "gt: 1, lte: 2");
    assert_eq!(
        run(&range, &events),
        [f("brute-force", "source.ip=10.0.0.1", 0, 1, 2)]
    );
    let eq = BRUTE_FORCE.replace("gte: 5", "eq: 3");
    assert_eq!(
        run(&eq, &events),
        [f("brute-force", "source.ip=10.0.0.1", 0, 2, 3)]
    );
    let neq = BRUTE_FORCE.replace("gte: 5", "neq: 1");
    assert_eq!(
        run(&neq, &events),
        [f("brute-force", "source.ip=10.0.0.1", 0, 1, 2)]
    );
}

const SPRAY: &str = "title: Password spray
id: spray
correlation:
    type: value_count
    rules: [failed_login]
    group-by: [source.ip]
    timespan: 10m
    condition: {field: user.name, gte: 4}
";

#[test]
fn value_count_counts_distinct_values() {
    let users = ["u1", "u1", "u2", "u3", "u2", "u4", "u5"];
    let events: Vec<Event> = users
        .iter()
        .enumerate()
        .map(|(i, u)| login(&format!("e{i}"), i as i64 * 30, "10.0.0.9", u, "failure"))
        .collect();
    // u1 u1 u2 u3 u2: 3 distinct; u4 at 150 makes 4.
    assert_eq!(
        run(SPRAY, &events),
        [f("spray", "source.ip=10.0.0.9", 0, 150, 6)]
    );
    assert_eq!(run(SPRAY, &events[..5]), [], "one distinct value short");
    // A failure without user.name takes no part; nor does one of another source.
    let mut events: Vec<Event> = ["u1", "u2", "u3"]
        .iter()
        .enumerate()
        .map(|(i, u)| login(&format!("e{i}"), i as i64, "10.0.0.9", u, "failure"))
        .collect();
    events.push(event(
        "no-user",
        4,
        &[
            ("source.ip", "10.0.0.9".into()),
            ("event.outcome", "failure".into()),
        ],
    ));
    events.push(login("other", 5, "10.0.0.10", "u4", "failure"));
    assert_eq!(run(SPRAY, &events), []);
}

#[test]
fn value_count_past_the_cap_uses_hyperloglog() {
    let config = CorrelationConfig {
        max_distinct_values: 4,
        ..CorrelationConfig::default()
    };
    let rules = rules(&SPRAY.replace("gte: 4", "gte: 150"));
    let c = Correlator::new(&rules, config).unwrap();
    let mut state = c.new_state();
    let events: Vec<Event> = (0..200)
        .map(|i| {
            login(
                &format!("e{i}"),
                i,
                "10.0.0.9",
                &format!("user{i}"),
                "failure",
            )
        })
        .collect();
    let firings = advance(&rules, &c, &mut state, &events);
    assert_eq!(firings.len(), 1);
    // 150 distinct users estimated within a few percent: the firing lands near the 150th.
    let at = firings[0].last_time.timestamp() - T0;
    assert!((140..=160).contains(&at), "fired at {at}");
    assert_eq!(state.stats().sketched_groups, 1);
}

const RECON: &str = "title: Recon burst
id: recon
correlation:
    type: temporal
    rules: [recon_a, recon_b, recon_c]
    group-by: [host.name]
    timespan: 5m
";

fn process(id: &str, secs: i64, host: &str, name: &str) -> Event {
    event(
        id,
        secs,
        &[("host.name", host.into()), ("process.name", name.into())],
    )
}

#[test]
fn temporal_needs_every_rule_without_a_condition() {
    let two = [
        process("a", 0, "h1", "whoami"),
        process("b", 10, "h1", "net"),
        process("b2", 20, "h1", "net"),
    ];
    assert_eq!(run(RECON, &two), [], "two of three rules do not fire");
    let mut three = two.to_vec();
    three.push(process("c", 30, "h1", "ipconfig"));
    assert_eq!(run(RECON, &three), [f("recon", "host.name=h1", 0, 30, 4)]);
    // Any order.
    let reversed = [
        process("c", 0, "h1", "ipconfig"),
        process("b", 1, "h1", "net"),
        process("a", 2, "h1", "whoami"),
    ];
    assert_eq!(run(RECON, &reversed), [f("recon", "host.name=h1", 0, 2, 3)]);
    // Just outside the timespan: whoami at 0 has left the window when ipconfig comes at 301.
    let late = [
        process("a", 0, "h1", "whoami"),
        process("b", 10, "h1", "net"),
        process("c", 301, "h1", "ipconfig"),
    ];
    assert_eq!(run(RECON, &late), []);
    // On another host it is another group.
    let split = [
        process("a", 0, "h1", "whoami"),
        process("b", 1, "h1", "net"),
        process("c", 2, "h2", "ipconfig"),
    ];
    assert_eq!(run(RECON, &split), []);
    // With a condition, two rules are enough.
    let with = RECON.replace("timespan: 5m\n", "timespan: 5m\n    condition: {gte: 2}\n");
    assert_eq!(run(&with, &two), [f("recon", "host.name=h1", 0, 10, 2)]);
}

#[test]
fn temporal_ordered_enforces_the_whole_order() {
    let ordered = RECON.replace("type: temporal", "type: temporal_ordered");
    // Hayabusa 1810: after the first rule, the order of the others counts too.
    let wrong = [
        process("a", 0, "h1", "whoami"),
        process("c", 10, "h1", "ipconfig"),
        process("b", 20, "h1", "net"),
    ];
    assert_eq!(run(&ordered, &wrong), []);
    let mut then_right = wrong.to_vec();
    then_right.push(process("c2", 30, "h1", "ipconfig"));
    assert_eq!(
        run(&ordered, &then_right),
        [f("recon", "host.name=h1", 0, 30, 4)]
    );
    let backwards = [
        process("c", 0, "h1", "ipconfig"),
        process("b", 1, "h1", "net"),
        process("a", 2, "h1", "whoami"),
    ];
    assert_eq!(run(&ordered, &backwards), []);
    // The run must fit in the timespan: whoami at 0, net at 200, ipconfig at 301.
    let wide = [
        process("a", 0, "h1", "whoami"),
        process("b", 200, "h1", "net"),
        process("c", 301, "h1", "ipconfig"),
    ];
    assert_eq!(run(&ordered, &wide), []);
    // A later start rescues it: whoami again at 100.
    let rescued = [
        process("a", 0, "h1", "whoami"),
        process("a2", 100, "h1", "whoami"),
        process("b", 200, "h1", "net"),
        process("c", 301, "h1", "ipconfig"),
    ];
    assert_eq!(
        run(&ordered, &rescued),
        [f("recon", "host.name=h1", 100, 301, 3)]
    );
    // With a condition: the first two in order are enough.
    let two = ordered.replace("timespan: 5m\n", "timespan: 5m\n    condition: {gte: 2}\n");
    assert_eq!(run(&two, &wrong), [f("recon", "host.name=h1", 0, 20, 3)]);
}

fn transfer(id: &str, secs: i64, account: &str, amount: Value) -> Event {
    event(
        id,
        secs,
        &[
            ("event.action", "transfer".into()),
            ("account.id", account.into()),
            ("amount", amount),
        ],
    )
}

fn value_rule(kind: &str, condition: &str) -> String {
    format!(
        "title: Amounts\nid: amounts\ncorrelation:\n    type: {kind}\n    rules: [transfer]\n    \
         group-by: [account.id]\n    timespan: 1h\n    condition: {{field: amount, {condition}}}\n"
    )
}

#[test]
fn value_sum() {
    let rule = value_rule("value_sum", "gt: 1000");
    let a = |id, s, n: i64| transfer(id, s, "acc1", n.into());
    assert_eq!(
        run(&rule, &[a("1", 0, 400), a("2", 10, 400), a("3", 20, 200)]),
        [],
        "1000 is not more than 1000"
    );
    assert_eq!(
        run(&rule, &[a("1", 0, 400), a("2", 10, 400), a("3", 20, 300)]),
        [f("amounts", "account.id=acc1", 0, 20, 3)]
    );
    // Amounts as numeric text count; text that is no number does not.
    let text = [
        transfer("1", 0, "acc1", "600".into()),
        transfer("2", 1, "acc1", "lots".into()),
        transfer("3", 2, "acc1", 500.5.into()),
    ];
    assert_eq!(
        run(&rule, &text),
        [f("amounts", "account.id=acc1", 0, 2, 2)]
    );
    // The oldest leaves the window: 400 at 0 is gone at 3601.
    assert_eq!(
        run(&rule, &[a("1", 0, 400), a("2", 10, 400), a("3", 3601, 300)]),
        []
    );
}

#[test]
fn value_avg() {
    let rule = value_rule("value_avg", "gt: 500");
    let a = |id, s, n: i64| transfer(id, s, "acc1", n.into());
    assert_eq!(run(&rule, &[a("1", 0, 300), a("2", 1, 600)]), [], "450");
    assert_eq!(
        run(&rule, &[a("1", 0, 300), a("2", 1, 600), a("3", 2, 900)]),
        [f("amounts", "account.id=acc1", 0, 2, 3)],
        "600"
    );
    let low = value_rule("value_avg", "lt: 100");
    assert_eq!(
        run(&low, &[a("1", 0, 300), a("2", 1, 600)]),
        [],
        "lt honoured"
    );
}

#[test]
fn value_percentile() {
    let rule = value_rule("value_percentile", "percentile: 90, gte: 900");
    let a = |id: &str, s, n: i64| transfer(id, s, "acc1", n.into());
    // 100, 200, ..., 1000: the 90th percentile is at rank 0.9 x 9 = 8.1, 900 + 0.1 x 100 = 910,
    // reached at the tenth value; at the ninth, rank 7.2 gives 800 + 0.2 x 100 = 820.
    let events: Vec<Event> = (1..=10).map(|i| a(&format!("t{i}"), i, i * 100)).collect();
    assert_eq!(
        run(&rule, &events),
        [f("amounts", "account.id=acc1", 1, 10, 10)]
    );
    assert_eq!(run(&rule, &events[..9]), []);
    // A percentile whose condition never holds never fires (rsigma 0.23 fires it anyway).
    let never = value_rule("value_percentile", "percentile: 90, gte: 5000");
    assert_eq!(run(&never, &events), []);
    // Without `percentile`, the median: of 100..=1000 it is 550.
    let median = value_rule("value_percentile", "eq: 550");
    assert_eq!(
        run(&median, &events),
        [f("amounts", "account.id=acc1", 1, 10, 10)]
    );
}

#[test]
fn value_median() {
    let rule = value_rule("value_median", "gt: 100");
    let a = |id, s, n: i64| transfer(id, s, "acc1", n.into());
    assert_eq!(
        run(&rule, &[a("1", 0, 50), a("2", 1, 150)]),
        [],
        "median 100"
    );
    assert_eq!(
        run(&rule, &[a("1", 0, 50), a("2", 1, 150), a("3", 2, 200)]),
        [f("amounts", "account.id=acc1", 0, 2, 3)],
        "median 150"
    );
}

#[test]
fn aliases_join_differently_named_fields() {
    // The specification's example: an internal error on a host, then a connection from it.
    let yaml = "title: Internal error
name: internal_error
logsource: {category: webserver}
detection:
    selection: {http.response.status_code: 500}
    condition: selection
---
title: New connection
name: new_network_connection
logsource: {category: network_connection}
detection:
    selection: {event.type: connection}
    condition: selection
---
title: Error then connection
id: error-connection
correlation:
    type: temporal
    rules: [internal_error, new_network_connection]
    group-by: [internal_ip, remote_ip]
    timespan: 10s
    aliases:
        internal_ip:
            internal_error: destination.ip
            new_network_connection: source.ip
        remote_ip:
            internal_error: source.ip
            new_network_connection: destination.ip
";
    let error = |id, s, src: &str, dst: &str| {
        event(
            id,
            s,
            &[
                ("http.response.status_code", 500.into()),
                ("source.ip", src.into()),
                ("destination.ip", dst.into()),
            ],
        )
    };
    let connection = |id, s, src: &str, dst: &str| {
        event(
            id,
            s,
            &[
                ("event.type", "connection".into()),
                ("source.ip", src.into()),
                ("destination.ip", dst.into()),
            ],
        )
    };
    assert_eq!(
        run(
            yaml,
            &[
                error("e", 0, "192.0.2.7", "10.1.1.1"),
                connection("c0", 1, "192.0.2.7", "10.1.1.1"),
                connection("c1", 2, "10.1.1.1", "192.0.2.7"),
            ]
        ),
        [f(
            "error-connection",
            "internal_ip=10.1.1.1,remote_ip=192.0.2.7",
            0,
            2,
            2
        )],
        "the connection in the same direction as the error is another group"
    );
}

const CHAIN: &str = "title: Many failures then success
id: failures-then-success
level: critical
correlation:
    type: temporal_ordered
    rules: [many_failed, successful_login]
    group-by: [user.name]
    timespan: 10m
---
title: Many failures
id: many-failed-id
name: many_failed
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [user.name]
    timespan: 10m
    condition: {gte: 3}
";

#[test]
fn chained_correlations() {
    let c = correlator(CHAIN, CorrelationConfig::default());
    assert!(!c.is_standalone("failed_login"));
    assert!(
        !c.is_standalone("many-failed-id"),
        "an inner correlation is a helper too"
    );
    assert!(c.is_standalone("failures-then-success"));
    assert!(c.is_standalone("transfer"), "unreferenced");
    let events = [
        login("s0", 0, "1.1.1.1", "alice", "success"),
        login("f1", 10, "1.1.1.1", "alice", "failure"),
        login("f2", 20, "1.1.1.2", "alice", "failure"),
        login("f3", 30, "1.1.1.3", "alice", "failure"),
        login("s1", 40, "1.1.1.3", "alice", "success"),
        login("b1", 41, "1.1.1.3", "bob", "success"),
    ];
    let rules = rules(CHAIN);
    let mut state = c.new_state();
    let firings = advance(&rules, &c, &mut state, &events);
    assert_eq!(
        fired(&firings),
        [
            f("many-failed-id", "user.name=alice", 10, 30, 3),
            // The window holds every hit of the group: the early success too.
            f("failures-then-success", "user.name=alice", 0, 40, 5),
        ]
    );
    let outer = &firings[1];
    assert_eq!(outer.event_ids, ["s0", "f1", "f2", "f3", "s1"]);
    assert_eq!(outer.rules, ["many-failed-id", "successful_login"]);
    assert_eq!(outer.level, "critical");
    assert_eq!(
        firings[0].level, "informational",
        "no level of its own or of its rules"
    );
    // The success before the failures is the wrong order.
    assert_eq!(
        fired(&advance(
            &rules,
            &c,
            &mut c.new_state(),
            &[
                events[0].clone(),
                events[1].clone(),
                events[2].clone(),
                events[3].clone()
            ]
        )),
        [f("many-failed-id", "user.name=alice", 10, 30, 3)]
    );
}

#[test]
fn value_types_over_a_correlation_fire() {
    // rsigma 0.23 never fires value_* types over correlations. Here `field` reads the inner
    // firing: its group fields, `value` or `events`.
    let inner = "title: Brute force per pair
name: pair
correlation:
    type: event_count
    rules: [failed_login]
    group-by: [source.ip, user.name]
    timespan: 1m
    condition: {gte: 2}
";
    let sources = format!(
        "title: Many sources on one user\nid: sources\ncorrelation:\n    type: value_count\n    \
         rules: [pair]\n    group-by: [user.name]\n    timespan: 1h\n    \
         condition: {{field: source.ip, gte: 2}}\n---\n{inner}"
    );
    let events = [
        login("a1", 0, "1.1.1.1", "alice", "failure"),
        login("a2", 1, "1.1.1.1", "alice", "failure"),
        login("b1", 100, "2.2.2.2", "alice", "failure"),
        login("b2", 101, "2.2.2.2", "alice", "failure"),
        login("b3", 102, "2.2.2.2", "alice", "failure"),
    ];
    assert_eq!(
        run(&sources, &events),
        [
            f("pair", "source.ip=1.1.1.1,user.name=alice", 0, 1, 2),
            f("pair", "source.ip=2.2.2.2,user.name=alice", 100, 101, 2),
            f("sources", "user.name=alice", 1, 101, 4),
        ]
    );
    let total = format!(
        "title: Failures behind bursts\nid: total\ncorrelation:\n    type: value_sum\n    \
         rules: [pair]\n    group-by: [user.name]\n    timespan: 1h\n    \
         condition: {{field: events, gte: 4}}\n---\n{inner}"
    );
    let got = run(&total, &events);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[2], f("total", "user.name=alice", 1, 101, 4));
    let avg = total
        .replace("value_sum", "value_avg")
        .replace("field: events, gte: 4", "field: value, eq: 2");
    // Each burst counted 2: the mean of the first alone is already 2.
    assert_eq!(
        run(&avg, &events)[1],
        f("total", "user.name=alice", 1, 1, 2)
    );
}

#[test]
fn a_restart_mid_window_loses_nothing() {
    let stream: Vec<Event> = (0..12)
        .map(|i| {
            let user = format!("u{}", i % 6);
            login(&format!("e{i}"), i * 20, "10.0.0.1", &user, "failure")
        })
        .collect();
    let both = format!("{BRUTE_FORCE}---\n{SPRAY}");
    let rules = rules(&both);
    let c = correlator(&both, CorrelationConfig::default());
    let mut one = c.new_state();
    let whole = fired(&advance(&rules, &c, &mut one, &stream));
    assert_eq!(
        whole,
        [
            f("spray", "source.ip=10.0.0.1", 0, 60, 4),
            f("brute-force", "source.ip=10.0.0.1", 0, 80, 5),
        ]
    );
    // Cut after every event: save, load into a new process's correlator, continue.
    let mut pieces = Vec::new();
    let mut saved = serde_json::to_string(&c.new_state()).unwrap();
    for event in &stream {
        let process = correlator(&both, CorrelationConfig::default());
        let mut state: CorrelationState = serde_json::from_str(&saved).unwrap();
        pieces.extend(fired(&advance(
            &rules,
            &process,
            &mut state,
            std::slice::from_ref(event),
        )));
        saved = serde_json::to_string(&state).unwrap();
    }
    assert_eq!(pieces, whole);
    // The state splits per correlation: each table round-trips on its own.
    let state: CorrelationState = serde_json::from_str(&saved).unwrap();
    assert_eq!(
        state.tables.keys().collect::<Vec<_>>(),
        ["brute-force", "spray"]
    );
    let table = serde_json::to_string(&state.tables["spray"]).unwrap();
    assert!(table.contains("10.0.0.1"), "{table}");
}

#[test]
fn late_hits_within_and_beyond_the_allowed_lateness() {
    let rules = rules(BRUTE_FORCE);
    let config = CorrelationConfig {
        allowed_lateness_secs: 60,
        ..CorrelationConfig::default()
    };
    let c = Correlator::new(&rules, config).unwrap();
    let mut state = c.new_state();
    let batch1: Vec<Event> = [0, 100, 200]
        .iter()
        .map(|&s| failure(&format!("e{s}"), s, "10.0.0.1"))
        .collect();
    assert_eq!(advance(&rules, &c, &mut state, &batch1), []);
    assert_eq!(
        state.stats().pending,
        1,
        "200 waits until a hit at 260 or later"
    );
    // 150 is late but within 60 s of the newest (200): it takes its place before 200.
    // 50 is older than 100, which was processed already: too late.
    let batch2 = [
        failure("e150", 150, "10.0.0.1"),
        failure("e50", 50, "10.0.0.1"),
    ];
    assert_eq!(advance(&rules, &c, &mut state, &batch2), []);
    assert_eq!(state.stats().late, 1);
    let batch3 = [failure("e290", 290, "10.0.0.1")];
    assert_eq!(advance(&rules, &c, &mut state, &batch3), [], "290 is held");
    let firings = c.flush(&mut state);
    assert_eq!(
        fired(&firings),
        [f("brute-force", "source.ip=10.0.0.1", 0, 290, 5)]
    );
    assert_eq!(firings[0].event_ids, ["e0", "e100", "e150", "e200", "e290"]);
    // Without lateness the hit at 150 would have been too late as well.
    let strict = Correlator::new(&rules, CorrelationConfig::default()).unwrap();
    let mut state = strict.new_state();
    advance(&rules, &strict, &mut state, &batch1);
    advance(&rules, &strict, &mut state, &batch2);
    assert_eq!(state.stats().late, 2);
    // Within one batch order never matters.
    let mut shuffled: Vec<Event> = (0..5)
        .map(|i| failure(&format!("e{i}"), 40 - i * 10, "10.0.0.1"))
        .collect();
    shuffled.swap(1, 3);
    assert_eq!(
        fired(&advance(
            &rules,
            &strict,
            &mut strict.new_state(),
            &shuffled
        )),
        [f("brute-force", "source.ip=10.0.0.1", 0, 40, 5)]
    );
}

#[test]
fn eviction_at_the_group_cap() {
    let rules = rules(&BRUTE_FORCE.replace("gte: 5", "gte: 2"));
    let config = CorrelationConfig {
        max_groups: 2,
        ..CorrelationConfig::default()
    };
    let c = Correlator::new(&rules, config).unwrap();
    let mut state = c.new_state();
    let events = [
        failure("a1", 0, "10.0.0.1"),
        failure("b1", 1, "10.0.0.2"),
        failure("c1", 2, "10.0.0.3"),
        failure("a2", 3, "10.0.0.1"),
        failure("c2", 4, "10.0.0.3"),
    ];
    // 10.0.0.1 is evicted when 10.0.0.3 arrives, so its second failure starts afresh; then
    // 10.0.0.2 (now the stalest) makes room for it.
    assert_eq!(
        fired(&advance(&rules, &c, &mut state, &events)),
        [f("brute-force", "source.ip=10.0.0.3", 2, 4, 2)]
    );
    let stats = state.stats();
    assert_eq!((stats.groups, stats.evicted_groups), (2, 2));
    // Groups whose window emptied are dropped, not evicted.
    advance(&rules, &c, &mut state, &[failure("d1", 1000, "10.0.0.4")]);
    let stats = state.stats();
    assert_eq!(
        (stats.groups, stats.evicted_groups, stats.expired_groups),
        (1, 2, 2)
    );
}

#[test]
fn bounded_windows_still_count() {
    // Past max_window_hits the oldest hits are folded into counts: the count stays exact
    // while the folded hits are in the window.
    let config = CorrelationConfig {
        max_window_hits: 2,
        max_evidence: 3,
        ..CorrelationConfig::default()
    };
    let events: Vec<Event> = (0..5)
        .map(|i| failure(&format!("e{i}"), i, "10.0.0.1"))
        .collect();
    let rules = rules(BRUTE_FORCE);
    let c = Correlator::new(&rules, config).unwrap();
    let firings = advance(&rules, &c, &mut c.new_state(), &events);
    assert_eq!(
        fired(&firings),
        [f("brute-force", "source.ip=10.0.0.1", 0, 4, 5)]
    );
    assert_eq!(firings[0].event_ids, ["e2", "e3", "e4"], "the newest three");
}

#[test]
fn missing_group_fields_take_no_part() {
    let events: Vec<Event> = (0..5)
        .map(|i| {
            event(
                &format!("e{i}"),
                i,
                &[
                    ("event.outcome", "failure".into()),
                    ("source.ip", Value::Null),
                ],
            )
        })
        .collect();
    let rules = rules(BRUTE_FORCE);
    let c = correlator(BRUTE_FORCE, CorrelationConfig::default());
    let mut state = c.new_state();
    assert_eq!(advance(&rules, &c, &mut state, &events), []);
    assert_eq!(state.stats().skipped_hits, 5);
    // Without group-by, every hit is in one group.
    let global = BRUTE_FORCE.replace("    group-by: [source.ip]\n", "");
    assert_eq!(run(&global, &events), [f("brute-force", "", 0, 4, 5)]);
}

#[test]
fn processing_time_for_events_without_timestamps() {
    let rules = rules(BRUTE_FORCE);
    let config = CorrelationConfig {
        time: TimeMode::Processing,
        ..CorrelationConfig::default()
    };
    let c = Correlator::new(&rules, config).unwrap();
    let mut state = c.new_state();
    let now = |s: i64| chrono::DateTime::from_timestamp(T0 + s, 0).unwrap();
    let untimed = |id: &str| {
        let mut f = Fields::new();
        f.insert("event.id", id);
        f.insert("event.outcome", "failure");
        f.insert("source.ip", "10.0.0.1");
        Event::new(f)
    };
    let mut feed = |ids: &[&str], at: i64| {
        let events: Vec<Event> = ids.iter().map(|id| untimed(id)).collect();
        let matches = rules.match_events(&events);
        let hits = matches
            .iter()
            .map(|m| RuleHit::new(m, &events[m.event_index - 1]));
        fired(&c.advance_at(&mut state, hits, now(at)))
    };
    assert_eq!(feed(&["a", "b", "c"], 0), []);
    assert_eq!(
        feed(&["d"], 400),
        [],
        "a, b and c arrived more than 5 minutes ago"
    );
    assert_eq!(
        feed(&["e", "f", "g", "h"], 500),
        [f("brute-force", "source.ip=10.0.0.1", 400, 500, 5)]
    );
}

#[test]
fn bad_references_are_rejected_naming_the_file() {
    let yaml = format!(
        "{BASE}---\ntitle: Unknown\nid: unknown\ncorrelation:\n    type: event_count\n    \
         rules: [no_such_rule]\n    timespan: 1m\n    condition: {{gte: 1}}\n---\n\
         title: Loop A\nname: loop_a\ncorrelation:\n    type: event_count\n    rules: [loop_b]\n    \
         timespan: 1m\n    condition: {{gte: 1}}\n---\n\
         title: Loop B\nname: loop_b\ncorrelation:\n    type: event_count\n    rules: [loop_a]\n    \
         timespan: 1m\n    condition: {{gte: 1}}\n---\n\
         title: Over the loop\nname: over\ncorrelation:\n    type: event_count\n    rules: [loop_a]\n    \
         timespan: 1m\n    condition: {{gte: 1}}\n---\n{BRUTE_FORCE}"
    );
    let rules = RuleSet::builder()
        .yaml(&yaml, "mr_rules.yml")
        .build()
        .unwrap();
    let c = Correlator::new(&rules, CorrelationConfig::default()).unwrap();
    assert_eq!(c.len(), 1, "the brute force correlation still compiles");
    let messages: Vec<String> = c.rejected().iter().map(|e| e.to_string()).collect();
    assert_eq!(messages.len(), 4, "{messages:#?}");
    assert!(
        messages[0].starts_with("mr_rules.yml: correlation 'Unknown': 'no_such_rule'"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("names no loaded rule or correlation"));
    for loop_message in &messages[1..3] {
        assert!(loop_message.contains("is on a reference cycle: 'loop_a' (mr_rules.yml (document 8)) -> 'loop_b' (mr_rules.yml (document 9)) -> 'loop_a'"), "{loop_message}");
    }
    assert!(
        messages[3]
            .contains("correlation 'Over the loop': it takes the firings of correlation 'loop_a'"),
        "{}",
        messages[3]
    );
}
