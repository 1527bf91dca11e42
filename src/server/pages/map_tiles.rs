//! Web Mercator tile arithmetic for the pages' base map (地理院タイル and any server with
//! the same `{z}/{x}/{y}.png` layout): the server chooses the zoom, the visible window and
//! the tiles under it, so the map needs no script and prints.
//!
//! Units: longitudes and latitudes in degrees (WGS 84 / JGD2011), positions in *world
//! pixels* at a zoom `z` — the whole Mercator square is `256·2^z` pixels wide, x grows to the
//! east from 180° W and y to the south from about 85.05° N, as in the GSI tile specification.

/// Tile edge, pixels.
pub const TILE: f64 = 256.0;
/// Zoom levels the GSI layers serve for Japan.
pub const MIN_ZOOM: u8 = 5;
pub const MAX_ZOOM: u8 = 18;
/// The Mercator square ends at this latitude (degrees), north and south.
const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// A base map layer of the GSI tile set: `std` (標準地図) or `pale` (淡色地図).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Standard,
    Pale,
}

impl Layer {
    pub const ALL: [Layer; 2] = [Layer::Pale, Layer::Standard];

    /// The layer's name in the tile path and in the page's query.
    pub fn code(self) -> &'static str {
        match self {
            Layer::Standard => "std",
            Layer::Pale => "pale",
        }
    }

    pub fn parse(code: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Japanese and English names (the GSI's own).
    pub fn names(self) -> [&'static str; 2] {
        match self {
            Layer::Standard => ["標準地図", "Standard map"],
            Layer::Pale => ["淡色地図", "Pale map"],
        }
    }
}

/// World pixel of a position at zoom `z`.
pub fn world_pixel(lon: f64, lat: f64, z: u8) -> (f64, f64) {
    let size = TILE * f64::from(1u32 << z);
    let phi = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (lon + 180.0) / 360.0 * size;
    let y = (1.0 - phi.tan().asinh() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

/// The position at a world pixel (the inverse of [`world_pixel`]).
pub fn position(x: f64, y: f64, z: u8) -> (f64, f64) {
    let size = TILE * f64::from(1u32 << z);
    let lon = x / size * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y / size)).sinh().atan().to_degrees();
    (lon, lat)
}

/// The tile `(x, y)` that holds a position at zoom `z`.
pub fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let (x, y) = world_pixel(lon, lat, z);
    let last = (1u32 << z) - 1;
    (((x / TILE).floor() as u32).min(last), ((y / TILE).floor() as u32).min(last))
}

/// A bounding box in degrees: `[min_lon, min_lat, max_lon, max_lat]`.
pub type Bounds = [f64; 4];

/// The largest zoom at which `bounds` fits into `width × height` pixels, within
/// `MIN_ZOOM..=max_zoom`.
pub fn fit_zoom(bounds: Bounds, width: f64, height: f64, max_zoom: u8) -> u8 {
    let [w, s, e, n] = bounds;
    (MIN_ZOOM..=max_zoom)
        .rev()
        .find(|&z| {
            let (x0, y0) = world_pixel(w, n, z);
            let (x1, y1) = world_pixel(e, s, z);
            x1 - x0 <= width && y1 - y0 <= height
        })
        .unwrap_or(MIN_ZOOM)
}

/// The visible window: a `width × height` pixel rectangle at zoom `z` whose top-left corner
/// is the world pixel `(left, top)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub z: u8,
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// One tile under the window: its numbers and where its top-left corner falls on the
/// window (pixels, may be negative).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedTile {
    pub x: u32,
    pub y: u32,
    pub left: f64,
    pub top: f64,
}

impl Viewport {
    /// The window of the given size centred on a position.
    pub fn centred(lon: f64, lat: f64, z: u8, width: f64, height: f64) -> Viewport {
        let (cx, cy) = world_pixel(lon, lat, z);
        Viewport { z, left: cx - width / 2.0, top: cy - height / 2.0, width, height }
    }

    /// A position's place on the window, pixels from its top-left corner.
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = world_pixel(lon, lat, self.z);
        (x - self.left, y - self.top)
    }

    /// The position at the window's centre.
    pub fn centre(&self) -> (f64, f64) {
        position(self.left + self.width / 2.0, self.top + self.height / 2.0, self.z)
    }

    /// Every tile that overlaps the window, row by row from the north-west.
    pub fn tiles(&self) -> Vec<PlacedTile> {
        let count = 1i64 << self.z;
        let first = |p: f64| ((p / TILE).floor() as i64).clamp(0, count - 1);
        let last = |p: f64| (((p - 1e-9) / TILE).floor() as i64).clamp(0, count - 1);
        let (x0, x1) = (first(self.left), last(self.left + self.width));
        let (y0, y1) = (first(self.top), last(self.top + self.height));
        let mut out = Vec::new();
        for y in y0..=y1 {
            for x in x0..=x1 {
                out.push(PlacedTile {
                    x: x as u32,
                    y: y as u32,
                    left: x as f64 * TILE - self.left,
                    top: y as f64 * TILE - self.top,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tile numbers computed independently with the Python package mercantile 1.2.1
    /// (`mercantile.tile(lon, lat, z)`), and the corners of the specification.
    #[test]
    fn tile_numbers_match_an_independent_implementation() {
        assert_eq!(tile_of(0.0, 0.0, 1), (1, 1));
        assert_eq!(tile_of(-180.0, MAX_LATITUDE, 0), (0, 0));
        assert_eq!(tile_of(179.9999, -MAX_LATITUDE, 3), (7, 7));
        // Near Midori City Hall (大間々町), the north of 東町, and Tokyo Station.
        assert_eq!(tile_of(139.2794, 36.3939, 11), (1816, 801));
        assert_eq!(tile_of(139.2794, 36.3939, 16), (58123, 25646));
        assert_eq!(tile_of(139.3273, 36.5218, 15), (29065, 12808));
        assert_eq!(tile_of(139.7671, 35.6812, 18), (232847, 103226));
    }

    #[test]
    fn position_inverts_world_pixel() {
        for &(lon, lat) in &[(139.2794, 36.3939), (-70.5, -33.4), (0.0, 0.0)] {
            let (x, y) = world_pixel(lon, lat, 14);
            let (lon2, lat2) = position(x, y, 14);
            assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9, "{lon},{lat} → {lon2},{lat2}");
        }
    }

    #[test]
    fn fit_zoom_is_the_largest_zoom_that_fits() {
        // Midori City spans about 0.22° of longitude and 0.27° of latitude.
        let bounds = [139.22, 36.35, 139.44, 36.62];
        let z = fit_zoom(bounds, 760.0, 760.0, MAX_ZOOM);
        assert_eq!(z, 11);
        let (x0, y0) = world_pixel(bounds[0], bounds[3], z + 1);
        let (x1, y1) = world_pixel(bounds[2], bounds[1], z + 1);
        assert!(x1 - x0 > 760.0 || y1 - y0 > 760.0, "one zoom more would not fit");
        assert_eq!(fit_zoom([139.3, 36.4, 139.3, 36.4], 760.0, 760.0, 16), 16, "a point: the cap");
    }

    #[test]
    fn tiles_cover_the_window_exactly() {
        let v = Viewport::centred(139.2794, 36.3939, 12, 800.0, 500.0);
        let tiles = v.tiles();
        let (lon, lat) = v.centre();
        assert!((lon - 139.2794).abs() < 1e-9 && (lat - 36.3939).abs() < 1e-9);
        assert!(tiles.iter().all(|t| t.left > -TILE && t.left < v.width && t.top > -TILE && t.top < v.height));
        let columns = tiles.iter().filter(|t| t.y == tiles[0].y).count();
        assert!(tiles.len().is_multiple_of(columns) && (4..=5).contains(&columns), "{columns} columns");
        assert!(tiles.iter().any(|t| t.left <= 0.0 && t.top <= 0.0), "the north-west corner is covered");
        assert!(tiles.iter().any(|t| t.left + TILE >= v.width && t.top + TILE >= v.height), "and the south-east");
        let (x, y) = tile_of(139.2794, 36.3939, 12);
        assert!(tiles.iter().any(|t| (t.x, t.y) == (x, y)), "the centre's tile is among them");
    }
}
