//! Service kinds (手続・相談, 看護師同乗・オンライン診療, 移動スマホ教室 …) and the
//! vehicle equipment they need.

use serde::{Deserialize, Serialize};

use crate::units::Seconds;

/// A set of equipment types as a bit mask over `Problem::equipment()` (at most 32 types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EquipmentSet(pub u32);

impl EquipmentSet {
    pub fn single(index: usize) -> EquipmentSet {
        EquipmentSet(1 << index)
    }
    /// Whether every item of `needed` is in `self`.
    pub fn covers(self, needed: EquipmentSet) -> bool {
        self.0 & needed.0 == needed.0
    }
    pub fn union(self, other: EquipmentSet) -> EquipmentSet {
        EquipmentSet(self.0 | other.0)
    }
}

/// A set of service kinds as a bit mask over `Problem::kinds()` (at most 64 kinds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KindSet(pub u64);

impl KindSet {
    pub fn contains(self, kind: usize) -> bool {
        self.0 & (1 << kind) != 0
    }
    pub fn insert(&mut self, kind: usize) {
        self.0 |= 1 << kind;
    }
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..64).filter(move |k| self.contains(*k))
    }
}

/// A class held as one session of fixed length with a number of seats (移動スマホ教室).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSpec {
    /// Length of one session. Invariant: > 0.
    pub length: Seconds,
    /// Seats in one session. Invariant: > 0.
    pub seats: u32,
}

/// A kind of service a unit can deliver at a stop.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceKind {
    pub id: String,
    /// Display name (Japanese).
    pub name: String,
    /// Equipment the unit must carry.
    pub equipment: EquipmentSet,
    /// Service time of one request when the request does not say. Invariant: >= 0.
    pub default_service: Seconds,
    /// `Some` for kinds held as classes: requests take a seat instead of service time.
    pub class: Option<ClassSpec>,
    /// The kind of remote person each session needs (e.g. `doctor`), if any.
    #[serde(default)]
    pub remote_kind: Option<String>,
}
