//! A map drawn by the server as SVG over a tiled base map (地理院タイル by default): the
//! city boundary, each route's line (colour per unit, dash pattern per day, so colour is not
//! the only signal) with a legend, and the stops and depots with their names as tooltips
//! and, on maps of few stops, as labels. The server picks the zoom and the tiles
//! (`map_tiles.rs`), so the map needs no script and prints; links under it zoom, pan, switch
//! the layer and choose the day. When the tiles cannot load, the drawing shows as before
//! over a plain background.

use std::fmt::Write;

use geojson::{Feature, FeatureCollection, GeoJson, Geometry, GeometryValue, Position};
use maud::{Markup, html};

use super::layout::t;
use super::map_tiles::{Bounds, Viewport};
use super::map_view::{Day, MapQuery, View, WIDTH, controls, viewport};
use crate::lang::Lang;

/// Dash patterns per day, in the order of the days on the map.
const DASHES: [&str; 4] = ["", "10 5", "3 4", "14 4 3 4"];
/// What an empty map without a boundary shows: Midori City, degrees.
const MIDORI: Bounds = [139.2, 36.3, 139.5, 36.6];
/// Where GSI explains its tiles and the credit they need.
pub const GSI_TILES_PAGE: &str = "https://maps.gsi.go.jp/development/ichiran.html";

/// What the map shows around the drawing: the city boundary and the tile server (URL
/// prefix before `/{layer}/{z}/{x}/{y}.png`; `None`: no base map).
#[derive(Clone, Copy)]
pub struct Backdrop<'a> {
    pub boundary: Option<&'a GeoJson>,
    pub tiles: Option<&'a str>,
}

/// Degrees to the window's pixels.
struct Frame(Viewport);

impl Frame {
    fn xy(&self, p: &[f64; 2]) -> (f64, f64) {
        self.0.project(p[0], p[1])
    }

    /// Whether a point at window pixels `(x, y)` is on the window or close to its edge.
    fn shows(&self, x: f64, y: f64) -> bool {
        let edge = 20.0;
        (-edge..=self.0.width + edge).contains(&x) && (-edge..=self.0.height + edge).contains(&y)
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

fn shapes(frame: &Frame, features: &[&Feature]) -> Vec<Shape> {
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
                let name = text_property(f, "name");
                // The plan's route names carry their day (`12/07(月)`); a crew's do not.
                let name = if name.contains(&short_date(date)) { name.to_string() } else { format!("{date} {name}") };
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
                if !frame.shows(x, y) {
                    continue;
                }
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

/// The features of the chosen day: its routes, the stops they visit, the depots; all of
/// them when no day is chosen.
fn of_day<'a>(features: &'a [Feature], day: Option<&str>) -> Vec<&'a Feature> {
    let Some(day) = day else { return features.iter().collect() };
    let routes: Vec<&Feature> = features.iter().filter(|f| text_property(f, "date") == day).collect();
    let visited: Vec<&str> = routes
        .iter()
        .filter_map(|r| r.property("stops").and_then(serde_json::Value::as_array))
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .collect();
    features
        .iter()
        .filter(|f| match text_property(f, "type") {
            "route" => text_property(f, "date") == day,
            "stop" => visited.contains(&text_property(f, "name")),
            _ => true,
        })
        .collect()
}

/// `2026-12-07` → `12/07`.
fn short_date(date: &str) -> String {
    date.get(5..).unwrap_or(date).replace('-', "/")
}

/// The days of the map's routes, in order of first appearance, with their labels.
fn days(features: &[Feature]) -> Vec<Day> {
    let mut out: Vec<Day> = Vec::new();
    for f in features.iter().filter(|f| text_property(f, "type") == "route") {
        let date = text_property(f, "date");
        if !date.is_empty() && !out.iter().any(|(d, _)| d == date) {
            out.push((date.to_string(), format!("{}({})", short_date(date), text_property(f, "weekday"))));
        }
    }
    out
}

/// The box around some points; `None` for no points.
fn bounds(points: impl Iterator<Item = [f64; 2]>) -> Option<Bounds> {
    points.fold(None, |b: Option<Bounds>, [x, y]| {
        let [w, s, e, n] = b.unwrap_or([x, y, x, y]);
        Some([w.min(x), s.min(y), e.max(x), n.max(y)])
    })
}

fn coordinates(f: &Feature) -> Vec<[f64; 2]> {
    match f.geometry.as_ref().map(|g| &g.value) {
        Some(GeometryValue::Point { coordinates }) => xy(coordinates).into_iter().collect(),
        Some(GeometryValue::LineString { coordinates }) => line(coordinates),
        _ => Vec::new(),
    }
}

/// The whole map: the SVG drawing over the base map, the legend, the base map's credit and
/// the view's controls. `map` is a plan's `plan.geojson` (or any collection of points and
/// lines); `page` is the page's own address, for the controls; `title` is the accessible
/// name.
pub fn map(
    backdrop: Backdrop,
    lang: Lang,
    page: &str,
    query: &MapQuery,
    map: &FeatureCollection,
    title: &str,
) -> Markup {
    let view = query.view();
    let features: Vec<&Feature> = of_day(&map.features, view.day.as_deref());
    let boundary_rings = backdrop.boundary.map(rings).unwrap_or_default();
    // The map fits what it draws; the boundary is context, fitted only on an empty map.
    let fit = bounds(features.iter().copied().flat_map(coordinates))
        .or_else(|| bounds(boundary_rings.iter().flatten().copied()))
        .unwrap_or(MIDORI);
    let window = viewport(&view, fit);
    html! {
        div.map-frame id="map" {
            (drawing(backdrop, &view, window, &boundary_rings, &features, title, None))
            (credit(backdrop, lang, &view))
            (controls(lang, page, &view, &window, &days(&map.features)))
        }
    }
}

/// A map to pick a place on (a home visit in the request form): the boundary and `points`
/// over the base map, fitted to the boundary, without links. A click (the page's script)
/// writes the position into the inputs `{field}-lat` and `{field}-lon` and marks it.
pub fn picker(backdrop: Backdrop, lang: Lang, points: &FeatureCollection, field: &str, title: &str) -> Markup {
    let view = MapQuery::default().view();
    let rings = backdrop.boundary.map(rings).unwrap_or_default();
    let fit = bounds(rings.iter().flatten().copied())
        .or_else(|| bounds(points.features.iter().flat_map(coordinates)))
        .unwrap_or(MIDORI);
    let window = viewport(&view, fit);
    let features: Vec<&Feature> = points.features.iter().collect();
    html! {
        div.map-frame.picker {
            (drawing(backdrop, &view, window, &rings, &features, title, Some(field)))
            (credit(backdrop, lang, &view))
        }
    }
}

/// The base map's credit line (when there is a base map).
fn credit(backdrop: Backdrop, lang: Lang, view: &View) -> Markup {
    let [ja, en] = view.layer.names();
    html! {
        @if backdrop.tiles.is_some() {
            p.map-credit { (t(lang, "出典：", "Source: ")) a href=(GSI_TILES_PAGE) {
                (t(lang, "地理院タイル", "GSI Tiles")) "（" (t(lang, ja, en)) "）" } }
        }
    }
}

fn drawing(
    backdrop: Backdrop,
    view: &View,
    window: Viewport,
    rings: &[Vec<[f64; 2]>],
    features: &[&Feature],
    title: &str,
    pick: Option<&str>,
) -> Markup {
    let title_id = if pick.is_some() { "pick-title" } else { "map-title" };
    let frame = Frame(window);
    let view_box = format!("0 0 {WIDTH} {:.0}", window.height);
    let shapes = shapes(&frame, features);
    let stops = shapes.iter().filter(|s| matches!(s, Shape::Stop { .. })).count();
    let labelled = stops <= LABELLED_STOPS;
    html! {
        svg.map role="img" aria-labelledby=(title_id) viewBox=(view_box) xmlns="http://www.w3.org/2000/svg"
            data-zoom=(window.z) data-left=(format!("{:.1}", window.left)) data-top=(format!("{:.1}", window.top))
            data-pick=[pick] {
            title id=(title_id) { (title) }
            rect.background width="100%" height="100%" fill="#fbfbf8" {}
            @if let Some(prefix) = backdrop.tiles {
                // HTML images with an empty alt and no set size, rather than SVG images: a
                // tile that cannot load then draws nothing instead of a broken-image sign.
                g.tiles {
                    @for tile in window.tiles() {
                        foreignObject x=(format!("{:.1}", tile.left)) y=(format!("{:.1}", tile.top)) width="256" height="256" {
                            img.tile src={ (prefix) "/" (view.layer.code()) "/" (window.z) "/" (tile.x) "/" (tile.y) ".png" } alt="";
                        }
                    }
                }
            }
            @for ring in rings {
                path.boundary d={ (path(&frame, ring)) "Z" } fill="#eef3ea" fill-opacity="0.45" stroke="#6b8e5a" stroke-width="1.5" {}
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
                        @if labelled { text.label x=(format!("{:.1}", x + 14.0)) y=(format!("{y:.1}")) { (name) } }
                    }
                    Shape::Stop { x, y, name, order: Some(n) } => {
                        g.numbered {
                            circle.stop cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="9" fill="#000" stroke="#fff" stroke-width="2" { title { (n) ". " (name) } }
                            text.order x=(format!("{x:.1}")) y=(format!("{y:.1}")) text-anchor="middle" { (n) }
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

    fn sample() -> (GeoJson, FeatureCollection) {
        let boundary =
            json!({ "type": "Polygon", "coordinates": [[[139.2, 36.3], [139.5, 36.3], [139.5, 36.6], [139.2, 36.3]]] });
        let map = json!({ "type": "FeatureCollection", "features": [
            { "type": "Feature", "geometry": { "type": "Point", "coordinates": [139.3, 36.4] }, "properties": { "type": "stop", "name": "小中<集会所>" } },
            { "type": "Feature", "geometry": { "type": "Point", "coordinates": [139.45, 36.55] }, "properties": { "type": "stop", "name": "沢入" } },
            { "type": "Feature", "geometry": { "type": "LineString", "coordinates": [[139.3, 36.4], [139.4, 36.5]] },
              "properties": { "type": "route", "stroke": "#D55E00", "name": "行政", "date": "2026-12-07", "weekday": "月", "stops": ["小中<集会所>"] } },
            { "type": "Feature", "geometry": { "type": "LineString", "coordinates": [[139.3, 36.4], [139.45, 36.55]] },
              "properties": { "type": "route", "stroke": "#D55E00", "name": "行政", "date": "2026-12-08", "weekday": "火", "stops": ["沢入"] } }
        ]});
        (serde_json::from_value(boundary).unwrap(), serde_json::from_value(map).unwrap())
    }

    fn render(tiles: Option<&str>, query: &str) -> String {
        let (boundary, map) = sample();
        let query: MapQuery = serde_urlencoded::from_str(query).unwrap();
        super::map(Backdrop { boundary: Some(&boundary), tiles }, Lang::Ja, "/planner?plan=1", &query, &map, "地図")
            .into_string()
    }

    fn numbers(out: &str, attribute: &str) -> Vec<f64> {
        out.split(&format!(" {attribute}=\"")).skip(1).map(|c| c.split('"').next().unwrap().parse().unwrap()).collect()
    }

    #[test]
    fn draws_boundary_routes_and_stops_inside_the_canvas() {
        let out = render(None, "");
        assert!(
            out.contains("class=\"stop\"") && out.contains("class=\"route\"") && out.contains("小中&lt;集会所&gt;")
        );
        assert!(out.contains("class=\"label\""), "few stops: named on the map");
        assert_eq!(out.matches("<li><svg").count(), 2, "one legend line per route: {out}");
        let dashes: Vec<&str> =
            out.split("stroke-dasharray=\"").skip(1).map(|c| c.split('"').next().unwrap()).collect();
        assert_ne!(dashes[0], dashes[1], "each day its own dash pattern");
        assert!(numbers(&out, "cx").iter().all(|x| (0.0..=WIDTH).contains(x)));
        assert!(!out.contains("<img") && !out.contains("地理院タイル"), "no tile server: no tiles, no credit");
    }

    #[test]
    fn tiles_lie_under_the_drawing_with_their_credit() {
        let out = render(Some("https://tiles.example/xyz"), "map_layer=std");
        let tiles = out.matches("<img").count();
        assert!((4..=30).contains(&tiles), "{tiles} tiles");
        let zoom = numbers(&out, "data-zoom")[0];
        assert!(out.contains(&format!("src=\"https://tiles.example/xyz/std/{zoom}/")), "{out}");
        assert!(out.find("<img").unwrap() < out.find("class=\"boundary\"").unwrap(), "tiles first, under the rest");
        assert!(out.contains("地理院タイル") && out.contains("標準地図") && out.contains(GSI_TILES_PAGE));
        for (x, y) in numbers(&out, "x").iter().zip(numbers(&out, "y")).take(tiles) {
            assert!(*x > -256.0 && *x < WIDTH && y > -256.0, "tile at {x},{y}");
        }
    }

    #[test]
    fn a_chosen_day_shows_its_routes_and_stops_only() {
        let out = render(None, "map_day=2026-12-08");
        assert_eq!(out.matches("class=\"route\"").count(), 1);
        let shown = "沢入</title>";
        let hidden = "小中&lt;集会所&gt;</title>";
        assert!(out.contains(shown) && !out.contains(hidden), "{out}");
        let marked = "aria-current=\"true\">12/08(火)";
        assert!(out.contains(marked), "the chosen day is marked");
        assert!(out.contains("map_day=2026-12-07"), "the other day is a link");
        let zoomed = render(None, "map_day=2026-12-08&map_zoom=1");
        assert_eq!(numbers(&zoomed, "data-zoom")[0], numbers(&out, "data-zoom")[0] + 1.0);
    }
}
