//! The client's address: the key of every per-address limit (sign-in, applications,
//! status checks). It is the connection's peer, unless the peer is one of the configured
//! `trusted_proxies` (a reverse proxy in front of junkai): then `X-Forwarded-For` is read
//! from the right, where each proxy appends the address it received from, and the first
//! address that is not a trusted proxy is the client. The header is never read from any
//! other peer, so a client cannot choose its own bucket by sending one.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The client of a request from `peer` (`None`: no connection, as in tests that call the
/// router directly).
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // Something a proxy would never write: stop at the last address known good.
        let Ok(ip) = hop.parse::<IpAddr>() else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// A `trusted_proxies` entry: an address (`10.0.0.5`, `::1`) or a network (`10.0.0.0/8`).
pub fn parse_proxy(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>().ok().or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static(value));
        h
    }

    #[test]
    fn the_forwarded_header_counts_only_from_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxies = [parse_proxy("127.0.0.1").unwrap(), parse_proxy("10.0.0.0/8").unwrap()];
        let header = forwarded("6.6.6.6, 198.51.100.7, 10.1.2.3");
        // From the proxy: the rightmost address that is not a proxy (the client's own
        // first entry is whatever it chose to send).
        assert_eq!(client_address(Some(ip("127.0.0.1")), &header, &proxies), Some(ip("198.51.100.7")));
        // From anyone else: the peer, whatever the header says.
        assert_eq!(client_address(Some(ip("203.0.113.9")), &header, &proxies), Some(ip("203.0.113.9")));
        assert_eq!(client_address(Some(ip("127.0.0.1")), &header, &[]), Some(ip("127.0.0.1")), "none trusted");
        // A proxy without the header, or with junk: the proxy itself, or the last good hop.
        assert_eq!(client_address(Some(ip("127.0.0.1")), &HeaderMap::new(), &proxies), Some(ip("127.0.0.1")));
        let junk = forwarded("198.51.100.7, not-an-address");
        assert_eq!(client_address(Some(ip("127.0.0.1")), &junk, &proxies), Some(ip("127.0.0.1")));
        assert_eq!(client_address(None, &header, &proxies), None);
        assert!(parse_proxy("::1").is_some() && parse_proxy("fd00::/8").is_some() && parse_proxy("proxy").is_none());
    }
}
