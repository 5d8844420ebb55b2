//! What the generators of one day share: the dice, the clock, the people, and the events
//! drafted so far, with one helper per kind of event.

use super::clock::{DAY_MS, DayClock};
use super::draft::Draft;
use super::population::Population;
use super::random::Dice;
use crate::event::kinds::{Auth, HostMetric, NetworkFlow, Outcome};

/// The day being built.
pub(super) struct Scene {
    /// The day's random source.
    pub dice: Dice,
    /// The day's clock (times are milliseconds after midnight).
    pub clock: DayClock,
    /// Customers and staff.
    pub people: Population,
    /// Everything drafted so far, in any order.
    pub drafts: Vec<Draft>,
}

/// A network flow to draft; times are milliseconds after midnight.
pub(super) struct Flow<'a> {
    pub at: i64,
    pub source_ip: &'a str,
    pub source_port: u16,
    pub destination_ip: &'a str,
    pub destination_port: u16,
    pub transport: &'static str,
    pub source_bytes: u64,
    pub destination_bytes: u64,
    pub duration_ms: f64,
}

impl Scene {
    /// Adds a drafted event.
    pub fn push(&mut self, draft: impl Into<Draft>) {
        self.drafts.push(draft.into());
    }

    /// Moves the drafts made since the `first`-th earlier, all by the same amount, so that
    /// the last of them, at `end` (ms after midnight), happens before midnight: activity
    /// that started late stays in its day.
    pub fn end_by_midnight(&mut self, first: usize, end: i64) {
        if end >= DAY_MS {
            let shift = end - DAY_MS + 1;
            for draft in &mut self.drafts[first..] {
                draft.shift(-shift);
            }
        }
    }

    /// Drafts a login attempt at `at`.
    pub fn login(
        &mut self,
        at: i64,
        user: &str,
        source_ip: &str,
        outcome: Outcome,
        method: &str,
        agent: &str,
    ) {
        let time = self.clock.at(at);
        self.push(Auth {
            method: method.into(),
            user_agent: Some(agent.into()),
            ..Auth::new(time, user, source_ip, outcome)
        });
    }

    /// Drafts a network flow; packets are estimated from the bytes (about 1,200 per packet).
    pub fn flow(&mut self, flow: Flow<'_>) {
        let bytes = flow.source_bytes + flow.destination_bytes;
        self.push(NetworkFlow {
            time: self.clock.at(flow.at),
            id: None,
            source_ip: flow.source_ip.into(),
            source_port: flow.source_port,
            destination_ip: flow.destination_ip.into(),
            destination_port: flow.destination_port,
            transport: flow.transport.into(),
            source_bytes: flow.source_bytes,
            destination_bytes: flow.destination_bytes,
            packets: bytes.div_ceil(1_200).max(2),
            duration_ms: flow.duration_ms,
        });
    }

    /// Drafts a host metric sample, rounded to four decimals.
    pub fn metric(&mut self, at: i64, host: &str, metric: &str, value: f64) {
        self.push(HostMetric {
            time: self.clock.at(at),
            id: None,
            host: host.into(),
            metric: metric.into(),
            value: (value * 1e4).round() / 1e4,
        });
    }
}
