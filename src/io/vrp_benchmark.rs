//! Reader for VRP benchmark instances — the Solomon text format and VRPLIB — and their
//! conversion into the routing core's [`Instance`].
//!
//! Conventions (docs/BENCHMARKS.md): Euclidean distances; travel time equals distance.
//! Instances with time windows use unrounded distances: the core works in integers scaled
//! by [`EXACT_SCALE`] with travel times rounded *up*, so every solution it finds stays
//! feasible unrounded, and distances are reported recomputed in double precision.
//! VRPLIB instances without time windows (CVRPLIB X) use TSPLIB `EUC_2D` distances rounded
//! to the nearest integer, as their best-known solutions do.

use junkai_solver::matrix::TravelMatrix;
use junkai_solver::routing::{CostRates, Instance, Job, Load, RouteVehicle};
use junkai_solver::units::{Cost, Meters, Seconds, TimeWindow};

use crate::diagnostics::Diagnostic;

/// Integer units per instance unit when distances are unrounded.
pub const EXACT_SCALE: f64 = 10_000.0;

/// How distances are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Unrounded Euclidean distance (scaled integers, rounded up inside the core).
    Exact,
    /// TSPLIB `EUC_2D`: rounded to the nearest integer.
    Nearest,
}

/// A benchmark instance. Node 0 is the depot; `numbers[i]` is node i's number as printed
/// in solutions (the instance's own customer number; VRPLIB node id minus one).
#[derive(Clone, Debug, PartialEq)]
pub struct BenchmarkInstance {
    pub name: String,
    pub numbers: Vec<u32>,
    pub coords: Vec<(f64, f64)>,
    pub demand: Vec<i64>,
    /// Ready and due times (instance units); `None` when the instance has no windows.
    pub windows: Option<Vec<(f64, f64)>>,
    pub service: Vec<f64>,
    pub capacity: i64,
    /// Vehicle limit; `None` = unlimited.
    pub vehicles: Option<usize>,
    pub rounding: Rounding,
}

fn bad(file: &str, line: usize, what: &str) -> Diagnostic {
    Diagnostic::bad_instance(file, line, what)
}

fn numbers(line: &str) -> Option<Vec<f64>> {
    line.split_whitespace().map(|t| t.parse::<f64>().ok().filter(|x| x.is_finite())).collect()
}

fn parse_solomon(text: &str, file: &str) -> Result<BenchmarkInstance, Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let name = lines.iter().find(|l| !l.trim().is_empty()).map_or("instance", |l| l.trim()).to_string();
    let header = lines
        .iter()
        .position(|l| l.to_uppercase().split_whitespace().collect::<Vec<_>>() == ["NUMBER", "CAPACITY"])
        .ok_or_else(|| bad(file, 1, "no `NUMBER CAPACITY` line"))?;
    let (fleet_line, fleet) = lines[header + 1..]
        .iter()
        .enumerate()
        .find_map(|(i, l)| numbers(l).filter(|v| v.len() == 2).map(|v| (header + 2 + i, v)))
        .ok_or_else(|| bad(file, header + 1, "no vehicle number and capacity after `NUMBER CAPACITY`"))?;
    let mut inst = BenchmarkInstance {
        name,
        numbers: Vec::new(),
        coords: Vec::new(),
        demand: Vec::new(),
        windows: Some(Vec::new()),
        service: Vec::new(),
        capacity: fleet[1] as i64,
        vehicles: Some(fleet[0] as usize),
        rounding: Rounding::Exact,
    };
    for (i, line) in lines.iter().enumerate().skip(fleet_line) {
        let Some(v) = numbers(line) else { continue };
        if v.is_empty() {
            continue;
        }
        if v.len() != 7 {
            return Err(bad(file, i + 1, "a customer line needs 7 numbers"));
        }
        if v[4] > v[5] || v[3] < 0.0 || v[6] < 0.0 {
            return Err(bad(file, i + 1, "ready time after due date, or a negative demand or service time"));
        }
        inst.numbers.push(v[0] as u32);
        inst.coords.push((v[1], v[2]));
        inst.demand.push(v[3] as i64);
        inst.windows.as_mut().expect("set above").push((v[4], v[5]));
        inst.service.push(v[6]);
    }
    if inst.coords.len() < 2 || inst.numbers[0] != 0 {
        return Err(bad(file, fleet_line, "needs the depot (customer 0) first and at least one customer"));
    }
    Ok(inst)
}

fn parse_vrplib(text: &str, file: &str) -> Result<BenchmarkInstance, Diagnostic> {
    let mut name = String::from("instance");
    let (mut dimension, mut capacity, mut vehicles, mut service_all) = (0usize, 0i64, None, 0.0);
    let mut section = "";
    let mut coords: Vec<Option<(f64, f64)>> = Vec::new();
    let mut demand: Vec<i64> = Vec::new();
    let mut windows: Vec<(f64, f64)> = Vec::new();
    let mut service: Vec<f64> = Vec::new();
    let mut depot = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line == "EOF" {
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim();
            let num = || value.parse::<f64>().map_err(|_| bad(file, i + 1, "expected a number"));
            match key.trim().to_uppercase().as_str() {
                "NAME" => name = value.to_string(),
                "DIMENSION" => dimension = num()? as usize,
                "CAPACITY" => capacity = num()? as i64,
                "VEHICLES" => vehicles = Some(num()? as usize),
                "SERVICE_TIME" => service_all = num()?,
                _ => {}
            }
            if dimension > 0 && coords.is_empty() {
                coords = vec![None; dimension];
                demand = vec![0; dimension];
                service = vec![0.0; dimension];
            }
            continue;
        }
        if line.ends_with("SECTION") {
            section = line;
            continue;
        }
        let v = numbers(line).ok_or_else(|| bad(file, i + 1, "expected numbers"))?;
        let node = v.first().copied().unwrap_or(0.0) as i64;
        if section == "DEPOT_SECTION" {
            if node > 0 && depot.is_none() {
                depot = Some(node as usize - 1);
            }
            continue;
        }
        let k = (node - 1) as usize;
        if node < 1 || k >= dimension {
            return Err(bad(file, i + 1, "node id outside 1..DIMENSION"));
        }
        match (section, v.len()) {
            ("NODE_COORD_SECTION", 3) => coords[k] = Some((v[1], v[2])),
            ("DEMAND_SECTION", 2) => demand[k] = v[1] as i64,
            ("SERVICE_TIME_SECTION", 2) => service[k] = v[1],
            ("TIME_WINDOW_SECTION", 3) => {
                if windows.is_empty() {
                    windows = vec![(0.0, f64::MAX); dimension];
                }
                windows[k] = (v[1], v[2]);
            }
            _ => return Err(bad(file, i + 1, "unexpected line for this section")),
        }
    }
    if dimension < 2 || capacity <= 0 {
        return Err(bad(file, 1, "needs DIMENSION >= 2 and CAPACITY > 0"));
    }
    if depot.is_some_and(|d| d != 0) {
        return Err(bad(file, 1, "the depot must be node 1"));
    }
    let coords =
        coords.into_iter().collect::<Option<Vec<_>>>().ok_or_else(|| bad(file, 1, "a node has no coordinates"))?;
    let has_windows = !windows.is_empty();
    if service_all > 0.0 {
        service.iter_mut().skip(1).for_each(|s| *s = service_all);
    }
    Ok(BenchmarkInstance {
        name,
        numbers: (0..dimension as u32).collect(),
        coords,
        demand,
        windows: has_windows.then_some(windows),
        service,
        capacity,
        vehicles,
        rounding: if has_windows { Rounding::Exact } else { Rounding::Nearest },
    })
}

/// Reads a Solomon or VRPLIB instance (detected from the text).
pub fn parse_instance(text: &str, file: &str) -> Result<BenchmarkInstance, Diagnostic> {
    if text.contains("NODE_COORD_SECTION") { parse_vrplib(text, file) } else { parse_solomon(text, file) }
}

impl BenchmarkInstance {
    pub fn customers(&self) -> usize {
        self.coords.len() - 1
    }

    fn euclid(&self, a: usize, b: usize) -> f64 {
        let (p, q) = (self.coords[a], self.coords[b]);
        (p.0 - q.0).hypot(p.1 - q.1)
    }

    /// The integer travel matrix the core works with.
    pub fn matrix(&self) -> TravelMatrix {
        let rounding = self.rounding;
        TravelMatrix::from_fn(self.coords.len(), |a, b| {
            let d = self.euclid(a, b);
            let x = match rounding {
                Rounding::Exact => (d * EXACT_SCALE).ceil() as i64,
                Rounding::Nearest => d.round() as i64,
            };
            (Seconds(x), Meters(x))
        })
    }

    fn scale(&self) -> f64 {
        if self.rounding == Rounding::Exact { EXACT_SCALE } else { 1.0 }
    }

    /// The routing instance: one mandatory job per customer, identical vehicles at the depot.
    pub fn routing_instance<'m>(&self, matrix: &'m TravelMatrix) -> Instance<'m> {
        let s = self.scale();
        let horizon = self.windows.as_ref().map_or(i64::MAX / 8, |w| (w[0].1 * s).floor() as i64);
        let depot_open = self.windows.as_ref().map_or(0, |w| (w[0].0 * s).ceil() as i64);
        let jobs = (1..self.coords.len())
            .map(|i| {
                let (open, close) = self
                    .windows
                    .as_ref()
                    .map_or((0, horizon), |w| ((w[i].0 * s).ceil() as i64, (w[i].1 * s).floor() as i64));
                Job {
                    location: i,
                    service: Seconds((self.service[i] * s).round() as i64),
                    windows: vec![TimeWindow::new(Seconds(open), Seconds(close.max(open)))],
                    demand: Load::single(self.demand[i]),
                    prize: None,
                    allowed_vehicles: None,
                }
            })
            .collect();
        // Unlimited fleets get a generous bound, as HGS-CVRP does: 1.3 × the load bound + 3.
        let total: i64 = self.demand.iter().sum();
        let load_bound = (total as f64 / self.capacity as f64 * 1.3).ceil() as usize + 3;
        let fleet = self.vehicles.unwrap_or(load_bound.min(self.customers())).max(1);
        let vehicle = RouteVehicle {
            start_location: 0,
            end_location: 0,
            shift: TimeWindow::new(Seconds(depot_open), Seconds(horizon)),
            capacity: Load::single(self.capacity),
            max_work: None,
            lunch: None,
            fixed_cost: Cost(0),
        };
        Instance { matrix, jobs, vehicles: vec![vehicle; fleet], rates: CostRates { per_meter: 1, per_second: 0 } }
    }

    /// Total distance of routes (job indices = node − 1) in instance units: unrounded for
    /// exact instances, the sum of rounded legs otherwise.
    pub fn distance(&self, routes: &[Vec<usize>]) -> f64 {
        let leg = |a: usize, b: usize| match self.rounding {
            Rounding::Exact => self.euclid(a, b),
            Rounding::Nearest => self.euclid(a, b).round(),
        };
        routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                let nodes: Vec<usize> =
                    std::iter::once(0).chain(r.iter().map(|j| j + 1)).chain(std::iter::once(0)).collect();
                nodes.windows(2).map(|w| leg(w[0], w[1])).sum::<f64>()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOLOMON: &str = "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2         10\n\nCUSTOMER\nCUST NO. XCOORD. YCOORD. DEMAND READY TIME DUE DATE SERVICE TIME\n\n 0 0 0 0 0 100 0\n 1 3 4 5 0 50 1\n 2 6 8 5 10 60 1\n";

    #[test]
    fn solomon_text_is_read_and_distances_round_up() {
        let inst = parse_instance(SOLOMON, "tiny.txt").unwrap();
        assert_eq!(inst.customers(), 2);
        assert_eq!(inst.vehicles, Some(2));
        let m = inst.matrix();
        assert_eq!(m.distance(0, 1), Meters(50_000));
        assert_eq!(inst.distance(&[vec![0, 1]]), 20.0);
        let r = inst.routing_instance(&m);
        assert_eq!(r.jobs[1].windows[0].start, Seconds(100_000));
    }

    #[test]
    fn vrplib_without_windows_uses_rounded_distances() {
        let text = "NAME : t\nDIMENSION : 3\nCAPACITY : 5\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 0\nDEMAND_SECTION\n1 0\n2 1\n3 1\nDEPOT_SECTION\n1\n-1\nEOF\n";
        let inst = parse_instance(text, "t.vrp").unwrap();
        assert_eq!(inst.rounding, Rounding::Nearest);
        assert_eq!(inst.matrix().distance(0, 1), Meters(1));
        assert_eq!(inst.numbers, vec![0, 1, 2]);
    }

    #[test]
    fn broken_files_name_the_line() {
        let err = parse_instance("X\nNUMBER CAPACITY\n2 10\n 0 0 0 0 0 100\n", "bad.txt").unwrap_err();
        assert_eq!(err.code, crate::diagnostics::Code::E1022);
        assert!(err.path.contains("line 4"), "{}", err.path);
    }
}
