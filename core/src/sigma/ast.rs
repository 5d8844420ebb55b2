//! The Sigma abstract syntax tree: what the parser produces, pipelines transform, and the
//! detection compiler (`crate::detect`) consumes.
//!
//! Modifiers are already applied here: a field item holds [`Matcher`]s that say exactly what
//! to compare (`Image|endswith: '\cmd.exe'` is a [`Matcher::Pattern`] `*\cmd.exe`,
//! `CommandLine|base64offset|contains: 'http'` is three patterns of encoded text), so the
//! compiler never needs to know about modifiers. The modifiers as written are kept in
//! [`FieldItem::modifiers`] for error messages and display.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where a document came from: a file and its position in a multi-document YAML stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file, or a label such as `<string>` for rules loaded from text.
    pub file: PathBuf,
    /// 0-based index of the YAML document in the file.
    pub document: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.document == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(
                f,
                "{} (document {})",
                self.file.display(),
                self.document + 1
            )
        }
    }
}

/// A parsed Sigma YAML document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Document {
    /// A detection rule.
    Rule(Rule),
    /// A correlation rule (Sigma v2.1 `correlation:`).
    Correlation(Correlation),
    /// A filter (meta) rule (`filter:`), applied to the rules it names.
    Filter(Filter),
}

impl Document {
    /// The metadata every kind of document has.
    pub fn meta(&self) -> &Meta {
        match self {
            Document::Rule(r) => &r.meta,
            Document::Correlation(c) => &c.meta,
            Document::Filter(f) => &f.meta,
        }
    }
}

/// Sigma rule levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// `informational`.
    Informational,
    /// `low`.
    Low,
    /// `medium`.
    Medium,
    /// `high`.
    High,
    /// `critical`.
    Critical,
}

impl Level {
    /// The Sigma spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Informational => "informational",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// Parses the Sigma spelling (exact, lower case).
    pub fn parse(text: &str) -> Option<Level> {
        Some(match text {
            "informational" => Level::Informational,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }
}

/// Sigma rule statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// `stable`.
    Stable,
    /// `test`.
    Test,
    /// `experimental`.
    Experimental,
    /// `deprecated`.
    Deprecated,
    /// `unsupported`.
    Unsupported,
}

/// A `related` entry: another rule this one derives from, obsoletes, or was merged into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    /// The other rule's id.
    pub id: String,
    /// `derived`, `obsolete`, `merged`, `renamed` or `similar`.
    pub kind: String,
}

/// The `logsource` section: what kind of log a rule is written for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct LogSource {
    /// For example `process_creation`, `webserver`, `firewall`.
    pub category: Option<String>,
    /// For example `windows`, `linux`, `okta`.
    pub product: Option<String>,
    /// For example `security`, `sysmon`, `apache`.
    pub service: Option<String>,
    /// Free text for humans.
    pub definition: Option<String>,
}

impl LogSource {
    /// True if `other` has every field this logsource sets, with the same value (ignoring
    /// ASCII case): a filter's logsource that covers a rule's applies to it, a pipeline
    /// condition's that covers a rule's selects it.
    pub fn covers(&self, other: &LogSource) -> bool {
        let part = |mine: &Option<String>, theirs: &Option<String>| match (mine, theirs) {
            (None, _) => true,
            (Some(mine), Some(theirs)) => mine.eq_ignore_ascii_case(theirs),
            (Some(_), None) => false,
        };
        part(&self.category, &other.category)
            && part(&self.product, &other.product)
            && part(&self.service, &other.service)
    }
}

/// Metadata shared by rules, correlations and filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    /// The `id` (a UUID in SigmaHQ rules), if any.
    pub id: Option<String>,
    /// The `name`, a stable identifier other rules can reference.
    pub name: Option<String>,
    /// The `title` (required).
    pub title: String,
    /// The `status`, if any.
    pub status: Option<Status>,
    /// The `level`, if any.
    pub level: Option<Level>,
    /// The `description`.
    pub description: Option<String>,
    /// The `author`.
    pub author: Option<String>,
    /// The `date` as written (`YYYY-MM-DD` or `YYYY/MM/DD`).
    pub date: Option<String>,
    /// The `modified` date as written.
    pub modified: Option<String>,
    /// The `references` (URLs).
    pub references: Vec<String>,
    /// The `tags`, for example `attack.t1110` or `attack.credential-access`.
    pub tags: Vec<String>,
    /// The `related` rules.
    pub related: Vec<Related>,
    /// The `logsource`; empty for correlations.
    pub logsource: LogSource,
    /// The `fields` worth showing with a match.
    pub fields: Vec<String>,
    /// The `falsepositives`.
    pub falsepositives: Vec<String>,
    /// The `license`.
    pub license: Option<String>,
    /// Where the document came from.
    pub origin: Origin,
}

impl Meta {
    /// The identifier to report: `id`, else `name`, else `title`.
    pub fn identifier(&self) -> &str {
        self.id
            .as_deref()
            .or(self.name.as_deref())
            .unwrap_or(&self.title)
    }

    /// ATT&CK tags (`attack.*`).
    pub fn attack_tags(&self) -> impl Iterator<Item = &str> {
        self.tags
            .iter()
            .map(String::as_str)
            .filter(|t| t.starts_with("attack."))
    }
}

/// A detection rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Metadata.
    pub meta: Meta,
    /// The `detection` section.
    pub detection: Detection,
}

/// The `detection` section: named searches and the condition over them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Detection {
    /// Search identifiers and their definitions, in the order written.
    pub searches: Vec<(String, Search)>,
    /// The condition; when the YAML gives a list of conditions, they are joined with `or`.
    pub condition: Condition,
}

impl Detection {
    /// The search named `name`.
    pub fn search(&self, name: &str) -> Option<&Search> {
        self.searches
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// The search identifiers an `of` expression selects, in the order written.
    pub fn select<'a>(&'a self, target: &'a OfTarget) -> impl Iterator<Item = &'a str> {
        self.searches
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| target.selects(name))
    }
}

/// One search identifier's definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Search {
    /// A map: every item must match (AND).
    AllOf(Vec<FieldItem>),
    /// A list of maps (or of other searches): any must match (OR).
    AnyOf(Vec<Search>),
    /// A list of keywords (or one keyword): any must match any field of the event (OR).
    Keywords(Vec<Matcher>),
}

/// One `field|modifiers: values` entry of a search map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldItem {
    /// The field name as written (after pipeline mapping); `None` for a keyword item written
    /// as a map key with only modifiers (`'|re': ...`), which applies to every field.
    pub field: Option<String>,
    /// The modifiers as written, for messages and display.
    pub modifiers: Vec<String>,
    /// What the value(s) must match.
    pub matchers: Vec<Matcher>,
    /// True with the `all` modifier: every matcher must match (AND); else any (OR).
    pub all: bool,
}

/// A comparison operator of the numeric modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CompareOp {
    /// `lt`: less than.
    Lt,
    /// `lte`: less than or equal.
    Lte,
    /// `gt`: greater than.
    Gt,
    /// `gte`: greater than or equal.
    Gte,
}

/// Which part of a timestamp a time modifier compares (`minute`, `hour`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimePart {
    /// 0..59.
    Minute,
    /// 0..23.
    Hour,
    /// Day of month, 1..31.
    Day,
    /// ISO week number, 1..53.
    Week,
    /// 1..12.
    Month,
    /// The year.
    Year,
}

/// How a [`Matcher::FieldRef`] compares the two fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RefMode {
    /// Equal.
    Equals,
    /// This field contains the other's value.
    Contains,
    /// This field starts with the other's value.
    StartsWith,
    /// This field ends with the other's value.
    EndsWith,
}

/// One piece of a Sigma string pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternPart {
    /// Literal text (escapes already resolved).
    Literal(String),
    /// `*`: any sequence of characters, including none.
    AnyChars,
    /// `?`: exactly one character.
    OneChar,
}

/// A Sigma string with its wildcards resolved into parts; adjacent literals are merged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Pattern {
    /// The parts, in order.
    pub parts: Vec<PatternPart>,
}

impl Pattern {
    /// A pattern of literal text only.
    pub fn literal(text: impl Into<String>) -> Pattern {
        Pattern {
            parts: vec![PatternPart::Literal(text.into())],
        }
    }

    /// Parses a Sigma string value: `*` and `?` are wildcards; a backslash escapes a
    /// following `*`, `?` or backslash; any other backslash is literal (as in pySigma).
    ///
    /// ```
    /// use finmark::sigma::{Pattern, PatternPart::*};
    /// let p = Pattern::parse(r"C:\Windows\\*.exe\*");
    /// assert_eq!(p.parts, vec![Literal(r"C:\Windows\".into()), AnyChars, Literal(".exe*".into())]);
    /// assert_eq!(Pattern::parse(r"a\\?").parts, vec![Literal(r"a\".into()), OneChar]);
    /// ```
    pub fn parse(text: &str) -> Pattern {
        Pattern::parse_escaping(text, &['*', '?', '\\'])
    }

    /// Parses text where `*` and `?` are wildcards and a backslash escapes a following
    /// character of `escapable`; any other backslash is literal. [`Pattern::parse`] is this
    /// with `*`, `?` and the backslash escapable; pipelines' plain text view of values escapes
    /// only the wildcards.
    pub(crate) fn parse_escaping(text: &str, escapable: &[char]) -> Pattern {
        let mut pattern = Pattern::default();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' => pattern.push(PatternPart::AnyChars),
                '?' => pattern.push(PatternPart::OneChar),
                '\\' => match chars.peek() {
                    Some(next) if escapable.contains(next) => {
                        let next = *next;
                        chars.next();
                        pattern.push_char(next);
                    }
                    _ => pattern.push_char('\\'),
                },
                other => pattern.push_char(other),
            }
        }
        pattern
    }

    /// Appends a part, merging adjacent literals.
    pub fn push(&mut self, part: PatternPart) {
        match (self.parts.last_mut(), part) {
            (Some(PatternPart::Literal(last)), PatternPart::Literal(more)) => last.push_str(&more),
            (_, PatternPart::Literal(more)) if more.is_empty() => {}
            (_, part) => self.parts.push(part),
        }
    }

    /// Appends one literal character.
    pub fn push_char(&mut self, c: char) {
        match self.parts.last_mut() {
            Some(PatternPart::Literal(last)) => last.push(c),
            _ => self.parts.push(PatternPart::Literal(c.to_string())),
        }
    }

    /// The pattern written back as a Sigma string, escaping literal `*`, `?` and backslashes
    /// that would otherwise escape them.
    pub fn to_sigma_string(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                PatternPart::AnyChars => out.push('*'),
                PatternPart::OneChar => out.push('?'),
                PatternPart::Literal(text) => {
                    let mut chars = text.chars().peekable();
                    while let Some(c) = chars.next() {
                        match c {
                            '*' | '?' => {
                                out.push('\\');
                                out.push(c);
                            }
                            '\\' if matches!(chars.peek(), None | Some('*' | '?' | '\\')) => {
                                out.push_str("\\\\")
                            }
                            other => out.push(other),
                        }
                    }
                }
            }
        }
        out
    }

    /// The text if the pattern has no wildcards.
    pub fn as_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [PatternPart::Literal(s)] => Some(s),
            _ => None,
        }
    }
}

/// What one value of a field item compares. Every string comparison is case-insensitive
/// unless `cased` is set (the `cased` modifier), as the Sigma specification says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Matcher {
    /// The field's value, as text, matches the pattern in full. Numbers and booleans in a
    /// rule become patterns of their text (`4688`, `true`) and match either the typed event
    /// value or its text.
    Pattern {
        /// The pattern (`contains` etc. already added their `*`).
        pattern: Pattern,
        /// Compare case-sensitively.
        cased: bool,
    },
    /// The field's text matches a regular expression (`re`); case-sensitive unless `i`.
    Regex {
        /// The expression as written.
        pattern: String,
        /// `re|i`.
        case_insensitive: bool,
        /// `re|m`: `^` and `$` match at line breaks.
        multi_line: bool,
        /// `re|s`: `.` matches line breaks.
        dot_matches_new_line: bool,
    },
    /// The field is an IP address inside the network (`cidr`).
    Cidr(String),
    /// The field is a number that compares so (`lt`, `lte`, `gt`, `gte`).
    Compare {
        /// The operator.
        op: CompareOp,
        /// The rule's number.
        value: f64,
    },
    /// The field exists (`exists: true`) or does not (`exists: false`).
    Exists(bool),
    /// The field is missing or null (`field: null`).
    Null,
    /// The field's value relates to another field's value (`fieldref`).
    FieldRef {
        /// The other field.
        field: String,
        /// How they compare.
        mode: RefMode,
        /// Compare case-sensitively.
        cased: bool,
    },
    /// A timestamp field's part equals the value (`minute`, `hour`, `day`, ...).
    TimePart {
        /// Which part.
        part: TimePart,
        /// The value it must equal.
        value: i64,
    },
    /// The inner matcher must not match; a missing field does not match (`neq`).
    Not(Box<Matcher>),
    /// A value with `%name%` placeholders (`expand`) that no pipeline resolved. It matches
    /// nothing until a pipeline's `vars` give it values ([`Template::expand`]).
    Placeholder(Template),
    /// One rule value that expanded into alternatives (`windash`, `base64offset`): any must
    /// match. It only appears where values are AND-linked (`all`, `neq`); elsewhere the
    /// alternatives are listed as separate matchers of the item.
    AnyOf(Vec<Matcher>),
}

/// A value written with `expand`: text and wildcards around `%name%` placeholders, with the
/// value's other modifiers already applied (`contains|expand: '%admins%'` is
/// `*`, `%admins%`, `*`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Template {
    /// The parts, in order.
    pub parts: Vec<TemplatePart>,
    /// Compare case-sensitively (`cased`).
    pub cased: bool,
}

/// One part of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplatePart {
    /// Text and wildcards.
    Pattern(Pattern),
    /// A placeholder's name, without the percent signs.
    Placeholder(String),
}

impl Template {
    /// The names of the placeholders, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            TemplatePart::Placeholder(name) => Some(name.as_str()),
            TemplatePart::Pattern(_) => None,
        })
    }

    /// Replaces every placeholder with each of its values (Sigma strings, so `*` and `?` are
    /// wildcards), giving one pattern per combination; `None` if a placeholder has no values.
    ///
    /// ```
    /// use finmark::sigma::{Pattern, Template, TemplatePart};
    /// let t = Template {
    ///     parts: vec![
    ///         TemplatePart::Pattern(Pattern::parse("*")),
    ///         TemplatePart::Placeholder("admins".into()),
    ///     ],
    ///     cased: false,
    /// };
    /// let admins = vec!["root".to_string(), "adm_*".to_string()];
    /// let patterns = t.expand(|name| (name == "admins").then_some(admins.as_slice())).unwrap();
    /// assert_eq!(patterns, vec![Pattern::parse("*root"), Pattern::parse("*adm_*")]);
    /// ```
    pub fn expand<'v>(
        &self,
        values: impl Fn(&str) -> Option<&'v [String]>,
    ) -> Option<Vec<Pattern>> {
        let mut patterns = vec![Pattern::default()];
        for part in &self.parts {
            let choices: Vec<Pattern> = match part {
                TemplatePart::Pattern(pattern) => vec![pattern.clone()],
                TemplatePart::Placeholder(name) => {
                    values(name)?.iter().map(|v| Pattern::parse(v)).collect()
                }
            };
            patterns = patterns
                .iter()
                .flat_map(|done| {
                    choices.iter().map(move |choice| {
                        let mut next = done.clone();
                        choice.parts.iter().for_each(|p| next.push(p.clone()));
                        next
                    })
                })
                .collect();
        }
        Some(patterns)
    }
}

/// The condition of a detection.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// A search identifier.
    Search(String),
    /// Every operand (`and`).
    And(Vec<Condition>),
    /// Any operand (`or`).
    Or(Vec<Condition>),
    /// Negation (`not`).
    Not(Box<Condition>),
    /// `1 of x`, `all of x`, `N of x`.
    Of {
        /// How many must match.
        quantifier: Quantifier,
        /// Which searches.
        target: OfTarget,
    },
    /// Matches nothing; the value of an empty detection before parsing fills it.
    #[default]
    Never,
}

/// The quantifier of an `of` expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantifier {
    /// `all of`.
    All,
    /// `N of` (`1 of` is `AtLeast(1)`).
    AtLeast(usize),
}

/// The target of an `of` expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OfTarget {
    /// `them`: every search identifier except those starting with `_`.
    Them,
    /// A name pattern with `*` wildcards, for example `selection_*`. It selects the
    /// identifiers it matches in full; those starting with `_` only when the pattern itself
    /// starts with `_`.
    Names(String),
}

impl OfTarget {
    /// Whether the target selects the search identifier `name`.
    pub fn selects(&self, name: &str) -> bool {
        match self {
            OfTarget::Them => !name.starts_with('_'),
            OfTarget::Names(pattern) => {
                (pattern.starts_with('_') || !name.starts_with('_'))
                    && wildcard_match(pattern.as_bytes(), name.as_bytes())
            }
        }
    }
}

/// Whether `text` matches `pattern` in full, `*` matching any run of bytes.
fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let Some(star) = pattern.iter().position(|&b| b == b'*') else {
        return pattern == text;
    };
    let (head, rest) = (&pattern[..star], &pattern[star + 1..]);
    text.starts_with(head) && (head.len()..=text.len()).any(|at| wildcard_match(rest, &text[at..]))
}

/// The correlation types of Sigma v2.1 (with rsigma's `value_median`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationType {
    /// Count of matching events per group.
    EventCount,
    /// Count of distinct values of a field per group.
    ValueCount,
    /// All referenced rules matched within the timespan, in any order.
    Temporal,
    /// All referenced rules matched within the timespan, in the order listed.
    TemporalOrdered,
    /// Sum of a field per group.
    ValueSum,
    /// Average of a field per group.
    ValueAvg,
    /// A percentile of a field per group.
    ValuePercentile,
    /// The median of a field per group.
    ValueMedian,
}

impl CorrelationType {
    /// The Sigma spelling (`event_count`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            CorrelationType::EventCount => "event_count",
            CorrelationType::ValueCount => "value_count",
            CorrelationType::Temporal => "temporal",
            CorrelationType::TemporalOrdered => "temporal_ordered",
            CorrelationType::ValueSum => "value_sum",
            CorrelationType::ValueAvg => "value_avg",
            CorrelationType::ValuePercentile => "value_percentile",
            CorrelationType::ValueMedian => "value_median",
        }
    }
}

/// The comparison of a correlation condition (Sigma correlations v2.1 added `neq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConditionOp {
    /// `gt`: greater than.
    Gt,
    /// `gte`: greater than or equal.
    Gte,
    /// `lt`: less than.
    Lt,
    /// `lte`: less than or equal.
    Lte,
    /// `eq`: equal.
    Eq,
    /// `neq`: different.
    Neq,
}

/// One comparison of a correlation condition (`gte: 10`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Threshold {
    /// How the correlation's value compares with [`Threshold::value`].
    pub op: ConditionOp,
    /// The number compared with.
    pub value: f64,
}

impl Threshold {
    /// Whether `got` satisfies the comparison. Equality allows a relative error of 1e-9, so
    /// that an average or sum of floats that should be exactly the threshold is.
    ///
    /// ```
    /// use finmark::sigma::{ConditionOp, Threshold};
    /// let gt = Threshold { op: ConditionOp::Gt, value: 3.0 };
    /// assert!(!gt.holds(3.0) && gt.holds(4.0));
    /// let eq = Threshold { op: ConditionOp::Eq, value: 0.3 };
    /// assert!(eq.holds(0.1 + 0.2));
    /// ```
    pub fn holds(&self, got: f64) -> bool {
        let equal = (got - self.value).abs() <= 1e-9 * self.value.abs().max(1.0);
        match self.op {
            ConditionOp::Gt => got > self.value && !equal,
            ConditionOp::Gte => got >= self.value || equal,
            ConditionOp::Lt => got < self.value && !equal,
            ConditionOp::Lte => got <= self.value || equal,
            ConditionOp::Eq => equal,
            ConditionOp::Neq => !equal,
        }
    }
}

/// A correlation alias: one name for differently named fields of the referenced rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alias {
    /// The alias used in `group-by`.
    pub name: String,
    /// For each referenced rule (id or name), its field that the alias stands for.
    pub fields: Vec<(String, String)>,
}

/// A correlation rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correlation {
    /// Metadata (its `level` overrides the referenced rules').
    pub meta: Meta,
    /// The correlation type.
    pub kind: CorrelationType,
    /// The referenced rules, by id or name.
    pub rules: Vec<String>,
    /// Fields (or aliases) that group events.
    pub group_by: Vec<String>,
    /// The window length in seconds.
    pub timespan_secs: u64,
    /// Every comparison must hold (a range is two); empty for temporal types without one.
    pub condition: Vec<Threshold>,
    /// The field for the `value_*` types.
    pub field: Option<String>,
    /// The percentile (0..100) for `value_percentile`; `None` means the median (50), as in
    /// rsigma.
    pub percentile: Option<f64>,
    /// Also report the referenced rules' own matches.
    pub generate: bool,
    /// Field aliases.
    pub aliases: Vec<Alias>,
}

/// A filter (meta) rule: a detection that removes matches of the rules it names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Filter {
    /// Metadata (its logsource must fit the filtered rules').
    pub meta: Meta,
    /// The rules filtered, by id or name; empty for `rules: any` (every rule whose logsource
    /// fits the filter's).
    pub rules: Vec<String>,
    /// The filter's searches and condition; a match of the rule is kept only when the rule's
    /// condition and this condition both hold.
    pub detection: Detection,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_round_trip() {
        for text in [
            r"C:\Windows\*",
            r"a\*b",
            r"a\\*",
            r"\\server\share",
            r"x?y",
            r"end\",
            r"a\\\*",
        ] {
            let p = Pattern::parse(text);
            assert_eq!(Pattern::parse(&p.to_sigma_string()), p, "{text}");
        }
        assert_eq!(Pattern::parse("").as_literal(), Some(""));
        assert_eq!(Pattern::parse(r"a\*").as_literal(), Some("a*"));
    }
}
