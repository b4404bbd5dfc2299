//! The client's address behind reverse proxies: `Forwarded` (RFC 7239) or
//! `X-Forwarded-For` are believed only when the TCP peer is one of the configured trusted
//! proxies (`FUPIN_TRUSTED_PROXIES`), and then only as far back as the chain of trusted
//! proxies reaches: the rightmost address that is not a trusted proxy is the client
//! (everything left of it was written by the client itself and may be forged). Used by the
//! request and login limits and by the audit log.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use actix_web::http::header::HeaderMap;
use actix_web::{HttpRequest, web};
use ipnet::IpNet;

use crate::state::AppState;

/// The networks whose forwarding headers are believed; empty: none (the TCP peer is the
/// client).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Comma-separated networks (`10.0.0.0/8,192.168.1.7,fd00::/8`); a bare address is
    /// that one address. Blank: none.
    pub fn parse(value: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for (n, entry) in value.split(',').map(str::trim).enumerate() {
            if entry.is_empty() {
                if value.trim().is_empty() {
                    break;
                }
                return Err(format!("FUPIN_TRUSTED_PROXIES: entry {} is empty", n + 1));
            }
            let net = IpNet::from_str(entry)
                .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "FUPIN_TRUSTED_PROXIES: entry {} ({entry:?}) is not an address or a \
                         network such as 10.0.0.0/8",
                        n + 1
                    )
                })?;
            nets.push(net.trunc());
        }
        Ok(Self(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let mut client = peer;
        for hop in forwarded_chain(headers).into_iter().rev() {
            // An entry that is no address ("unknown", an obfuscated name): the last hop we
            // know is as far as the chain can be followed.
            let Some(ip) = hop else {
                return Some(client);
            };
            client = ip;
            if !self.trusts(ip) {
                return Some(ip);
            }
        }
        Some(client)
    }
}

/// The forwarded-for chain, oldest first: `Forwarded`'s `for=` parameters if that header is
/// present, else `X-Forwarded-For`'s entries (every header line in order).
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let lines = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    };
    let forwarded = lines("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| node_address(value.trim().trim_matches('"')))
                })
            })
            .collect();
    }
    lines("x-forwarded-for")
        .iter()
        .flat_map(|line| line.split(','))
        .map(|entry| node_address(entry.trim()))
        .collect()
}

/// An address as a forwarding header writes it: `192.0.2.1`, `192.0.2.1:4711`,
/// `[2001:db8::1]:4711`, `[2001:db8::1]` or `2001:db8::1`.
fn node_address(text: &str) -> Option<IpAddr> {
    IpAddr::from_str(text)
        .ok()
        .or_else(|| SocketAddr::from_str(text).ok().map(|s| s.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| IpAddr::from_str(t).ok())
        })
}

/// The client address of `req` as the application's trusted proxies let it be known.
pub fn of(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => state.trusted_proxies.client(peer, req.headers()),
        None => peer,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    #[test]
    fn networks_and_single_addresses_parse_and_garbage_is_refused() {
        let t = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8").unwrap();
        assert!(t.trusts(ip("10.200.3.4")));
        assert!(t.trusts(ip("192.168.1.7")));
        assert!(!t.trusts(ip("192.168.1.8")));
        assert!(t.trusts(ip("fd00::1")));
        assert!(t.trusts(ip("::ffff:10.0.0.1")), "IPv4-mapped");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        let err = TrustedProxies::parse("10.0.0.0/8,proxy.local").unwrap_err();
        assert!(err.contains("entry 2"), "{err}");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("10.0.0.0/8,,").is_err());
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            t.client(Some(ip("198.51.100.1")), &h),
            Some(ip("198.51.100.1"))
        );
        let none = TrustedProxies::default();
        assert_eq!(none.client(Some(ip("10.0.0.1")), &h), Some(ip("10.0.0.1")));
        assert_eq!(t.client(None, &h), None);
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        // The client forged the first entry; our proxies appended the rest.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(t.client(Some(ip("10.0.0.1")), &h), Some(ip("203.0.113.9")));
        // Several header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(t.client(Some(ip("10.0.0.1")), &h), Some(ip("203.0.113.7")));
        // Only proxies in the chain: the first of them.
        let h = headers(&[("x-forwarded-for", "10.9.9.9, 10.0.0.2")]);
        assert_eq!(t.client(Some(ip("10.0.0.1")), &h), Some(ip("10.9.9.9")));
        // No header: the proxy itself.
        assert_eq!(
            t.client(Some(ip("10.0.0.1")), &HeaderMap::new()),
            Some(ip("10.0.0.1"))
        );
        // An entry that is no address stops the walk at the last known hop.
        let h = headers(&[("x-forwarded-for", "203.0.113.9, unknown, 10.0.0.2")]);
        assert_eq!(t.client(Some(ip("10.0.0.1")), &h), Some(ip("10.0.0.2")));
    }

    #[test]
    fn forwarded_wins_over_x_forwarded_for_and_takes_every_form() {
        let t = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            (
                "forwarded",
                "for=192.0.2.60;proto=http;by=203.0.113.43, For=\"[2001:db8:cafe::17]:4711\"",
            ),
        ]);
        assert_eq!(
            t.client(Some(ip("10.0.0.1")), &h),
            Some(ip("2001:db8:cafe::17"))
        );
        let h = headers(&[("forwarded", "for=\"192.0.2.61:8080\"")]);
        assert_eq!(t.client(Some(ip("10.0.0.1")), &h), Some(ip("192.0.2.61")));
        let h = headers(&[("forwarded", "for=_hidden, for=10.0.0.3")]);
        assert_eq!(t.client(Some(ip("10.0.0.1")), &h), Some(ip("10.0.0.3")));
    }
}
