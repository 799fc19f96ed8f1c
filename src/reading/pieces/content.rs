//! What a piece's document holds, whatever its format: paragraphs, tables and pictures in
//! reading order (each reader fills a `Content`), and how pictures become the photos a
//! bulletin sets: decoded, scaled down to what print needs, re-encoded, and captioned.

use std::sync::Arc;

use serde::Serialize;

/// A document's content as read, before the piece is made of it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Content {
    pub blocks: Vec<Raw>,
    /// Pictures that cannot be set (drawings, embedded objects, formats that are no photo),
    /// each with the number of the paragraph it is near (1-based).
    pub passed_over: Vec<usize>,
    /// Whether the text has tracked changes (insertions are left out, deletions kept).
    pub revisions: bool,
    /// Whether the document has comments (never read).
    pub comments: bool,
}

/// A block as a reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raw {
    Paragraph(String),
    /// Rows of cell texts.
    Table(Vec<Vec<String>>),
    /// A picture's file bytes, and its description (alt text) when it has one.
    Picture {
        bytes: Vec<u8>,
        description: Option<String>,
    },
}

impl Content {
    /// Adds a paragraph (trimmed; an empty one is left out).
    pub fn paragraph(&mut self, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            self.blocks.push(Raw::Paragraph(text.to_string()));
        }
    }

    /// Adds a table, unless it has no text at all.
    pub fn table(&mut self, rows: Vec<Vec<String>>) {
        let rows: Vec<Vec<String>> = rows.into_iter().filter(|r| !r.is_empty()).collect();
        if rows.iter().flatten().any(|c| !c.trim().is_empty()) {
            self.blocks.push(Raw::Table(rows));
        }
    }

    /// The number of paragraphs so far, plus one: where a passed-over picture is reported.
    pub fn here(&self) -> usize {
        self.blocks.iter().filter(|b| matches!(b, Raw::Paragraph(_))).count() + 1
    }

    /// The paragraphs only (tables' cells are not among them).
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Raw::Paragraph(p) => Some(p.as_str()),
            _ => None,
        })
    }
}

/// A block of a piece as the bulletin sets it. Text is data, set literally.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Paragraph {
        text: String,
    },
    /// A small table: the first row is its header.
    Table {
        rows: Vec<Vec<String>>,
    },
    Photo(Photo),
}

/// A photo, ready to set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Photo {
    /// Where the document finds it: `/photos/<SHA-256 of the bytes>.jpg`.
    pub path: String,
    /// JPEG, at most `photo::LONG_SIDE` pixels on its long side.
    #[serde(skip)]
    pub bytes: Arc<Vec<u8>>,
    pub caption: Option<String>,
    /// Its width on the page, in millimetres: the type area's width, or less for a tall photo.
    pub width_mm: f64,
    #[serde(skip)]
    pub pixels: (u32, u32),
}

/// Whether a paragraph is a photo's caption (`图为…`, `（图为…）`, `图：…`).
pub fn is_caption(text: &str) -> bool {
    let t = text.trim_start_matches(['（', '(']);
    t.starts_with("图为") || t.starts_with("图：") || t.starts_with("图:") || t.starts_with("上图") || t.starts_with("下图")
}

/// Each photo takes the caption paragraph right after it (else right before it), else its
/// description; a caption paragraph taken is not also set as text.
pub fn caption_photos(blocks: Vec<(Block, Option<String>)>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut items = blocks.into_iter().peekable();
    while let Some((block, description)) = items.next() {
        let Block::Photo(mut photo) = block else {
            out.push(block);
            continue;
        };
        let after = matches!(items.peek(), Some((Block::Paragraph { text }, _)) if is_caption(text));
        let before = matches!(out.last(), Some(Block::Paragraph { text }) if is_caption(text));
        photo.caption = if after {
            items.next().and_then(|(b, _)| if let Block::Paragraph { text } = b { Some(text) } else { None })
        } else if before {
            out.pop().and_then(|b| if let Block::Paragraph { text } = b { Some(text) } else { None })
        } else {
            description.filter(|d| meaningful(d))
        };
        out.push(Block::Photo(photo));
    }
    out
}

/// A description worth printing: not empty, not a file name or a program's default
/// (`图片 1`, `Picture 1`, `image1.jpeg`).
fn meaningful(d: &str) -> bool {
    let d = d.trim();
    let default = d.starts_with("图片") || d.to_lowercase().starts_with("picture") || d.to_lowercase().starts_with("image");
    let file_name = [".jpg", ".jpeg", ".png", ".gif", ".bmp"].iter().any(|e| d.to_lowercase().ends_with(e));
    !d.is_empty() && !default && !file_name && !d.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo() -> Block {
        Block::Photo(Photo { path: "/photos/a.jpg".into(), bytes: Arc::new(vec![]), caption: None, width_mm: 156.0, pixels: (4, 3) })
    }

    fn para(t: &str) -> Block {
        Block::Paragraph { text: t.into() }
    }

    fn captions(blocks: Vec<(Block, Option<String>)>) -> Vec<Option<String>> {
        caption_photos(blocks)
            .into_iter()
            .map(|b| match b {
                Block::Photo(p) => p.caption,
                Block::Paragraph { text } => Some(format!("¶{text}")),
                Block::Table { .. } => None,
            })
            .collect()
    }

    #[test]
    fn a_photo_takes_the_caption_after_it_else_before_it_else_its_description() {
        let after = vec![(para("会议现场。"), None), (photo(), None), (para("图为推进会现场。"), None)];
        assert_eq!(captions(after), [Some("¶会议现场。".into()), Some("图为推进会现场。".into())]);
        let before = vec![(para("（图为培训现场）"), None), (photo(), None), (para("正文"), None)];
        assert_eq!(captions(before), [Some("（图为培训现场）".into()), Some("¶正文".into())]);
        let described = vec![(photo(), Some("贫困户在车间务工".into())), (photo(), Some("Picture 2".into()))];
        assert_eq!(captions(described), [Some("贫困户在车间务工".into()), None]);
    }
}
