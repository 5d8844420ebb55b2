//! The pipelines shipped in `core/pipelines/`, embedded in the library.

use super::Pipeline;

/// The ECS pipelines, which `ecs` chains into one.
const ECS: [(&str, &str); 4] = [
    (
        "webserver",
        include_str!("../../../pipelines/webserver.yml"),
    ),
    ("proxy", include_str!("../../../pipelines/proxy.yml")),
    ("firewall", include_str!("../../../pipelines/firewall.yml")),
    (
        "authentication",
        include_str!("../../../pipelines/authentication.yml"),
    ),
];

const WINDOWS: &str = include_str!("../../../pipelines/windows.yml");

/// Every shipped pipeline's name; `ecs` is webserver, proxy, firewall and authentication
/// together.
pub(crate) const NAMES: &[&str] = &[
    "windows",
    "webserver",
    "proxy",
    "firewall",
    "authentication",
    "ecs",
];

/// The shipped pipeline called `name`.
pub(crate) fn get(name: &str) -> Option<Pipeline> {
    match name {
        "windows" => Some(parse("windows", WINDOWS)),
        "ecs" => {
            let parts = ECS.map(|(name, text)| parse(name, text));
            Some(Pipeline {
                name: "ecs".into(),
                priority: parts.iter().map(|p| p.priority).min().unwrap_or_default(),
                vars: Default::default(),
                transformations: parts.into_iter().flat_map(|p| p.transformations).collect(),
            })
        }
        _ => ECS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| parse(n, text)),
    }
}

fn parse(name: &str, text: &str) -> Pipeline {
    // The shipped files are tested to parse (core/tests/pipeline.rs).
    Pipeline::from_yaml(text, &format!("<builtin {name}>"))
        .unwrap_or_else(|e| panic!("shipped pipeline '{name}' is invalid: {e}"))
}
