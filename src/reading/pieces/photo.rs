//! Photos of a piece made ready for print: decoded with the `image` crate within limits,
//! turned upright (a phone's EXIF orientation), scaled so that the long side is at most
//! `LONG_SIDE` pixels (about 260 dpi across the type area, plenty for print), and re-encoded
//! as JPEG. A JPEG that is upright and small enough is kept byte for byte. An 8 MB phone photo
//! becomes a few hundred kilobytes; nothing is embedded raw.

use std::io::Cursor;
use std::sync::Arc;

use image::{DynamicImage, ImageDecoder, ImageReader};

use super::content::Photo;

/// The long side of a photo as set, in pixels.
pub const LONG_SIDE: u32 = 1600;
/// A photo kept as it is: at most this many bytes.
const KEEP_BYTES: usize = 1024 * 1024;
/// The most photos one piece may carry.
pub const MOST_PER_PIECE: usize = 6;
/// The largest picture file read, and the largest picture decoded (pixels on a side).
pub const MOST_BYTES: usize = 20 * 1024 * 1024;
const MOST_SIDE: u32 = 12_000;
/// The type area's width, and the most height a photo takes (so that it stays with its
/// caption and a few lines of text), in millimetres.
const TYPE_AREA_WIDTH_MM: f64 = 156.0;
const MOST_HEIGHT_MM: f64 = 110.0;

/// Why a picture is not set.
#[derive(Debug, PartialEq, Eq)]
pub enum NotSet {
    /// Not a photo format a document can hold (EMF, WMF, SVG…): passed over with a note.
    Format,
    /// A photo that cannot be used: an error with the reason.
    Bad(String),
}

/// The photo made from a picture's file bytes.
pub fn prepare(bytes: &[u8]) -> Result<Photo, NotSet> {
    if bytes.len() > MOST_BYTES {
        return Err(NotSet::Bad(format!(
            "图片有{}，超过上限{}",
            crate::setup::inputs::megabytes(bytes.len() as u64),
            crate::setup::inputs::megabytes(MOST_BYTES as u64)
        )));
    }
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| NotSet::Format)?;
    let format = reader.format().ok_or(NotSet::Format)?;
    if !matches!(format, image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::Gif | image::ImageFormat::Bmp | image::ImageFormat::Tiff) {
        return Err(NotSet::Format);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MOST_SIDE);
    limits.max_image_height = Some(MOST_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    let mut reader = reader;
    reader.limits(limits);
    let bad = |_| NotSet::Bad("图片已损坏或过大，无法读取".into());
    let mut decoder = reader.into_decoder().map_err(bad)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let (w, h) = decoder.dimensions();
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    if format == image::ImageFormat::Jpeg && upright && w.max(h) <= LONG_SIDE && bytes.len() <= KEEP_BYTES {
        return Ok(photo(bytes.to_vec(), (w, h)));
    }
    let mut img = DynamicImage::from_decoder(decoder).map_err(bad)?;
    img.apply_orientation(orientation);
    if img.width().max(img.height()) > LONG_SIDE {
        img = img.resize(LONG_SIDE, LONG_SIDE, image::imageops::FilterType::Triangle);
    }
    // JPEG has no alpha: transparent parts (a PNG screenshot) are set on white paper.
    let rgb = flatten_on_white(&img);
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    rgb.write_with_encoder(encoder).map_err(|_| NotSet::Bad("图片无法转换".into()))?;
    Ok(photo(out, (rgb.width(), rgb.height())))
}

fn flatten_on_white(img: &DynamicImage) -> image::RgbImage {
    let rgba = img.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u32::from(p[3]);
        let blend = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])])
    })
}

fn photo(bytes: Vec<u8>, (w, h): (u32, u32)) -> Photo {
    let width = (MOST_HEIGHT_MM * f64::from(w) / f64::from(h.max(1))).min(TYPE_AREA_WIDTH_MM);
    let width_mm = (width * 10.0).round() / 10.0;
    Photo { path: format!("/photos/{}.jpg", crate::setup::inputs::sha256(&bytes)), bytes: Arc::new(bytes), caption: None, width_mm, pixels: (w, h) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, if x < 10 { 0 } else { 255 }]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn a_large_photo_is_scaled_to_the_long_side_and_re_encoded_as_jpeg() {
        let p = prepare(&png(4000, 3000)).unwrap();
        assert_eq!(p.pixels, (LONG_SIDE, 1200));
        assert!(p.bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert_eq!(p.width_mm, 146.7, "110 mm high at 4:3");
        // A wide photo takes the type area's width; the same input gives the same bytes.
        let wide = prepare(&png(3000, 1000)).unwrap();
        assert_eq!(wide.width_mm, 156.0);
        assert_eq!(prepare(&png(3000, 1000)).unwrap().bytes, wide.bytes);
    }

    #[test]
    fn what_is_no_photo_is_told_apart_from_a_broken_one() {
        assert_eq!(prepare(b"\x01\x00\x00\x00 EMF").unwrap_err(), NotSet::Format);
        assert!(matches!(prepare(&png(10, 10)[..40]), Err(NotSet::Bad(_))));
    }
}
