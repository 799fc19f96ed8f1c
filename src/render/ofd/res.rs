//! The resources of an OFD document: its fonts (subset to the glyphs used, see `font`), its
//! colour spaces and its images, each with its ID.

use std::collections::HashMap;

use typst::text::Font;
use typst::visualize::{Color, Paint};

use super::font::{self, Used};
use super::xml::Xml;

/// An ID giver: every object of an OFD document has an ID unique in the document.
#[derive(Default)]
pub struct Ids(u32);

impl Ids {
    pub fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }

    /// The largest ID given (`MaxUnitID`).
    pub fn max(&self) -> u32 {
        self.0
    }
}

struct FontRes {
    id: u32,
    font: Font,
    used: Used,
}

/// An embedded raster image.
struct Image {
    id: u32,
    format: &'static str,
    bytes: Vec<u8>,
}

/// A colour as OFD writes it: its RGB components (0–255) and its alpha.
pub struct Colour {
    pub value: String,
    pub alpha: Option<u8>,
}

/// A drawing parameter: its ID, stroke attributes and stroke colour.
struct DrawParam {
    id: u32,
    attrs: Vec<(&'static str, String)>,
    stroke: String,
}

/// A file of the package: its name and bytes.
pub type Part = (String, Vec<u8>);

/// Everything pages refer to by ID.
pub struct Resources {
    pub rgb: u32,
    /// Drawing parameters of dashed strokes.
    draw_params: Vec<DrawParam>,
    fonts: Vec<FontRes>,
    by_font: HashMap<Font, usize>,
    images: Vec<Image>,
}

impl Resources {
    pub fn new(ids: &mut Ids) -> Resources {
        Resources { rgb: ids.next(), draw_params: Vec::new(), fonts: Vec::new(), by_font: HashMap::new(), images: Vec::new() }
    }

    /// The ID of `font` and the ID its glyph `gid` has in the embedded subset, whose `cmap`
    /// maps `ch` to it when the glyph shows that one character.
    pub fn glyph(&mut self, ids: &mut Ids, font: &Font, gid: u16, ch: Option<char>) -> (u32, u16) {
        let i = *self.by_font.entry(font.clone()).or_insert_with(|| {
            self.fonts.push(FontRes { id: ids.next(), font: font.clone(), used: Used::new() });
            self.fonts.len() - 1
        });
        let f = &mut self.fonts[i];
        (f.id, f.used.glyph(gid, ch))
    }

    /// The ID of a drawing parameter with these stroke attributes and colour: some readers take
    /// a dash only from a `DrawParam`, others only from the path's own attributes, so a dashed
    /// path carries both.
    pub fn draw_param(&mut self, ids: &mut Ids, attrs: Vec<(&'static str, String)>, stroke: String) -> u32 {
        if let Some(p) = self.draw_params.iter().find(|p| p.attrs == attrs && p.stroke == stroke) {
            return p.id;
        }
        let id = ids.next();
        self.draw_params.push(DrawParam { id, attrs, stroke });
        id
    }

    /// The ID of an embedded image (PNG, JPEG or GIF, byte for byte).
    pub fn image(&mut self, ids: &mut Ids, format: &'static str, bytes: &[u8]) -> u32 {
        if let Some(img) = self.images.iter().find(|i| i.bytes == bytes) {
            return img.id;
        }
        let id = ids.next();
        self.images.push(Image { id, format, bytes: bytes.to_vec() });
        id
    }

    /// `PublicRes.xml` and the files it names (relative to `Res/`).
    pub fn write(&self) -> Result<(Vec<u8>, Vec<Part>), String> {
        let mut files = Vec::new();
        let mut x = Xml::new();
        x.open("Res", &[("BaseLoc", "Res")]).open("ColorSpaces", &[]);
        x.empty("ColorSpace", &[("ID", &self.rgb.to_string()), ("Type", "RGB"), ("BitsPerComponent", "8")]);
        x.close("ColorSpaces");
        if !self.draw_params.is_empty() {
            x.open("DrawParams", &[]);
            let rgb = self.rgb.to_string();
            for p in &self.draw_params {
                let id = p.id.to_string();
                let mut all: Vec<(&str, &str)> = vec![("ID", &id)];
                all.extend(p.attrs.iter().map(|(k, v)| (*k, v.as_str())));
                x.open("DrawParam", &all).empty("StrokeColor", &[("Value", &p.stroke), ("ColorSpace", &rgb)]).close("DrawParam");
            }
            x.close("DrawParams");
        }
        x.open("Fonts", &[]);
        for f in &self.fonts {
            let file = format!("font_{}.otf", f.id);
            let sub = font::embed(&f.font, &f.used)?;
            let id = f.id.to_string();
            let name = postscript_name(&f.font);
            let info = f.font.info();
            let mut attrs = vec![("ID", id.as_str()), ("FontName", name.as_str()), ("FamilyName", info.family.as_str())];
            // A reader that substitutes a system font needs the weight and style to pick one.
            if info.variant.weight.to_number() >= 600 {
                attrs.push(("Bold", "true"));
            }
            if info.variant.style != typst::text::FontStyle::Normal {
                attrs.push(("Italic", "true"));
            }
            x.open("Font", &attrs).leaf("FontFile", &[], &file).close("Font");
            files.push((file, sub));
        }
        x.close("Fonts");
        if !self.images.is_empty() {
            x.open("MultiMedias", &[]);
            for img in &self.images {
                let file = format!("image_{}.{}", img.id, img.format.to_lowercase());
                x.open("MultiMedia", &[("ID", &img.id.to_string()), ("Type", "Image"), ("Format", img.format)])
                    .leaf("MediaFile", &[], &file)
                    .close("MultiMedia");
                files.push((file, img.bytes.clone()));
            }
            x.close("MultiMedias");
        }
        x.close("Res");
        Ok((x.finish(), files))
    }
}

/// The font's PostScript name (name ID 6), else its family.
fn postscript_name(font: &Font) -> String {
    let Ok(face) = ttf_parser::Face::parse(font.data(), font.index()) else { return font.info().family.clone() };
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())
        .unwrap_or_else(|| font.info().family.clone())
}

/// A paint as an OFD colour, always in RGB: common readers ignore a CMYK colour space and read
/// its values as RGB (the printed red 0/80/80/0 became cyan), so the printed red is written as
/// the RGB it converts to (255 51 51). Gradients and tilings (which the templates do not use)
/// are written as their first colour.
pub fn colour(paint: &Paint) -> Colour {
    let c: Color = match paint {
        Paint::Solid(c) => c.clone(),
        Paint::Gradient(g) => g.stops_ref().first().map_or(Color::BLACK, |(c, _)| c.clone()),
        Paint::Tiling(_) => Color::BLACK,
    };
    let alpha = c.alpha().map(|a| (a * 255.0).round() as u8).filter(|a| *a < 255);
    let (r, g, b, _) = c.to_rgb().into_format::<u8, u8>().into_components();
    Colour { value: format!("{r} {g} {b}"), alpha }
}
