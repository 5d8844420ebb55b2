//! Events in the making: the kinds' structs before they get their ids, and the step that sorts
//! them by time and numbers them.

use crate::event::Event;
use crate::event::kinds::{Auth, HostMetric, HttpRequest, NetworkFlow, Order};
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// One simulated event before it is numbered.
pub(super) enum Draft {
    Auth(Auth),
    Http(HttpRequest),
    Flow(NetworkFlow),
    Metric(HostMetric),
    Order(Order),
}

macro_rules! draft_from {
    ($($kind:ident => $variant:ident),* $(,)?) => {
        $(impl From<$kind> for Draft {
            fn from(k: $kind) -> Draft {
                Draft::$variant(k)
            }
        })*
    };
}

draft_from!(Auth => Auth, HttpRequest => Http, NetworkFlow => Flow, HostMetric => Metric, Order => Order);

impl Draft {
    fn time(&self) -> DateTime<Utc> {
        match self {
            Draft::Auth(k) => k.time,
            Draft::Http(k) => k.time,
            Draft::Flow(k) => k.time,
            Draft::Metric(k) => k.time,
            Draft::Order(k) => k.time,
        }
    }

    /// Moves the draft `ms` milliseconds later (earlier when negative).
    pub fn shift(&mut self, ms: i64) {
        let time = match self {
            Draft::Auth(k) => &mut k.time,
            Draft::Http(k) => &mut k.time,
            Draft::Flow(k) => &mut k.time,
            Draft::Metric(k) => &mut k.time,
            Draft::Order(k) => &mut k.time,
        };
        *time += chrono::Duration::milliseconds(ms);
    }

    fn into_event(self, id: String) -> Event {
        match self {
            Draft::Auth(k) => Auth { id: Some(id), ..k }.into(),
            Draft::Http(k) => HttpRequest { id: Some(id), ..k }.into(),
            Draft::Flow(k) => NetworkFlow { id: Some(id), ..k }.into(),
            Draft::Metric(k) => HostMetric { id: Some(id), ..k }.into(),
            Draft::Order(k) => Order { id: Some(id), ..k }.into(),
        }
    }
}

/// Sorts `drafts` by time (ties keep the order they were drafted in) and turns them into
/// events whose ids are `prefix` followed by the event's 0-padded rank in the day.
pub(super) fn into_events(drafts: Vec<Draft>, prefix: &str) -> Vec<Event> {
    let mut order: Vec<(DateTime<Utc>, usize)> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.time(), i))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<Draft>> = drafts.into_iter().map(Some).collect();
    order
        .into_iter()
        .enumerate()
        .filter_map(|(rank, (_, i))| {
            let draft = slots[i].take()?;
            let mut id = String::with_capacity(prefix.len() + 8);
            id.push_str(prefix);
            // Writing into a String cannot fail.
            let _ = write!(id, "{rank:06}");
            Some(draft.into_event(id))
        })
        .collect()
}
