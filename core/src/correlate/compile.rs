//! Compiling correlations against the base rules: resolving references (by id or name),
//! rejecting unknown ones and cycles, ordering chains, and planning which fields each base
//! rule's hits must carry.

use crate::detect::{RuleError, RuleIdentity};
use crate::sigma::{ConditionOp, Correlation, CorrelationType, Level, Threshold};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Where a correlation reads a field of its input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum FieldRef {
    /// A value extracted from a base rule's event, by its place in the route's fields.
    Slot(usize),
    /// A field of an inner correlation's firing: a group field by name, else `value` or
    /// `events`.
    Name(String),
}

/// How one correlation takes the hits of one of its inputs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Use {
    /// The consuming correlation (index into [`Plan::nodes`]).
    pub(crate) correlation: usize,
    /// The places of the input in the correlation's `rules` (usually one).
    pub(crate) positions: Vec<usize>,
    /// The group-by fields, in `group-by` order, aliases resolved.
    pub(crate) group: Vec<FieldRef>,
    /// The `field` of the value types.
    pub(crate) value: Option<FieldRef>,
}

/// What hits of one base rule (one [`crate::Match::rule_id`]) feed.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// The fields read from the event, once each.
    pub(crate) fields: Vec<String>,
    /// The correlations fed.
    pub(crate) uses: Vec<Use>,
}

/// A compiled correlation.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) title: String,
    /// Its own level, else the highest of its inputs'.
    pub(crate) level: Option<Level>,
    pub(crate) tags: Vec<String>,
    pub(crate) kind: CorrelationType,
    /// The timespan in microseconds.
    pub(crate) timespan: i64,
    /// The group-by names (fields or aliases), as output keys.
    pub(crate) group_by: Vec<String>,
    /// Every comparison must hold; temporal types without a condition need every rule.
    pub(crate) condition: Vec<Threshold>,
    /// The percentile of `value_percentile` (50 for `value_median`).
    pub(crate) percentile: f64,
    /// The number of entries of `rules`.
    pub(crate) arity: usize,
    /// The inputs' rule ids, in `rules` order.
    pub(crate) rules: Vec<String>,
    /// The correlations that take this one's firings.
    pub(crate) parents: Vec<Use>,
    /// Changes when anything that shapes the state changes; a saved table whose fingerprint
    /// differs starts afresh.
    pub(crate) fingerprint: u64,
}

/// Everything the correlator needs at run time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// Correlations, every one after the correlations it takes firings from.
    pub(crate) nodes: Vec<Node>,
    pub(crate) routes: Vec<Route>,
    pub(crate) route_of: HashMap<String, usize>,
    /// Rule ids (base rules and correlations) that only feed correlations without
    /// `generate: true`.
    pub(crate) helpers: HashSet<String>,
    /// Changes when the routes change: saved pending hits follow the routes' layout.
    pub(crate) layout: u64,
    pub(crate) rejected: Vec<RuleError>,
}

/// What a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Rule(usize),
    Correlation(usize),
}

/// Compiles `correlations` over the base rules `rules`; correlations that cannot be are
/// listed in [`Plan::rejected`] and left out.
pub(crate) fn plan(rules: &[RuleIdentity], correlations: &[Correlation]) -> Plan {
    let mut rejected: Vec<Option<String>> = vec![None; correlations.len()];
    let targets = resolve(rules, correlations, &mut rejected);
    reject_cycles(correlations, &targets, &mut rejected);
    let order = topological(correlations, &targets, &mut rejected);
    let mut plan = Plan::default();
    let mut index_of: HashMap<usize, usize> = HashMap::new();
    for &c in &order {
        index_of.insert(c, plan.nodes.len());
        let node = node(rules, correlations, &targets, &index_of, &plan.nodes, c);
        plan.nodes.push(node);
    }
    for &c in &order {
        wire(
            &mut plan,
            rules,
            &correlations[c],
            &targets[c],
            &index_of,
            index_of[&c],
        );
    }
    plan.helpers = helpers(rules, correlations, &targets, &order);
    plan.layout = fingerprint(&(
        plan.route_of
            .iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
        plan.routes.iter().map(|r| &r.fields).collect::<Vec<_>>(),
    ));
    plan.rejected = rejected
        .into_iter()
        .zip(correlations)
        .filter_map(|(reason, c)| {
            reason.map(|reason| RuleError {
                file: c.meta.origin.file.clone(),
                reason: format!("correlation '{}': {reason}", c.meta.title),
            })
        })
        .collect();
    plan
}

/// Resolves every reference of every correlation, rejecting unknown and ambiguous ones and
/// duplicate correlation ids.
fn resolve(
    rules: &[RuleIdentity],
    correlations: &[Correlation],
    rejected: &mut [Option<String>],
) -> Vec<Vec<Target>> {
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();
    for (i, c) in correlations.iter().enumerate() {
        if let Some(first) = seen_ids.insert(c.meta.identifier(), i) {
            seen_ids.insert(c.meta.identifier(), first);
            rejected[i] = Some(format!(
                "its id '{}' is already the id of the correlation in {}",
                c.meta.identifier(),
                correlations[first].meta.origin
            ));
        }
    }
    correlations
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut targets = Vec::new();
            for reference in &c.rules {
                let mut found: Vec<Target> = rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        r.rule_id == *reference || r.name.as_deref() == Some(reference)
                    })
                    .map(|(j, r)| {
                        // Rules sharing one rule id are one input: their matches look alike.
                        let first = rules.iter().position(|o| o.rule_id == r.rule_id);
                        Target::Rule(first.unwrap_or(j))
                    })
                    .collect();
                found.extend(
                    correlations
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| {
                            o.meta.identifier() == reference
                                || o.meta.name.as_deref() == Some(reference)
                        })
                        .map(|(j, _)| Target::Correlation(j)),
                );
                let mut unique: Vec<Target> = Vec::new();
                for t in found {
                    if !unique.contains(&t) {
                        unique.push(t);
                    }
                }
                match unique.as_slice() {
                    [] => {
                        rejected[i].get_or_insert_with(|| {
                            format!(
                                "'{reference}' (in correlation.rules) names no loaded rule or \
                                 correlation, by id or name"
                            )
                        });
                    }
                    [one] => targets.push(*one),
                    _ => {
                        rejected[i].get_or_insert_with(|| {
                            format!(
                                "'{reference}' (in correlation.rules) is ambiguous: {} rules \
                                 or correlations have that id or name",
                                unique.len()
                            )
                        });
                    }
                }
            }
            if targets.len() != c.rules.len() {
                targets.clear();
            }
            targets
        })
        .collect()
}

fn inner_correlations(targets: &[Target]) -> impl Iterator<Item = usize> + '_ {
    targets.iter().filter_map(|t| match t {
        Target::Correlation(j) => Some(*j),
        Target::Rule(_) => None,
    })
}

/// Rejects every correlation on a reference cycle, naming the cycle and its files.
fn reject_cycles(
    correlations: &[Correlation],
    targets: &[Vec<Target>],
    rejected: &mut [Option<String>],
) {
    // 0: unvisited, 1: on the current path, 2: done.
    let mut color = vec![0u8; correlations.len()];
    let mut path: Vec<usize> = Vec::new();
    fn visit(
        c: usize,
        targets: &[Vec<Target>],
        color: &mut [u8],
        path: &mut Vec<usize>,
        cycles: &mut Vec<Vec<usize>>,
    ) {
        color[c] = 1;
        path.push(c);
        for j in inner_correlations(&targets[c]) {
            match color[j] {
                0 => visit(j, targets, color, path, cycles),
                1 => {
                    let from = path.iter().position(|&p| p == j).unwrap_or(0);
                    cycles.push(path[from..].to_vec());
                }
                _ => {}
            }
        }
        path.pop();
        color[c] = 2;
    }
    let mut cycles = Vec::new();
    for c in 0..correlations.len() {
        if color[c] == 0 {
            visit(c, targets, &mut color, &mut path, &mut cycles);
        }
    }
    for cycle in cycles {
        let names: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&c| {
                format!(
                    "'{}' ({})",
                    correlations[c].meta.identifier(),
                    correlations[c].meta.origin
                )
            })
            .collect();
        for &c in &cycle {
            rejected[c]
                .get_or_insert_with(|| format!("is on a reference cycle: {}", names.join(" -> ")));
        }
    }
}

/// The accepted correlations, each after the ones it takes firings from; a correlation over
/// a rejected one is rejected too.
fn topological(
    correlations: &[Correlation],
    targets: &[Vec<Target>],
    rejected: &mut [Option<String>],
) -> Vec<usize> {
    let mut order = Vec::new();
    let mut placed = vec![false; correlations.len()];
    loop {
        let mut progress = false;
        for c in 0..correlations.len() {
            if placed[c] || rejected[c].is_some() {
                continue;
            }
            if let Some(bad) = inner_correlations(&targets[c]).find(|&j| rejected[j].is_some()) {
                rejected[c] = Some(format!(
                    "it takes the firings of correlation '{}' ({}), which was rejected",
                    correlations[bad].meta.identifier(),
                    correlations[bad].meta.origin
                ));
                progress = true;
            } else if inner_correlations(&targets[c]).all(|j| placed[j]) {
                placed[c] = true;
                order.push(c);
                progress = true;
            }
        }
        if !progress {
            return order;
        }
    }
}

fn node(
    rules: &[RuleIdentity],
    correlations: &[Correlation],
    targets: &[Vec<Target>],
    index_of: &HashMap<usize, usize>,
    nodes: &[Node],
    c: usize,
) -> Node {
    let corr = &correlations[c];
    let ids: Vec<String> = targets[c]
        .iter()
        .map(|t| match t {
            Target::Rule(r) => rules[*r].rule_id.clone(),
            Target::Correlation(j) => correlations[*j].meta.identifier().to_string(),
        })
        .collect();
    let level = corr.meta.level.or_else(|| {
        targets[c]
            .iter()
            .filter_map(|t| match t {
                Target::Rule(r) => rules[*r].level,
                Target::Correlation(j) => nodes[index_of[j]].level,
            })
            .max()
    });
    let temporal = matches!(
        corr.kind,
        CorrelationType::Temporal | CorrelationType::TemporalOrdered
    );
    let condition = if corr.condition.is_empty() && temporal {
        vec![Threshold {
            op: ConditionOp::Gte,
            value: corr.rules.len() as f64,
        }]
    } else {
        corr.condition.clone()
    };
    let percentile = corr.percentile.unwrap_or(50.0);
    let timespan = i64::try_from(corr.timespan_secs)
        .unwrap_or(i64::MAX)
        .saturating_mul(1_000_000);
    let fingerprint = fingerprint(&(
        corr.kind,
        timespan,
        &corr.group_by,
        &ids,
        format!(
            "{condition:?} {percentile} {:?} {:?}",
            corr.field, corr.aliases
        ),
    ));
    Node {
        id: corr.meta.identifier().to_string(),
        title: corr.meta.title.clone(),
        level,
        tags: corr.meta.tags.clone(),
        kind: corr.kind,
        timespan,
        group_by: corr.group_by.clone(),
        condition,
        percentile,
        arity: corr.rules.len(),
        rules: ids,
        parents: Vec::new(),
        fingerprint,
    }
}

/// Adds the uses of correlation `c` (node `n`) to the routes of its base rules and to the
/// parents of its inner correlations.
fn wire(
    plan: &mut Plan,
    rules: &[RuleIdentity],
    corr: &Correlation,
    targets: &[Target],
    index_of: &HashMap<usize, usize>,
    n: usize,
) {
    let mut distinct: Vec<Target> = Vec::new();
    for t in targets {
        if !distinct.contains(t) {
            distinct.push(*t);
        }
    }
    for target in distinct {
        let positions: Vec<usize> = (0..targets.len())
            .filter(|&p| targets[p] == target)
            .collect();
        let reference = &corr.rules[positions[0]];
        let group_fields: Vec<&str> = corr
            .group_by
            .iter()
            .map(|name| aliased(corr, name, reference))
            .collect();
        let value_field = corr.field.as_deref();
        match target {
            Target::Rule(r) => {
                let rule_id = &rules[r].rule_id;
                let route = match plan.route_of.get(rule_id) {
                    Some(&i) => i,
                    None => {
                        plan.routes.push(Route {
                            fields: Vec::new(),
                            uses: Vec::new(),
                        });
                        plan.route_of.insert(rule_id.clone(), plan.routes.len() - 1);
                        plan.routes.len() - 1
                    }
                };
                let route = &mut plan.routes[route];
                let mut slot = |field: &str| {
                    FieldRef::Slot(match route.fields.iter().position(|f| f == field) {
                        Some(i) => i,
                        None => {
                            route.fields.push(field.to_string());
                            route.fields.len() - 1
                        }
                    })
                };
                let group = group_fields.iter().map(|f| slot(f)).collect();
                let value = value_field.map(&mut slot);
                route.uses.push(Use {
                    correlation: n,
                    positions,
                    group,
                    value,
                });
            }
            Target::Correlation(j) => {
                let use_ = Use {
                    correlation: n,
                    positions,
                    group: group_fields
                        .iter()
                        .map(|f| FieldRef::Name(f.to_string()))
                        .collect(),
                    value: value_field.map(|f| FieldRef::Name(f.to_string())),
                };
                plan.nodes[index_of[&j]].parents.push(use_);
            }
        }
    }
}

/// The field `name` (a group-by entry) stands for in the hits of the input written as
/// `reference`: the alias's field for that input, else the name itself.
fn aliased<'a>(corr: &'a Correlation, name: &'a str, reference: &str) -> &'a str {
    corr.aliases
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.fields.iter().find(|(r, _)| r == reference))
        .map_or(name, |(_, field)| field.as_str())
}

/// The ids of inputs that only correlations without `generate: true` take.
fn helpers(
    rules: &[RuleIdentity],
    correlations: &[Correlation],
    targets: &[Vec<Target>],
    order: &[usize],
) -> HashSet<String> {
    let mut referenced: HashMap<String, bool> = HashMap::new();
    for &c in order {
        for t in &targets[c] {
            let id = match t {
                Target::Rule(r) => rules[*r].rule_id.clone(),
                Target::Correlation(j) => correlations[*j].meta.identifier().to_string(),
            };
            *referenced.entry(id).or_insert(false) |= correlations[c].generate;
        }
    }
    referenced
        .into_iter()
        .filter(|(_, generated)| !generated)
        .map(|(id, _)| id)
        .collect()
}

fn fingerprint(value: &impl Hash) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    value.hash(&mut hasher);
    hasher.finish()
}
