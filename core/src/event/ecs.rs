//! ECS-style field names that finmark's constructors, pipelines and examples use.
//!
//! Names follow the Elastic Common Schema where it has one; the order fields (`order.*`) are
//! finmark's own, in the same style.

/// When the event happened (RFC 3339).
pub const TIMESTAMP: &str = "@timestamp";
/// Unique id of the event.
pub const EVENT_ID: &str = "event.id";
/// ECS event kind, `event` for all finmark constructors.
pub const EVENT_KIND: &str = "event.kind";
/// ECS category: `authentication`, `web`, `network`, `host`, or finmark's `order`.
pub const EVENT_CATEGORY: &str = "event.category";
/// What happened, for example `login` or `order-placed`.
pub const EVENT_ACTION: &str = "event.action";
/// `success` or `failure` (or `unknown`).
pub const EVENT_OUTCOME: &str = "event.outcome";
/// Duration in nanoseconds.
pub const EVENT_DURATION: &str = "event.duration";
/// Name of the dataset, for example `finmark.auth`.
pub const EVENT_DATASET: &str = "event.dataset";
/// IP address of the client or sender.
pub const SOURCE_IP: &str = "source.ip";
/// Port of the client or sender.
pub const SOURCE_PORT: &str = "source.port";
/// IP address of the server or receiver.
pub const DESTINATION_IP: &str = "destination.ip";
/// Port of the server or receiver.
pub const DESTINATION_PORT: &str = "destination.port";
/// Bytes sent by the source.
pub const SOURCE_BYTES: &str = "source.bytes";
/// Bytes sent by the destination.
pub const DESTINATION_BYTES: &str = "destination.bytes";
/// Transport protocol, lower case: `tcp`, `udp`, `icmp`.
pub const NETWORK_TRANSPORT: &str = "network.transport";
/// Total bytes in both directions.
pub const NETWORK_BYTES: &str = "network.bytes";
/// Total packets in both directions.
pub const NETWORK_PACKETS: &str = "network.packets";
/// User name.
pub const USER_NAME: &str = "user.name";
/// User id.
pub const USER_ID: &str = "user.id";
/// Raw user agent string.
pub const USER_AGENT: &str = "user_agent.original";
/// Authentication method, for example `password`, `jwt`, `mfa`.
pub const AUTH_METHOD: &str = "authentication.method";
/// HTTP method, upper case.
pub const HTTP_METHOD: &str = "http.request.method";
/// HTTP response status code.
pub const HTTP_STATUS: &str = "http.response.status_code";
/// HTTP response body size in bytes.
pub const HTTP_RESPONSE_BYTES: &str = "http.response.body.bytes";
/// Path of the requested URL.
pub const URL_PATH: &str = "url.path";
/// Host name.
pub const HOST_NAME: &str = "host.name";
/// Name of a host metric, for example `cpu.usage`.
pub const METRIC_NAME: &str = "metric.name";
/// Value of a host metric.
pub const METRIC_VALUE: &str = "metric.value";
/// Order id.
pub const ORDER_ID: &str = "order.id";
/// Order amount in the currency's major unit.
pub const ORDER_AMOUNT: &str = "order.amount";
/// ISO 4217 currency code.
pub const ORDER_CURRENCY: &str = "order.currency";
/// Order status: `placed`, `paid`, `failed`, `refunded`.
pub const ORDER_STATUS: &str = "order.status";
/// Id of the customer who placed the order.
pub const CUSTOMER_ID: &str = "customer.id";
