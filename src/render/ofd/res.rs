//! The resources of an OFD document: its fonts (subset to the glyphs used, with the subsetter
//! `typst-pdf` uses), its colour spaces and its images, each with its ID.

use std::collections::HashMap;

use subsetter::GlyphRemapper;
use typst::text::Font;
use typst::visualize::{Color, Paint};

use super::xml::{num, Xml};

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
    glyphs: GlyphRemapper,
}

/// An embedded raster image.
struct Image {
    id: u32,
    format: &'static str,
    bytes: Vec<u8>,
}

/// A colour as OFD writes it: its components (0–255) in RGB or CMYK, and its alpha.
pub struct Colour {
    pub value: String,
    pub cmyk: bool,
    pub alpha: Option<u8>,
}

/// Everything pages refer to by ID.
pub struct Resources {
    pub rgb: u32,
    pub cmyk: u32,
    fonts: Vec<FontRes>,
    by_font: HashMap<Font, usize>,
    images: Vec<Image>,
}

impl Resources {
    pub fn new(ids: &mut Ids) -> Resources {
        Resources { rgb: ids.next(), cmyk: ids.next(), fonts: Vec::new(), by_font: HashMap::new(), images: Vec::new() }
    }

    /// The ID of `font` and the ID its glyph `gid` has in the embedded subset.
    pub fn glyph(&mut self, ids: &mut Ids, font: &Font, gid: u16) -> (u32, u16) {
        let i = *self.by_font.entry(font.clone()).or_insert_with(|| {
            self.fonts.push(FontRes { id: ids.next(), font: font.clone(), glyphs: GlyphRemapper::new() });
            self.fonts.len() - 1
        });
        let f = &mut self.fonts[i];
        (f.id, f.glyphs.remap(gid))
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
    pub fn write(&self) -> Result<(Vec<u8>, Vec<(String, Vec<u8>)>), String> {
        let mut files = Vec::new();
        let mut x = Xml::new();
        x.open("Res", &[("BaseLoc", "Res")]).open("ColorSpaces", &[]);
        x.empty("ColorSpace", &[("ID", &self.rgb.to_string()), ("Type", "RGB"), ("BitsPerComponent", "8")]);
        x.empty("ColorSpace", &[("ID", &self.cmyk.to_string()), ("Type", "CMYK"), ("BitsPerComponent", "8")]);
        x.close("ColorSpaces").open("Fonts", &[]);
        for f in &self.fonts {
            let file = format!("font_{}.otf", f.id);
            let sub = subsetter::subset(f.font.data(), f.font.index(), &f.glyphs).map_err(|e| format!("字体 {} 无法嵌入（{e}）", f.font.info().family))?;
            let id = f.id.to_string();
            let name = postscript_name(&f.font);
            x.open("Font", &[("ID", &id), ("FontName", &name), ("FamilyName", &f.font.info().family)]).leaf("FontFile", &[], &file).close("Font");
            files.push((file, sub));
        }
        x.close("Fonts");
        if !self.images.is_empty() {
            x.open("MultiMedias", &[]);
            for img in &self.images {
                let file = format!("image_{}.{}", img.id, img.format.to_lowercase());
                x.open("MultiMedia", &[("ID", &img.id.to_string()), ("Type", "Image"), ("Format", img.format)]).leaf("MediaFile", &[], &file).close("MultiMedia");
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

/// A paint as an OFD colour. Gradients and tilings (which the templates do not use) are
/// written as their first colour.
pub fn colour(paint: &Paint) -> Colour {
    let c: Color = match paint {
        Paint::Solid(c) => c.clone(),
        Paint::Gradient(g) => g.stops_ref().first().map_or(Color::BLACK, |(c, _)| c.clone()),
        Paint::Tiling(_) => Color::BLACK,
    };
    let alpha = c.alpha().map(|a| (a * 255.0).round() as u8).filter(|a| *a < 255);
    if c.space() == typst::visualize::ColorSpace::Process(typst::visualize::ProcessColorSpace::Cmyk) {
        let v = c.to_vec4();
        return Colour { value: v.iter().map(|x| num((x * 255.0).round() as f64)).collect::<Vec<_>>().join(" "), cmyk: true, alpha: None };
    }
    let (r, g, b, _) = c.to_rgb().into_format::<u8, u8>().into_components();
    Colour { value: format!("{r} {g} {b}"), cmyk: false, alpha }
}
