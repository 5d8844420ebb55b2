//! The company's own machinery: load balancer health checks, DNS lookups, the worker's
//! polling, the nightly batch job and backup, and every host's metrics once a minute.

use super::api::{self, Call, Status};
use super::clock::{DAY_MS, MINUTE_MS, MINUTES};
use super::population::{self, BACKUP_STORE, DNS_RESOLVER, HOSTS, Host, LOAD_BALANCER, Role};
use super::scene::{Flow, Scene};
use super::truth::Window;

/// The nightly batch job on the worker, in minutes after midnight.
const BATCH_JOB: (i64, i64) = (60, 105);
/// The nightly database backup, in minutes after midnight.
const BACKUP: (i64, i64) = (90, 115);
/// The metrics sampled on every host.
pub(super) const METRICS: [&str; 3] = ["cpu.usage", "memory.usage", "disk.usage"];

/// Drafts the load balancer's health probe of every API server, once a minute.
pub(super) fn health_checks(scene: &mut Scene) {
    for minute in 0..MINUTES as i64 {
        for (n, _) in population::api_hosts().enumerate() {
            let call = Call {
                at: minute * MINUTE_MS + 500 + n as i64 * 250,
                endpoint: &api::HEALTH,
                source_ip: LOAD_BALANCER,
                user: None,
                status: Status::Exactly(200),
            };
            scene.request(call);
        }
    }
}

/// Drafts background flows: `lookups` DNS lookups following the day's activity, the worker
/// polling the database every five minutes, and the nightly backup to the backup store.
pub(super) fn background_flows(scene: &mut Scene, lookups: usize) {
    let clients: Vec<&str> = HOSTS
        .iter()
        .filter(|h| h.role != Role::Database)
        .map(|h| h.ip)
        .collect();
    for _ in 0..lookups {
        let at = scene.clock.busy_time(&mut scene.dice);
        let client = *scene.dice.pick(&clients);
        let flow = Flow {
            at,
            source_ip: client,
            source_port: population::ephemeral_port(&mut scene.dice),
            destination_ip: DNS_RESOLVER,
            destination_port: 53,
            transport: "udp",
            source_bytes: scene.dice.below(60, 90),
            destination_bytes: scene.dice.below(90, 320),
            duration_ms: scene.dice.lognormal(1.2, 0.5),
        };
        scene.flow(flow);
    }
    let (worker, db) = (population::worker(), population::database());
    for poll in 0..(DAY_MS / (5 * MINUTE_MS)) {
        let flow = Flow {
            at: poll * 5 * MINUTE_MS + 1_000,
            source_ip: worker.ip,
            source_port: population::ephemeral_port(&mut scene.dice),
            destination_ip: db.ip,
            destination_port: 5432,
            transport: "tcp",
            source_bytes: scene.dice.below(400, 900),
            destination_bytes: scene.dice.below(500, 4_000),
            duration_ms: scene.dice.lognormal(8.0, 0.4),
        };
        scene.flow(flow);
    }
    let flow = Flow {
        at: BACKUP.0 * MINUTE_MS,
        source_ip: db.ip,
        source_port: population::ephemeral_port(&mut scene.dice),
        destination_ip: BACKUP_STORE,
        destination_port: 873,
        transport: "tcp",
        source_bytes: scene.dice.lognormal(18e9, 0.05) as u64,
        destination_bytes: scene.dice.below(2_000_000, 4_000_000),
        duration_ms: ((BACKUP.1 - BACKUP.0) * MINUTE_MS) as f64,
    };
    scene.flow(flow);
}

/// Drafts cpu, memory and disk usage of every host once a minute, following the day's load,
/// the nightly jobs, and `anomaly` (its samples pinned near 100%). Returns how many samples
/// were anomalous.
pub(super) fn host_metrics(scene: &mut Scene, anomaly: &Window) -> usize {
    let mut anomalous = 0;
    for minute in 0..MINUTES as i64 {
        for (n, host) in HOSTS.iter().enumerate() {
            let at = minute * MINUTE_MS + 2_000 + n as i64 * 1_000;
            let time = scene.clock.at(at);
            let (cpu, memory, disk) = usage(scene, host, at);
            let cpu = if host.role == Role::Database && anomaly.contains(time) {
                anomalous += 1;
                scene.dice.normal(0.95, 0.015).min(0.995)
            } else {
                cpu
            };
            for (metric, value) in METRICS.iter().zip([cpu, memory, disk]) {
                scene.metric(at, host.name, metric, value.clamp(0.0, 1.0));
            }
        }
    }
    anomalous
}

/// The usual cpu, memory and disk usage of `host` at `at` (fractions 0..1, with noise).
fn usage(scene: &mut Scene, host: &Host, at: i64) -> (f64, f64, f64) {
    let load = scene.clock.load(at);
    let day_part = at as f64 / DAY_MS as f64;
    let minute = at / MINUTE_MS;
    let during = |(from, to): (i64, i64)| (from..to).contains(&minute);
    let (cpu, memory, disk) = match host.role {
        Role::Api => (
            0.08 + 0.62 * load,
            0.42 + 0.25 * load,
            0.38 + 0.03 * day_part,
        ),
        Role::Database => {
            let backup = if during(BACKUP) { 0.2 } else { 0.0 };
            (
                0.06 + 0.45 * load + backup,
                0.71 + 0.05 * load,
                0.61 + 0.04 * day_part,
            )
        }
        Role::Worker => {
            let batch = if during(BATCH_JOB) { 1.0 } else { 0.0 };
            (
                0.1 + 0.1 * load + 0.55 * batch,
                0.35 + 0.3 * batch,
                0.22 + 0.01 * day_part,
            )
        }
    };
    (
        scene.dice.normal(cpu, 0.025).max(0.01),
        scene.dice.normal(memory, 0.01),
        scene.dice.normal(disk, 0.0005),
    )
}
