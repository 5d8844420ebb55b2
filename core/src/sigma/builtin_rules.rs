//! The rule sets shipped with finmark, embedded in the library and named by a rule source
//! `builtin:<name>` wherever a rule path is taken (every door, `--rules` on the CLI).
//!
//! | source | rules |
//! | --- | --- |
//! | `builtin:soc` | the first users' security operations center: multiple failed logins from one source (critical), password spraying, a successful login after many failures, API abuse by one client, order velocity for one customer, a large outbound transfer, and the Windows brute-force classics (4625 bursts, 4771 Kerberos pre-authentication failures). The single-event rules they count are loaded too but raise no alerts of their own. |
//!
//! The files are in `core/rules/<name>/`.

use super::Loaded;
use super::document::parse_text;
use super::error::RuleError;
use std::path::Path;

/// The prefix of a builtin rule source.
pub const PREFIX: &str = "builtin:";

/// The builtin rule sets: name, then its files (name and text).
const SETS: &[(&str, &[(&str, &str)])] = &[(
    "soc",
    &[
        (
            "failed_login_burst.yml",
            include_str!("../../rules/soc/failed_login_burst.yml"),
        ),
        (
            "password_spray.yml",
            include_str!("../../rules/soc/password_spray.yml"),
        ),
        (
            "success_after_failures.yml",
            include_str!("../../rules/soc/success_after_failures.yml"),
        ),
        (
            "api_abuse.yml",
            include_str!("../../rules/soc/api_abuse.yml"),
        ),
        (
            "order_velocity.yml",
            include_str!("../../rules/soc/order_velocity.yml"),
        ),
        (
            "large_outbound_transfer.yml",
            include_str!("../../rules/soc/large_outbound_transfer.yml"),
        ),
        (
            "windows_4625_burst.yml",
            include_str!("../../rules/soc/windows_4625_burst.yml"),
        ),
        (
            "windows_4771_kerberos.yml",
            include_str!("../../rules/soc/windows_4771_kerberos.yml"),
        ),
    ],
)];

/// The names of the builtin rule sets.
pub fn names() -> impl Iterator<Item = &'static str> {
    SETS.iter().map(|(name, _)| *name)
}

/// True if `source` is a builtin rule source (`builtin:<name>`, known or not), which is not a
/// file path.
pub fn is_source(source: &Path) -> bool {
    source.to_str().is_some_and(|s| s.starts_with(PREFIX))
}

/// If `source` names a builtin rule set (`builtin:soc`), its documents (each labelled
/// `builtin:soc/<file>` in errors), or an error naming the sets there are.
pub(crate) fn load(source: &Path) -> Option<Loaded> {
    let name = source.to_str()?.strip_prefix(PREFIX)?;
    let Some((_, files)) = SETS.iter().find(|(set, _)| *set == name) else {
        let known: Vec<String> = names().map(|n| format!("{PREFIX}{n}")).collect();
        return Some(Loaded {
            documents: Vec::new(),
            errors: vec![RuleError {
                file: source.to_path_buf(),
                reason: format!(
                    "no builtin rule set '{name}'; the builtin sets are {}",
                    known.join(", ")
                ),
            }],
        });
    };
    let mut loaded = Loaded::default();
    for (file, text) in *files {
        let part = parse_text(text, Path::new(&format!("{PREFIX}{name}/{file}")));
        loaded.documents.extend(part.documents);
        loaded.errors.extend(part.errors);
    }
    Some(loaded)
}
