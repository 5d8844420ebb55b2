//! Who and what takes part in a simulated day: customers, staff, the company's hosts and the
//! outside parties they talk to.
//!
//! Addresses come from ranges reserved for such use, so simulated data never names a real
//! party: customers from 100.64.0.0/10 (carrier-grade NAT, as mobile networks use), staff
//! through the VPN at 10.8.0.0/24, servers in 10.0.0.0/16, partners in 198.51.100.0/24
//! (TEST-NET-2) and hostile parties in [`THREAT_RANGE`] (TEST-NET-3), which the demo rules
//! treat as a threat-intelligence list.

use super::random::Dice;

/// The address range the simulator's attacker and exfiltration sink live in; the demo rules
/// flag it as known-hostile.
pub const THREAT_RANGE: &str = "203.0.113.0/24";

/// The load balancer in front of the API: clients' flows end here, health checks start here.
pub(super) const LOAD_BALANCER: &str = "10.0.0.10";
/// The internal DNS resolver.
pub(super) const DNS_RESOLVER: &str = "10.0.0.2";
/// The backup store the database is copied to every night.
pub(super) const BACKUP_STORE: &str = "10.0.5.20";
/// The card payment provider's API.
pub(super) const PAYMENT_PROVIDER: &str = "198.51.100.20";

/// The role of a host, which shapes its metrics and its flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Serves the public API.
    Api,
    /// The database.
    Database,
    /// Runs batch jobs.
    Worker,
}

/// One of the company's servers.
pub(super) struct Host {
    /// `host.name`.
    pub name: &'static str,
    /// Its address.
    pub ip: &'static str,
    /// What it does.
    pub role: Role,
}

/// The servers whose metrics are sampled every minute.
pub(super) const HOSTS: [Host; 4] = [
    Host {
        name: "api-1",
        ip: "10.0.1.11",
        role: Role::Api,
    },
    Host {
        name: "api-2",
        ip: "10.0.1.12",
        role: Role::Api,
    },
    Host {
        name: "db-1",
        ip: "10.0.2.21",
        role: Role::Database,
    },
    Host {
        name: "worker-1",
        ip: "10.0.3.31",
        role: Role::Worker,
    },
];

/// The API servers (the hosts with [`Role::Api`]).
pub(super) fn api_hosts() -> impl Iterator<Item = &'static Host> {
    HOSTS.iter().filter(|h| h.role == Role::Api)
}

/// The database host.
pub(super) fn database() -> &'static Host {
    &HOSTS[2]
}

/// The batch worker host.
pub(super) fn worker() -> &'static Host {
    &HOSTS[3]
}

/// The user agents of the mobile apps and browsers customers use.
const USER_AGENTS: [&str; 5] = [
    "FinmarkApp/4.12.0 (iOS 18.2; iPhone15,3)",
    "FinmarkApp/4.12.0 (Android 15; Pixel 8)",
    "FinmarkApp/4.11.2 (Android 14; SM-S918B)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
];

const FIRST_NAMES: [&str; 32] = [
    "ana", "ben", "carla", "david", "elena", "farid", "greta", "hugo", "ines", "jonas", "kim",
    "lucia", "marek", "nora", "omar", "paula", "quentin", "rosa", "sami", "tara", "umar", "vera",
    "wim", "xenia", "yusuf", "zoe", "leo", "mia", "noah", "emma", "luca", "sofia",
];

const SURNAME_INITIALS: &[u8] = b"abcdefghijklmnoprstvwz";

/// A customer of the fintech.
pub(super) struct Customer {
    /// `customer.id`.
    pub id: String,
    /// The login name (`user.name`).
    pub user: String,
    /// The addresses the customer connects from: the first is the usual one.
    pub ips: Vec<String>,
    /// The app or browser the customer uses.
    pub agent: &'static str,
}

/// An employee who uses the admin API from the VPN.
pub(super) struct Staff {
    /// The login name.
    pub user: String,
    /// The VPN address.
    pub ip: String,
}

/// Everyone who appears in a day.
pub(super) struct Population {
    /// The customers, the most active first.
    pub customers: Vec<Customer>,
    /// The operations staff.
    pub staff: Vec<Staff>,
}

impl Population {
    /// A population sized for a day with `orders` orders.
    pub fn new(dice: &mut Dice, orders: usize) -> Population {
        let count = (orders * 2 / 3).max(50);
        let customers = (0..count)
            .map(|n| {
                let first = dice.pick(&FIRST_NAMES);
                let initial = char::from(*dice.pick(SURNAME_INITIALS));
                let mut ips = vec![customer_ip(dice)];
                if dice.chance(0.25) {
                    ips.push(customer_ip(dice));
                }
                Customer {
                    id: format!("cus-{n:06}"),
                    user: format!("{first}.{initial}{}", n % 97),
                    ips,
                    agent: USER_AGENTS[dice.index(USER_AGENTS.len())],
                }
            })
            .collect();
        let staff = ["ops.anna", "ops.tomas", "ops.leila"]
            .iter()
            .enumerate()
            .map(|(i, user)| Staff {
                user: user.to_string(),
                ip: format!("10.8.0.{}", 20 + i),
            })
            .collect();
        Population { customers, staff }
    }

    /// A customer drawn with a skew toward regulars: three draws in ten come from the most
    /// active tenth of the customers, the others from everyone.
    pub fn some_customer(&self, dice: &mut Dice) -> &Customer {
        let n = self.customers.len();
        let pool = if dice.chance(0.3) { n.div_ceil(10) } else { n };
        &self.customers[dice.index(pool)]
    }
}

/// An address in 100.64.0.0/10 (host part never 0 or 255).
fn customer_ip(dice: &mut Dice) -> String {
    format!(
        "100.{}.{}.{}",
        dice.below(64, 128),
        dice.below(0, 256),
        dice.below(1, 255)
    )
}

/// An address in [`THREAT_RANGE`] (203.0.113.0/24) other than `avoid`.
pub(super) fn threat_ip(dice: &mut Dice, avoid: Option<&str>) -> String {
    loop {
        let ip = format!("203.0.113.{}", dice.below(2, 254));
        if Some(ip.as_str()) != avoid {
            return ip;
        }
    }
}

/// A client-side ephemeral port.
pub(super) fn ephemeral_port(dice: &mut Dice) -> u16 {
    dice.below(49_152, 65_536) as u16
}
