//! The planted intrusion: a password brute force from one address ending in a success, the
//! attacker's admin calls, then a burst of large outbound flows from the database to a second
//! hostile address (which also drives the database's CPU up).

use super::api::{self, Call, Status};
use super::clock::{DayClock, MINUTE_MS};
use super::population::{self, threat_ip};
use super::scene::{Flow, Scene};
use super::truth::{BruteForce, Exfiltration, Window};
use crate::event::kinds::Outcome;

/// The attacker's tool, as its user agent says.
const ATTACK_AGENT: &str = "python-requests/2.32.3";
/// Account names every brute force tries besides the real ones.
const COMMON_ACCOUNTS: [&str; 3] = ["admin", "root", "support"];

/// Drafts the brute force and the attacker's admin calls; returns what was planted.
pub(super) fn brute_force(scene: &mut Scene) -> BruteForce {
    let attacker_ip = threat_ip(&mut scene.dice, None);
    let staff: Vec<String> = scene.people.staff.iter().map(|s| s.user.clone()).collect();
    let compromised_user = scene.dice.pick(&staff).clone();
    let mut targeted_users: Vec<String> = COMMON_ACCOUNTS.iter().map(|u| u.to_string()).collect();
    targeted_users.extend(staff);
    for _ in 0..2 {
        let customer = scene.people.some_customer(&mut scene.dice).user.clone();
        if !targeted_users.contains(&customer) {
            targeted_users.push(customer);
        }
    }

    // Between 02:00 and 04:00, 40 to 64 failures spread over 2.5 to 5.5 minutes.
    let start = scene.dice.below(120, 240) as i64 * MINUTE_MS + scene.dice.below(0, 60_000) as i64;
    let failed_attempts = scene.dice.below(40, 65) as usize;
    let span = scene.dice.below(150_000, 330_000) as i64;
    let mut offsets: Vec<i64> = (0..failed_attempts)
        .map(|i| {
            if i == 0 {
                0
            } else {
                scene.dice.below(0, span as u64) as i64
            }
        })
        .collect();
    offsets.sort_unstable();
    for offset in &offsets {
        let user = scene.dice.pick(&targeted_users).clone();
        scene.login(
            start + offset,
            &user,
            &attacker_ip,
            Outcome::Failure,
            "password",
            ATTACK_AGENT,
        );
    }
    let last_failure = start + offsets.last().copied().unwrap_or(0);
    let success = last_failure + scene.dice.below(3_000, 20_000) as i64;
    scene.login(
        success,
        &compromised_user,
        &attacker_ip,
        Outcome::Success,
        "password",
        ATTACK_AGENT,
    );

    let mut at = success + scene.dice.below(30_000, 180_000) as i64;
    let exports = scene.dice.below(2, 5) as usize;
    let admin_calls =
        std::iter::once(&api::ADMIN_USERS).chain(std::iter::repeat_n(&api::ADMIN_EXPORT, exports));
    let mut admin_requests = 0;
    for endpoint in admin_calls {
        let call = Call {
            at,
            endpoint,
            source_ip: &attacker_ip,
            user: Some(&compromised_user),
            status: Status::Exactly(200),
        };
        at += scene.request(call) as i64 + scene.dice.below(5_000, 30_000) as i64;
        admin_requests += 1;
    }

    BruteForce {
        attacker_ip,
        targeted_users,
        failed_attempts,
        window: window(&scene.clock, start, last_failure + 1),
        compromised_user,
        success_time: scene.clock.at(success),
        admin_requests,
    }
}

/// Drafts the exfiltration burst 10 to 30 minutes after `after` (ms after midnight): many
/// 2-15 MB flows from the database host to a hostile address over 6 to 10 minutes, at least
/// 200 of them and more on busier days (`orders / 4` more), so the burst outnumbers the
/// flows of any other ten minutes of the day.
pub(super) fn exfiltration(
    scene: &mut Scene,
    after: i64,
    avoid_ip: &str,
    orders: usize,
) -> Exfiltration {
    let destination_ip = threat_ip(&mut scene.dice, Some(avoid_ip));
    let db = population::database();
    let start = after
        + scene
            .dice
            .below(10 * MINUTE_MS as u64, 30 * MINUTE_MS as u64) as i64;
    let end = start
        + scene
            .dice
            .below(6 * MINUTE_MS as u64, 10 * MINUTE_MS as u64) as i64;
    let flows = 200 + orders / 4;
    let mut bytes = 0;
    for _ in 0..flows {
        let source_bytes = scene.dice.lognormal(6_000_000.0, 0.35).clamp(2e6, 15e6) as u64;
        bytes += source_bytes;
        let flow = Flow {
            at: scene.dice.below(start as u64, end as u64) as i64,
            source_ip: db.ip,
            source_port: population::ephemeral_port(&mut scene.dice),
            destination_ip: &destination_ip,
            destination_port: 443,
            transport: "tcp",
            source_bytes,
            destination_bytes: scene.dice.below(3_000, 9_000),
            duration_ms: scene.dice.lognormal(3_500.0, 0.4),
        };
        scene.flow(flow);
    }
    Exfiltration {
        source_host: db.name.into(),
        source_ip: db.ip.into(),
        destination_ip,
        destination_port: 443,
        window: window(&scene.clock, start, end),
        flows,
        bytes,
    }
}

fn window(clock: &DayClock, start: i64, end: i64) -> Window {
    Window {
        start: clock.at(start),
        end: clock.at(end),
    }
}
