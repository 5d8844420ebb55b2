//! How a rule's Sigma level becomes a finmark [`Severity`]: the compiler's decision, kept
//! here so that the detection model itself knows nothing of Sigma.

use crate::detection::Severity;
use crate::sigma::Level;

impl Severity {
    /// The severity of a Sigma level: `critical` and `high` are [`Severity::Critical`],
    /// `medium` is [`Severity::Warning`], `low`, `informational` and no level are
    /// [`Severity::Info`].
    ///
    /// ```
    /// use finmark::{Severity, sigma::Level};
    /// assert_eq!(Severity::of_level(Some(Level::High)), Severity::Critical);
    /// assert_eq!(Severity::of_level(None), Severity::Info);
    /// ```
    pub fn of_level(level: Option<Level>) -> Severity {
        match level {
            Some(Level::Critical | Level::High) => Severity::Critical,
            Some(Level::Medium) => Severity::Warning,
            Some(Level::Low | Level::Informational) | None => Severity::Info,
        }
    }
}
