//! A minimal HTTP/1.1 client over a TCP socket for tests that talk to real servers (the
//! service binary, ChromeDriver): one exchange per connection, JSON bodies.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

/// One exchange; returns the status and the JSON body (`Null` when the body is not JSON).
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let (status, text) = request_text(port, method, path, bearer, body)?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// One exchange; returns the status and the body as text. The answer is read by its
/// `Content-Length`, or up to the last chunk.
pub fn request_text(
    port: u16,
    method: &str,
    path: &str,
    bearer: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let auth = bearer.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    )?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf)?;
        raw.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&raw);
        if let Some((head, rest)) = text.split_once("\r\n\r\n") {
            let status = head.split(' ').nth(1).and_then(|s| s.parse::<u16>().ok()).unwrap_or(0);
            let head = head.to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            let chunked = head.contains("transfer-encoding: chunked");
            let done = match length {
                Some(len) => rest.len() >= len,
                None if chunked => rest.ends_with("0\r\n\r\n"),
                None => n == 0,
            };
            if done || n == 0 {
                let body = if length.is_none() && chunked { dechunk(rest) } else { rest.to_string() };
                return Ok((status, body));
            }
        } else if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no answer"));
        }
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A free TCP port on the loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
