//! The fintech's HTTP API: its endpoints, and how a request's status, latency and size are
//! drawn (a long latency tail, a few client and server errors).

use super::scene::Scene;
use crate::event::kinds::HttpRequest;

/// One endpoint of the API, with the typical cost of a successful call.
pub(super) struct Endpoint {
    /// HTTP method.
    pub method: &'static str,
    /// URL path.
    pub path: &'static str,
    /// Median latency of a successful call, in ms.
    pub latency_ms: f64,
    /// Median response size of a successful call, in bytes.
    pub bytes: f64,
}

impl Endpoint {
    /// The status of a successful call: 201 for a POST that creates, else 200.
    fn ok_status(&self) -> u16 {
        if self.method == "POST" { 201 } else { 200 }
    }
}

const fn endpoint(
    method: &'static str,
    path: &'static str,
    latency_ms: f64,
    bytes: f64,
) -> Endpoint {
    Endpoint {
        method,
        path,
        latency_ms,
        bytes,
    }
}

/// The customer's profile, fetched first in every session.
pub(super) const ACCOUNT: Endpoint = endpoint("GET", "/api/v1/accounts/me", 35.0, 1_200.0);
/// The account balance, fetched second in every session.
pub(super) const BALANCE: Endpoint = endpoint("GET", "/api/v1/balance", 25.0, 320.0);
/// Placing an order (the card payment happens behind it).
pub(super) const PLACE_ORDER: Endpoint = endpoint("POST", "/api/v1/orders", 240.0, 700.0);
/// Exchanging a refresh token for a new JWT.
pub(super) const REFRESH_TOKEN: Endpoint = endpoint("POST", "/api/v1/auth/refresh", 30.0, 900.0);
/// The load balancer's health probe.
pub(super) const HEALTH: Endpoint = endpoint("GET", "/health", 2.0, 40.0);
/// Listing users: an admin endpoint.
pub(super) const ADMIN_USERS: Endpoint = endpoint("GET", "/api/v1/admin/users", 120.0, 48_000.0);
/// Exporting customer data: an admin endpoint.
pub(super) const ADMIN_EXPORT: Endpoint =
    endpoint("GET", "/api/v1/admin/export", 900.0, 2_400_000.0);
/// Admin endpoints staff use in their daily work.
pub(super) const ADMIN_WORK: [(Endpoint, f64); 3] = [
    (ADMIN_USERS, 3.0),
    (endpoint("GET", "/api/v1/admin/audit", 180.0, 30_000.0), 2.0),
    (endpoint("POST", "/api/v1/admin/refunds", 260.0, 500.0), 1.0),
];

/// What customers do after the first two calls, with relative frequencies.
pub(super) const BROWSING: [(Endpoint, f64); 8] = [
    (
        endpoint("GET", "/api/v1/transactions", 80.0, 12_000.0),
        20.0,
    ),
    (BALANCE, 10.0),
    (endpoint("GET", "/api/v1/cards", 40.0, 2_000.0), 8.0),
    (endpoint("GET", "/api/v1/notifications", 30.0, 800.0), 8.0),
    (endpoint("GET", "/api/v1/fx/rates", 20.0, 1_500.0), 5.0),
    (endpoint("POST", "/api/v1/payments", 220.0, 600.0), 5.0),
    (endpoint("POST", "/api/v1/transfers", 180.0, 500.0), 4.0),
    (
        endpoint("GET", "/api/v1/statements/latest", 150.0, 40_000.0),
        2.0,
    ),
];

/// Statuses of calls that do not succeed, with their share (per cent of all calls).
const FAILURES: [(u16, f64); 9] = [
    (400, 1.0),
    (403, 0.2),
    (404, 0.8),
    (409, 0.2),
    (429, 0.3),
    (500, 0.5),
    (502, 0.1),
    (503, 0.2),
    (504, 0.1),
];

/// The gateway's timeout: a 504 takes this long, nothing takes longer.
const TIMEOUT_MS: f64 = 30_000.0;

/// Which status a drafted request gets.
pub(super) enum Status {
    /// Drawn: mostly success, a few client and server errors.
    Typical,
    /// Exactly this one.
    Exactly(u16),
}

/// A request to draft.
pub(super) struct Call<'a> {
    /// When it arrives, in ms after midnight.
    pub at: i64,
    /// What it calls.
    pub endpoint: &'a Endpoint,
    /// The client's address.
    pub source_ip: &'a str,
    /// The user its JWT names; `None` when unauthenticated.
    pub user: Option<&'a str>,
    /// Its status.
    pub status: Status,
}

impl Scene {
    /// Drafts an API request; returns its latency in ms.
    pub fn request(&mut self, call: Call<'_>) -> f64 {
        let endpoint = call.endpoint;
        let status = match call.status {
            Status::Exactly(status) => status,
            Status::Typical => {
                let failure_share: f64 = FAILURES.iter().map(|(_, share)| share).sum();
                if self.dice.chance(failure_share / 100.0) {
                    *self.dice.weighted(&FAILURES)
                } else {
                    endpoint.ok_status()
                }
            }
        };
        let latency_ms = self.latency(endpoint, status);
        let response_bytes = if status < 400 {
            self.dice.lognormal(endpoint.bytes, 0.3).round() as u64
        } else {
            self.dice.below(90, 260)
        };
        self.push(HttpRequest {
            time: self.clock.at(call.at),
            id: None,
            method: endpoint.method.into(),
            path: endpoint.path.into(),
            status,
            duration_ms: latency_ms,
            response_bytes,
            source_ip: call.source_ip.into(),
            user: call.user.map(Into::into),
        });
        latency_ms
    }

    /// Latency with a long tail: log-normal around the endpoint's median, one call in fifty
    /// slowed by a Pareto factor, server errors slower still, and timeouts at the gateway's
    /// limit.
    fn latency(&mut self, endpoint: &Endpoint, status: u16) -> f64 {
        if status == 504 {
            return TIMEOUT_MS;
        }
        let mut ms = self.dice.lognormal(endpoint.latency_ms, 0.45);
        if self.dice.chance(0.02) {
            ms *= 3.0 * self.dice.pareto(1.2);
        }
        if status >= 500 {
            ms *= 4.0;
        }
        (ms.min(TIMEOUT_MS) * 1_000.0).round() / 1_000.0
    }
}
