//! Ruin steps for the outer loop: remove a cluster of related jobs (radial ruin around a
//! random seed job) or a random set of jobs.

use super::state::State;
use crate::rng::Rng;

/// Chooses `count` assigned jobs to remove: with probability ½ the seed's nearest
/// neighbours, otherwise uniformly at random.
pub fn choose_victims(state: &State, neighbours: &[Vec<usize>], count: usize, rng: &mut Rng) -> Vec<usize> {
    let assigned: Vec<usize> = (0..state.route_of.len()).filter(|&j| state.route_of[j].is_some()).collect();
    if assigned.is_empty() {
        return Vec::new();
    }
    let count = count.min(assigned.len());
    let mut victims = Vec::with_capacity(count);
    if rng.unit() < 0.5 {
        let seed = assigned[rng.below(assigned.len())];
        victims.push(seed);
        for &j in &neighbours[seed] {
            if victims.len() >= count {
                break;
            }
            if state.route_of[j].is_some() {
                victims.push(j);
            }
        }
    }
    let mut pool = assigned;
    rng.shuffle(&mut pool);
    for j in pool {
        if victims.len() >= count {
            break;
        }
        if !victims.contains(&j) {
            victims.push(j);
        }
    }
    victims
}
