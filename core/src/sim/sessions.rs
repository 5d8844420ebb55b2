//! Customers' and staff's sessions: a login (sometimes after a typo), JWT-authenticated API
//! calls, sometimes an order, and the network flows that carry them.

use super::api::{self, Call, Endpoint, Status};
use super::clock::MINUTE_MS;
use super::population::{self, LOAD_BALANCER, PAYMENT_PROVIDER};
use super::scene::{Flow, Scene};
use crate::event::kinds::{Order, Outcome};

/// Sessions without an order, per session with one.
const BROWSING_PER_ORDER: f64 = 0.6;
/// Chance that a login is preceded by a mistyped password.
const TYPO_RATE: f64 = 0.04;
/// Chance that a call finds its JWT expired (and the app refreshes it and retries).
const EXPIRED_TOKEN_RATE: f64 = 0.015;
/// Final status of orders, with their shares.
const ORDER_STATUSES: [(&str, f64); 3] = [("paid", 93.0), ("failed", 5.0), ("refunded", 2.0)];
/// Order currencies, with their shares.
const CURRENCIES: [(&str, f64); 3] = [("EUR", 60.0), ("USD", 25.0), ("GBP", 15.0)];
/// The browser staff use for the admin console.
const STAFF_AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/// Who is in a session, copied out of the population.
struct Visitor {
    customer_id: String,
    user: String,
    ip: String,
    agent: &'static str,
}

/// Drafts the day's customer sessions: `orders` sessions that end with an order (ids
/// `<order_prefix>NNNNN`) and about 60% as many that only browse.
pub(super) fn customers(scene: &mut Scene, orders: usize, order_prefix: &str) {
    let browsing = (orders as f64 * BROWSING_PER_ORDER).round() as usize;
    for n in 0..orders + browsing {
        let order_id = (n < orders).then(|| format!("{order_prefix}{n:05}"));
        customer_session(scene, order_id);
    }
}

fn customer_session(scene: &mut Scene, order_id: Option<String>) {
    let visitor = {
        let c = scene.people.some_customer(&mut scene.dice);
        let ip = if c.ips.len() > 1 && scene.dice.chance(0.3) {
            &c.ips[1]
        } else {
            &c.ips[0]
        };
        Visitor {
            customer_id: c.id.clone(),
            user: c.user.clone(),
            ip: ip.clone(),
            agent: c.agent,
        }
    };
    let first_draft = scene.drafts.len();
    let start = scene.clock.busy_time(&mut scene.dice);
    let mut at = start;
    if scene.dice.chance(TYPO_RATE) {
        scene.login(
            at,
            &visitor.user,
            &visitor.ip,
            Outcome::Failure,
            "password",
            visitor.agent,
        );
        at += scene.dice.below(5_000, 25_000) as i64;
    }
    let method = if scene.dice.chance(0.25) {
        "passkey"
    } else {
        "password"
    };
    scene.login(
        at,
        &visitor.user,
        &visitor.ip,
        Outcome::Success,
        method,
        visitor.agent,
    );
    at += scene.dice.below(300, 1_500) as i64;

    let mut calls = 0;
    for endpoint in [&api::ACCOUNT, &api::BALANCE] {
        at = authenticated_call(scene, at, endpoint, &visitor);
        calls += 1;
    }
    let browsing = 1 + scene.dice.below(0, 6);
    for _ in 0..browsing {
        let endpoint = scene.dice.weighted(&api::BROWSING);
        at = authenticated_call(scene, at, endpoint, &visitor);
        calls += 1;
    }
    let api_host = if scene.dice.chance(0.5) { 0 } else { 1 };
    let api_ip = population::api_hosts().nth(api_host).map_or("", |h| h.ip);
    if let Some(order_id) = order_id {
        at = place_order(scene, at, order_id, &visitor, api_ip);
        calls += 1;
    }
    let requests = calls as u64;
    let flow = Flow {
        at: start,
        source_ip: &visitor.ip,
        source_port: population::ephemeral_port(&mut scene.dice),
        destination_ip: LOAD_BALANCER,
        destination_port: 443,
        transport: "tcp",
        source_bytes: 4_000 + requests * scene.dice.below(600, 1_400),
        destination_bytes: 6_000 + requests * scene.dice.below(2_000, 15_000),
        duration_ms: (at - start) as f64,
    };
    scene.flow(flow);
    for _ in 0..scene.dice.below(1, 3) {
        let query_at = scene.dice.below(start as u64, at.max(start + 1) as u64) as i64;
        let flow = Flow {
            at: query_at,
            source_ip: api_ip,
            source_port: population::ephemeral_port(&mut scene.dice),
            destination_ip: population::database().ip,
            destination_port: 5432,
            transport: "tcp",
            source_bytes: scene.dice.below(800, 4_000),
            destination_bytes: scene.dice.lognormal(6_000.0, 0.8) as u64,
            duration_ms: scene.dice.lognormal(12.0, 0.5),
        };
        scene.flow(flow);
    }
    scene.end_by_midnight(first_draft, at);
}

/// One call with the session's JWT; an expired token costs a 401, a refresh and a retry.
/// Returns when the next call starts.
fn authenticated_call(scene: &mut Scene, at: i64, endpoint: &Endpoint, v: &Visitor) -> i64 {
    let mut at = at;
    if scene.dice.chance(EXPIRED_TOKEN_RATE) {
        let rejected = Call {
            at,
            endpoint,
            source_ip: &v.ip,
            user: None,
            status: Status::Exactly(401),
        };
        at += scene.request(rejected) as i64 + 50;
        let refresh = Call {
            at,
            endpoint: &api::REFRESH_TOKEN,
            source_ip: &v.ip,
            user: Some(&v.user),
            status: Status::Exactly(200),
        };
        let took = scene.request(refresh) as i64;
        scene.login(at + took, &v.user, &v.ip, Outcome::Success, "jwt", v.agent);
        at += took + 50;
    }
    let call = Call {
        at,
        endpoint,
        source_ip: &v.ip,
        user: Some(&v.user),
        status: Status::Typical,
    };
    let took = scene.request(call) as i64;
    at + took + scene.dice.lognormal(6_000.0, 0.8) as i64
}

/// The order call, the payment provider's round trip behind it, and the order itself.
/// Returns when the session ends.
fn place_order(scene: &mut Scene, at: i64, order_id: String, v: &Visitor, api_ip: &str) -> i64 {
    let status = *scene.dice.weighted(&ORDER_STATUSES);
    let http_status = if status == "failed" { 402 } else { 201 };
    let call = Call {
        at,
        endpoint: &api::PLACE_ORDER,
        source_ip: &v.ip,
        user: Some(&v.user),
        status: Status::Exactly(http_status),
    };
    let took = scene.request(call);
    let flow = Flow {
        at: at + 5,
        source_ip: api_ip,
        source_port: population::ephemeral_port(&mut scene.dice),
        destination_ip: PAYMENT_PROVIDER,
        destination_port: 443,
        transport: "tcp",
        source_bytes: scene.dice.below(1_500, 3_000),
        destination_bytes: scene.dice.below(2_000, 6_000),
        duration_ms: (took * 0.8).max(1.0),
    };
    scene.flow(flow);
    let amount = (scene.dice.lognormal(35.0, 0.9).max(1.0) * 100.0).round() / 100.0;
    let currency = *scene.dice.weighted(&CURRENCIES);
    let placed = at + took as i64;
    let order = Order {
        time: scene.clock.at(placed),
        id: None,
        order_id,
        amount,
        currency: currency.into(),
        status: status.into(),
        customer_id: v.customer_id.clone(),
        source_ip: v.ip.clone(),
    };
    scene.push(order);
    placed + scene.dice.below(500, 3_000) as i64
}

/// Drafts the staff's working sessions on the admin console, between 08:00 and 18:00 from
/// the VPN: an MFA login and a few admin calls.
pub(super) fn staff(scene: &mut Scene) {
    let members: Vec<(String, String)> = scene
        .people
        .staff
        .iter()
        .map(|s| (s.user.clone(), s.ip.clone()))
        .collect();
    for (user, ip) in &members {
        for _ in 0..scene.dice.below(1, 3) {
            let mut at = scene.dice.below(8 * 60, 18 * 60) as i64 * MINUTE_MS;
            scene.login(at, user, ip, Outcome::Success, "mfa", STAFF_AGENT);
            for _ in 0..scene.dice.below(3, 7) {
                at += scene.dice.lognormal(40_000.0, 0.7) as i64;
                let endpoint = scene.dice.weighted(&api::ADMIN_WORK);
                let call = Call {
                    at,
                    endpoint,
                    source_ip: ip,
                    user: Some(user),
                    status: Status::Typical,
                };
                scene.request(call);
            }
        }
    }
}
