//! One typeset page as OFD page content (`Content.xml`): every text run a text object with
//! its characters and glyphs, every rule, cell border and chart bar a path, in millimetres.

use typst::layout::{Abs, Frame, FrameItem, GroupItem, Point, Ratio, Size, Transform};
use typst::text::TextItem;
use typst::visualize::{CurveItem, ExchangeFormat, FillRule, FixedStroke, Geometry, Image, ImageKind, LineCap, LineJoin, Paint, RasterFormat, Shape};

use super::res::{colour, Ids, Resources};
use super::xml::{deltas, num, nums, Xml};

/// Millimetres per point.
pub const MM: f64 = 25.4 / 72.0;

/// Where an object goes on the page: its boundary (page coordinates, mm) and how its own
/// coordinates (mm) map into the boundary: a shift, or a matrix when the object is rotated
/// or scaled (the 草稿 watermark).
struct Placement {
    boundary: [f64; 4],
    ctm: Option<[f64; 6]>,
    shift: (f64, f64),
}

impl Placement {
    /// For an object whose own coordinates (pt) span `min..max`, placed by `t`.
    fn new(t: Transform, min: Point, max: Point) -> Placement {
        let corners = [min, Point::new(max.x, min.y), max, Point::new(min.x, max.y)].map(|p| p.transform(t));
        let xs = corners.map(|p| p.x.to_pt() * MM);
        let ys = corners.map(|p| p.y.to_pt() * MM);
        let (x0, y0) = (xs.iter().copied().fold(f64::MAX, f64::min), ys.iter().copied().fold(f64::MAX, f64::min));
        let (x1, y1) = (xs.iter().copied().fold(f64::MIN, f64::max), ys.iter().copied().fold(f64::MIN, f64::max));
        let boundary = [x0, y0, (x1 - x0).max(0.001), (y1 - y0).max(0.001)];
        let (tx, ty) = (t.tx.to_pt() * MM - x0, t.ty.to_pt() * MM - y0);
        if t.is_only_translate() {
            Placement { boundary, ctm: None, shift: (tx, ty) }
        } else {
            Placement { boundary, ctm: Some([t.sx.get(), t.ky.get(), t.kx.get(), t.sy.get(), tx, ty]), shift: (0.0, 0.0) }
        }
    }

    /// A point of the object's own coordinates (pt) as written (mm).
    fn at(&self, p: Point) -> (f64, f64) {
        (p.x.to_pt() * MM + self.shift.0, p.y.to_pt() * MM + self.shift.1)
    }

    /// The attributes every graphic unit has: ID, Boundary and, if needed, CTM.
    fn attrs(&self, id: u32) -> Vec<(&'static str, String)> {
        let mut a = vec![("ID", id.to_string()), ("Boundary", nums(&self.boundary))];
        if let Some(m) = self.ctm {
            a.push(("CTM", nums(&m)));
        }
        a
    }
}

fn borrow<'a>(attrs: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    attrs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Writes the objects of pages into their layers.
pub struct PageWriter<'a> {
    pub ids: &'a mut Ids,
    pub res: &'a mut Resources,
    pub xml: Xml,
}

impl PageWriter<'_> {
    /// A page: its area when it is not the document's, and its objects in one body layer.
    pub fn page(&mut self, frame: &Frame, fill: Option<&Paint>, area: Option<[f64; 4]>) -> Result<(), String> {
        self.xml.open("Page", &[]);
        if let Some(a) = area {
            self.xml.open("Area", &[]).leaf("PhysicalBox", &[], &nums(&a)).close("Area");
        }
        let layer = self.ids.next().to_string();
        self.xml.open("Content", &[]).open("Layer", &[("ID", &layer), ("Type", "Body")]);
        if let Some(paint) = fill {
            let shape = Geometry::Rect(frame.size()).filled(paint.clone());
            self.shape(Transform::identity(), &shape);
        }
        self.frame(Transform::identity(), frame)?;
        self.xml.close("Layer").close("Content").close("Page");
        Ok(())
    }

    fn frame(&mut self, ts: Transform, frame: &Frame) -> Result<(), String> {
        for (pos, item) in frame.items() {
            let t = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => self.group(t, g)?,
                FrameItem::Text(text) => self.text(t, text),
                FrameItem::Shape(shape, _) => self.shape(t, shape),
                FrameItem::Image(image, size, _) => self.image(t, image, *size)?,
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
        Ok(())
    }

    /// A group: its transform applies to everything in it. A clipped group's contents are
    /// written whole (the templates clip nothing that overflows).
    fn group(&mut self, t: Transform, g: &GroupItem) -> Result<(), String> {
        self.frame(t.pre_concat(g.transform), &g.frame)
    }

    fn colour_element(&mut self, name: &str, paint: &Paint) {
        let c = colour(paint);
        let cs = self.res.rgb.to_string();
        let alpha = c.alpha.map(|a| a.to_string());
        let mut attrs = vec![("Value", c.value.as_str()), ("ColorSpace", cs.as_str())];
        if let Some(a) = &alpha {
            attrs.push(("Alpha", a));
        }
        self.xml.empty(name, &attrs);
    }
}

/// The characters of a text run grouped with the glyphs that show them, at the point where
/// the first of them is drawn.
struct Cluster<'a> {
    text: &'a str,
    glyphs: Vec<u16>,
    at: Point,
}

fn clusters(item: &TextItem) -> Vec<Cluster<'_>> {
    let mut out: Vec<Cluster> = Vec::new();
    let (mut x, mut last) = (Abs::zero(), None);
    for g in &item.glyphs {
        let at = Point::new(x + g.x_offset.at(item.size), -g.y_offset.at(item.size));
        match out.last_mut() {
            Some(c) if last == Some(g.range.clone()) => c.glyphs.push(g.id),
            _ => out.push(Cluster { text: &item.text[g.range()], glyphs: vec![g.id], at }),
        }
        last = Some(g.range.clone());
        x += g.x_advance.at(item.size);
    }
    // Spaces at either end draw nothing, and XML readers may trim them.
    let keep = |c: &Cluster| !c.text.trim().is_empty();
    let start = out.iter().position(keep).unwrap_or(out.len());
    let end = out.iter().rposition(keep).map_or(start, |i| i + 1);
    out.drain(start..end).collect()
}

impl PageWriter<'_> {
    /// A text run: its characters (what a reader finds and copies), their positions and the
    /// glyphs of the embedded font subset that show them (`CGTransform`).
    fn text(&mut self, t: Transform, item: &TextItem) {
        let cs = clusters(item);
        let (Some(first), Some(last)) = (cs.first(), cs.last()) else { return };
        let metrics = item.font.metrics();
        let top = -metrics.ascender.at(item.size).max(item.size);
        let bottom = -metrics.descender.at(item.size).min(Abs::zero()) + item.size * 0.1;
        let right = last.at.x + item.size * 1.1;
        let place = Placement::new(t, Point::new(first.at.x.min(Abs::zero()), top), Point::new(right, bottom));
        let font = item.font.font();
        let mut font_id = 0;
        let (mut text, mut points, mut transforms) = (String::new(), Vec::new(), Vec::new());
        for c in &cs {
            let mut chars = c.text.chars();
            let only = chars.next().filter(|_| chars.next().is_none() && c.glyphs.len() == 1);
            let glyphs: Vec<String> = c
                .glyphs
                .iter()
                .map(|g| {
                    let (f, id) = self.res.glyph(self.ids, font, *g, only);
                    font_id = f;
                    id.to_string()
                })
                .collect();
            let n = c.text.chars().count();
            transforms.push((points.len(), n, glyphs));
            points.extend(std::iter::repeat_n(place.at(c.at), n));
            text.push_str(c.text);
        }
        let mut attrs = place.attrs(self.ids.next());
        attrs.push(("Font", font_id.to_string()));
        attrs.push(("Size", num(item.size.to_pt() * MM)));
        self.xml.open("TextObject", &borrow(&attrs));
        self.colour_element("FillColor", &item.fill);
        if let Some(stroke) = &item.stroke {
            self.colour_element("StrokeColor", &stroke.paint);
        }
        self.glyph_transforms(&transforms);
        self.text_code(&text, &points);
        self.xml.close("TextObject");
    }

    /// The glyphs of each cluster; one transform for the whole run when every character has
    /// exactly one glyph (as in almost all Chinese text).
    fn glyph_transforms(&mut self, transforms: &[(usize, usize, Vec<String>)]) {
        let one_to_one = transforms.iter().all(|(_, n, g)| *n == 1 && g.len() == 1);
        let merged;
        let list: &[(usize, usize, Vec<String>)] = if one_to_one {
            merged = [(0, transforms.len(), transforms.iter().flat_map(|(_, _, g)| g.iter().cloned()).collect())];
            &merged
        } else {
            transforms
        };
        for (pos, count, glyphs) in list {
            let attrs = [("CodePosition", pos.to_string()), ("CodeCount", count.to_string()), ("GlyphCount", glyphs.len().to_string())];
            self.xml.open("CGTransform", &borrow(&attrs)).leaf("Glyphs", &[], &glyphs.join(" ")).close("CGTransform");
        }
    }

    fn text_code(&mut self, text: &str, points: &[(f64, f64)]) {
        let (x, y) = points[0];
        let dx: Vec<f64> = points.windows(2).map(|w| w[1].0 - w[0].0).collect();
        let dy: Vec<f64> = points.windows(2).map(|w| w[1].1 - w[0].1).collect();
        let mut attrs = vec![("X", num(x)), ("Y", num(y))];
        if !dx.is_empty() {
            attrs.push(("DeltaX", deltas(&dx)));
        }
        if dy.iter().any(|d| num(*d) != "0") {
            attrs.push(("DeltaY", deltas(&dy)));
        }
        self.xml.leaf("TextCode", &borrow(&attrs), text);
    }
}

impl PageWriter<'_> {
    /// A rule, a rectangle or a curve: a path with its fill and stroke.
    fn shape(&mut self, t: Transform, shape: &Shape) {
        let (points, data) = outline(&shape.geometry);
        let half = shape.stroke.as_ref().map_or(Abs::zero(), |s| s.thickness / 2.0);
        let min = Point::new(points.iter().map(|p| p.x).fold(Abs::inf(), Abs::min) - half, points.iter().map(|p| p.y).fold(Abs::inf(), Abs::min) - half);
        let max = Point::new(points.iter().map(|p| p.x).fold(-Abs::inf(), Abs::max) + half, points.iter().map(|p| p.y).fold(-Abs::inf(), Abs::max) + half);
        let place = Placement::new(t, min, max);
        let mut attrs = place.attrs(self.ids.next());
        attrs.push(("Stroke", shape.stroke.is_some().to_string()));
        attrs.push(("Fill", shape.fill.is_some().to_string()));
        if shape.fill_rule == FillRule::EvenOdd {
            attrs.push(("Rule", "Even-Odd".into()));
        }
        if let Some(s) = &shape.stroke {
            attrs.extend(stroke_attrs(s));
            if s.dash.is_some() {
                let id = self.res.draw_param(self.ids, stroke_attrs(s), super::res::colour(&s.paint).value);
                attrs.push(("DrawParam", id.to_string()));
            }
        }
        self.xml.open("PathObject", &borrow(&attrs));
        if let Some(s) = &shape.stroke {
            self.colour_element("StrokeColor", &s.paint);
        }
        if let Some(f) = &shape.fill {
            self.colour_element("FillColor", f);
        }
        let data: Vec<String> = data
            .into_iter()
            .map(|(op, ps)| {
                std::iter::once(op.to_string())
                    .chain(ps.iter().map(|p| {
                        let (x, y) = place.at(*p);
                        format!("{} {}", num(x), num(y))
                    }))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        self.xml.leaf("AbbreviatedData", &[], &data.join(" "));
        self.xml.close("PathObject");
    }

    /// A raster image, byte for byte (PNG, JPEG, GIF); other kinds cannot go into an OFD.
    fn image(&mut self, t: Transform, image: &Image, size: Size) -> Result<(), String> {
        let ImageKind::Raster(raster) = image.kind() else {
            return Err("OFD 只能嵌入 PNG、JPEG、GIF 图片，模板中有 SVG 或 PDF 图片".into());
        };
        let format = match raster.format() {
            RasterFormat::Exchange(ExchangeFormat::Png) => "PNG",
            RasterFormat::Exchange(ExchangeFormat::Jpg) => "JPEG",
            RasterFormat::Exchange(ExchangeFormat::Gif) => "GIF",
            _ => return Err("OFD 只能嵌入 PNG、JPEG、GIF 图片，模板中有其他格式的图片".into()),
        };
        let media = self.res.image(self.ids, format, raster.data());
        // The image's own space is the unit square.
        let t = t.pre_concat(Transform::scale(Ratio::new(size.x.to_pt()), Ratio::new(size.y.to_pt())));
        let mut place = Placement::new(t, Point::zero(), Point::new(Abs::pt(1.0), Abs::pt(1.0)));
        // The unit square maps to the image's size in millimetres: the matrix is always written.
        let (tx, ty) = (t.tx.to_pt() * MM - place.boundary[0], t.ty.to_pt() * MM - place.boundary[1]);
        place.ctm = Some([t.sx.get() * MM, t.ky.get() * MM, t.kx.get() * MM, t.sy.get() * MM, tx, ty]);
        let mut attrs = place.attrs(self.ids.next());
        attrs.push(("ResourceID", media.to_string()));
        self.xml.empty("ImageObject", &borrow(&attrs));
        Ok(())
    }
}

/// The points of a geometry (for its bounds) and its path as OFD operators.
fn outline(geometry: &Geometry) -> (Vec<Point>, Vec<(char, Vec<Point>)>) {
    let ops: Vec<(char, Vec<Point>)> = match geometry {
        Geometry::Line(p) => vec![('M', vec![Point::zero()]), ('L', vec![*p])],
        Geometry::Rect(s) => {
            let (w, h) = (s.x, s.y);
            vec![
                ('M', vec![Point::zero()]),
                ('L', vec![Point::new(w, Abs::zero())]),
                ('L', vec![Point::new(w, h)]),
                ('L', vec![Point::new(Abs::zero(), h)]),
                ('C', vec![]),
            ]
        }
        Geometry::Curve(c) => {
            c.0.iter()
                .map(|item| match item {
                    CurveItem::Move(p) => ('M', vec![*p]),
                    CurveItem::Line(p) => ('L', vec![*p]),
                    CurveItem::Cubic(a, b, p) => ('B', vec![*a, *b, *p]),
                    CurveItem::Close => ('C', vec![]),
                })
                .collect()
        }
    };
    let mut points: Vec<Point> = ops.iter().flat_map(|(_, ps)| ps.iter().copied()).collect();
    if points.is_empty() {
        points.push(Point::zero());
    }
    (points, ops)
}

fn stroke_attrs(s: &FixedStroke) -> Vec<(&'static str, String)> {
    let mut a = vec![("LineWidth", num(s.thickness.to_pt() * MM))];
    a.push((
        "Cap",
        match s.cap {
            LineCap::Butt => "Butt",
            LineCap::Round => "Round",
            LineCap::Square => "Square",
        }
        .into(),
    ));
    a.push((
        "Join",
        match s.join {
            LineJoin::Miter => "Miter",
            LineJoin::Round => "Round",
            LineJoin::Bevel => "Bevel",
        }
        .into(),
    ));
    a.push(("MiterLimit", num(s.miter_limit.get())));
    if let Some(d) = &s.dash {
        let pattern: Vec<f64> = d.array.iter().map(|v| v.to_pt() * MM).collect();
        a.push(("DashPattern", nums(&pattern)));
        a.push(("DashOffset", num(d.phase.to_pt() * MM)));
    }
    a
}
