//! The compact road file: the graph's arrays in little-endian binary behind a magic tag
//! and version, closed by an FNV-1a checksum so that a corrupt or truncated file is
//! refused instead of loaded.

use super::RoadError;
use super::ch::{Arc, Hierarchy};
use super::graph::RoadGraph;

const MAGIC: &[u8; 8] = b"JUNKAIRG";
const VERSION: u32 = 2;

/// FNV-1a, 64 bit: a checksum fast enough for large files (not a cryptographic hash).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn put_u32s(out: &mut Vec<u8>, values: &[u32]) {
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

fn put_points(out: &mut Vec<u8>, values: &[(f64, f64)]) {
    for (x, y) in values {
        out.extend_from_slice(&x.to_le_bytes());
        out.extend_from_slice(&y.to_le_bytes());
    }
}

pub fn to_bytes(g: &RoadGraph) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 + g.nodes.len() * 20 + g.head.len() * 16 + g.shape.len() * 16);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    for count in [g.nodes.len(), g.head.len(), g.shape.len()] {
        out.extend_from_slice(&(count as u64).to_le_bytes());
    }
    put_points(&mut out, &g.nodes);
    put_u32s(&mut out, &g.first_out);
    put_u32s(&mut out, &g.head);
    put_u32s(&mut out, &g.time_ms);
    put_u32s(&mut out, &g.length_dm);
    put_u32s(&mut out, &g.shape_first);
    put_points(&mut out, &g.shape);
    match &g.hierarchy {
        None => out.extend_from_slice(&0u32.to_le_bytes()),
        Some(h) => {
            out.extend_from_slice(&1u32.to_le_bytes());
            put_u32s(&mut out, &h.rank);
            for (first, arcs) in [(&h.up_first, &h.up), (&h.down_first, &h.down)] {
                out.extend_from_slice(&(arcs.len() as u64).to_le_bytes());
                put_u32s(&mut out, first);
                for a in arcs {
                    put_u32s(&mut out, &[a.node, a.time, a.dist, a.mid, a.edge]);
                }
            }
        }
    }
    let sum = fnv1a(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], RoadError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(RoadError::Corrupt { reason: "truncated" })?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, RoadError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn u64(&mut self) -> Result<u64, RoadError> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    fn u32s(&mut self, n: usize) -> Result<Vec<u32>, RoadError> {
        let raw = self.take(n.checked_mul(4).ok_or(RoadError::Corrupt { reason: "size overflow" })?)?;
        Ok(raw.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))).collect())
    }
    fn points(&mut self, n: usize) -> Result<Vec<(f64, f64)>, RoadError> {
        let raw = self.take(n.checked_mul(16).ok_or(RoadError::Corrupt { reason: "size overflow" })?)?;
        Ok(raw
            .chunks_exact(16)
            .map(|c| {
                let x = f64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
                let y = f64::from_le_bytes(c[8..].try_into().expect("8 bytes"));
                (x, y)
            })
            .collect())
    }
}

/// Whether an index array starts at 0, never decreases and ends at `last`.
fn monotone_to(v: &[u32], last: usize) -> bool {
    v.first() == Some(&0) && v.windows(2).all(|w| w[0] <= w[1]) && v.last().is_some_and(|&l| l as usize == last)
}

pub fn from_bytes(bytes: &[u8]) -> Result<RoadGraph, RoadError> {
    if bytes.len() < 8 + 4 + 24 + 8 || &bytes[..8] != MAGIC {
        return Err(RoadError::Corrupt { reason: "not a junkai road file" });
    }
    let (body, tail) = bytes.split_at(bytes.len() - 8);
    if fnv1a(body) != u64::from_le_bytes(tail.try_into().expect("8 bytes")) {
        return Err(RoadError::Corrupt { reason: "checksum mismatch (damaged or truncated)" });
    }
    let mut r = Reader { bytes: body, at: 8 };
    if r.u32()? != VERSION {
        return Err(RoadError::Corrupt { reason: "unsupported version" });
    }
    let too_big = |c: u64| {
        usize::try_from(c).ok().filter(|&c| c <= body.len()).ok_or(RoadError::Corrupt { reason: "bad counts" })
    };
    let (n, m, s) = (too_big(r.u64()?)?, too_big(r.u64()?)?, too_big(r.u64()?)?);
    let mut g = RoadGraph {
        nodes: r.points(n)?,
        first_out: r.u32s(n + 1)?,
        head: r.u32s(m)?,
        time_ms: r.u32s(m)?,
        length_dm: r.u32s(m)?,
        shape_first: r.u32s(m + 1)?,
        shape: r.points(s)?,
        hierarchy: None,
    };
    if r.u32()? == 1 {
        let rank = r.u32s(n)?;
        let mut halves = Vec::new();
        for _ in 0..2 {
            let count = too_big(r.u64()?)?;
            let first = r.u32s(n + 1)?;
            let raw = r.u32s(count.checked_mul(5).ok_or(RoadError::Corrupt { reason: "size overflow" })?)?;
            let arcs: Vec<Arc> = raw
                .chunks_exact(5)
                .map(|c| Arc { node: c[0], time: c[1], dist: c[2], mid: c[3], edge: c[4] })
                .collect();
            if !monotone_to(&first, count)
                || arcs.iter().any(|a| a.node as usize >= n || (a.mid == super::ch::ORIGINAL && a.edge as usize >= m))
            {
                return Err(RoadError::Corrupt { reason: "inconsistent hierarchy" });
            }
            halves.push((first, arcs));
        }
        let (down_first, down) = halves.pop().expect("two halves");
        let (up_first, up) = halves.pop().expect("two halves");
        g.hierarchy = Some(Hierarchy { rank, up_first, up, down_first, down });
    }
    if r.at != body.len() {
        return Err(RoadError::Corrupt { reason: "trailing data" });
    }
    if !monotone_to(&g.first_out, m) || !monotone_to(&g.shape_first, s) || g.head.iter().any(|&h| h as usize >= n) {
        return Err(RoadError::Corrupt { reason: "inconsistent arrays" });
    }
    Ok(g)
}
