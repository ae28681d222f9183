//! A cap on how many sockets one address may hold open at once, so that one machine cannot
//! exhaust the server's memory with connections. A [`Permit`] holds one place until dropped.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open sockets per address, up to a maximum (0: no limit).
#[derive(Debug, Clone, Default)]
pub struct AddressLimit {
    max: usize,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One open socket's place; given back when dropped.
#[derive(Debug)]
pub struct Permit {
    ip: IpAddr,
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl AddressLimit {
    /// At most `max` sockets per address; 0 means no limit.
    pub fn new(max: usize) -> Self {
        Self {
            max,
            open: Arc::default(),
        }
    }

    /// The maximum (0: none).
    pub fn max(&self) -> usize {
        self.max
    }

    /// A place for one more socket from `ip`, or `None` when it holds the maximum already.
    pub fn admit(&self, ip: IpAddr) -> Option<Permit> {
        let mut open = self.open.lock().expect("address limit lock");
        let count = open.entry(ip).or_default();
        if self.max > 0 && *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Permit {
            ip,
            open: self.open.clone(),
        })
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut open = self.open.lock().expect("address limit lock");
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("a valid address")
    }

    #[test]
    fn an_address_gets_at_most_max_places_and_dropped_places_come_back() {
        let limit = AddressLimit::new(2);
        let first = limit.admit(ip("203.0.113.9")).expect("first place");
        let _second = limit.admit(ip("203.0.113.9")).expect("second place");
        assert!(
            limit.admit(ip("203.0.113.9")).is_none(),
            "a third is refused"
        );
        assert!(
            limit.admit(ip("198.51.100.1")).is_some(),
            "other addresses are not affected"
        );
        drop(first);
        assert!(
            limit.admit(ip("203.0.113.9")).is_some(),
            "a dropped place is free again"
        );
    }

    #[test]
    fn zero_means_no_limit_and_the_table_forgets_addresses_with_no_sockets() {
        let unlimited = AddressLimit::new(0);
        let permits: Vec<_> = (0..1000)
            .map(|_| unlimited.admit(ip("203.0.113.9")))
            .collect();
        assert!(permits.iter().all(Option::is_some));
        drop(permits);
        assert!(unlimited.open.lock().expect("lock").is_empty());
    }
}
