//! Where the wall's canvas is on the screen: the one transform panning and zooming change.

pub const MIN_SCALE: f64 = 0.03;
pub const MAX_SCALE: f64 = 3.0;

/// Where the canvas is: screen = canvas × scale + (x, y).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewTransform {
    pub x: f64,
    pub y: f64,
    pub scale: f64,
}

/// The largest scale of the first view: stones as outlines, their labels readable.
pub const START_SCALE: f64 = 0.4;

impl ViewTransform {
    pub const START: ViewTransform = ViewTransform {
        x: 16.0,
        y: 16.0,
        scale: START_SCALE,
    };

    /// Zooms by `factor` keeping the canvas point under (cx, cy) where it is.
    pub fn zoom_about(self, factor: f64, cx: f64, cy: f64) -> Self {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let k = scale / self.scale;
        ViewTransform {
            x: cx - (cx - self.x) * k,
            y: cy - (cy - self.y) * k,
            scale,
        }
    }

    pub fn pan(self, dx: f64, dy: f64) -> Self {
        ViewTransform {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    /// Centres a canvas rectangle in a viewport at the given scale.
    pub fn centre_on(rect: (f64, f64, f64, f64), viewport: (f64, f64), scale: f64) -> Self {
        let (left, top, width, height) = rect;
        let scale = scale.clamp(MIN_SCALE, MAX_SCALE);
        ViewTransform {
            x: viewport.0 / 2.0 - (left + width / 2.0) * scale,
            y: viewport.1 / 2.0 - (top + height / 2.0) * scale,
            scale,
        }
    }

    pub fn css(&self) -> String {
        format!(
            "transform:translate3d({:.1}px,{:.1}px,0) scale({:.4})",
            self.x, self.y, self.scale
        )
    }
}
