//! The travel-time seam: everything above this module sees only a [`TravelMatrix`].
//!
//! Sources: great-circle distance with a detour factor ([`great_circle`]) and road
//! networks ([`road`]); both produce the same matrix type.

mod great_circle;
pub mod road;

pub use great_circle::{GreatCircleConfig, great_circle_matrix};

use crate::units::{Meters, Seconds};

/// Square matrices of travel durations and distances between location indices.
/// Invariant: `size * size` entries, all in `0..=MAX_ENTRY`, zero on the diagonal. Not
/// necessarily symmetric. Entries are stored as 32-bit pairs so that large matrices stay
/// cache-friendly; values are read as `i64`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TravelMatrix {
    size: usize,
    /// `(duration, distance)` per ordered pair, row-major: one read serves both.
    legs: Vec<(i32, i32)>,
}

/// Largest travel time or distance an entry can hold (about 68 years in seconds or two
/// million km in metres).
pub const MAX_ENTRY: i64 = i32::MAX as i64;

/// A matrix whose shape or values break the invariants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatrixError {
    #[error("E2001 matrix of size {size} needs {expected} entries, got {got}")]
    WrongLength { size: usize, expected: usize, got: usize },
    #[error("E2002 negative travel time or distance from {from} to {to}")]
    Negative { from: usize, to: usize },
    #[error("E2003 travel time or distance from {from} to {to} exceeds {MAX_ENTRY}")]
    TooLarge { from: usize, to: usize },
}

impl TravelMatrix {
    /// Builds a matrix from row-major durations (seconds) and distances (metres).
    pub fn new(size: usize, durations: Vec<i64>, distances: Vec<i64>) -> Result<Self, MatrixError> {
        for got in [durations.len(), distances.len()] {
            if got != size * size {
                return Err(MatrixError::WrongLength { size, expected: size * size, got });
            }
        }
        if let Some(k) = (0..size * size).find(|&k| durations[k] < 0 || distances[k] < 0) {
            return Err(MatrixError::Negative { from: k / size, to: k % size });
        }
        if let Some(k) = (0..size * size).find(|&k| durations[k] > MAX_ENTRY || distances[k] > MAX_ENTRY) {
            return Err(MatrixError::TooLarge { from: k / size, to: k % size });
        }
        let mut legs: Vec<(i32, i32)> =
            durations.into_iter().zip(distances).map(|(t, d)| (t as i32, d as i32)).collect();
        for i in 0..size {
            legs[i * size + i] = (0, 0);
        }
        Ok(TravelMatrix { size, legs })
    }

    /// Builds a matrix by calling `leg(from, to)` for every ordered pair (diagonal is zero);
    /// values are clamped into `0..=MAX_ENTRY`.
    pub fn from_fn(size: usize, mut leg: impl FnMut(usize, usize) -> (Seconds, Meters)) -> Self {
        let mut legs = vec![(0, 0); size * size];
        for i in 0..size {
            for j in 0..size {
                if i != j {
                    let (t, d) = leg(i, j);
                    legs[i * size + j] = (t.get().clamp(0, MAX_ENTRY) as i32, d.get().clamp(0, MAX_ENTRY) as i32);
                }
            }
        }
        TravelMatrix { size, legs }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    #[inline]
    pub fn duration(&self, from: usize, to: usize) -> Seconds {
        Seconds(i64::from(self.legs[from * self.size + to].0))
    }

    #[inline]
    pub fn distance(&self, from: usize, to: usize) -> Meters {
        Meters(i64::from(self.legs[from * self.size + to].1))
    }

    /// Duration and distance of one leg, read together.
    #[inline]
    pub fn leg(&self, from: usize, to: usize) -> (Seconds, Meters) {
        let (t, d) = self.legs[from * self.size + to];
        (Seconds(i64::from(t)), Meters(i64::from(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_rejects_wrong_shapes_and_negative_entries() {
        assert!(matches!(
            TravelMatrix::new(2, vec![0; 3], vec![0; 4]),
            Err(MatrixError::WrongLength { expected: 4, got: 3, .. })
        ));
        assert_eq!(TravelMatrix::new(2, vec![0, -1, 0, 0], vec![0; 4]), Err(MatrixError::Negative { from: 0, to: 1 }));
        assert!(matches!(
            TravelMatrix::new(2, vec![0, MAX_ENTRY + 1, 0, 0], vec![0; 4]),
            Err(MatrixError::TooLarge { from: 0, to: 1 })
        ));
        let m = TravelMatrix::new(2, vec![5, 7, 9, 5], vec![1, 2, 3, 4]).unwrap();
        assert_eq!(m.duration(0, 0), Seconds::ZERO);
        assert_eq!(m.duration(1, 0), Seconds(9));
        assert_eq!(m.distance(0, 1), Meters(2));
    }
}
