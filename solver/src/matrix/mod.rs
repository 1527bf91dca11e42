//! The travel-time seam: everything above this module sees only a [`TravelMatrix`].
//!
//! Sources: great-circle distance with a detour factor ([`great_circle`]); road
//! networks plug in here later and produce the same matrix type.

mod great_circle;

pub use great_circle::{GreatCircleConfig, great_circle_matrix};

use crate::units::{Meters, Seconds};

/// Square matrices of travel durations and distances between location indices.
/// Invariant: `durations.len() == distances.len() == size * size`, all entries >= 0,
/// zero on the diagonal. Not necessarily symmetric.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TravelMatrix {
    size: usize,
    durations: Vec<i64>,
    distances: Vec<i64>,
}

/// A matrix whose shape or values break the invariants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatrixError {
    #[error("E2001 matrix of size {size} needs {expected} entries, got {got}")]
    WrongLength { size: usize, expected: usize, got: usize },
    #[error("E2002 negative travel time or distance from {from} to {to}")]
    Negative { from: usize, to: usize },
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
        let mut m = TravelMatrix { size, durations, distances };
        for i in 0..size {
            m.durations[i * size + i] = 0;
            m.distances[i * size + i] = 0;
        }
        Ok(m)
    }

    /// Builds a matrix by calling `leg(from, to)` for every ordered pair (diagonal is zero).
    pub fn from_fn(size: usize, mut leg: impl FnMut(usize, usize) -> (Seconds, Meters)) -> Self {
        let mut durations = vec![0; size * size];
        let mut distances = vec![0; size * size];
        for i in 0..size {
            for j in 0..size {
                if i != j {
                    let (t, d) = leg(i, j);
                    durations[i * size + j] = t.get().max(0);
                    distances[i * size + j] = d.get().max(0);
                }
            }
        }
        TravelMatrix { size, durations, distances }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    #[inline]
    pub fn duration(&self, from: usize, to: usize) -> Seconds {
        Seconds(self.durations[from * self.size + to])
    }

    #[inline]
    pub fn distance(&self, from: usize, to: usize) -> Meters {
        Meters(self.distances[from * self.size + to])
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
        let m = TravelMatrix::new(2, vec![5, 7, 9, 5], vec![1, 2, 3, 4]).unwrap();
        assert_eq!(m.duration(0, 0), Seconds::ZERO);
        assert_eq!(m.duration(1, 0), Seconds(9));
        assert_eq!(m.distance(0, 1), Meters(2));
    }
}
