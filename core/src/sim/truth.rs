//! The ground truth of a simulated day: what was planted in it, so tests and detections can
//! be checked against it.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A span of time: from `start` (inclusive) to `end` (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The first instant in the window.
    pub start: DateTime<Utc>,
    /// The first instant after the window.
    pub end: DateTime<Utc>,
}

impl Window {
    /// True if `t` is in the window.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }
}

/// What was planted in a simulated day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Truth {
    /// The password brute force and what the attacker did with the account.
    pub brute_force: BruteForce,
    /// The exfiltration-like burst of outbound flows.
    pub exfiltration: Exfiltration,
    /// The host metric that goes out of its daily pattern.
    pub host_anomaly: HostAnomaly,
}

/// A password brute force from one address against several accounts, ending in a success.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BruteForce {
    /// The attacker's address (`source.ip` of the attempts), in
    /// [`THREAT_RANGE`](super::THREAT_RANGE).
    pub attacker_ip: String,
    /// The accounts tried.
    pub targeted_users: Vec<String>,
    /// How many attempts failed (all inside `window`).
    pub failed_attempts: usize,
    /// From the first failed attempt to just after the last one.
    pub window: Window,
    /// The account the attacker got into.
    pub compromised_user: String,
    /// When the successful login happened (after `window`).
    pub success_time: DateTime<Utc>,
    /// Requests the attacker then made to `/api/v1/admin/...` endpoints (all status 200).
    pub admin_requests: usize,
}

/// Many large outbound flows from one internal host to one external address in a few minutes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exfiltration {
    /// The sending host's name.
    pub source_host: String,
    /// The sending host's address.
    pub source_ip: String,
    /// The receiving address, in [`THREAT_RANGE`](super::THREAT_RANGE).
    pub destination_ip: String,
    /// The receiving port.
    pub destination_port: u16,
    /// Every flow of the burst starts in this window.
    pub window: Window,
    /// How many flows.
    pub flows: usize,
    /// Bytes sent, summed over the flows.
    pub bytes: u64,
}

/// One host metric far above its usual level for a while.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostAnomaly {
    /// The host's name.
    pub host: String,
    /// The metric's name (`metric.name`).
    pub metric: String,
    /// The samples in this window are anomalous.
    pub window: Window,
    /// How many anomalous samples.
    pub samples: usize,
}
