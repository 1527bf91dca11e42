//! Small charts drawn on the server as inline SVG (no script, printable): bars with their
//! values written on them and an optional target line, and a cumulative line against a
//! target line. Each chart has a title and a text alternative; the page shows the same
//! figures in a table.

use maud::{Markup, html};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 28.0;

/// The scale's top: above the largest value or target, a round number.
fn top_of(values: impl Iterator<Item = f64>) -> f64 {
    let max = values.fold(0.0_f64, f64::max);
    if max <= 0.0 {
        return 1.0;
    }
    // A tenth of headroom for the value written above the bar, rounded up to half a power of ten.
    let half = 10f64.powf(max.log10().floor()) / 2.0;
    (max * 1.1 / half).ceil() * half
}

fn y_of(v: f64, top: f64) -> f64 {
    HEIGHT - BOTTOM - (v / top) * (HEIGHT - BOTTOM - TOP)
}

fn format_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() as i64) } else { format!("{v:.1}") }
}

/// A target drawn as a dashed line with its label.
pub struct Target<'a> {
    pub value: f64,
    pub label: &'a str,
}

fn target_line(target: Option<&Target>, top: f64) -> Markup {
    html! {
        @if let Some(t) = target {
            @let y = y_of(t.value, top);
            line.target x1=(LEFT) x2=(WIDTH - 8.0) y1=(y) y2=(y) stroke="#d55e00" stroke-width="2" stroke-dasharray="6 4" {}
            text.target x=(WIDTH - 8.0) y=(y - 6.0) text-anchor="end" font-size="13" fill="#d55e00" { (t.label) }
        }
    }
}

fn frame(title: &str, body: Markup) -> Markup {
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(title) {
                title { (title) }
                line x1=(LEFT) x2=(WIDTH - 8.0) y1=(HEIGHT - BOTTOM) y2=(HEIGHT - BOTTOM) stroke="#555" {}
                (body)
            }
            figcaption { (title) }
        }
    }
}

/// Bars of `(label, value)`, each with its value written above it.
pub fn bars(title: &str, data: &[(String, f64)], target: Option<&Target>) -> Markup {
    let top = top_of(data.iter().map(|d| d.1).chain(target.map(|t| t.value)));
    let slot = (WIDTH - LEFT - 8.0) / data.len().max(1) as f64;
    let width = (slot * 0.6).min(80.0);
    let body = html! {
        @for (i, (label, v)) in data.iter().enumerate() {
            @let x = LEFT + slot * i as f64 + (slot - width) / 2.0;
            @let y = y_of(*v, top);
            rect.bar x=(x) y=(y) width=(width) height=((HEIGHT - BOTTOM - y).max(0.0)) fill="#0072b2" {}
            text x=(x + width / 2.0) y=(y - 5.0) text-anchor="middle" font-size="13" { (format_value(*v)) }
            text x=(x + width / 2.0) y=(HEIGHT - BOTTOM + 18.0) text-anchor="middle" font-size="12" { (label) }
        }
        (target_line(target, top))
    };
    frame(title, body)
}

/// A cumulative line over `(label, value)` points against a straight target from 0 to
/// `target.value` at the last of `horizon` steps.
pub fn cumulative(title: &str, data: &[(String, f64)], horizon: usize, target: &Target) -> Markup {
    let top = top_of(data.iter().map(|d| d.1).chain([target.value]));
    let steps = horizon.max(data.len()).max(1) as f64;
    let x_of = |i: usize| LEFT + (WIDTH - LEFT - 16.0) * (i as f64 + 1.0) / steps;
    let points: Vec<String> =
        data.iter().enumerate().map(|(i, (_, v))| format!("{:.1},{:.1}", x_of(i), y_of(*v, top))).collect();
    let goal =
        format!("{LEFT:.1},{:.1} {:.1},{:.1}", y_of(0.0, top), x_of(horizon.max(1) - 1), y_of(target.value, top));
    let body = html! {
        polyline.goal points=(goal) fill="none" stroke="#d55e00" stroke-width="2" stroke-dasharray="6 4" {}
        text x=(WIDTH - 8.0) y=(y_of(target.value, top) - 6.0) text-anchor="end" font-size="13" fill="#d55e00" { (target.label) }
        polyline.actual points=(points.join(" ")) fill="none" stroke="#0072b2" stroke-width="3" {}
        @for (i, (label, v)) in data.iter().enumerate() {
            circle cx=(x_of(i)) cy=(y_of(*v, top)) r="4" fill="#0072b2" {}
            text x=(x_of(i)) y=(HEIGHT - BOTTOM + 18.0) text-anchor="middle" font-size="12" { (label) }
        }
        @if let Some((_, last)) = data.last() {
            text x=(x_of(data.len() - 1)) y=(y_of(*last, top) - 8.0) text-anchor="middle" font-size="13" { (format_value(*last)) }
        }
    };
    frame(title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_as_high_as_their_values_and_the_target_is_drawn() {
        let data = vec![("a".to_string(), 10.0), ("b".to_string(), 5.0)];
        let svg = bars("題", &data, Some(&Target { value: 8.0, label: "目標 8" })).into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("目標 8") && svg.contains(">10<") && svg.contains(">5<"), "{svg}");
        // The scale's top is above the tallest bar: b is half as high as a.
        let heights: Vec<f64> =
            svg.split("height=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
        assert!((heights[0] / heights[1] - 2.0).abs() < 1e-6, "{heights:?}");
    }

    #[test]
    fn the_scale_is_round_and_covers_the_largest_value() {
        assert_eq!(top_of([0.0].into_iter()), 1.0);
        assert_eq!(top_of([300.0, 42.0].into_iter()), 350.0);
        assert_eq!(top_of([7.0].into_iter()), 8.0);
        assert_eq!(top_of([10.0].into_iter()), 15.0);
    }
}
