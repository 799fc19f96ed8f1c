//! Rich Text Format (.rtf, as Word, WPS and WordPad save it): the running text, paragraph by
//! paragraph. Chinese text comes as `\uN` with a fallback, or as `\'hh` bytes in the code page of
//! the document (`\ansicpgN`) or of the font (`\fcharset134`: GBK), which is why this is read
//! here: the RTF crates read `\'hh` as Latin-1. Header tables, pictures (counted), fields'
//! instructions, notes and annotations are passed over.

use std::collections::BTreeMap;

use encoding_rs::Encoding;

use super::content::Content;

/// Destinations whose content is not the running text.
const SKIPPED: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "header",
    "headerl",
    "headerr",
    "headerf",
    "footer",
    "footerl",
    "footerr",
    "footerf",
    "footnote",
    "annotation",
    "fldinst",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "xmlnstbl",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "filetbl",
    "revtbl",
    "pgdsctbl",
    "nonshppict",
    "shpinst",
    "atnid",
    "atnauthor",
    "bkmkstart",
    "bkmkend",
    "template",
    "userprops",
];

#[derive(Clone)]
struct Group {
    skip: bool,
    uc: usize,
    font: Option<i32>,
    in_fonttbl: bool,
}

struct Walk<'a> {
    doc: Content,
    current: String,
    bytes: Vec<u8>,
    codepage: &'static Encoding,
    fonts: BTreeMap<i32, &'static Encoding>,
    /// The font being defined in the font table.
    defining: Option<i32>,
    group: Group,
    stack: Vec<Group>,
    /// Characters of a `\uN` fallback still to skip.
    skip_fallback: usize,
    rest: &'a [u8],
}

/// Reads an .rtf; the message says what is wrong with a file that is not one.
pub fn read(bytes: &[u8]) -> Result<Content, String> {
    if !bytes.starts_with(b"{\\rtf") {
        return Err("不是有效的 RTF 文档".into());
    }
    let group = Group { skip: false, uc: 1, font: None, in_fonttbl: false };
    let mut w = Walk {
        doc: Content::default(),
        current: String::new(),
        bytes: Vec::new(),
        codepage: encoding_rs::WINDOWS_1252,
        fonts: BTreeMap::new(),
        defining: None,
        group,
        stack: Vec::new(),
        skip_fallback: 0,
        rest: bytes,
    };
    while let Some((&c, rest)) = w.rest.split_first() {
        w.rest = rest;
        match c {
            b'{' => {
                w.flush();
                w.stack.push(w.group.clone());
                if w.stack.len() > 200 {
                    return Err("RTF 文档的嵌套层数过多，无法读取".into());
                }
            }
            b'}' => {
                w.flush();
                w.group = w.stack.pop().unwrap_or(w.group.clone());
            }
            b'\\' => w.control(),
            b'\r' | b'\n' => {}
            _ => w.byte(c),
        }
    }
    w.end_paragraph();
    Ok(w.doc)
}

impl Walk<'_> {
    fn encoding(&self) -> &'static Encoding {
        self.group.font.and_then(|f| self.fonts.get(&f).copied()).unwrap_or(self.codepage)
    }

    fn flush(&mut self) {
        if !self.bytes.is_empty() {
            let text = self.encoding().decode_without_bom_handling(&self.bytes).0.into_owned();
            self.current.push_str(&text);
            self.bytes.clear();
        }
    }

    fn byte(&mut self, b: u8) {
        if self.skip_fallback > 0 {
            self.skip_fallback -= 1;
        } else if !self.group.skip && !self.group.in_fonttbl {
            self.bytes.push(b);
        }
    }

    fn push(&mut self, c: char) {
        if !self.group.skip && !self.group.in_fonttbl {
            self.flush();
            self.current.push(c);
        }
    }

    fn end_paragraph(&mut self) {
        self.flush();
        let text = std::mem::take(&mut self.current);
        if !self.group.skip {
            self.doc.paragraph(&text);
        }
    }

    fn control(&mut self) {
        let Some((&c, rest)) = self.rest.split_first() else { return };
        if !c.is_ascii_alphabetic() {
            self.rest = rest;
            return match c {
                b'\'' => {
                    let hex = self.rest.get(..2).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
                    self.rest = self.rest.get(2..).unwrap_or_default();
                    if let Some(b) = hex {
                        self.byte(b);
                    }
                }
                b'*' => self.group.skip = true,
                b'~' => self.push('\u{a0}'),
                b'_' => self.push('-'),
                b'\\' | b'{' | b'}' => self.byte(c),
                b'\n' | b'\r' => self.end_paragraph(),
                _ => {}
            };
        }
        let word_len = self.rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let word = String::from_utf8_lossy(&self.rest[..word_len]).into_owned();
        self.rest = &self.rest[word_len..];
        let num_len = self.rest.iter().enumerate().take_while(|(i, b)| b.is_ascii_digit() || (*i == 0 && **b == b'-')).count();
        let param: Option<i32> = std::str::from_utf8(&self.rest[..num_len]).ok().and_then(|n| n.parse().ok());
        self.rest = &self.rest[num_len..];
        if self.rest.first() == Some(&b' ') {
            self.rest = &self.rest[1..];
        }
        self.word(&word, param);
    }

    fn word(&mut self, word: &str, param: Option<i32>) {
        // Word writes a picture twice: {\*\shppict{\pict…}} and a {\nonshppict{\pict…}} copy.
        if word == "shppict" {
            self.group.skip = self.stack.last().is_some_and(|g| g.skip);
            return;
        }
        if word == "pict" && !self.group.skip {
            self.doc.passed_over.push(self.doc.here());
        }
        if word == "fonttbl" {
            self.group.in_fonttbl = true;
            return;
        }
        if SKIPPED.contains(&word) {
            self.flush();
            self.group.skip = true;
            return;
        }
        if word != "u" {
            self.skip_fallback = 0;
        }
        match (word, param) {
            ("par" | "line" | "cell" | "row" | "sect" | "page", _) => self.end_paragraph(),
            ("tab", _) => self.push(' '),
            ("emdash", _) => self.push('—'),
            ("endash", _) => self.push('–'),
            ("lquote", _) => self.push('‘'),
            ("rquote", _) => self.push('’'),
            ("ldblquote", _) => self.push('“'),
            ("rdblquote", _) => self.push('”'),
            ("u", Some(n)) => {
                let n = if n < 0 { n + 65536 } else { n };
                if let Some(ch) = u32::try_from(n).ok().and_then(char::from_u32) {
                    self.push(ch);
                }
                self.skip_fallback = self.group.uc;
            }
            ("uc", Some(n)) => self.group.uc = usize::try_from(n).unwrap_or(1),
            ("ansicpg", Some(n)) => self.codepage = codepage(n),
            ("f", Some(n)) if self.group.in_fonttbl => self.defining = Some(n),
            ("f", Some(n)) => {
                self.flush();
                self.group.font = Some(n);
            }
            ("fcharset", Some(n)) if self.group.in_fonttbl => {
                if let (Some(f), Some(enc)) = (self.defining, charset(n)) {
                    self.fonts.insert(f, enc);
                }
            }
            _ => {}
        }
    }
}

/// A Windows code page's encoding (Chinese Windows' 936 when unknown).
fn codepage(n: i32) -> &'static Encoding {
    match n {
        1252 => encoding_rs::WINDOWS_1252,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        65001 => encoding_rs::UTF_8,
        _ => encoding_rs::GBK,
    }
}

/// A font's character set (`\fcharsetN`), when it names one other than the document's.
fn charset(n: i32) -> Option<&'static Encoding> {
    match n {
        134 => Some(encoding_rs::GBK),
        136 => Some(encoding_rs::BIG5),
        128 => Some(encoding_rs::SHIFT_JIS),
        129 => Some(encoding_rs::EUC_KR),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unicode_with_fallback_gbk_bytes_and_skipped_destinations() {
        // As Word writes Chinese: \'hh bytes in a font of charset 134, under \ansicpg1252.
        let rtf = br"{\rtf1\ansi\ansicpg1252\uc1{\fonttbl{\f0 Times;}{\f1\fcharset134 \'cb\'ce\'cc\'e5;}}{\*\generator Word;}
{\info{\title T}}\pard\f1 \'c4\'cf\'b4\'e5\'cf\'e7\f0\par
\u21335\'3f\u26449\'3f{\field{\*\fldinst PAGE}{\fldrslt 1}}\tab end\line {\pict\pngblip 89504e47}next\par}";
        let d = super::read(rtf).unwrap();
        assert_eq!(d.paragraphs().collect::<Vec<_>>(), ["南村乡", "南村1 end", "next"]);
        assert_eq!(d.passed_over, [3]);
    }
}
