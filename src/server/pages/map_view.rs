//! The reader's view of a page's map: zoom steps from the fitted map, the chosen day, the
//! base layer and, after panning, the centre — carried in the page's query so that plain
//! links (no script) zoom, pan and switch, and a printed page shows what the screen did.

use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{t, url_encode};
use super::map_tiles::{Bounds, Layer, MAX_ZOOM, MIN_ZOOM, Viewport, fit_zoom, position, world_pixel};
use crate::lang::Lang;

/// The drawing's width and its height range, pixels of the base map; the margin kept
/// around what the map fits.
pub(super) const WIDTH: f64 = 800.0;
const MIN_HEIGHT: f64 = 320.0;
const MAX_HEIGHT: f64 = 800.0;
const MARGIN: f64 = 24.0;
/// The closest zoom a fitted map uses (a single hall would otherwise fill the map).
const FIT_CAP: u8 = 16;
/// How far the links zoom in or out of the fitted map.
const ZOOM_STEPS: i8 = 6;

/// The reader's choice of view, from the page's query (`map_zoom`, `map_day`, `map_layer`,
/// `map_at`). Values that do not parse are ignored: they only steer the view.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct MapQuery {
    map_zoom: Option<String>,
    map_day: Option<String>,
    map_layer: Option<String>,
    map_at: Option<String>,
}

/// The parsed view: zoom steps from the fitted map, a day (`YYYY-MM-DD`), the layer, and a
/// centre (longitude, latitude) once the reader has panned.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct View {
    pub zoom: i8,
    pub day: Option<String>,
    pub layer: Layer,
    pub at: Option<(f64, f64)>,
}

impl MapQuery {
    pub(super) fn view(&self) -> View {
        let at = self.map_at.as_deref().and_then(|a| {
            let (lat, lon) = a.split_once(',')?;
            let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
            ((-85.0..=85.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
        });
        View {
            zoom: self.map_zoom.as_deref().and_then(|z| z.parse().ok()).unwrap_or(0).clamp(-ZOOM_STEPS, ZOOM_STEPS),
            day: self.map_day.clone().filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok()),
            layer: self.map_layer.as_deref().and_then(Layer::parse).unwrap_or(Layer::Pale),
            at,
        }
    }
}

impl View {
    /// The page's address with this view (`page` may already carry a query).
    fn link(&self, page: &str) -> String {
        let mut params = Vec::new();
        if self.zoom != 0 {
            params.push(format!("map_zoom={}", self.zoom));
        }
        if let Some(day) = &self.day {
            params.push(format!("map_day={}", url_encode(day)));
        }
        if self.layer != Layer::Pale {
            params.push(format!("map_layer={}", self.layer.code()));
        }
        if let Some((lon, lat)) = self.at {
            params.push(format!("map_at={lat:.5},{lon:.5}"));
        }
        let sep = if page.contains('?') { '&' } else { '?' };
        if params.is_empty() { page.to_string() } else { format!("{page}{sep}{}#map", params.join("&")) }
    }
}

/// The window for a view: fitted to `fit` (degrees) at the largest zoom that holds it
/// (at most `FIT_CAP`), then the view's zoom steps and centre.
pub(super) fn viewport(view: &View, fit: Bounds) -> Viewport {
    let z_fit = fit_zoom(fit, WIDTH - 2.0 * MARGIN, MAX_HEIGHT - 2.0 * MARGIN, FIT_CAP);
    let (left, top) = world_pixel(fit[0], fit[3], z_fit);
    let (right, bottom) = world_pixel(fit[2], fit[1], z_fit);
    let height = (bottom - top + 2.0 * MARGIN).clamp(MIN_HEIGHT, MAX_HEIGHT).round();
    let middle = position((left + right) / 2.0, (top + bottom) / 2.0, z_fit);
    let z = (z_fit as i8 + view.zoom).clamp(MIN_ZOOM as i8, MAX_ZOOM as i8) as u8;
    let (lon, lat) = view.at.unwrap_or(middle);
    Viewport::centred(lon, lat, z, WIDTH, height)
}

/// A day on the map: its date and its label (`12/07(月)`).
pub(super) type Day = (String, String);

/// Links under the map: zoom, pan, the whole map, the layer and the day.
pub(super) fn controls(lang: Lang, page: &str, view: &View, window: &Viewport, days: &[Day]) -> Markup {
    let with = |change: &dyn Fn(&mut View)| {
        let mut v = view.clone();
        change(&mut v);
        v.link(page)
    };
    // Half a window in each direction, from the window's centre in world pixels.
    let pan = |dx: f64, dy: f64| {
        let x = window.left + (1.0 + dx) * window.width / 2.0;
        let y = window.top + (1.0 + dy) * window.height / 2.0;
        with(&|v: &mut View| v.at = Some(position(x, y, window.z)))
    };
    let moves = [
        (t(lang, "北へ", "North"), pan(0.0, -1.0)),
        (t(lang, "南へ", "South"), pan(0.0, 1.0)),
        (t(lang, "西へ", "West"), pan(-1.0, 0.0)),
        (t(lang, "東へ", "East"), pan(1.0, 0.0)),
    ];
    html! {
        nav.map-controls.no-print aria-label=(t(lang, "地図の操作", "Map controls")) {
            ul {
                @if window.z < MAX_ZOOM && view.zoom < ZOOM_STEPS {
                    li { a href=(with(&|v| v.zoom += 1)) { "＋ " (t(lang, "拡大", "Zoom in")) } }
                }
                @if window.z > MIN_ZOOM && view.zoom > -ZOOM_STEPS {
                    li { a href=(with(&|v| v.zoom -= 1)) { "－ " (t(lang, "縮小", "Zoom out")) } }
                }
                @for (label, href) in &moves { li { a href=(href) { (label) } } }
                li { a href=(with(&|v| { v.zoom = 0; v.at = None; })) { (t(lang, "全体を表示", "Whole map")) } }
            }
            ul {
                @for layer in Layer::ALL {
                    li { (choice(lang, layer == view.layer, &with(&|v| v.layer = layer), layer.names())) }
                }
            }
            @if days.len() > 1 {
                ul {
                    li { (choice(lang, view.day.is_none(), &with(&|v| { v.day = None; v.at = None; }), ["全日", "All days"])) }
                    @for (date, label) in days {
                        li { (choice(lang, view.day.as_deref() == Some(date.as_str()),
                            &with(&|v| { v.day = Some(date.clone()); v.at = None; }), [label.as_str(), label.as_str()])) }
                    }
                }
            }
        }
    }
}

/// A link of a set of choices; the current one is marked (not a link).
fn choice(lang: Lang, current: bool, href: &str, names: [&str; 2]) -> Markup {
    let name = t(lang, names[0], names[1]);
    html! { @if current { strong aria-current="true" { (name) } } @else { a href=(href) { (name) } } }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> MapQuery {
        let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
        serde_urlencoded::from_str(&text.join("&")).unwrap()
    }

    #[test]
    fn a_view_survives_its_own_link() {
        let view =
            query(&[("map_zoom", "2"), ("map_day", "2026-12-08"), ("map_layer", "std"), ("map_at", "36.4,139.3")])
                .view();
        let link = view.link("/planner?plan=3");
        assert!(link.starts_with("/planner?plan=3&map_zoom=2&"), "{link}");
        let back: MapQuery =
            serde_urlencoded::from_str(link.split_once('?').unwrap().1.trim_end_matches("#map")).unwrap();
        assert_eq!(back.view(), view);
        assert_eq!(query(&[]).view().link("/driver"), "/driver", "the default view adds nothing");
    }

    #[test]
    fn bad_view_values_fall_back_to_the_default() {
        let view =
            query(&[("map_zoom", "99"), ("map_day", "12/08"), ("map_layer", "satellite"), ("map_at", "95,0")]).view();
        assert_eq!(view, View { zoom: ZOOM_STEPS, day: None, layer: Layer::Pale, at: None });
    }

    #[test]
    fn the_fitted_window_holds_the_bounds_and_zooming_keeps_the_centre() {
        let fit = [139.22, 36.35, 139.44, 36.62];
        let plain = viewport(&query(&[]).view(), fit);
        for (lon, lat) in [(fit[0], fit[1]), (fit[2], fit[3])] {
            let (x, y) = plain.project(lon, lat);
            assert!((0.0..=plain.width).contains(&x) && (0.0..=plain.height).contains(&y), "{x},{y} in {plain:?}");
        }
        let closer = viewport(&query(&[("map_zoom", "2")]).view(), fit);
        assert_eq!(closer.z, plain.z + 2);
        let (a, b) = (plain.centre(), closer.centre());
        assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
    }
}
