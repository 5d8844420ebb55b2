//! Matching semantics, on rules built directly as ASTs.

use super::*;
use crate::event::{Fields, Value};
use crate::sigma::{
    CompareOp, Condition, Detection, FieldItem, Level, Matcher, Meta, OfTarget, Pattern,
    Quantifier, RefMode, Search, Template, TemplatePart,
};

fn pat(s: &str) -> Matcher {
    Matcher::Pattern {
        pattern: Pattern::parse(s),
        cased: false,
    }
}

fn item(field: &str, matchers: Vec<Matcher>) -> FieldItem {
    FieldItem {
        field: Some(field.into()),
        modifiers: Vec::new(),
        matchers,
        all: false,
    }
}

fn all(field: &str, matchers: Vec<Matcher>) -> FieldItem {
    FieldItem {
        all: true,
        ..item(field, matchers)
    }
}

fn sel(items: Vec<FieldItem>) -> Search {
    Search::AllOf(items)
}

fn rule(id: &str, searches: Vec<(&str, Search)>, condition: Condition) -> Document {
    Document::Rule(Rule {
        meta: Meta {
            id: Some(id.into()),
            title: format!("rule {id}"),
            level: Some(Level::High),
            tags: vec!["attack.t1059".into()],
            ..Meta::default()
        },
        detection: Detection {
            searches: searches
                .into_iter()
                .map(|(n, s)| (n.to_string(), s))
                .collect(),
            condition,
        },
    })
}

fn s(name: &str) -> Condition {
    Condition::Search(name.into())
}

fn not(c: Condition) -> Condition {
    Condition::Not(Box::new(c))
}

fn one_rule(search: Search) -> RuleSet {
    RuleSet::builder()
        .document(rule("r", vec![("sel", search)], s("sel")))
        .build()
        .unwrap()
}

fn event(pairs: &[(&str, Value)]) -> Event {
    Event::new(pairs.iter().cloned().collect::<Fields>())
}

/// Matches through both the prefilter and exhaustive evaluation, asserting they agree.
fn hits(rs: &RuleSet, e: &Event) -> bool {
    let events = std::slice::from_ref(e);
    let fast = rs.match_events(events);
    let slow = rs.match_events_exhaustive(events);
    assert_eq!(fast, slow, "prefilter changed the result for {e:?}");
    !fast.is_empty()
}

#[test]
fn string_anchors_are_case_insensitive() {
    let rs = one_rule(sel(vec![
        item("Image", vec![pat("*\\cmd.exe")]),
        item("CommandLine", vec![pat("*whoami*")]),
    ]));
    assert!(hits(
        &rs,
        &event(&[
            ("Image", "C:\\Windows\\System32\\CMD.EXE".into()),
            ("CommandLine", "cmd /c WhoAmI /all".into())
        ])
    ));
    assert!(!hits(
        &rs,
        &event(&[
            ("Image", "C:\\x\\cmd.exe.bak".into()),
            ("CommandLine", "whoami".into())
        ])
    ));
    assert!(!hits(&rs, &event(&[("Image", "C:\\cmd.exe".into())])));
    let rs = one_rule(sel(vec![item("Image", vec![pat(r"c:\windows\\*")])]));
    assert!(hits(&rs, &event(&[("Image", "C:\\Windows\\a.exe".into())])));
    assert!(!hits(
        &rs,
        &event(&[("Image", "D:\\C:\\Windows\\a.exe".into())])
    ));
}

#[test]
fn unicode_case_folding() {
    let rs = one_rule(sel(vec![item("name", vec![pat("*ÄRGER*")])]));
    assert!(hits(&rs, &event(&[("name", "großer ärger hier".into())])));
    let rs = one_rule(sel(vec![item("name", vec![pat("Straße")])]));
    assert!(hits(&rs, &event(&[("name", "STRAßE".into())])));
}

#[test]
fn cased_and_exact() {
    let rs = one_rule(sel(vec![item(
        "x",
        vec![Matcher::Pattern {
            pattern: Pattern::parse("Abc"),
            cased: true,
        }],
    )]));
    assert!(hits(&rs, &event(&[("x", "Abc".into())])));
    assert!(!hits(&rs, &event(&[("x", "abc".into())])));
}

#[test]
fn numbers_and_booleans_match_typed_or_text() {
    let rs = one_rule(sel(vec![item("EventID", vec![pat("4688"), pat("1")])]));
    assert!(hits(&rs, &event(&[("EventID", 4688.into())])));
    assert!(hits(&rs, &event(&[("EventID", "1".into())])));
    assert!(hits(&rs, &event(&[("EventID", Value::Float(1.0))])));
    assert!(!hits(&rs, &event(&[("EventID", 46880.into())])));
    let rs = one_rule(sel(vec![item("ok", vec![pat("true")])]));
    assert!(hits(&rs, &event(&[("ok", true.into())])));
    assert!(!hits(&rs, &event(&[("ok", false.into())])));
}

#[test]
fn lists_match_any_element_and_all_needs_each() {
    let rs = one_rule(sel(vec![all("cmd", vec![pat("*-enc*"), pat("*hidden*")])]));
    assert!(hits(
        &rs,
        &event(&[("cmd", "powershell -w hidden -enc AAA".into())])
    ));
    assert!(!hits(&rs, &event(&[("cmd", "powershell -enc AAA".into())])));
    let rs = one_rule(sel(vec![item("tags", vec![pat("b")])]));
    assert!(hits(&rs, &event(&[("tags", Value::from(vec!["a", "b"]))])));
}

#[test]
fn conditions_not_of_and_them() {
    let doc = rule(
        "r",
        vec![
            ("selection_a", sel(vec![item("a", vec![pat("1")])])),
            ("selection_b", sel(vec![item("b", vec![pat("2")])])),
            ("filter", sel(vec![item("user", vec![pat("SYSTEM")])])),
        ],
        Condition::And(vec![
            Condition::Of {
                quantifier: Quantifier::AtLeast(1),
                target: OfTarget::Names("selection_*".into()),
            },
            not(s("filter")),
        ]),
    );
    let rs = RuleSet::builder().document(doc).build().unwrap();
    assert!(hits(&rs, &event(&[("a", 1.into())])));
    assert!(hits(
        &rs,
        &event(&[("b", 2.into()), ("user", "alice".into())])
    ));
    assert!(!hits(
        &rs,
        &event(&[("b", 2.into()), ("user", "system".into())])
    ));
    assert!(!hits(&rs, &event(&[("c", 2.into())])));

    let doc = rule(
        "r",
        vec![
            ("x", sel(vec![item("a", vec![pat("1")])])),
            ("y", sel(vec![item("b", vec![pat("2")])])),
            ("_z", sel(vec![item("c", vec![pat("3")])])),
        ],
        Condition::Of {
            quantifier: Quantifier::All,
            target: OfTarget::Them,
        },
    );
    let rs = RuleSet::builder().document(doc).build().unwrap();
    assert!(hits(&rs, &event(&[("a", 1.into()), ("b", 2.into())])));
    assert!(!hits(&rs, &event(&[("a", 1.into())])));

    let doc = rule(
        "r",
        vec![
            ("x", sel(vec![item("a", vec![pat("1")])])),
            ("y", sel(vec![item("b", vec![pat("2")])])),
            ("z", sel(vec![item("c", vec![pat("3")])])),
        ],
        Condition::Of {
            quantifier: Quantifier::AtLeast(2),
            target: OfTarget::Them,
        },
    );
    let rs = RuleSet::builder().document(doc).build().unwrap();
    assert!(hits(&rs, &event(&[("a", 1.into()), ("c", 3.into())])));
    assert!(!hits(&rs, &event(&[("a", 1.into())])));
}

#[test]
fn keywords_search_every_string() {
    let rs = one_rule(Search::Keywords(vec![
        pat("mimikatz"),
        pat("*sekurlsa*"),
        pat("a*c"),
    ]));
    assert!(hits(&rs, &event(&[("msg", "running MIMIKATZ now".into())])));
    assert!(hits(
        &rs,
        &event(&[("a.b", Value::from(vec!["x", "sekurlsa::logonpasswords"]))])
    ));
    assert!(!hits(
        &rs,
        &event(&[("msg", "benign".into()), ("n", 5.into())])
    ));
}

#[test]
fn regex_cidr_compare_exists_null() {
    let re = Matcher::Regex {
        pattern: "^[a-z]+\\d{3}$".into(),
        case_insensitive: false,
        multi_line: false,
        dot_matches_new_line: false,
    };
    let rs = one_rule(sel(vec![item("h", vec![re])]));
    assert!(hits(&rs, &event(&[("h", "host123".into())])));
    assert!(!hits(&rs, &event(&[("h", "HOST123".into())])));

    let rs = one_rule(sel(vec![item(
        "ip",
        vec![
            Matcher::Cidr("10.0.0.0/8".into()),
            Matcher::Cidr("fd00::/8".into()),
        ],
    )]));
    assert!(hits(&rs, &event(&[("ip", "10.1.2.3".into())])));
    assert!(hits(&rs, &event(&[("ip", "fd00::1".into())])));
    assert!(!hits(&rs, &event(&[("ip", "11.0.0.1".into())])));
    assert!(!hits(&rs, &event(&[("ip", "not an ip".into())])));

    let rs = one_rule(sel(vec![item(
        "n",
        vec![Matcher::Compare {
            op: CompareOp::Gte,
            value: 10.0,
        }],
    )]));
    assert!(hits(&rs, &event(&[("n", 10.into())])));
    assert!(hits(&rs, &event(&[("n", "12.5".into())])));
    assert!(!hits(&rs, &event(&[("n", 9.into())])));

    let rs = one_rule(sel(vec![item("x", vec![Matcher::Exists(false)])]));
    assert!(hits(&rs, &event(&[("y", 1.into())])));
    assert!(!hits(&rs, &event(&[("x", Value::Null)])));

    let rs = one_rule(sel(vec![item("x", vec![Matcher::Null])]));
    assert!(hits(&rs, &event(&[("y", 1.into())])));
    assert!(hits(&rs, &event(&[("x", Value::Null)])));
    assert!(!hits(&rs, &event(&[("x", "".into())])));

    let rs = one_rule(sel(vec![item("x", vec![pat("")])]));
    assert!(hits(&rs, &event(&[("x", "".into())])));
    assert!(!hits(&rs, &event(&[("x", Value::Null)])));
    assert!(!hits(&rs, &event(&[("y", "".into())])));
}

#[test]
fn fieldref_neq_placeholder_glob() {
    let fr = |mode| Matcher::FieldRef {
        field: "ParentImage".into(),
        mode,
        cased: false,
    };
    let rs = one_rule(sel(vec![item("Image", vec![fr(RefMode::Equals)])]));
    assert!(hits(
        &rs,
        &event(&[("Image", "A.exe".into()), ("ParentImage", "a.EXE".into())])
    ));
    assert!(!hits(
        &rs,
        &event(&[("Image", "A.exe".into()), ("ParentImage", "b.exe".into())])
    ));
    assert!(!hits(&rs, &event(&[("Image", "A.exe".into())])));

    let rs = one_rule(sel(vec![item(
        "user",
        vec![Matcher::Not(Box::new(pat("system")))],
    )]));
    assert!(hits(&rs, &event(&[("user", "alice".into())])));
    assert!(!hits(&rs, &event(&[("user", "SYSTEM".into())])));
    assert!(!hits(&rs, &event(&[("other", "x".into())])));

    let rs = one_rule(sel(vec![item(
        "user",
        vec![Matcher::Placeholder(Template {
            parts: vec![TemplatePart::Placeholder("admins".into())],
            cased: false,
        })],
    )]));
    assert!(!hits(&rs, &event(&[("user", "%admins%".into())])));

    let rs = one_rule(sel(vec![item("path", vec![pat(r"*\temp\\*.ps?")])]));
    assert!(hits(
        &rs,
        &event(&[("path", "C:\\Users\\x\\TEMP\\a.ps1".into())])
    ));
    assert!(!hits(&rs, &event(&[("path", "C:\\temp\\a.ps12".into())])));
}

#[test]
fn match_reports_rule_and_fields() {
    let rs = one_rule(sel(vec![item("Image", vec![pat("*\\cmd.exe")])]));
    let m = &rs.match_events(&[event(&[
        ("event.id", "e1".into()),
        ("Image", "C:\\cmd.exe".into()),
        ("x", 1.into()),
    ])])[0];
    assert_eq!(
        (m.rule_id.as_str(), m.title.as_str(), m.level.as_str()),
        ("r", "rule r", "high")
    );
    assert_eq!(m.severity, Severity::Critical);
    assert_eq!(m.tags, vec!["attack.t1059".to_string()]);
    assert_eq!(m.event_id, "e1");
    assert_eq!(
        m.fields,
        vec![MatchedField {
            field: "Image".into(),
            value: "C:\\cmd.exe".into()
        }]
    );
}

#[test]
fn match_json_fast_path_agrees_and_keeps_lines() {
    let rs = one_rule(sel(vec![item("user.name", vec![pat("alice")])]));
    let input = b"{\"user\": {\"name\": \"Alice\"}, \"event.id\": \"1\"}\n\n{bad json\n42\n[1]\n{\"user.name\": \"bob\"}\n{\"user.name\": \"alice\"}\n";
    let report = rs.match_json(input);
    assert_eq!(report.events, 3);
    assert_eq!(
        report
            .matches
            .iter()
            .map(|m| m.event_index)
            .collect::<Vec<_>>(),
        vec![1, 7]
    );
    assert_eq!(report.matches[0].event_id, "1");
    assert_eq!(
        report.rejected.iter().map(|r| r.line).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    assert_eq!(report.rejected, crate::event::parse(input).rejected);

    let pretty =
        b"{\n  \"user.name\": \"x\"\n}\n{\n  \"user\": {\n    \"name\": \"alice\"\n  }\n}\n";
    let report = rs.match_json(pretty);
    assert_eq!((report.events, report.matches[0].event_index), (2, 4));

    let array = b"[{\"user.name\": \"alice\"}, {\"user.name\": \"x\"}, {\"user.name\": \"ALICE\"}]";
    let report = rs.match_json(array);
    assert_eq!(
        report
            .matches
            .iter()
            .map(|m| m.event_index)
            .collect::<Vec<_>>(),
        vec![1, 3]
    );
}

#[test]
fn windows_event_json_is_flattened() {
    let rs = one_rule(sel(vec![
        item("EventID", vec![pat("1")]),
        item("Image", vec![pat("*\\whoami.exe")]),
    ]));
    let line = br#"{"Event": {"System": {"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational"}, "EventData": {"Image": "C:\\Windows\\System32\\whoami.exe"}}}"#;
    let report = rs.match_json(line);
    assert_eq!(report.matches.len(), 1);
}

#[test]
fn both_paths_take_the_same_records_from_the_same_bytes() {
    // A rule every event matches (a field no event has, negated), so the detections' lines
    // are exactly the records the fast path took; the event parser's lines must be the same.
    let rs = RuleSet::builder()
        .document(rule(
            "every",
            vec![("sel", sel(vec![item("no.such.field", vec![pat("x")])]))],
            not(s("sel")),
        ))
        .build()
        .unwrap();
    let windows = r#"{"Event": {"System": {"EventID": 4625, "Channel": "Security"}, "EventData": {"TargetUserName": "bob"}}}"#;
    let spaced_windows = r#"  { "Event" :{"System": {"EventID": 1}} }"#;
    let pretty_windows = "{\n  \"Event\": {\n    \"System\": {\"EventID\": 7}\n  }\n}";
    let inputs = [
        "{\"a\": 1}\n{\"a\": 2}\n".to_string(),
        "{\"a\": 1}\r\n\r\n  {\"a\": 2}  \r\n\t{\"a\": 3}".to_string(),
        format!("{windows}\n{spaced_windows}\n{{\"Event\": 5}}\n"),
        format!("{pretty_windows}\n{{\"a\": 1}}\n{pretty_windows}\n"),
        "{\n  \"a\": 1,\n  \"b\" 2\n}\n{\n  \"a\": 3\n}\n{\"a\": 4}\n".to_string(),
        "{\"a\": 1}\n{bad\n42\n\n[1]\n\"text\"\n{\"a\": 2} trailing\n".to_string(),
        "\n \n [ {\"a\": 1},\n  7,\n  {\"a\": 2} ]\n".to_string(),
        "{\"a\": 1} {\"a\": 2}\n{\"a\":\n 3}\n".to_string(),
        String::new(),
    ];
    for input in &inputs {
        let parsed = crate::event::parse(input.as_bytes());
        let matched = rs.match_json(input.as_bytes());
        let lines: Vec<usize> = matched.matches.iter().map(|m| m.event_index).collect();
        assert_eq!(lines, parsed.lines, "records of {input:?}");
        assert_eq!(matched.events, parsed.events.len(), "{input:?}");
        assert_eq!(matched.rejected, parsed.rejected, "rejections of {input:?}");
        let ids: Vec<&str> = matched
            .matches
            .iter()
            .map(|m| m.event_id.as_str())
            .collect();
        let parsed_ids: Vec<&str> = parsed.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, parsed_ids, "{input:?}");
    }
    // The Windows records were flattened by both: their fields are the bare names.
    let windows_line = crate::event::parse(windows.as_bytes());
    assert_eq!(
        windows_line.events[0].get("EventID"),
        Some(&Value::Int(4625))
    );
}

#[test]
fn rejected_rule_names_the_problem() {
    let bad = rule(
        "bad",
        vec![(
            "sel",
            sel(vec![item("x", vec![Matcher::Cidr("999.1.1.1/8".into())])]),
        )],
        s("sel"),
    );
    let missing = rule(
        "missing",
        vec![("sel", sel(vec![item("x", vec![pat("1")])]))],
        s("nope"),
    );
    let good = rule(
        "good",
        vec![("sel", sel(vec![item("x", vec![pat("1")])]))],
        s("sel"),
    );
    let rs = RuleSet::builder()
        .document(bad.clone())
        .document(missing)
        .document(good.clone())
        .build()
        .unwrap();
    assert_eq!(rs.len(), 1);
    assert_eq!(rs.rejected().len(), 2);
    assert!(
        rs.rejected()[0].reason.contains("999.1.1.1/8"),
        "{}",
        rs.rejected()[0]
    );
    assert!(
        rs.rejected()[1].reason.contains("'nope'"),
        "{}",
        rs.rejected()[1]
    );
    let strict = RuleSet::builder()
        .document(bad)
        .document(good)
        .strict(true)
        .build();
    assert_eq!(
        strict.unwrap_err().kind(),
        crate::error::ErrorKind::InvalidRule
    );
}
