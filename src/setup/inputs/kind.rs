//! What a file is, by its bytes: the one rule for every input whose name may lie (a `.xls`
//! saved as `.xlsx`, WPS's `.et`, a `.doc` named `.docx`, a web page exported as `.xls`, a
//! file cut short in the mail). Extensions only choose where a file is looked for; what it is
//! read as is decided here.

use std::io::{Cursor, Read};

/// A file's format, as its bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No bytes at all.
    Empty,
    /// Excel 2007+ (`.xlsx`, `.xlsm`, WPS saving as xlsx).
    Xlsx,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
    /// Excel 97-2003 or WPS Spreadsheets (`.xls`, `.et`): a compound file with a workbook stream.
    Xls,
    /// Word 97-2003 or WPS Writer (`.doc`, `.wps`): a compound file with a WordDocument stream.
    Doc,
    /// A document saved with a password (Office's encrypted package, or an encrypted `.xls`/`.doc`).
    Encrypted,
    /// Word 2007+ (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// A ZIP archive of other files.
    Zip,
    /// A 7-Zip archive.
    SevenZip,
    /// A RAR archive.
    Rar,
    Pdf,
    Rtf,
    /// A web page (what web systems export as "Excel"), or Excel's 2003 XML spreadsheet.
    Html,
    /// Text with separated columns (a CSV or tab-separated export).
    Csv,
    /// Other plain text.
    Text,
    /// JPEG, PNG, GIF, BMP, WebP or TIFF.
    Image,
    /// A ZIP or compound file that is cut short or damaged: its structure cannot be read.
    Damaged,
    /// None of the above.
    Other,
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl Kind {
    /// The kind of `bytes`.
    pub fn of(bytes: &[u8]) -> Kind {
        if bytes.is_empty() {
            Kind::Empty
        } else if bytes.starts_with(OLE2) {
            compound(bytes)
        } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            zip_kind(bytes)
        } else if bytes.starts_with(b"7z\xBC\xAF\x27\x1C") {
            Kind::SevenZip
        } else if bytes.starts_with(b"Rar!\x1A\x07") {
            Kind::Rar
        } else if bytes.starts_with(b"%PDF") {
            Kind::Pdf
        } else if bytes.starts_with(b"{\\rtf") {
            Kind::Rtf
        } else if is_image(bytes) {
            Kind::Image
        } else {
            text_kind(bytes)
        }
    }

    /// Whether a spreadsheet reader reads it.
    pub fn is_workbook(self) -> bool {
        matches!(self, Kind::Xlsx | Kind::Ods | Kind::Xls)
    }

    /// What it is, in the words of a message: `网页文件`, `Word 文档`.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Empty => "空文件",
            Kind::Xlsx | Kind::Xls => "Excel 工作簿",
            Kind::Ods => "OpenDocument 电子表格",
            Kind::Doc | Kind::Docx => "Word 文档",
            Kind::Odt => "OpenDocument 文本文档",
            Kind::Encrypted => "设有密码的文件",
            Kind::Zip => "ZIP 压缩包",
            Kind::SevenZip => "7z 压缩包",
            Kind::Rar => "RAR 压缩包",
            Kind::Pdf => "PDF 文件",
            Kind::Rtf => "RTF 文档",
            Kind::Html => "网页文件",
            Kind::Csv => "CSV 文本表格",
            Kind::Text => "纯文本文件",
            Kind::Image => "图片",
            Kind::Damaged => "不完整或已损坏的文件",
            Kind::Other => "无法识别格式的文件",
        }
    }
}

/// A compound file: which program's by its streams.
fn compound(bytes: &[u8]) -> Kind {
    let Ok(cfb) = cfb::CompoundFile::open(Cursor::new(bytes)) else { return Kind::Damaged };
    let has = |name: &str| cfb.is_stream(name);
    if has("/EncryptedPackage") || has("/EncryptionInfo") {
        Kind::Encrypted
    } else if has("/Workbook") || has("/Book") {
        if xls_has_password(cfb) {
            Kind::Encrypted
        } else {
            Kind::Xls
        }
    } else if has("/WordDocument") {
        Kind::Doc
    } else {
        Kind::Other
    }
}

/// Whether an .xls workbook stream carries a FILEPASS record (saved with a password to open)
/// among its first records.
fn xls_has_password(mut cfb: cfb::CompoundFile<Cursor<&[u8]>>) -> bool {
    const FILEPASS: u16 = 0x002F;
    const EOF: u16 = 0x000A;
    let path = if cfb.is_stream("/Workbook") { "/Workbook" } else { "/Book" };
    let mut head = Vec::new();
    let Ok(s) = cfb.open_stream(path) else { return false };
    if s.take(64 * 1024).read_to_end(&mut head).is_err() {
        return false;
    }
    let mut at = 0;
    while at + 4 <= head.len() {
        let kind = u16::from_le_bytes([head[at], head[at + 1]]);
        let len = usize::from(u16::from_le_bytes([head[at + 2], head[at + 3]]));
        match kind {
            FILEPASS => return true,
            EOF => return false,
            _ => at += 4 + len,
        }
    }
    false
}

/// A ZIP container: an Office or OpenDocument file by its parts, else an archive of files.
fn zip_kind(bytes: &[u8]) -> Kind {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Kind::Damaged };
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.to_ascii_lowercase().replace('\\', "/"))).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    // Office's parts, whole or not, whatever the case of their names and their separator (some
    // writers use lower case, or `\`): a workbook with a part missing is still a workbook (that cannot be opened),
    // never an archive of files.
    let under = |folder: &str| names.iter().any(|x| x.starts_with(folder));
    if under("xl/") {
        return Kind::Xlsx;
    }
    if under("word/") {
        return Kind::Docx;
    }
    // Another Office package (a presentation, a theme): its parts are no files of ours.
    if has("[content_types].xml") {
        return Kind::Other;
    }
    if has("mimetype") {
        let mut mime = String::new();
        if let Ok(f) = zip.by_name("mimetype") {
            let _ = f.take(100).read_to_string(&mut mime);
        }
        match mime.trim() {
            "application/vnd.oasis.opendocument.spreadsheet" => return Kind::Ods,
            "application/vnd.oasis.opendocument.text" => return Kind::Odt,
            _ => {}
        }
    }
    Kind::Zip
}

fn is_image(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xD8, 0xFF])
        || b.starts_with(b"\x89PNG\r\n\x1A\n")
        || b.starts_with(b"GIF8")
        || b.starts_with(b"BM")
        || b.starts_with(b"II*\0")
        || b.starts_with(b"MM\0*")
        || (b.len() > 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP")
}

/// Text: a web page or XML spreadsheet, columns separated by commas or tabs, or plain text;
/// bytes that are no text (control characters) are `Other`.
fn text_kind(bytes: &[u8]) -> Kind {
    let head = &bytes[..bytes.len().min(4096)];
    let (text, _, _) = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let enc = if head[0] == 0xFF { encoding_rs::UTF_16LE } else { encoding_rs::UTF_16BE };
        enc.decode(head)
    } else if std::str::from_utf8(head).is_ok() || head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        encoding_rs::UTF_8.decode(head)
    } else {
        encoding_rs::GB18030.decode(head)
    };
    let controls = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{feff}')).count();
    if controls > 0 {
        return Kind::Other;
    }
    let lower = text.trim_start_matches('\u{feff}').trim_start().to_lowercase();
    let markup = ["<!doctype html", "<html", "<table", "<head", "<meta"];
    if markup.iter().any(|m| lower.contains(m)) || lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
        return Kind::Html;
    }
    let lines: Vec<&str> = lower.lines().filter(|l| !l.trim().is_empty()).take(5).collect();
    let separated = |sep: char| !lines.is_empty() && lines.iter().all(|l| l.contains(sep));
    if separated(',') || separated('\t') || separated('，') {
        Kind::Csv
    } else {
        Kind::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_their_bytes() {
        assert_eq!(Kind::of(b""), Kind::Empty);
        assert_eq!(Kind::of(b"\xEF\xBB\xBF<html><body><table><tr><td>1</td></tr></table>"), Kind::Html);
        assert_eq!(Kind::of("乡镇,村名,人口\n南村乡,关底村,100\n".as_bytes()), Kind::Csv);
        assert_eq!(Kind::of("说明\n这是文字".as_bytes()), Kind::Text);
        assert_eq!(Kind::of(b"PK\x03\x04\x14\x00\x00\x00"), Kind::Damaged);
        assert_eq!(Kind::of(b"%PDF-1.7"), Kind::Pdf);
        assert_eq!(Kind::of(&[0xFF, 0xD8, 0xFF, 0xE0]), Kind::Image);
        assert_eq!(Kind::of(&[0x00, 0x01, 0x02, 0x03]), Kind::Other);
    }

    #[test]
    fn a_zip_is_told_by_its_parts() {
        let zip_of = |names: &[(&str, &[u8])]| {
            let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (n, b) in names {
                z.start_file(*n, zip::write::SimpleFileOptions::default()).unwrap();
                std::io::Write::write_all(&mut z, b).unwrap();
            }
            z.finish().unwrap().into_inner()
        };
        assert_eq!(Kind::of(&zip_of(&[("xl/workbook.xml", b"<x/>")])), Kind::Xlsx);
        assert_eq!(Kind::of(&zip_of(&[("word/document.xml", b"<x/>")])), Kind::Docx);
        assert_eq!(Kind::of(&zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text")])), Kind::Odt);
        assert_eq!(Kind::of(&zip_of(&[("2019-03/a.xlsx", b"x")])), Kind::Zip);
        let whole = zip_of(&[("a.xlsx", b"x")]);
        assert_eq!(Kind::of(&whole[..whole.len() - 10]), Kind::Damaged);
    }
}
