//! Constructors for the five kinds of events the first users have.
//!
//! Each kind is a plain struct with public fields; [`Into<Event>`] turns it into an [`Event`]
//! with ECS-style fields (names in [`super::ecs`]), `event.kind = "event"`, an
//! `event.category`, and an `event.dataset` of `finmark.<kind>`. The id is the hash of the
//! fields (see [`Event::new`]) unless `id` is set.
//!
//! ```
//! use finmark::event::{Event, kinds::{Auth, Outcome}};
//! let login: Event = Auth::new("2026-03-01T09:00:00Z".parse().unwrap(), "alice", "203.0.113.9", Outcome::Failure).into();
//! assert_eq!(login.get("event.outcome").unwrap().as_str(), Some("failure"));
//! assert_eq!(login.get("source.ip").unwrap().as_str(), Some("203.0.113.9"));
//! ```

use super::ecs::*;
use super::{Event, Fields, Value, time::format_rfc3339};
use chrono::{DateTime, Utc};

/// The outcome of an action (`event.outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `success`.
    Success,
    /// `failure`.
    Failure,
    /// `unknown`.
    Unknown,
}

impl Outcome {
    /// The ECS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Unknown => "unknown",
        }
    }
}

/// Common head of every constructed event.
fn base(
    time: DateTime<Utc>,
    id: Option<&str>,
    category: &str,
    dataset: &str,
    action: &str,
) -> Fields {
    let mut f = Fields::with_capacity(16);
    f.insert(TIMESTAMP, format_rfc3339(time));
    if let Some(id) = id {
        f.insert(EVENT_ID, id);
    }
    f.insert(EVENT_KIND, "event");
    f.insert(EVENT_CATEGORY, category);
    f.insert(EVENT_DATASET, dataset);
    f.insert(EVENT_ACTION, action);
    f
}

fn insert_some(f: &mut Fields, name: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        f.insert(name, v);
    }
}

/// A login attempt (`event.category: authentication`, dataset `finmark.auth`).
///
/// Fields: `@timestamp`, `event.action` (`login`), `event.outcome`, `user.name`, `source.ip`,
/// `authentication.method`, `user_agent.original` (when set).
#[derive(Debug, Clone, PartialEq)]
pub struct Auth {
    /// When the attempt happened.
    pub time: DateTime<Utc>,
    /// Explicit event id; `None` derives it from the fields.
    pub id: Option<String>,
    /// The account name tried.
    pub user: String,
    /// Client address.
    pub source_ip: String,
    /// Whether the login succeeded.
    pub outcome: Outcome,
    /// `password`, `jwt`, `mfa`, ...
    pub method: String,
    /// The client's user agent.
    pub user_agent: Option<String>,
}

impl Auth {
    /// A password login attempt without user agent.
    pub fn new(time: DateTime<Utc>, user: &str, source_ip: &str, outcome: Outcome) -> Auth {
        Auth {
            time,
            id: None,
            user: user.into(),
            source_ip: source_ip.into(),
            outcome,
            method: "password".into(),
            user_agent: None,
        }
    }
}

impl From<Auth> for Event {
    fn from(a: Auth) -> Event {
        let mut f = base(
            a.time,
            a.id.as_deref(),
            "authentication",
            "finmark.auth",
            "login",
        );
        f.insert(EVENT_OUTCOME, a.outcome.as_str());
        f.insert(USER_NAME, a.user);
        f.insert(SOURCE_IP, a.source_ip);
        f.insert(AUTH_METHOD, a.method);
        insert_some(&mut f, USER_AGENT, a.user_agent);
        Event::new(f)
    }
}

/// An HTTP request to an API (`event.category: web`, dataset `finmark.http`).
///
/// Fields: `http.request.method`, `url.path`, `http.response.status_code`, `event.duration`
/// (ns), `http.response.body.bytes`, `source.ip`, `user.name` (when authenticated),
/// `event.outcome` (`failure` for status >= 400), `event.action` (`request`).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// When the request arrived.
    pub time: DateTime<Utc>,
    /// Explicit event id; `None` derives it from the fields.
    pub id: Option<String>,
    /// HTTP method, upper case.
    pub method: String,
    /// URL path.
    pub path: String,
    /// Response status code.
    pub status: u16,
    /// Time to respond, in milliseconds.
    pub duration_ms: f64,
    /// Response body size.
    pub response_bytes: u64,
    /// Client address.
    pub source_ip: String,
    /// Authenticated user, if any.
    pub user: Option<String>,
}

impl From<HttpRequest> for Event {
    fn from(r: HttpRequest) -> Event {
        let mut f = base(r.time, r.id.as_deref(), "web", "finmark.http", "request");
        f.insert(HTTP_METHOD, r.method);
        f.insert(URL_PATH, r.path);
        f.insert(HTTP_STATUS, r.status);
        f.insert(
            EVENT_OUTCOME,
            if r.status >= 400 {
                "failure"
            } else {
                "success"
            },
        );
        f.insert(EVENT_DURATION, (r.duration_ms * 1e6).round() as i64);
        f.insert(HTTP_RESPONSE_BYTES, r.response_bytes);
        f.insert(SOURCE_IP, r.source_ip);
        insert_some(&mut f, USER_NAME, r.user);
        Event::new(f)
    }
}

/// A network flow record (`event.category: network`, dataset `finmark.flow`).
///
/// Fields: `source.ip`, `source.port`, `destination.ip`, `destination.port`,
/// `network.transport`, `source.bytes`, `destination.bytes`, `network.bytes`,
/// `network.packets`, `event.duration` (ns), `event.action` (`flow`).
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkFlow {
    /// When the flow started.
    pub time: DateTime<Utc>,
    /// Explicit event id; `None` derives it from the fields.
    pub id: Option<String>,
    /// Sender address.
    pub source_ip: String,
    /// Sender port.
    pub source_port: u16,
    /// Receiver address.
    pub destination_ip: String,
    /// Receiver port.
    pub destination_port: u16,
    /// `tcp`, `udp`, `icmp`.
    pub transport: String,
    /// Bytes from source to destination.
    pub source_bytes: u64,
    /// Bytes from destination to source.
    pub destination_bytes: u64,
    /// Packets in both directions.
    pub packets: u64,
    /// Flow duration in milliseconds.
    pub duration_ms: f64,
}

impl From<NetworkFlow> for Event {
    fn from(n: NetworkFlow) -> Event {
        let mut f = base(n.time, n.id.as_deref(), "network", "finmark.flow", "flow");
        f.insert(SOURCE_IP, n.source_ip);
        f.insert(SOURCE_PORT, n.source_port);
        f.insert(DESTINATION_IP, n.destination_ip);
        f.insert(DESTINATION_PORT, n.destination_port);
        f.insert(NETWORK_TRANSPORT, n.transport);
        f.insert(SOURCE_BYTES, n.source_bytes);
        f.insert(DESTINATION_BYTES, n.destination_bytes);
        f.insert(
            NETWORK_BYTES,
            n.source_bytes.saturating_add(n.destination_bytes),
        );
        f.insert(NETWORK_PACKETS, n.packets);
        f.insert(EVENT_DURATION, (n.duration_ms * 1e6).round() as i64);
        Event::new(f)
    }
}

/// One sample of a host health metric (`event.category: host`, dataset `finmark.metric`).
///
/// Fields: `host.name`, `metric.name` (for example `cpu.usage` as a fraction 0..1,
/// `memory.usage`, `disk.usage`, `load.1m`), `metric.value`, `event.action` (`sample`).
#[derive(Debug, Clone, PartialEq)]
pub struct HostMetric {
    /// When the sample was taken.
    pub time: DateTime<Utc>,
    /// Explicit event id; `None` derives it from the fields.
    pub id: Option<String>,
    /// The host measured.
    pub host: String,
    /// What was measured.
    pub metric: String,
    /// The measurement.
    pub value: f64,
}

impl From<HostMetric> for Event {
    fn from(m: HostMetric) -> Event {
        let mut f = base(m.time, m.id.as_deref(), "host", "finmark.metric", "sample");
        f.insert(HOST_NAME, m.host);
        f.insert(METRIC_NAME, m.metric);
        f.insert(METRIC_VALUE, m.value);
        Event::new(f)
    }
}

/// A customer order (`event.category: order`, dataset `finmark.order`).
///
/// Fields: `order.id`, `order.amount`, `order.currency`, `order.status`, `customer.id`,
/// `source.ip`, `event.action` (`order-<status>`), `event.outcome` (`failure` for status
/// `failed`).
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// When the order was placed.
    pub time: DateTime<Utc>,
    /// Explicit event id; `None` derives it from the fields.
    pub id: Option<String>,
    /// The order's id.
    pub order_id: String,
    /// Amount in the currency's major unit.
    pub amount: f64,
    /// ISO 4217 code.
    pub currency: String,
    /// `placed`, `paid`, `failed`, `refunded`.
    pub status: String,
    /// Who ordered.
    pub customer_id: String,
    /// Client address.
    pub source_ip: String,
}

impl From<Order> for Event {
    fn from(o: Order) -> Event {
        let action = format!("order-{}", o.status);
        let mut f = base(o.time, o.id.as_deref(), "order", "finmark.order", &action);
        f.insert(
            EVENT_OUTCOME,
            if o.status == "failed" {
                "failure"
            } else {
                "success"
            },
        );
        f.insert(ORDER_ID, o.order_id);
        f.insert(ORDER_AMOUNT, o.amount);
        f.insert(ORDER_CURRENCY, o.currency);
        f.insert(ORDER_STATUS, o.status);
        f.insert(CUSTOMER_ID, o.customer_id);
        f.insert(SOURCE_IP, o.source_ip);
        Event::new(f)
    }
}
