//! A map drawn by the server as SVG (no tiles, no network): the city boundary, each
//! route's line (colour per unit, dash pattern per day, so colour is not the only signal)
//! with a legend, and the stops and depots with their names as tooltips and, on maps of
//! few stops, as labels.

use std::fmt::Write;

use geojson::{Feature, FeatureCollection, GeoJson, Geometry, GeometryValue, Position};
use maud::{Markup, html};

/// Dash patterns per day, in the order of the days on the map.
const DASHES: [&str; 4] = ["", "10 5", "3 4", "14 4 3 4"];
const WIDTH: f64 = 800.0;

/// Equirectangular projection of the bounding box onto a `WIDTH`-wide canvas with a
/// 20-unit margin: `x = (lon − min_lon)·cos(mid_lat)·scale`, `y = (max_lat − lat)·scale`.
struct Frame {
    min_lon: f64,
    max_lat: f64,
    k: f64,
    scale: f64,
    height: f64,
}

const MARGIN: f64 = 20.0;

impl Frame {
    fn new(points: &[[f64; 2]]) -> Frame {
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) = (180.0f64, -180.0f64, 90.0f64, -90.0f64);
        for p in points {
            min_lon = min_lon.min(p[0]);
            max_lon = max_lon.max(p[0]);
            min_lat = min_lat.min(p[1]);
            max_lat = max_lat.max(p[1]);
        }
        if points.is_empty() {
            (min_lon, max_lon, min_lat, max_lat) = (139.2, 139.5, 36.3, 36.6);
        }
        let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let span = ((max_lon - min_lon) * k).max(1e-6);
        let scale = (WIDTH - 2.0 * MARGIN) / span;
        let height = (max_lat - min_lat).max(1e-6) * scale + 2.0 * MARGIN;
        Frame { min_lon, max_lat, k, scale, height }
    }

    fn xy(&self, p: &[f64; 2]) -> (f64, f64) {
        ((p[0] - self.min_lon) * self.k * self.scale + MARGIN, (self.max_lat - p[1]) * self.scale + MARGIN)
    }
}

fn xy(p: &Position) -> Option<[f64; 2]> {
    match p.as_slice() {
        [x, y, ..] => Some([*x, *y]),
        _ => None,
    }
}

fn line(points: &[Position]) -> Vec<[f64; 2]> {
    points.iter().filter_map(xy).collect()
}

/// Outer rings of the boundary's polygons.
fn rings(boundary: &GeoJson) -> Vec<Vec<[f64; 2]>> {
    let geometries: Vec<&Geometry> = match boundary {
        GeoJson::FeatureCollection(fc) => fc.features.iter().filter_map(|f| f.geometry.as_ref()).collect(),
        GeoJson::Feature(f) => f.geometry.iter().collect(),
        GeoJson::Geometry(g) => vec![g],
    };
    let mut out = Vec::new();
    for g in geometries {
        match &g.value {
            GeometryValue::Polygon { coordinates } => out.extend(coordinates.first().map(|r| line(r))),
            GeometryValue::MultiPolygon { coordinates } => {
                out.extend(coordinates.iter().filter_map(|poly| poly.first()).map(|r| line(r)))
            }
            _ => {}
        }
    }
    out
}

fn path(frame: &Frame, line: &[[f64; 2]]) -> String {
    let mut d = String::new();
    for (i, p) in line.iter().enumerate() {
        let (x, y) = frame.xy(p);
        let _ = write!(d, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
    }
    d
}

/// A line or point feature of the plan's map, ready to draw.
enum Shape {
    Route {
        d: String,
        colour: String,
        dash: &'static str,
        name: String,
    },
    Depot {
        x: f64,
        y: f64,
        name: String,
    },
    /// `order`: the stop's number in a crew's day (drawn in the marker).
    Stop {
        x: f64,
        y: f64,
        name: String,
        order: Option<u64>,
    },
}

fn text_property<'a>(f: &'a Feature, key: &str) -> &'a str {
    f.property(key).and_then(serde_json::Value::as_str).unwrap_or("")
}

fn shapes(frame: &Frame, features: &[Feature]) -> Vec<Shape> {
    let mut routes = Vec::new();
    let mut points = Vec::new();
    let mut days: Vec<&str> = Vec::new();
    for f in features {
        match f.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::LineString { coordinates }) => {
                let date = text_property(f, "date");
                let day = days.iter().position(|d| *d == date).unwrap_or_else(|| {
                    days.push(date);
                    days.len() - 1
                });
                let name = format!("{date} {}", text_property(f, "name"));
                routes.push(Shape::Route {
                    d: path(frame, &line(coordinates)),
                    colour: Some(text_property(f, "stroke")).filter(|c| is_colour(c)).unwrap_or("#0072B2").to_string(),
                    dash: DASHES[day % DASHES.len()],
                    name: name.trim().to_string(),
                });
            }
            Some(GeometryValue::Point { coordinates }) => {
                let Some(p) = xy(coordinates) else { continue };
                let (x, y) = frame.xy(&p);
                let name = text_property(f, "name").to_string();
                let order = f.property("order").and_then(serde_json::Value::as_u64);
                points.push(if text_property(f, "type") == "depot" {
                    Shape::Depot { x, y, name }
                } else {
                    Shape::Stop { x, y, name, order }
                });
            }
            _ => {}
        }
    }
    routes.extend(points);
    routes
}

/// `#rgb` or `#rrggbb`.
fn is_colour(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|h| matches!(h.len(), 3 | 6) && h.chars().all(|x| x.is_ascii_hexdigit()))
}

/// The SVG element. `map` is a plan's `plan.geojson` (or an empty collection); `title`
/// is the accessible name.
pub fn svg(boundary: Option<&GeoJson>, map: &FeatureCollection, title: &str) -> Markup {
    let boundary_rings = boundary.map(rings).unwrap_or_default();
    let features = &map.features;
    let mut all: Vec<[f64; 2]> = boundary_rings.iter().flatten().copied().collect();
    for f in features {
        match f.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::Point { coordinates }) => all.extend(xy(coordinates)),
            Some(GeometryValue::LineString { coordinates }) => all.extend(line(coordinates)),
            _ => {}
        }
    }
    let frame = Frame::new(&all);
    let view_box = format!("0 0 {WIDTH} {:.0}", frame.height);
    let shapes = shapes(&frame, features);
    let stops = shapes.iter().filter(|s| matches!(s, Shape::Stop { .. })).count();
    let labelled = stops <= LABELLED_STOPS;
    html! {
        svg.map role="img" aria-labelledby="map-title" viewBox=(view_box) xmlns="http://www.w3.org/2000/svg" {
            title id="map-title" { (title) }
            @for ring in &boundary_rings {
                path d={ (path(&frame, ring)) "Z" } fill="#eef3ea" stroke="#6b8e5a" stroke-width="1.5" {}
            }
            @for shape in &shapes {
                @match shape {
                    Shape::Route { d, colour, dash, name } => {
                        path.route d=(d) fill="none" stroke=(colour) stroke-width="3" stroke-dasharray=(dash) { title { (name) } }
                    }
                    Shape::Depot { x, y, name } => {
                        rect.depot x=(format!("{:.1}", x - 6.0)) y=(format!("{:.1}", y - 6.0)) width="12" height="12" fill="#000" { title { (name) } }
                    }
                    Shape::Stop { x, y, name, order: None } => {
                        circle.stop cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="5" fill="#fff" stroke="#000" stroke-width="2" { title { (name) } }
                        @if labelled { text.label x=(format!("{:.1}", x + 8.0)) y=(format!("{:.1}", y + 4.0)) { (name) } }
                    }
                    Shape::Stop { x, y, name, order: Some(n) } => {
                        g.numbered {
                            circle.stop cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="9" fill="#000" stroke="#fff" stroke-width="2" { title { (n) ". " (name) } }
                            text.order x=(format!("{x:.1}")) y=(format!("{:.1}", y + 4.0)) text-anchor="middle" { (n) }
                        }
                    }
                }
            }
        }
        (legend(&shapes))
    }
}

/// Maps with at most this many stops name them on the map itself.
const LABELLED_STOPS: usize = 40;

/// One line per route: its colour and dash, its day and unit.
fn legend(shapes: &[Shape]) -> Markup {
    html! {
        ul.legend {
            @for shape in shapes {
                @if let Shape::Route { colour, dash, name, .. } = shape {
                    li {
                        svg width="40" height="10" aria-hidden="true" {
                            line x1="0" y1="5" x2="40" y2="5" stroke=(colour) stroke-width="3" stroke-dasharray=(dash) {}
                        }
                        " " (name)
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn draws_boundary_routes_and_stops_inside_the_canvas() {
        let boundary =
            json!({ "type": "Polygon", "coordinates": [[[139.2, 36.3], [139.5, 36.3], [139.5, 36.6], [139.2, 36.3]]] });
        let map = json!({ "type": "FeatureCollection", "features": [
            { "type": "Feature", "geometry": { "type": "Point", "coordinates": [139.3, 36.4] }, "properties": { "type": "stop", "name": "小中<集会所>" } },
            { "type": "Feature", "geometry": { "type": "LineString", "coordinates": [[139.3, 36.4], [139.4, 36.5]] }, "properties": { "type": "route", "stroke": "#D55E00", "name": "行政", "date": "2026-12-07" } },
            { "type": "Feature", "geometry": { "type": "LineString", "coordinates": [[139.3, 36.4], [139.35, 36.45]] }, "properties": { "type": "route", "stroke": "#D55E00", "name": "行政", "date": "2026-12-08" } }
        ]});
        let boundary: GeoJson = serde_json::from_value(boundary).unwrap();
        let map: FeatureCollection = serde_json::from_value(map).unwrap();
        let out = svg(Some(&boundary), &map, "地図").into_string();
        assert!(
            out.contains("class=\"stop\"") && out.contains("class=\"route\"") && out.contains("小中&lt;集会所&gt;")
        );
        assert!(out.contains("class=\"label\""), "few stops: named on the map");
        assert_eq!(out.matches("<li>").count(), 2, "one legend line per route: {out}");
        let dashes: Vec<&str> =
            out.split("stroke-dasharray=\"").skip(1).map(|c| c.split('"').next().unwrap()).collect();
        assert_ne!(dashes[0], dashes[1], "each day its own dash pattern");
        for cap in out.split("cx=\"").skip(1) {
            let x: f64 = cap.split('"').next().unwrap().parse().unwrap();
            assert!((0.0..=WIDTH).contains(&x));
        }
    }
}
