//! An embedded OFD font: the subset `typst-pdf`'s subsetter makes (which PDF needs no more
//! of), completed with the two tables that readers loading it as an ordinary font require: a
//! Unicode `cmap` for the characters the document draws, mapped to the glyphs it draws them
//! with, and the original font's `OS/2`.

use std::collections::BTreeMap;

use subsetter::GlyphRemapper;
use typst::text::Font;

/// A font as the document uses it: which glyphs, and which character each glyph shows.
pub struct Used {
    pub glyphs: GlyphRemapper,
    /// Character → glyph ID in the subset; the first glyph seen for a character wins.
    pub chars: BTreeMap<char, u16>,
}

impl Used {
    pub fn new() -> Used {
        Used { glyphs: GlyphRemapper::new(), chars: BTreeMap::new() }
    }

    /// The subset's ID of glyph `gid`, recording that it shows `ch` when it shows exactly one
    /// character.
    pub fn glyph(&mut self, gid: u16, ch: Option<char>) -> u16 {
        let new = self.glyphs.remap(gid);
        if let Some(c) = ch {
            self.chars.entry(c).or_insert(new);
        }
        new
    }
}

/// The embedded font file of `font` as `used`.
pub fn embed(font: &Font, used: &Used) -> Result<Vec<u8>, String> {
    let fail = |e: &dyn std::fmt::Display| format!("字体 {} 无法嵌入（{e}）", font.info().family);
    let sub = subsetter::subset(font.data(), font.index(), &used.glyphs).map_err(|e| fail(&e))?;
    let face = ttf_parser::RawFace::parse(font.data(), font.index()).map_err(|e| fail(&e))?;
    let mut tables = tables(&sub).ok_or_else(|| fail(&"子集字体的表目录无法读取"))?;
    tables.retain(|(tag, _)| tag != b"cmap" && tag != b"OS/2");
    tables.push((*b"cmap", cmap(&used.chars)));
    if let Some(os2) = face.table(ttf_parser::Tag::from_bytes(b"OS/2")) {
        tables.push((*b"OS/2", os2_for(os2, &used.chars)));
    }
    tables.sort_by_key(|(tag, _)| *tag);
    Ok(assemble(&sub[..4], tables))
}

/// The tables of an sfnt font, by tag.
fn tables(font: &[u8]) -> Option<Vec<([u8; 4], Vec<u8>)>> {
    let be16 = |i: usize| Some(u16::from_be_bytes(font.get(i..i + 2)?.try_into().ok()?));
    let be32 = |i: usize| Some(u32::from_be_bytes(font.get(i..i + 4)?.try_into().ok()?) as usize);
    (0..usize::from(be16(4)?))
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
            let (offset, len) = (be32(rec + 8)?, be32(rec + 12)?);
            Some((tag, font.get(offset..offset + len)?.to_vec()))
        })
        .collect()
}

/// An sfnt font of `flavor` (its first four bytes) with these tables, sorted by tag, each
/// with its checksum, and the `head` table's checksum adjustment.
fn assemble(flavor: &[u8], mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    let count = tables.len() as u16;
    let selector = 15 - count.leading_zeros() as u16;
    let range = (1u16 << selector) * 16;
    let mut out = flavor.to_vec();
    for v in [count, range, selector, count * 16 - range] {
        out.extend(v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut adjustment = None;
    for (tag, data) in &mut tables {
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
            adjustment = Some(offset + 8);
        }
        out.extend(*tag);
        for v in [checksum(data), offset as u32, data.len() as u32] {
            out.extend(v.to_be_bytes());
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(i) = adjustment {
        let v = 0xB1B0_AFBA_u32.wrapping_sub(checksum(&out));
        out[i..i + 4].copy_from_slice(&v.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut b = [0; 4];
        b[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(b))
    })
}

/// A `cmap` with a Windows Unicode BMP subtable (format 4) and, when a character lies beyond
/// the BMP, a full-repertoire one (format 12).
fn cmap(chars: &BTreeMap<char, u16>) -> Vec<u8> {
    let bmp: Vec<(u16, u16)> = chars.iter().filter_map(|(c, g)| Some((u16::try_from(u32::from(*c)).ok().filter(|c| *c != 0xFFFF)?, *g))).collect();
    let full = bmp.len() < chars.len();
    let mut subtables = vec![(1u16, format4(&bmp))];
    if full {
        subtables.push((10, format12(chars)));
    }
    let mut out = Vec::new();
    out.extend(0u16.to_be_bytes());
    out.extend((subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + 8 * subtables.len();
    for (encoding, table) in &subtables {
        out.extend(3u16.to_be_bytes());
        out.extend(encoding.to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        offset += table.len();
    }
    subtables.iter().for_each(|(_, t)| out.extend(t));
    out
}

/// Format 4: one segment per run of consecutive characters whose glyphs are consecutive too,
/// each mapped by its delta, then the closing 0xFFFF segment.
fn format4(chars: &[(u16, u16)]) -> Vec<u8> {
    let mut segs: Vec<(u16, u16, u16)> = Vec::new();
    for &(c, g) in chars {
        match segs.last_mut() {
            Some((_, end, delta)) if c == *end + 1 && g == c.wrapping_add(*delta) => *end = c,
            _ => segs.push((c, c, g.wrapping_sub(c))),
        }
    }
    segs.push((0xFFFF, 0xFFFF, 1));
    let n = segs.len() as u16;
    let selector = 15 - n.leading_zeros() as u16;
    let range = 2 * (1u16 << selector);
    let mut body: Vec<u16> = vec![n * 2, range, selector, n * 2 - range];
    body.extend(segs.iter().map(|s| s.1));
    body.push(0);
    body.extend(segs.iter().map(|s| s.0));
    body.extend(segs.iter().map(|s| s.2));
    body.extend(segs.iter().map(|_| 0));
    let len = 6 + 2 * body.len() as u16;
    [4, len, 0].into_iter().chain(body).flat_map(u16::to_be_bytes).collect()
}

/// Format 12: one group per character.
fn format12(chars: &BTreeMap<char, u16>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(12u16.to_be_bytes());
    out.extend(0u16.to_be_bytes());
    for v in [16 + 12 * chars.len() as u32, 0, chars.len() as u32] {
        out.extend(v.to_be_bytes());
    }
    for (c, g) in chars {
        for v in [u32::from(*c), u32::from(*c), u32::from(*g)] {
            out.extend(v.to_be_bytes());
        }
    }
    out
}

/// The original `OS/2` with its first and last character index set to the subset's.
fn os2_for(os2: &[u8], chars: &BTreeMap<char, u16>) -> Vec<u8> {
    let mut out = os2.to_vec();
    let clamp = |c: Option<&char>| c.map_or(0, |c| u16::try_from(u32::from(*c)).unwrap_or(0xFFFF));
    if out.len() >= 68 {
        out[64..66].copy_from_slice(&clamp(chars.keys().next()).to_be_bytes());
        out[66..68].copy_from_slice(&clamp(chars.keys().next_back()).to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cmap_maps_each_character_to_its_glyph_and_the_directory_reads_back() {
        let chars: BTreeMap<char, u16> = [('一', 1), ('二', 2), ('三', 3), ('。', 7), ('𠀀', 9)].into_iter().collect();
        let head = [vec![0u8; 12], vec![0x5F, 0x0F, 0x3C, 0xF5], vec![0; 38]].concat();
        let font = assemble(b"OTTO", vec![(*b"cmap", cmap(&chars)), (*b"head", head)]);
        let raw = ttf_parser::RawFace::parse(&font, 0).unwrap();
        let table = ttf_parser::cmap::Table::parse(raw.table(ttf_parser::Tag::from_bytes(b"cmap")).unwrap()).unwrap();
        for (c, g) in &chars {
            let found = table.subtables.into_iter().find_map(|s| s.glyph_index(u32::from(*c)));
            assert_eq!(found, Some(ttf_parser::GlyphId(*g)), "{c}");
        }
        assert_eq!(table.subtables.into_iter().find_map(|s| s.glyph_index(u32::from('四'))), None);
        assert_eq!(checksum(&font), 0xB1B0_AFBA, "the whole font sums to the magic number");
    }
}
