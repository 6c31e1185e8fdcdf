//! Per-client limits: how many fetches and analyses one client may have under way
//! at once, so that no client can hold what others need.
//!
//! A client is its address as the connection shows it, an IPv6 client its /64 (one
//! host commonly holds a whole /64). Behind a reverse proxy listed in
//! `--trusted-proxy`, it is the address that proxy reports: the rightmost
//! `X-Forwarded-For` entry that is not itself a trusted proxy. From anyone else the
//! header is ignored, so it cannot be used to pose as many clients.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::HttpRequest;
use wca_fetch::Cidr;

use crate::error::ApiError;

/// Who a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Client(IpAddr);

impl Client {
    /// The client of `req` (see the module's documentation).
    pub(crate) fn of(req: &HttpRequest, trusted: &[Cidr]) -> Client {
        let peer = req.peer_addr().map(|a| a.ip());
        let mut ip = peer;
        if let Some(p) = peer
            && trusted.iter().any(|c| c.contains(p))
        {
            let forwarded = req
                .headers()
                .get_all("x-forwarded-for")
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .collect::<Vec<_>>();
            for entry in forwarded.iter().rev() {
                let Ok(addr) = entry.parse::<IpAddr>() else {
                    // A malformed entry: trust nothing to its left.
                    break;
                };
                ip = Some(addr);
                if !trusted.iter().any(|c| c.contains(addr)) {
                    break;
                }
            }
        }
        Client::from_ip(ip.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)))
    }

    fn from_ip(ip: IpAddr) -> Client {
        let ip = match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !0u128 >> 64 << 64)),
            },
            v4 => v4,
        };
        Client(ip)
    }
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
            v4 => write!(f, "{v4}"),
        }
    }
}

/// The work each client has under way. Entries exist only while a client has
/// some, so the table is bounded by the requests in flight.
pub(crate) struct Clients {
    /// Requests one client may have under way; 0 for no limit.
    limit: usize,
    running: Mutex<HashMap<Client, usize>>,
    /// Requests refused with 429.
    pub(crate) refused: AtomicU64,
}

impl Clients {
    pub(crate) fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit,
            running: Mutex::new(HashMap::new()),
            refused: AtomicU64::new(0),
        })
    }

    /// A turn for `client`, or 429 when it already has `limit` under way.
    pub(crate) fn take(self: &Arc<Self>, client: Client) -> Result<Turn, ApiError> {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let n = running.entry(client).or_insert(0);
        if self.limit > 0 && *n >= self.limit {
            if *n == 0 {
                running.remove(&client);
            }
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::TooMany(self.limit));
        }
        *n += 1;
        Ok(Turn {
            clients: self.clone(),
            client,
        })
    }

    /// Clients with work under way (for tests and metrics).
    pub(crate) fn active(&self) -> usize {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// One request's turn; given back when dropped.
pub(crate) struct Turn {
    clients: Arc<Clients>,
    client: Client,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut running = self
            .clients
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(n) = running.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                running.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_64_and_a_mapped_address_is_ipv4() {
        let a = Client::from_ip("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = Client::from_ip("2001:db8:1:2:bbbb::9".parse().unwrap());
        let c = Client::from_ip("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        assert_eq!(
            Client::from_ip("::ffff:192.0.2.7".parse().unwrap()),
            Client::from_ip("192.0.2.7".parse().unwrap())
        );
    }

    #[test]
    fn turns_are_counted_and_given_back() {
        let clients = Clients::new(2);
        let a = Client::from_ip("192.0.2.1".parse().unwrap());
        let b = Client::from_ip("192.0.2.2".parse().unwrap());
        let t1 = clients.take(a).unwrap();
        let t2 = clients.take(a).unwrap();
        assert!(matches!(clients.take(a), Err(ApiError::TooMany(2))));
        let other = clients.take(b).unwrap();
        drop(t1);
        let t3 = clients.take(a).unwrap();
        drop((t2, t3, other));
        assert_eq!(clients.active(), 0);
        let unlimited = Clients::new(0);
        let turns: Vec<_> = (0..100).map(|_| unlimited.take(a).unwrap()).collect();
        assert_eq!(turns.len(), 100);
    }
}
