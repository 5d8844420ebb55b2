//! Processing pipelines: parsing, every transformation and condition, ordering, errors, and the
//! shipped pipelines on real events.

use finmark::event::Event;
use finmark::event::kinds::{Auth, HttpRequest, NetworkFlow, Outcome};
use finmark::sigma::pipeline::{apply_pipelines, apply_to_all};
use finmark::sigma::{
    Alias, Condition, Correlation, CorrelationType, Detection, Document, FieldItem, Filter,
    LogSource, Matcher, Meta, OfTarget, Origin, Pattern, PatternPart, Quantifier, RefMode, Rule,
    Search, Template, TemplatePart,
};
use finmark::{ErrorKind, RuleSet};

// ---------------------------------------------------------------------------------------------
// Building documents

fn logsource(category: Option<&str>, product: Option<&str>, service: Option<&str>) -> LogSource {
    LogSource {
        category: category.map(String::from),
        product: product.map(String::from),
        service: service.map(String::from),
        definition: None,
    }
}

fn meta(title: &str, logsource: LogSource) -> Meta {
    Meta {
        id: Some(format!("{title}-id")),
        title: title.into(),
        logsource,
        origin: Origin {
            file: format!("rules/{title}.yml").into(),
            document: 0,
        },
        ..Meta::default()
    }
}

fn pattern(text: &str) -> Matcher {
    Matcher::Pattern {
        pattern: Pattern::parse(text),
        cased: false,
    }
}

fn item(field: &str, values: &[&str]) -> FieldItem {
    FieldItem {
        field: Some(field.into()),
        modifiers: Vec::new(),
        matchers: values.iter().map(|v| pattern(v)).collect(),
        all: false,
    }
}

/// A value written with `expand`: `%name%` placeholders between patterns.
fn template(parts: &[&str], cased: bool) -> Matcher {
    Matcher::Placeholder(Template {
        parts: parts
            .iter()
            .map(
                |p| match p.strip_prefix('%').and_then(|p| p.strip_suffix('%')) {
                    Some(name) => TemplatePart::Placeholder(name.into()),
                    None => TemplatePart::Pattern(Pattern::parse(p)),
                },
            )
            .collect(),
        cased,
    })
}

/// A rule whose condition is `selection`.
fn rule(title: &str, logsource: LogSource, selection: Vec<FieldItem>) -> Document {
    rule_with(
        title,
        logsource,
        vec![("selection", Search::AllOf(selection))],
    )
}

fn rule_with(title: &str, logsource: LogSource, searches: Vec<(&str, Search)>) -> Document {
    Document::Rule(Rule {
        meta: meta(title, logsource),
        detection: Detection {
            condition: Condition::Search(searches[0].0.into()),
            searches: searches
                .into_iter()
                .map(|(n, s)| (n.to_string(), s))
                .collect(),
        },
    })
}

fn process_creation(title: &str, selection: Vec<FieldItem>) -> Document {
    rule(
        title,
        logsource(Some("process_creation"), Some("windows"), None),
        selection,
    )
}

fn detection(doc: &Document) -> &Detection {
    match doc {
        Document::Rule(r) => &r.detection,
        Document::Filter(f) => &f.detection,
        Document::Correlation(_) => panic!("a correlation has no detection"),
    }
}

fn search<'a>(doc: &'a Document, name: &str) -> &'a Search {
    detection(doc)
        .search(name)
        .unwrap_or_else(|| panic!("no search '{name}' in {:?}", detection(doc)))
}

fn items(search: &Search) -> &[FieldItem] {
    match search {
        Search::AllOf(items) => items,
        other => panic!("expected a map, got {other:?}"),
    }
}

fn fields_of(search: &Search) -> Vec<&str> {
    items(search)
        .iter()
        .map(|i| i.field.as_deref().unwrap_or("<keywords>"))
        .collect()
}

fn texts(item: &FieldItem) -> Vec<String> {
    item.matchers
        .iter()
        .map(|m| match m {
            Matcher::Pattern { pattern, .. } => pattern.to_sigma_string(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn pipeline(yaml: &str) -> finmark::sigma::Pipeline {
    finmark::sigma::Pipeline::from_yaml(yaml, "test.yml")
        .unwrap_or_else(|e| panic!("pipeline should parse: {e}"))
}

fn applied(yaml: &str, mut doc: Document) -> Document {
    pipeline(yaml)
        .apply(&mut doc)
        .unwrap_or_else(|e| panic!("pipeline should apply: {e}"));
    doc
}

fn parse_error(yaml: &str) -> String {
    let e = finmark::sigma::Pipeline::from_yaml(yaml, "bad.yml").expect_err("should not parse");
    assert_eq!(e.kind(), ErrorKind::InvalidRule, "{e}");
    e.to_string()
}

fn apply_error(yaml: &str, mut doc: Document) -> String {
    let e = pipeline(yaml)
        .apply(&mut doc)
        .expect_err("should be rejected");
    assert_eq!(e.kind(), ErrorKind::InvalidRule, "{e}");
    e.to_string()
}

// ---------------------------------------------------------------------------------------------
// Loading

#[test]
fn shipped_pipelines_load() {
    let names = finmark::sigma::Pipeline::builtin_names();
    for expected in [
        "windows",
        "webserver",
        "proxy",
        "firewall",
        "authentication",
        "ecs",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    for name in names {
        let p = finmark::sigma::Pipeline::builtin(name).expect("listed pipelines exist");
        assert!(!p.transformations.is_empty(), "{name} is empty");
        assert_eq!(p.name, *name);
        let by_spec = finmark::sigma::Pipeline::named_or_file(name).expect("a builtin name");
        assert_eq!(by_spec.transformations.len(), p.transformations.len());
    }
    assert!(finmark::sigma::Pipeline::builtin("nope").is_none());
    let ecs = finmark::sigma::Pipeline::builtin("ecs").unwrap();
    let parts: usize = ["webserver", "proxy", "firewall", "authentication"]
        .iter()
        .map(|n| {
            finmark::sigma::Pipeline::builtin(n)
                .unwrap()
                .transformations
                .len()
        })
        .sum();
    assert_eq!(ecs.transformations.len(), parts);
}

#[test]
fn pipeline_fields_come_from_yaml() {
    let p = pipeline(
        "name: mine\npriority: 30\nvars:\n  admins: [alice, bob]\n  port: 22\ntransformations:\n  - id: one\n    type: set_state\n    key: k\n    val: v\n",
    );
    assert_eq!(p.name, "mine");
    assert_eq!(p.priority, 30);
    assert_eq!(p.vars["admins"], vec!["alice", "bob"]);
    assert_eq!(p.vars["port"], vec!["22"]);
    assert_eq!(p.transformations[0].id.as_deref(), Some("one"));
    assert_eq!(p.transformations[0].kind(), "set_state");
    // Without a name, the label names the pipeline.
    assert_eq!(pipeline("transformations: []").name, "test.yml");
}

#[test]
fn named_or_file_reads_files_and_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.yml");
    std::fs::write(
        &path,
        "name: from file\ntransformations:\n  - type: field_name_prefix\n    prefix: x.\n",
    )
    .unwrap();
    let p = finmark::sigma::Pipeline::named_or_file(path.to_str().unwrap()).unwrap();
    assert_eq!(p.name, "from file");
    assert_eq!(
        finmark::sigma::Pipeline::load(&path).unwrap().name,
        "from file"
    );

    let e = finmark::sigma::Pipeline::named_or_file("no/such/pipeline.yml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.message().contains("no/such/pipeline.yml"), "{e}");
    assert!(
        e.message().contains("windows"),
        "lists the shipped names: {e}"
    );

    let bad = dir.path().join("bad.yml");
    std::fs::write(&bad, "transformations:\n  - type: teleport\n").unwrap();
    let e = finmark::sigma::Pipeline::named_or_file(bad.to_str().unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRule);
    assert!(e.message().contains("bad.yml"), "names the file: {e}");
}

#[test]
fn parse_errors_name_the_file_the_transformation_and_the_problem() {
    let e = parse_error(
        "transformations:\n  - type: field_name_prefix\n    prefix: a\n  - id: second\n    type: teleport\n",
    );
    assert!(e.contains("bad.yml"), "{e}");
    assert!(e.contains("transformation #2"), "{e}");
    assert!(e.contains("'second'"), "{e}");
    assert!(
        e.contains("unsupported transformation type 'teleport'"),
        "{e}"
    );

    let e = parse_error("transformations:\n  - mapping: {a: b}\n");
    assert!(
        e.contains("transformation #1") && e.contains("needs a 'type'"),
        "{e}"
    );

    let e = parse_error("transformations:\n  - type: field_name_mapping\n");
    assert!(
        e.contains("field_name_mapping") && e.contains("'mapping' is required"),
        "{e}"
    );

    let e =
        parse_error("transformations:\n  - type: field_name_prefix\n    prefix: a\n    prefx: b\n");
    assert!(e.contains("unknown key 'prefx'"), "{e}");

    let e = parse_error(
        "transformations:\n  - type: replace_string\n    regex: '(unclosed'\n    replacement: x\n",
    );
    assert!(e.contains("invalid 'regex'"), "{e}");

    let e = parse_error(
        "transformations:\n  - type: query_expression_placeholders\n    expression: '{field} in list'\n",
    );
    assert!(
        e.contains("query_expression_placeholders") && e.contains("value_placeholders"),
        "{e}"
    );

    let e = parse_error("transformations:\n  - type: field_name_mapping\n    mapping: {a: []}\n");
    assert!(e.contains("'a' is mapped to an empty list"), "{e}");

    let e = parse_error(
        "transformations:\n  - type: add_condition\n    conditions: {a: 1}\n    rule_conditions:\n      - type: logsourcez\n",
    );
    assert!(
        e.contains("unsupported rule condition type 'logsourcez'"),
        "{e}"
    );

    let e = parse_error(
        "transformations:\n  - type: add_condition\n    conditions: {'Image|endswith': x}\n",
    );
    assert!(e.contains("modifiers are not supported"), "{e}");

    let e = parse_error("name: [x\n");
    assert!(e.contains("invalid YAML"), "{e}");

    let e = parse_error("transformations: []\npostprocesing: []\n");
    assert!(e.contains("unknown key 'postprocesing'"), "{e}");

    let e = parse_error("priority: high\n");
    assert!(e.contains("'priority' must be an integer"), "{e}");
}

#[test]
fn condition_expressions_are_checked() {
    let base = "transformations:\n  - type: set_state\n    key: k\n    val: v\n";
    let e = parse_error(&format!(
        "{base}    rule_conditions:\n      a: {{type: is_sigma_rule}}\n    rule_cond_expr: a and b\n"
    ));
    assert!(e.contains("no condition named 'b'"), "{e}");
    let e = parse_error(&format!(
        "{base}    rule_conditions:\n      a: {{type: is_sigma_rule}}\n      b: {{type: is_sigma_rule}}\n    rule_cond_expr: a\n"
    ));
    assert!(e.contains("does not use condition 'b'"), "{e}");
    let e = parse_error(&format!(
        "{base}    rule_conditions:\n      a: {{type: is_sigma_rule}}\n    rule_cond_expr: a\n    rule_cond_op: or\n"
    ));
    assert!(e.contains("exclude each other"), "{e}");
    let e = parse_error(&format!(
        "{base}    rule_conditions:\n      - {{type: is_sigma_rule}}\n    rule_cond_expr: '1'\n"
    ));
    assert!(e.contains("as a mapping"), "{e}");
    let e = parse_error(&format!(
        "{base}    rule_conditions:\n      a: {{type: is_sigma_rule}}\n    rule_cond_expr: (a\n"
    ));
    assert!(e.contains("missing ')'"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// Field name transformations

#[test]
fn field_name_mapping_renames_items_field_lists_and_field_references() {
    let mut doc = process_creation(
        "map",
        vec![
            item("Image", &["*\\cmd.exe"]),
            FieldItem {
                field: Some("ParentImage".into()),
                modifiers: vec!["fieldref".into()],
                matchers: vec![Matcher::FieldRef {
                    field: "Image".into(),
                    mode: RefMode::Equals,
                    cased: false,
                }],
                all: false,
            },
        ],
    );
    if let Document::Rule(r) = &mut doc {
        r.meta.fields = vec!["Image".into(), "User".into()];
    }
    let doc = applied(
        "transformations:\n  - type: field_name_mapping\n    mapping:\n      Image: process.executable\n      ParentImage: process.parent.executable\n",
        doc,
    );
    let s = search(&doc, "selection");
    assert_eq!(
        fields_of(s),
        ["process.executable", "process.parent.executable"]
    );
    assert_eq!(texts(&items(s)[0]), ["*\\cmd.exe"]);
    assert_eq!(
        items(s)[1].matchers,
        [Matcher::FieldRef {
            field: "process.executable".into(),
            mode: RefMode::Equals,
            cased: false,
        }]
    );
    assert_eq!(doc.meta().fields, ["process.executable", "User"]);
}

#[test]
fn a_field_mapped_to_several_names_becomes_an_or_of_the_alternatives() {
    let doc = process_creation(
        "many",
        vec![
            item("CommandLine", &["*whoami*"]),
            item("Image", &["*\\cmd.exe"]),
        ],
    );
    let doc = applied(
        "transformations:\n  - type: field_name_mapping\n    mapping:\n      Image: [Image, NewProcessName]\n",
        doc,
    );
    let Search::AnyOf(alternatives) = search(&doc, "selection") else {
        panic!("expected alternatives: {:?}", search(&doc, "selection"));
    };
    let maps: Vec<Vec<&str>> = alternatives.iter().map(fields_of).collect();
    assert_eq!(
        maps,
        [
            vec!["CommandLine", "Image"],
            vec!["CommandLine", "NewProcessName"]
        ]
    );
    for alternative in alternatives {
        assert_eq!(texts(&items(alternative)[1]), ["*\\cmd.exe"]);
    }
}

#[test]
fn prefix_mapping_prefix_and_suffix() {
    let doc = || {
        rule(
            "names",
            LogSource::default(),
            vec![item("src_ip", &["10.*"]), item("dst_port", &["22"])],
        )
    };
    let mapped = applied(
        "transformations:\n  - type: field_name_prefix_mapping\n    mapping:\n      src_: source.\n      dst_: [destination., target.]\n",
        doc(),
    );
    let Search::AnyOf(alternatives) = search(&mapped, "selection") else {
        panic!("expected alternatives");
    };
    assert_eq!(
        fields_of(&alternatives[0]),
        ["source.ip", "destination.port"]
    );
    assert_eq!(fields_of(&alternatives[1]), ["source.ip", "target.port"]);

    let prefixed = applied(
        "transformations:\n  - type: field_name_prefix\n    prefix: 'zeek.'\n",
        doc(),
    );
    assert_eq!(
        fields_of(search(&prefixed, "selection")),
        ["zeek.src_ip", "zeek.dst_port"]
    );
    let suffixed = applied(
        "transformations:\n  - type: field_name_suffix\n    suffix: '.keyword'\n",
        doc(),
    );
    assert_eq!(
        fields_of(search(&suffixed, "selection")),
        ["src_ip.keyword", "dst_port.keyword"]
    );
}

#[test]
fn field_name_conditions_select_fields() {
    let doc = || {
        rule(
            "select",
            LogSource::default(),
            vec![
                item("Image", &["a"]),
                item("CommandLine", &["b"]),
                item("User", &["c"]),
            ],
        )
    };
    let include = applied(
        "transformations:\n  - type: field_name_prefix\n    prefix: 'x.'\n    field_name_conditions:\n      - type: include_fields\n        fields: [Image, User]\n",
        doc(),
    );
    assert_eq!(
        fields_of(search(&include, "selection")),
        ["x.Image", "CommandLine", "x.User"]
    );

    let exclude = applied(
        "transformations:\n  - type: field_name_prefix\n    prefix: 'x.'\n    field_name_conditions:\n      - type: exclude_fields\n        fields: Image\n",
        doc(),
    );
    assert_eq!(
        fields_of(search(&exclude, "selection")),
        ["Image", "x.CommandLine", "x.User"]
    );

    // Regular expressions match at the start of the name, as Python's re.match does.
    let regex = applied(
        "transformations:\n  - type: field_name_prefix\n    prefix: 'x.'\n    field_name_conditions:\n      - type: include_fields\n        mode: re\n        fields: ['[IU]', 'ine']\n",
        doc(),
    );
    assert_eq!(
        fields_of(search(&regex, "selection")),
        ["x.Image", "CommandLine", "x.User"]
    );

    let negated = applied(
        "transformations:\n  - type: field_name_prefix\n    prefix: 'x.'\n    field_name_cond_not: true\n    field_name_conditions:\n      - type: include_fields\n        fields: [Image]\n",
        doc(),
    );
    assert_eq!(
        fields_of(search(&negated, "selection")),
        ["Image", "x.CommandLine", "x.User"]
    );

    let either = applied(
        "transformations:\n  - type: field_name_prefix\n    prefix: 'x.'\n    field_name_cond_op: or\n    field_name_conditions:\n      - {type: include_fields, fields: [Image]}\n      - {type: include_fields, fields: [User]}\n",
        doc(),
    );
    assert_eq!(
        fields_of(search(&either, "selection")),
        ["x.Image", "CommandLine", "x.User"]
    );
}

#[test]
fn field_processing_item_applied_follows_renamed_fields() {
    let doc = rule(
        "tracked",
        LogSource::default(),
        vec![item("Image", &["a"]), item("User", &["b"])],
    );
    let doc = applied(
        "transformations:\n  - id: rename_image\n    type: field_name_mapping\n    mapping: {Image: process.executable}\n  - type: field_name_suffix\n    suffix: '.text'\n    field_name_conditions:\n      - {type: processing_item_applied, processing_item_id: rename_image}\n",
        doc,
    );
    assert_eq!(
        fields_of(search(&doc, "selection")),
        ["process.executable.text", "User"]
    );
}

// ---------------------------------------------------------------------------------------------
// add_condition, change_logsource

#[test]
fn add_condition_ands_a_hidden_search() {
    let doc = applied(
        "transformations:\n  - type: add_condition\n    conditions:\n      Channel: Security\n      EventID: [4624, 4625]\n      Image: '*\\cmd.exe'\n      Gone: null\n",
        process_creation("cond", vec![item("CommandLine", &["*x*"])]),
    );
    let d = detection(&doc);
    assert_eq!(
        d.condition,
        Condition::And(vec![
            Condition::Search("_pipeline_0".into()),
            Condition::Search("selection".into()),
        ])
    );
    let added = items(search(&doc, "_pipeline_0"));
    assert_eq!(
        fields_of(search(&doc, "_pipeline_0")),
        ["Channel", "EventID", "Image", "Gone"]
    );
    assert_eq!(texts(&added[0]), ["Security"]);
    // Numbers become patterns of their text, as the rule parser makes them.
    assert_eq!(
        added[1].matchers,
        [
            Matcher::Pattern {
                pattern: Pattern::literal("4624"),
                cased: false
            },
            Matcher::Pattern {
                pattern: Pattern::literal("4625"),
                cased: false
            },
        ]
    );
    assert!(!added[1].all, "a list of values is an OR");
    assert_eq!(
        added[2].matchers,
        [Matcher::Pattern {
            pattern: Pattern {
                parts: vec![
                    PatternPart::AnyChars,
                    PatternPart::Literal("\\cmd.exe".into())
                ]
            },
            cased: false,
        }]
    );
    assert_eq!(added[3].matchers, [Matcher::Null]);
}

#[test]
fn add_condition_names_negation_and_templates() {
    let doc = applied(
        "transformations:\n  - type: add_condition\n    conditions: {a: 1}\n  - type: add_condition\n    negated: true\n    conditions: {b: 2}\n  - type: add_condition\n    name: _source\n    template: true\n    conditions: {event.dataset: '$product.${service}.$$'}\n",
        rule(
            "t",
            logsource(None, Some("zeek"), Some("dns")),
            vec![item("q", &["x"])],
        ),
    );
    let d = detection(&doc);
    let names: Vec<&str> = d.searches.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["selection", "_pipeline_0", "_pipeline_1", "_source"]
    );
    assert_eq!(
        d.condition,
        Condition::And(vec![
            Condition::Search("_source".into()),
            Condition::And(vec![
                Condition::Not(Box::new(Condition::Search("_pipeline_1".into()))),
                Condition::And(vec![
                    Condition::Search("_pipeline_0".into()),
                    Condition::Search("selection".into()),
                ]),
            ]),
        ])
    );
    assert_eq!(texts(&items(search(&doc, "_source"))[0]), ["zeek.dns.$"]);
}

#[test]
fn add_condition_is_hidden_from_them() {
    // `1 of them` skips names starting with an underscore, so the added search is not one
    // of the alternatives.
    let mut doc = rule_with(
        "them",
        LogSource::default(),
        vec![
            ("a", Search::AllOf(vec![item("x", &["1"])])),
            ("b", Search::AllOf(vec![item("y", &["2"])])),
        ],
    );
    if let Document::Rule(r) = &mut doc {
        r.detection.condition = Condition::Of {
            quantifier: Quantifier::AtLeast(1),
            target: OfTarget::Them,
        };
    }
    let doc = applied(
        "transformations:\n  - type: add_condition\n    conditions: {z: 3}\n",
        doc,
    );
    assert!(
        detection(&doc)
            .searches
            .iter()
            .all(|(n, _)| n == "a" || n == "b" || n.starts_with('_')),
    );
}

#[test]
fn change_logsource_replaces_the_logsource() {
    let doc = applied(
        "transformations:\n  - type: change_logsource\n    product: windows\n    service: sysmon\n    rule_conditions:\n      - {type: logsource, category: process_creation}\n",
        process_creation("ls", vec![item("Image", &["a"])]),
    );
    assert_eq!(
        doc.meta().logsource,
        logsource(None, Some("windows"), Some("sysmon"))
    );
}

// ---------------------------------------------------------------------------------------------
// Value transformations

#[test]
fn replace_string_rewrites_text_and_keeps_wildcards() {
    let mut image = item("Image", &["*\\System32\\cmd.exe"]);
    // `Image|startswith: 'C:\Windows\'`
    image.matchers.insert(
        0,
        Matcher::Pattern {
            pattern: Pattern {
                parts: vec![
                    PatternPart::Literal("C:\\Windows\\".into()),
                    PatternPart::AnyChars,
                ],
            },
            cased: false,
        },
    );
    let doc = process_creation(
        "replace",
        vec![
            image,
            FieldItem {
                field: Some("CommandLine".into()),
                modifiers: vec!["re".into()],
                matchers: vec![Matcher::Regex {
                    pattern: "C:\\\\".into(),
                    case_insensitive: false,
                    multi_line: false,
                    dot_matches_new_line: false,
                }],
                all: false,
            },
        ],
    );
    let doc = applied(
        "transformations:\n  - type: replace_string\n    regex: '^C:\\\\'\n    replacement: '\\\\Device\\\\HarddiskVolume?\\\\'\n",
        doc,
    );
    let s = items(search(&doc, "selection"));
    // The trailing wildcard after the literal backslash stays a wildcard; the `?` of the
    // replacement is one.
    assert_eq!(
        texts(&s[0]),
        [
            "\\Device\\HarddiskVolume?\\Windows\\\\*",
            "*\\System32\\cmd.exe"
        ]
    );
    assert_eq!(
        s[0].matchers[0],
        Matcher::Pattern {
            pattern: Pattern {
                parts: vec![
                    PatternPart::Literal("\\Device\\HarddiskVolume".into()),
                    PatternPart::OneChar,
                    PatternPart::Literal("\\Windows\\".into()),
                    PatternPart::AnyChars,
                ]
            },
            cased: false,
        }
    );
    // Regular expression values are not strings.
    assert!(matches!(s[1].matchers[0], Matcher::Regex { .. }));
}

#[test]
fn replace_string_groups_and_skip_special() {
    let doc = || rule("g", LogSource::default(), vec![item("f", &["user-admin*"])]);
    let grouped = applied(
        "transformations:\n  - type: replace_string\n    regex: '(\\w+)-(\\w+)'\n    replacement: '\\2@\\g<1>'\n",
        doc(),
    );
    assert_eq!(
        texts(&items(search(&grouped, "selection"))[0]),
        ["admin@user*"]
    );

    // With skip_special the wildcard is out of the regular expression's reach.
    let stars = || rule("s", LogSource::default(), vec![item("f", &["a*b"])]);
    let plain = applied(
        "transformations:\n  - type: replace_string\n    regex: '\\*'\n    replacement: '-'\n",
        stars(),
    );
    assert_eq!(texts(&items(search(&plain, "selection"))[0]), ["a-b"]);
    let skipped = applied(
        "transformations:\n  - type: replace_string\n    regex: '\\*'\n    replacement: '-'\n    skip_special: true\n",
        stars(),
    );
    assert_eq!(texts(&items(search(&skipped, "selection"))[0]), ["a*b"]);
}

#[test]
fn map_string_case_and_set_value() {
    let doc = || {
        rule(
            "v",
            LogSource::default(),
            vec![item("action", &["deny", "Allow*"])],
        )
    };
    let mapped = applied(
        "transformations:\n  - type: map_string\n    mapping:\n      deny: [blocked, dropped]\n",
        doc(),
    );
    assert_eq!(
        texts(&items(search(&mapped, "selection"))[0]),
        ["blocked", "dropped", "Allow*"]
    );
    let upper = applied(
        "transformations:\n  - type: case\n    method: upper\n",
        doc(),
    );
    assert_eq!(
        texts(&items(search(&upper, "selection"))[0]),
        ["DENY", "ALLOW*"]
    );
    let set = applied(
        "transformations:\n  - type: set_value\n    value: 0\n",
        doc(),
    );
    assert_eq!(texts(&items(search(&set, "selection"))[0]), ["0"]);
}

#[test]
fn value_placeholders_take_the_pipeline_vars() {
    let doc = || {
        rule(
            "ph",
            LogSource::default(),
            vec![
                FieldItem {
                    field: Some("SubjectUserName".into()),
                    modifiers: vec!["expand".into()],
                    matchers: vec![template(&["%Admins%"], false)],
                    all: false,
                },
                FieldItem {
                    field: Some("TargetUserName".into()),
                    modifiers: vec!["cased".into(), "expand".into()],
                    matchers: vec![template(&["%Admins%"], true)],
                    all: false,
                },
                // `CommandLine|contains|expand: '%userdomain%\'`
                FieldItem {
                    field: Some("CommandLine".into()),
                    modifiers: vec!["contains".into(), "expand".into()],
                    matchers: vec![template(&["*", "%userdomain%", "\\\\*"], false)],
                    all: false,
                },
                // `User|neq|expand: '%Admins%'`
                FieldItem {
                    field: Some("User".into()),
                    modifiers: vec!["neq".into(), "expand".into()],
                    matchers: vec![Matcher::Not(Box::new(template(&["%Admins%"], false)))],
                    all: false,
                },
            ],
        )
    };
    let doc = applied(
        "vars:\n  Admins: [alice, 'svc_*']\n  userdomain: CORP\ntransformations:\n  - type: value_placeholders\n",
        doc(),
    );
    let s = items(search(&doc, "selection"));
    assert_eq!(texts(&s[0]), ["alice", "svc_*"]);
    assert!(
        s[0].matchers
            .iter()
            .all(|m| matches!(m, Matcher::Pattern { cased: false, .. }))
    );
    assert!(
        s[1].matchers
            .iter()
            .all(|m| matches!(m, Matcher::Pattern { cased: true, .. }))
    );
    assert_eq!(texts(&s[2]), ["*CORP\\\\*"]);
    assert_eq!(
        s[2].matchers[0],
        Matcher::Pattern {
            pattern: Pattern {
                parts: vec![
                    PatternPart::AnyChars,
                    PatternPart::Literal("CORP\\".into()),
                    PatternPart::AnyChars,
                ]
            },
            cased: false,
        }
    );
    assert_eq!(
        s[3].matchers,
        [Matcher::Not(Box::new(Matcher::AnyOf(vec![
            pattern("alice"),
            pattern("svc_*")
        ])))]
    );
}

#[test]
fn placeholders_without_vars_are_errors_and_scopes_limit_them() {
    let doc = || {
        rule(
            "ph",
            LogSource::default(),
            vec![FieldItem {
                field: Some("IpAddress".into()),
                modifiers: vec!["expand".into()],
                matchers: vec![
                    template(&["%dc_ips%"], false),
                    template(&["%other%"], false),
                ],
                all: false,
            }],
        )
    };
    let e = apply_error("transformations:\n  - type: value_placeholders\n", doc());
    assert!(e.contains("'%dc_ips%'") && e.contains("vars"), "{e}");

    let doc = applied(
        "vars: {dc_ips: 10.0.0.1}\ntransformations:\n  - type: value_placeholders\n    include: [dc_ips]\n  - type: wildcard_placeholders\n",
        doc(),
    );
    assert_eq!(
        texts(&items(search(&doc, "selection"))[0]),
        ["10.0.0.1", "*"]
    );

    // A pattern without `expand` keeps its percent signs.
    let plain = applied(
        "transformations:\n  - type: wildcard_placeholders\n",
        rule(
            "p",
            LogSource::default(),
            vec![item("CommandLine", &["%TEMP%"])],
        ),
    );
    assert_eq!(texts(&items(search(&plain, "selection"))[0]), ["%TEMP%"]);
}

// ---------------------------------------------------------------------------------------------
// Dropping and failing

#[test]
fn drop_detection_item_removes_selected_items() {
    let doc = applied(
        "transformations:\n  - type: drop_detection_item\n    field_name_conditions:\n      - {type: include_fields, fields: [EventID]}\n",
        rule(
            "drop",
            LogSource::default(),
            vec![
                item("EventID", &["4104"]),
                item("ScriptBlockText", &["*iex*"]),
            ],
        ),
    );
    assert_eq!(fields_of(search(&doc, "selection")), ["ScriptBlockText"]);
}

#[test]
fn failures_name_the_rule_the_pipeline_and_the_transformation() {
    let e = apply_error(
        "name: strict\ntransformations:\n  - type: set_state\n    key: a\n    val: b\n  - id: no_macos\n    type: rule_failure\n    message: macOS rules are not supported\n    rule_conditions: [{type: logsource, product: macos}]\n",
        rule(
            "mac",
            logsource(Some("process_creation"), Some("macos"), None),
            vec![item("Image", &["x"])],
        ),
    );
    for part in [
        "rules/mac.yml",
        "mac-id",
        "'strict'",
        "transformation #2",
        "'no_macos'",
        "macOS rules are not supported",
    ] {
        assert!(e.contains(part), "{part} missing from: {e}");
    }

    let yaml = "transformations:\n  - type: detection_item_failure\n    message: Hashes cannot be searched\n    field_name_conditions: [{type: include_fields, fields: [Hashes]}]\n";
    let e = apply_error(
        yaml,
        process_creation("h", vec![item("Hashes", &["*MD5=*"])]),
    );
    assert!(
        e.contains("Hashes cannot be searched") && e.contains("search 'selection'"),
        "{e}"
    );
    // Without such an item the rule passes.
    applied(yaml, process_creation("ok", vec![item("Image", &["x"])]));
}

#[test]
fn state_and_attribute_transformations_change_nothing() {
    let before = process_creation("same", vec![item("Image", &["x"])]);
    let after = applied(
        "transformations:\n  - type: set_state\n    key: index\n    val: windows\n  - type: set_custom_attribute\n    attribute: a\n    value: b\n  - type: convert_type\n    target_type: str\n",
        before.clone(),
    );
    assert_eq!(after, before);
}

#[test]
fn field_lists_and_nesting() {
    let doc = applied(
        "transformations:\n  - type: nest\n    rule_conditions: [{type: is_sigma_rule}]\n    items:\n      - type: add_field\n        field: [a, b]\n      - type: remove_field\n        field: a\n      - type: field_name_prefix\n        prefix: 'p.'\n",
        rule("nest", LogSource::default(), vec![item("x", &["1"])]),
    );
    assert_eq!(doc.meta().fields, ["p.b"]);
    assert_eq!(fields_of(search(&doc, "selection")), ["p.x"]);
    let set = applied(
        "transformations:\n  - type: set_field\n    fields: [only]\n",
        rule("set", LogSource::default(), vec![item("x", &["1"])]),
    );
    assert_eq!(set.meta().fields, ["only"]);
}

// ---------------------------------------------------------------------------------------------
// Rule and detection item conditions

fn prefixed_if(conditions: &str, doc: Document) -> bool {
    let yaml =
        format!("transformations:\n  - type: field_name_prefix\n    prefix: 'p.'\n{conditions}");
    let doc = applied(&yaml, doc);
    let first = match search(&doc, "selection") {
        Search::AllOf(items) => items[0].field.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    first.starts_with("p.")
}

#[test]
fn logsource_condition_needs_every_given_part() {
    let doc = || process_creation("ls", vec![item("Image", &["x"])]);
    let cond = |body: &str| format!("    rule_conditions:\n      - {{type: logsource, {body}}}\n");
    assert!(prefixed_if(&cond("product: windows"), doc()));
    assert!(prefixed_if(
        &cond("product: Windows, category: process_creation"),
        doc()
    ));
    assert!(!prefixed_if(
        &cond("product: windows, service: sysmon"),
        doc()
    ));
    assert!(!prefixed_if(&cond("category: file_event"), doc()));
}

#[test]
fn rule_conditions_combine() {
    let doc = || {
        let mut d = process_creation(
            "c",
            vec![item("Image", &["*\\cmd.exe"]), item("EventID", &["1"])],
        );
        if let Document::Rule(r) = &mut d {
            r.meta.tags = vec!["attack.t1059".into()];
        }
        d
    };
    let yes = |c: &str| prefixed_if(c, doc());
    assert!(yes(
        "    rule_conditions: [{type: contains_detection_item, field: EventID, value: 1}]\n"
    ));
    assert!(!yes(
        "    rule_conditions: [{type: contains_detection_item, field: EventID, value: 2}]\n"
    ));
    assert!(yes(
        "    rule_conditions: [{type: contains_field, field: Image}]\n"
    ));
    assert!(!yes(
        "    rule_conditions: [{type: contains_field, field: User}]\n"
    ));
    assert!(yes(
        "    rule_conditions: [{type: tag, tag: attack.t1059}]\n"
    ));
    assert!(yes("    rule_conditions: [{type: is_sigma_rule}]\n"));
    assert!(!yes(
        "    rule_conditions: [{type: is_sigma_correlation_rule}]\n"
    ));
    assert!(!yes(
        "    rule_conditions: [{type: is_sigma_rule}, {type: is_sigma_correlation_rule}]\n"
    ));
    assert!(yes(
        "    rule_cond_op: or\n    rule_conditions: [{type: is_sigma_rule}, {type: is_sigma_correlation_rule}]\n"
    ));
    assert!(!yes(
        "    rule_cond_not: true\n    rule_conditions: [{type: is_sigma_rule}]\n"
    ));
    assert!(yes(
        "    rule_conditions:\n      rule: {type: is_sigma_rule}\n      user: {type: contains_field, field: User}\n      t: {type: tag, tag: attack.t1059}\n    rule_cond_expr: rule and not user and (t or user)\n"
    ));
}

#[test]
fn processing_item_applied_sees_earlier_items_and_pipelines() {
    let yaml = "transformations:\n  - id: windows_only\n    type: set_state\n    key: k\n    val: v\n    rule_conditions: [{type: logsource, product: windows}]\n  - type: field_name_prefix\n    prefix: 'p.'\n    rule_conditions: [{type: processing_item_applied, processing_item_id: windows_only}]\n";
    let win = applied(yaml, process_creation("w", vec![item("Image", &["x"])]));
    assert_eq!(fields_of(search(&win, "selection")), ["p.Image"]);
    let lin = applied(
        yaml,
        rule(
            "l",
            logsource(Some("process_creation"), Some("linux"), None),
            vec![item("Image", &["x"])],
        ),
    );
    assert_eq!(fields_of(search(&lin, "selection")), ["Image"]);

    // Across pipelines chained with apply_pipelines.
    let first = pipeline(
        "priority: 10\ntransformations:\n  - id: marked\n    type: set_state\n    key: k\n    val: v\n",
    );
    let second = pipeline(
        "priority: 20\ntransformations:\n  - type: field_name_prefix\n    prefix: 'q.'\n    rule_conditions: [{type: processing_item_applied, processing_item_id: marked}]\n",
    );
    let mut doc = process_creation("chain", vec![item("Image", &["x"])]);
    apply_pipelines(&[second, first], &mut doc).unwrap();
    assert_eq!(fields_of(search(&doc, "selection")), ["q.Image"]);
}

#[test]
fn detection_item_conditions_select_items() {
    let doc = || {
        rule(
            "di",
            LogSource::default(),
            vec![
                item("a", &["plain"]),
                item("b", &["wild*"]),
                FieldItem {
                    field: Some("c".into()),
                    modifiers: Vec::new(),
                    matchers: vec![Matcher::Null],
                    all: false,
                },
            ],
        )
    };
    let dropped = |cond: &str| -> Vec<String> {
        let yaml = format!(
            "transformations:\n  - type: drop_detection_item\n    detection_item_conditions:\n      - {cond}\n"
        );
        let doc = applied(&yaml, doc());
        fields_of(search(&doc, "selection"))
            .into_iter()
            .map(String::from)
            .collect()
    };
    assert_eq!(dropped("{type: contains_wildcard, cond: any}"), ["a", "c"]);
    assert_eq!(dropped("{type: is_null, cond: all}"), ["a", "b"]);
    assert_eq!(
        dropped("{type: match_string, pattern: 'pl', cond: any}"),
        ["b", "c"]
    );
    assert_eq!(
        dropped("{type: match_string, pattern: 'pl', cond: all, negate: true}"),
        ["a"]
    );
    assert_eq!(
        dropped("{type: match_value, value: 'wild*', cond: any}"),
        ["a", "c"]
    );
}

// ---------------------------------------------------------------------------------------------
// Ordering

#[test]
fn pipelines_apply_in_priority_order_and_keep_order_when_equal() {
    let a_to_b = || {
        pipeline(
            "priority: 20\ntransformations:\n  - type: field_name_mapping\n    mapping: {A: B}\n",
        )
    };
    let b_to_c = |priority: i64| {
        pipeline(&format!(
            "priority: {priority}\ntransformations:\n  - type: field_name_mapping\n    mapping: {{B: C}}\n"
        ))
    };
    let run = |pipelines: &[finmark::sigma::Pipeline]| {
        let mut doc = rule("o", LogSource::default(), vec![item("A", &["1"])]);
        apply_pipelines(pipelines, &mut doc).unwrap();
        fields_of(search(&doc, "selection"))[0].to_string()
    };
    // b_to_c has the lower priority, so it runs first and finds no B yet.
    assert_eq!(run(&[a_to_b(), b_to_c(10)]), "B");
    assert_eq!(run(&[a_to_b(), b_to_c(30)]), "C");
    // Equal priorities keep the given order.
    assert_eq!(run(&[a_to_b(), b_to_c(20)]), "C");
    assert_eq!(run(&[b_to_c(20), a_to_b()]), "B");
}

#[test]
fn later_pipelines_override_vars() {
    let low = pipeline("priority: 1\nvars: {who: low}\ntransformations: []\n");
    let high = pipeline(
        "priority: 2\nvars: {who: high}\ntransformations:\n  - type: value_placeholders\n",
    );
    let mut doc = rule(
        "v",
        LogSource::default(),
        vec![FieldItem {
            field: Some("user".into()),
            modifiers: vec!["expand".into()],
            matchers: vec![template(&["%who%"], false)],
            all: false,
        }],
    );
    apply_pipelines(&[high, low], &mut doc).unwrap();
    assert_eq!(texts(&items(search(&doc, "selection"))[0]), ["high"]);
}

// ---------------------------------------------------------------------------------------------
// Filters and correlations

#[test]
fn filters_are_mapped_like_rules() {
    let mut doc = Document::Filter(Filter {
        meta: meta("filter", logsource(Some("webserver"), None, None)),
        rules: vec!["r1".into()],
        detection: Detection {
            searches: vec![(
                "benign".into(),
                Search::AllOf(vec![item("c-ip", &["10.*"])]),
            )],
            condition: Condition::Not(Box::new(Condition::Search("benign".into()))),
        },
    });
    finmark::sigma::Pipeline::builtin("webserver")
        .unwrap()
        .apply(&mut doc)
        .unwrap();
    assert_eq!(fields_of(search(&doc, "benign")), ["source.ip"]);
    assert_eq!(fields_of(search(&doc, "_pipeline_0")), ["event.category"]);
}

fn correlation(
    rules: &[&str],
    group_by: &[&str],
    field: Option<&str>,
    aliases: Vec<Alias>,
) -> Document {
    Document::Correlation(Correlation {
        meta: Meta {
            name: Some("many_requests".into()),
            ..meta("corr", LogSource::default())
        },
        kind: CorrelationType::ValueCount,
        rules: rules.iter().map(|r| r.to_string()).collect(),
        group_by: group_by.iter().map(|g| g.to_string()).collect(),
        timespan_secs: 300,
        condition: Vec::new(),
        field: field.map(String::from),
        percentile: None,
        generate: false,
        aliases,
    })
}

#[test]
fn correlations_map_group_by_value_field_and_aliases() {
    let web_rule = rule(
        "web",
        logsource(Some("webserver"), None, None),
        vec![item("sc-status", &["404"])],
    );
    let corr = correlation(
        &["web-id"],
        &["c-ip", "client"],
        Some("cs-uri-stem"),
        vec![Alias {
            name: "client".into(),
            fields: vec![("web-id".into(), "c-ip".into())],
        }],
    );
    let pipelines = [finmark::sigma::Pipeline::builtin("webserver").unwrap()];
    let mut docs = vec![web_rule, corr];
    let rejected = apply_to_all(&pipelines, &mut docs);
    assert!(rejected.is_empty(), "{rejected:?}");
    let Document::Correlation(c) = &docs[1] else {
        panic!()
    };
    assert_eq!(
        c.group_by,
        ["source.ip", "client"],
        "aliases keep their names"
    );
    assert_eq!(c.field.as_deref(), Some("url.path"));
    assert_eq!(
        c.aliases[0].fields,
        [("web-id".to_string(), "source.ip".to_string())]
    );

    // Alone, the correlation's logsource is unknown, so the logsource-gated mapping skips it.
    let mut alone = correlation(&["web-id"], &["c-ip"], None, Vec::new());
    pipelines[0].apply(&mut alone).unwrap();
    let Document::Correlation(c) = &alone else {
        panic!()
    };
    assert_eq!(c.group_by, ["c-ip"]);
}

#[test]
fn a_correlation_value_field_mapped_to_several_names_is_rejected() {
    let yaml = "transformations:\n  - type: field_name_mapping\n    mapping: {cs-host: [url.domain, destination.domain]}\n";
    let mut docs = vec![
        rule("ok", LogSource::default(), vec![item("x", &["1"])]),
        correlation(&["ok-id"], &["cs-host"], Some("cs-host"), Vec::new()),
    ];
    let rejected = apply_to_all(&[pipeline(yaml)], &mut docs);
    assert_eq!(docs.len(), 1, "the correlation is removed, the rule kept");
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].origin.file.to_str(), Some("rules/corr.yml"));
    assert!(
        rejected[0]
            .reason
            .contains("value field 'cs-host' maps to several fields"),
        "{}",
        rejected[0]
    );
    // group-by may grow: grouping by both names is what pySigma does.
    let mut group_only = correlation(&["ok-id"], &["cs-host"], None, Vec::new());
    pipeline(yaml).apply(&mut group_only).unwrap();
    let Document::Correlation(c) = &group_only else {
        panic!()
    };
    assert_eq!(c.group_by, ["url.domain", "destination.domain"]);
}

// ---------------------------------------------------------------------------------------------
// The shipped Windows pipeline

fn windows() -> finmark::sigma::Pipeline {
    finmark::sigma::Pipeline::builtin("windows").unwrap()
}

fn windows_applied(doc: Document) -> Document {
    let mut doc = doc;
    windows().apply(&mut doc).unwrap();
    doc
}

fn added_condition(doc: &Document) -> Vec<(String, Vec<String>)> {
    items(search(doc, "_pipeline_0"))
        .iter()
        .map(|i| (i.field.clone().unwrap(), texts(i)))
        .collect()
}

/// Expected added conditions: field and values.
type Expected<'a> = &'a [(&'a str, &'a [&'a str])];

fn pairs(expected: Expected) -> Vec<(String, Vec<String>)> {
    expected
        .iter()
        .map(|(f, v)| (f.to_string(), v.iter().map(|s| s.to_string()).collect()))
        .collect()
}

#[test]
fn windows_security_service_gets_the_security_channel() {
    let doc = windows_applied(rule(
        "failed_logon",
        logsource(None, Some("windows"), Some("security")),
        vec![item("EventID", &["4625"])],
    ));
    assert_eq!(added_condition(&doc), pairs(&[("Channel", &["Security"])]));
    assert_eq!(
        detection(&doc).condition,
        Condition::And(vec![
            Condition::Search("_pipeline_0".into()),
            Condition::Search("selection".into()),
        ])
    );
}

#[test]
fn windows_defender_fields_match_with_or_without_spaces() {
    let doc = windows_applied(rule(
        "eicar",
        logsource(None, Some("windows"), Some("windefend")),
        vec![item("ThreatName", &["*EICAR*"]), item("EventID", &["1116"])],
    ));
    assert_eq!(
        added_condition(&doc),
        pairs(&[(
            "Channel",
            &["Microsoft-Windows-Windows Defender/Operational"]
        )])
    );
    let Search::AnyOf(alternatives) = search(&doc, "selection") else {
        panic!("{:?}", search(&doc, "selection"));
    };
    let maps: Vec<Vec<&str>> = alternatives.iter().map(fields_of).collect();
    assert_eq!(
        maps,
        [
            vec!["ThreatName", "EventID"],
            vec!["Threat Name", "EventID"]
        ]
    );
}

#[test]
fn windows_process_creation_covers_sysmon_and_security_when_the_fields_allow() {
    let doc = windows_applied(process_creation(
        "cmd",
        vec![
            item("Image", &["*\\cmd.exe"]),
            item("CommandLine", &["*/c*"]),
        ],
    ));
    assert_eq!(
        added_condition(&doc),
        pairs(&[
            (
                "Channel",
                &["Microsoft-Windows-Sysmon/Operational", "Security"]
            ),
            ("EventID", &["1", "4688"]),
        ])
    );
    let Search::AnyOf(alternatives) = search(&doc, "selection") else {
        panic!("Image should match both names");
    };
    let maps: Vec<Vec<&str>> = alternatives.iter().map(fields_of).collect();
    assert_eq!(
        maps,
        [
            vec!["Image", "CommandLine"],
            vec!["NewProcessName", "CommandLine"]
        ]
    );
}

#[test]
fn windows_process_creation_with_sysmon_only_fields_stays_on_sysmon() {
    let doc = windows_applied(process_creation(
        "renamed",
        vec![
            item("Image", &["*\\cmd.exe"]),
            item("OriginalFileName", &["Cmd.Exe"]),
        ],
    ));
    assert_eq!(
        added_condition(&doc),
        pairs(&[
            ("Channel", &["Microsoft-Windows-Sysmon/Operational"]),
            ("EventID", &["1"]),
        ])
    );
    assert_eq!(
        fields_of(search(&doc, "selection")),
        ["Image", "OriginalFileName"]
    );
}

#[test]
fn windows_categories_get_sysmon_and_powershell_event_ids() {
    let cases: &[(&str, Expected)] = &[
        (
            "image_load",
            &[
                ("Channel", &["Microsoft-Windows-Sysmon/Operational"]),
                ("EventID", &["7"]),
            ],
        ),
        (
            "pipe_created",
            &[
                ("Channel", &["Microsoft-Windows-Sysmon/Operational"]),
                ("EventID", &["17", "18"]),
            ],
        ),
        (
            "file_delete",
            &[
                ("Channel", &["Microsoft-Windows-Sysmon/Operational"]),
                ("EventID", &["23", "26"]),
            ],
        ),
        (
            "ps_script",
            &[
                (
                    "Channel",
                    &[
                        "Microsoft-Windows-PowerShell/Operational",
                        "PowerShellCore/Operational",
                    ],
                ),
                ("EventID", &["4104"]),
            ],
        ),
        (
            "ps_classic_start",
            &[("Channel", &["Windows PowerShell"]), ("EventID", &["400"])],
        ),
    ];
    for (category, expected) in cases {
        let doc = windows_applied(rule(
            category,
            logsource(Some(category), Some("windows"), None),
            vec![item("x", &["1"])],
        ));
        assert_eq!(added_condition(&doc), pairs(expected), "{category}");
    }
}

#[test]
fn windows_rejects_etw_only_categories_and_leaves_others_alone() {
    let e = apply_error(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/pipelines/windows.yml"
        ))
        .unwrap(),
        rule(
            "dpapi",
            logsource(Some("file_access"), Some("windows"), None),
            vec![item("FileName", &["*x*"])],
        ),
    );
    assert!(e.contains("Kernel-File ETW"), "{e}");
    // A rule for all Windows logs, and a Linux rule, are not restricted.
    for ls in [
        logsource(None, Some("windows"), None),
        logsource(Some("process_creation"), Some("linux"), None),
    ] {
        let doc = windows_applied(rule("free", ls, vec![item("x", &["1"])]));
        assert_eq!(detection(&doc).searches.len(), 1);
    }
}

// ---------------------------------------------------------------------------------------------
// End to end with the compiler, on real Windows events

fn samples() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/events/windows-attack-samples.ndjson"
    ))
    .expect("the Windows samples are in ../shared/events")
}

fn count_matches(doc: Document, pipelines: &[&str], events: &[u8]) -> usize {
    let mut builder = RuleSet::builder().strict(true).document(doc);
    for name in pipelines {
        builder = builder.pipeline(finmark::sigma::Pipeline::builtin(name).unwrap());
    }
    let set = builder.build().unwrap();
    let report = set.match_json(events);
    assert!(report.rejected.is_empty());
    report.matches.len()
}

#[test]
fn windows_pipeline_routes_rules_on_real_events() {
    let events = samples();
    // Counted independently over the file: Sysmon 1 with Image ending \cmd.exe (325), Security
    // 4688 with NewProcessName ending \cmd.exe (348), any event with such an Image (356).
    let cmd = || process_creation("cmd", vec![item("Image", &["*\\cmd.exe"])]);
    assert_eq!(count_matches(cmd(), &["windows"], &events), 325 + 348);
    assert_eq!(count_matches(cmd(), &[], &events), 356);

    // OriginalFileName exists only in Sysmon: 62 Sysmon 1 events of cmd.exe carry it.
    let renamed = process_creation(
        "renamed",
        vec![
            item("Image", &["*\\cmd.exe"]),
            item("OriginalFileName", &["cmd.exe"]),
        ],
    );
    assert_eq!(count_matches(renamed, &["windows"], &events), 62);

    // Event 4625 is in the Security channel 3,590 times and elsewhere 38 times.
    let failed = || {
        rule(
            "failed",
            logsource(None, Some("windows"), Some("security")),
            vec![item("EventID", &["4625"])],
        )
    };
    assert_eq!(count_matches(failed(), &["windows"], &events), 3590);
    assert_eq!(count_matches(failed(), &[], &events), 3628);
}

// ---------------------------------------------------------------------------------------------
// The shipped ECS pipelines on finmark's own event kinds

fn at(second: u32) -> chrono::DateTime<chrono::Utc> {
    format!("2026-03-01T09:00:{second:02}Z").parse().unwrap()
}

/// The 1-based positions of the events the rule matches.
fn matched_positions(doc: Document, pipeline: &str, events: &[Event]) -> Vec<usize> {
    let set = RuleSet::builder()
        .strict(true)
        .document(doc)
        .pipeline(finmark::sigma::Pipeline::builtin(pipeline).unwrap())
        .build()
        .unwrap();
    set.match_events(events)
        .iter()
        .map(|m| m.event_index)
        .collect()
}

#[test]
fn webserver_rules_run_on_http_events() {
    let request = |second, method: &str, path: &str, status| -> Event {
        HttpRequest {
            time: at(second),
            id: None,
            method: method.into(),
            path: path.into(),
            status,
            duration_ms: 5.0,
            response_bytes: 10,
            source_ip: "203.0.113.9".into(),
            user: None,
        }
        .into()
    };
    let flow: Event = NetworkFlow {
        time: at(3),
        id: None,
        source_ip: "203.0.113.9".into(),
        source_port: 5555,
        destination_ip: "10.0.0.1".into(),
        destination_port: 443,
        transport: "tcp".into(),
        source_bytes: 1,
        destination_bytes: 1,
        packets: 2,
        duration_ms: 1.0,
    }
    .into();
    let events = vec![
        request(0, "GET", "/api/../../etc/passwd", 400),
        request(1, "POST", "/api/login", 200),
        flow,
    ];
    let traversal = rule(
        "traversal",
        logsource(Some("webserver"), None, None),
        vec![
            item("cs-uri-query", &["*/../*"]),
            item("c-ip", &["203.0.113.*"]),
        ],
    );
    assert_eq!(matched_positions(traversal, "webserver", &events), [1]);
    let post = rule(
        "post",
        logsource(Some("webserver"), None, None),
        vec![item("cs-method", &["POST"]), item("sc-status", &["200"])],
    );
    assert_eq!(matched_positions(post, "ecs", &events), [2]);
    // Firewall rules see the flow and not the requests, though all share the source IP.
    let firewall = rule(
        "fw",
        logsource(Some("firewall"), None, None),
        vec![item("src_ip", &["203.0.113.9"]), item("dst_port", &["443"])],
    );
    assert_eq!(matched_positions(firewall, "firewall", &events), [3]);
}

#[test]
fn authentication_rules_run_on_login_events() {
    let events: Vec<Event> = vec![
        Auth::new(at(0), "admin", "198.51.100.7", Outcome::Failure).into(),
        Auth::new(at(1), "admin", "198.51.100.7", Outcome::Success).into(),
        Auth::new(at(2), "alice", "198.51.100.7", Outcome::Failure).into(),
    ];
    let failed_admin = rule(
        "failed_admin",
        logsource(Some("authentication"), None, None),
        vec![item("outcome", &["failure"]), item("user", &["admin"])],
    );
    assert_eq!(
        matched_positions(failed_admin, "authentication", &events),
        [1]
    );
}

// ---------------------------------------------------------------------------------------------
// Rules written in YAML, through the Sigma parser

fn parse_rules(yaml: &str) -> Vec<Document> {
    let loaded = finmark::sigma::parse_yaml(yaml, std::path::Path::new("rules.yml"));
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    loaded.documents
}

#[test]
fn yaml_process_creation_rules_through_the_windows_pipeline() {
    let mut docs = parse_rules(
        r"
title: Whoami via cmd
id: 11111111-1111-1111-1111-111111111111
logsource: {category: process_creation, product: windows}
detection:
    selection:
        ParentImage|endswith: '\cmd.exe'
        CommandLine|contains: whoami
    condition: selection
---
title: Renamed whoami
id: 22222222-2222-2222-2222-222222222222
logsource: {category: process_creation, product: windows}
detection:
    selection:
        OriginalFileName: whoami.exe
    filter:
        Image|endswith: '\whoami.exe'
    condition: selection and not filter
",
    );
    let rejected = apply_to_all(&[windows()], &mut docs);
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(
        added_condition(&docs[0]),
        pairs(&[
            (
                "Channel",
                &["Microsoft-Windows-Sysmon/Operational", "Security"]
            ),
            ("EventID", &["1", "4688"]),
        ])
    );
    let Search::AnyOf(alternatives) = search(&docs[0], "selection") else {
        panic!("{:?}", search(&docs[0], "selection"));
    };
    let maps: Vec<Vec<&str>> = alternatives.iter().map(fields_of).collect();
    assert_eq!(
        maps,
        [
            vec!["ParentImage", "CommandLine"],
            vec!["ParentProcessName", "CommandLine"]
        ]
    );
    assert_eq!(
        added_condition(&docs[1]),
        pairs(&[
            ("Channel", &["Microsoft-Windows-Sysmon/Operational"]),
            ("EventID", &["1"]),
        ])
    );
    assert_eq!(fields_of(search(&docs[1], "filter")), ["Image"]);
}

#[test]
fn yaml_expand_placeholders_take_pipeline_vars() {
    let rule = r"
title: Domain name on the command line
id: 33333333-3333-3333-3333-333333333333
logsource: {category: process_creation, product: windows}
detection:
    selection:
        CommandLine|contains|expand: '%userdomain%'
        User|expand: '%admins%'
    condition: selection
";
    let vars = pipeline(
        "name: site\npriority: 50\nvars:\n  userdomain: CORP\n  admins: ['CORP\\alice', 'CORP\\adm_*']\ntransformations:\n  - type: value_placeholders\n",
    );
    let set = RuleSet::builder()
        .strict(true)
        .yaml(rule, "rule.yml")
        .pipeline(vars)
        .build()
        .unwrap();
    let events = br#"{"CommandLine": "net group /domain CORP", "User": "CORP\\adm_bob"}
{"CommandLine": "net group /domain CORP", "User": "CORP\\mallory"}
{"CommandLine": "net group /domain OTHER", "User": "CORP\\alice"}
"#;
    let report = set.match_json(events);
    let lines: Vec<usize> = report.matches.iter().map(|m| m.event_index).collect();
    assert_eq!(lines, [1]);

    // Without the variables the placeholders cannot be resolved, and the rule is rejected.
    let e = RuleSet::builder()
        .strict(true)
        .yaml(rule, "rule.yml")
        .pipeline(pipeline("transformations:\n  - type: value_placeholders\n"))
        .build()
        .unwrap_err();
    assert!(e.message().contains("'%userdomain%'"), "{e}");
}

#[test]
fn yaml_correlation_over_a_webserver_rule_is_mapped() {
    let mut docs = parse_rules(
        r"
title: Not found
name: web_404
logsource: {category: webserver}
detection:
    selection:
        sc-status: 404
    condition: selection
---
title: Path scan
name: path_scan
correlation:
    type: value_count
    rules: [web_404]
    group-by: [c-ip]
    timespan: 5m
    condition:
        field: cs-uri-stem
        gte: 10
",
    );
    let rejected = apply_to_all(
        &[finmark::sigma::Pipeline::builtin("ecs").unwrap()],
        &mut docs,
    );
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_eq!(
        fields_of(search(&docs[0], "selection")),
        ["http.response.status_code"]
    );
    let Document::Correlation(c) = &docs[1] else {
        panic!("{:?}", docs[1]);
    };
    assert_eq!(c.group_by, ["source.ip"]);
    assert_eq!(c.field.as_deref(), Some("url.path"));
}
