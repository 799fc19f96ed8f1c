//! Photos and tables of news pieces: a piece saved by Word (.docx), Word 97-2003 (.doc) or
//! LibreOffice (.odt) with a phone photo, its 图为… caption and a small table is set with the
//! photo scaled down (never embedded raw), captioned, and the table as a table, in the PDF and
//! the OFD alike; the archived bulletin carries the piece. Too many pictures is an error.

use crate::common;

use common::{copy_project, pdf_attachments, pdf_text, repo};
use jianbao::pieces::Block;

const STEM: &str = "03-南村乡-开展贫困劳动力技能培训";
const BULLETIN: &str = "2019-03/工作简报-2019年3月";

fn with_photo_piece(ext: &str) -> (tempfile::TempDir, jianbao::Options) {
    let (dir, opts) = copy_project();
    let name = format!("{STEM}.{ext}");
    std::fs::copy(repo().join("tests/fixtures/pieces").join(&name), opts.data.join("稿件/2019-03").join(&name)).unwrap();
    (dir, opts)
}

/// The kinds of a piece's blocks, with a photo's caption and a table's size.
fn shape(body: &[Block]) -> Vec<String> {
    body.iter()
        .map(|b| match b {
            Block::Paragraph { .. } => "段".to_string(),
            Block::Table { rows } => format!("表{}×{}", rows.len(), rows[0].len()),
            Block::Photo(p) => format!("图{}×{}：{}", p.pixels.0, p.pixels.1, p.caption.as_deref().unwrap_or("")),
        })
        .collect()
}

#[test]
fn a_photo_and_a_table_are_read_from_docx_doc_and_odt() {
    for ext in ["docx", "doc", "odt"] {
        let (_dir, opts) = with_photo_piece(ext);
        let checked = jianbao::check(&opts).unwrap();
        let p = checked.pieces.iter().find(|p| p.file.ends_with(&format!("{STEM}.{ext}"))).unwrap_or_else(|| panic!("{ext}"));
        let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.file == p.file && d.severity == jianbao::diag::Severity::Error).collect();
        assert!(errors.is_empty(), "{ext}: {errors:#?}");
        assert_eq!(p.title, "南村乡开展贫困劳动力技能培训", "{ext}");
        assert_eq!(p.source.as_deref(), Some("南村乡"), "{ext}");
        // 3264×2448 as the phone took it: 1600 on the long side as set.
        assert_eq!(shape(&p.body), ["段", "图1600×1200：图为培训现场。", "段", "表4×3", "段"], "{ext}");
        let Block::Table { rows } = &p.body[3] else { unreachable!() };
        assert_eq!(rows[1], ["中式烹调", "32人", "30人"], "{ext}");
        let photo = p.photos().next().unwrap();
        assert!(photo.bytes.len() < 600 * 1024, "{ext}: {} bytes", photo.bytes.len());
    }
}

/// The raster images on a PDF's pages: (width, height, bytes of the stream).
fn pdf_images(path: &std::path::Path) -> Vec<(i64, i64, Vec<u8>)> {
    let doc = lopdf::Document::load(path).unwrap();
    let mut out = Vec::new();
    for (_, obj) in doc.objects.iter() {
        if let Ok(stream) = obj.as_stream() {
            if stream.dict.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|n| n == b"Image") {
                let w = stream.dict.get(b"Width").and_then(|v| v.as_i64()).unwrap();
                let h = stream.dict.get(b"Height").and_then(|v| v.as_i64()).unwrap();
                out.push((w, h, stream.content.clone()));
            }
        }
    }
    out
}

#[test]
fn the_bulletin_sets_the_photo_captioned_and_the_table_in_pdf_and_ofd() {
    let (_dir, opts) = with_photo_piece("docx");
    let opts = jianbao::Options { formats: Some(vec![jianbao::config::Format::Pdf, jianbao::config::Format::Ofd]), ..opts };
    let built = jianbao::build(&opts).unwrap();
    assert!(built.held.is_empty(), "{:?}", built.held);
    let photo = jianbao::check(&opts).unwrap().pieces.iter().flat_map(|p| p.photos().cloned().collect::<Vec<_>>()).next().unwrap();
    let pdf = opts.out.join(format!("{BULLETIN}.pdf"));
    let images = pdf_images(&pdf);
    assert_eq!(images.len(), 1, "one photo");
    assert_eq!((images[0].0, images[0].1), (1600, 1200));
    assert_eq!(images[0].2, *photo.bytes, "the scaled JPEG, byte for byte");
    let text: String = pdf_text(&pdf).chars().filter(|c| !c.is_whitespace()).collect();
    for s in ["（三）南村乡开展贫困劳动力技能培训", "图为培训现场。", "专业人数结业", "中式烹调32人30人", "确保培训一人、就业一人。（南村乡供稿）"]
    {
        assert!(text.contains(s), "{s} not in the PDF");
    }
    // The OFD carries the same JPEG.
    let ofd = std::fs::read(opts.out.join(format!("{BULLETIN}.ofd"))).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(ofd)).unwrap();
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).filter(|n| n.ends_with(".jpeg") || n.ends_with(".jpg")).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(&names[0]).unwrap(), &mut bytes).unwrap();
    assert_eq!(bytes, *photo.bytes);
}

#[test]
fn the_archived_bulletin_carries_the_piece_with_its_photo() {
    let (_dir, opts) = with_photo_piece("docx");
    let req = jianbao::archive::Request {
        target: jianbao::archive::Target::month("2019-03".parse().unwrap()),
        date: Some("2019-04-05".parse().unwrap()),
        correction: false,
        skip_earlier: true,
    };
    let published = jianbao::archive::publish(&opts, &req).unwrap();
    let jianbao::archive::Outcome::Published { .. } = published.outcome else { panic!("{:?}", published.outcome) };
    let archived = walkdir::WalkDir::new(jianbao::archive::folder(&opts.out))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .unwrap();
    let attachments = pdf_attachments(archived.path());
    let docx = std::fs::read(repo().join("tests/fixtures/pieces").join(format!("{STEM}.docx"))).unwrap();
    assert!(attachments.values().any(|b| *b == docx), "{:?}", attachments.keys().collect::<Vec<_>>());
    assert_eq!(pdf_images(archived.path()).len(), 1);
    // The year is bound with the photo set again from the archived copy, and verifies.
    let req = jianbao::archive::Request { target: jianbao::archive::Target::Volume(2019), date: Some("2020-01-10".parse().unwrap()), ..req };
    let bound = jianbao::archive::publish(&opts, &req).unwrap();
    let jianbao::archive::Outcome::Published { path, .. } = bound.outcome else { panic!("{:?}", bound.outcome) };
    let images = pdf_images(&path);
    assert_eq!(images.len(), 1, "the bulletin's photo in the volume");
    assert_eq!(images, pdf_images(archived.path()), "the same photo, byte for byte");
    let checked = jianbao::archive::anchor::check(&opts.out, &path).unwrap();
    assert!(checked.checked == 1 && checked.findings.is_empty(), "verify --volume: {checked:?}");
}

#[test]
fn more_pictures_than_a_piece_may_carry_is_an_error() {
    let (_dir, opts) = with_photo_piece("docx");
    let path = opts.data.join("稿件/2019-03").join(format!("{STEM}.docx"));
    let bytes = common::rewrite(std::fs::read(&path).unwrap(), "word/document.xml", |xml| {
        let start = xml.find("<w:drawing>").unwrap();
        let end = xml.find("</w:drawing>").unwrap() + "</w:drawing>".len();
        let drawing = &xml[start..end];
        format!("{}{}{}", &xml[..start], drawing.repeat(jianbao::pieces::photo::MOST_PER_PIECE + 1), &xml[end..])
    });
    std::fs::write(&path, bytes).unwrap();
    let built = jianbao::build(&opts).unwrap();
    let e = built.diagnostics.iter().find(|d| d.code == "E-PIECE-IMAGE").expect("an error");
    assert!(e.message.contains("超过上限6张"), "{}", e.message);
    assert_eq!(built.held, [BULLETIN]);
}

#[test]
fn a_photo_file_named_like_its_piece_is_set_with_it_and_archived() {
    let (_dir, opts) = copy_project();
    let folder = opts.data.join("稿件/2019-03");
    let img = image::RgbImage::from_fn(2000, 1500, |x, y| image::Rgb([(x / 8) as u8, (y / 6) as u8, 90]));
    let mut jpeg = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    std::fs::write(folder.join("01-南村乡-召开脱贫攻坚推进会-1.jpg"), &jpeg).unwrap();
    std::fs::write(folder.join("现场.jpg"), &jpeg).unwrap();
    let checked = jianbao::check(&opts).unwrap();
    let p = checked.pieces.iter().find(|p| p.file.ends_with("01-南村乡-召开脱贫攻坚推进会.docx")).unwrap();
    assert!(matches!(p.body.last(), Some(Block::Photo(ph)) if ph.pixels == (1600, 1200)), "{:?}", shape(&p.body));
    let stray = checked.diagnostics.iter().find(|d| d.file == "稿件/2019-03/现场.jpg").expect("the stray photo is noted");
    assert_eq!(stray.code, "N-SKIPPED");
    let req = jianbao::archive::Request {
        target: jianbao::archive::Target::month("2019-03".parse().unwrap()),
        date: Some("2019-04-05".parse().unwrap()),
        correction: false,
        skip_earlier: true,
    };
    let jianbao::archive::Outcome::Published { .. } = jianbao::archive::publish(&opts, &req).unwrap().outcome else { panic!("not published") };
    let archived = walkdir::WalkDir::new(jianbao::archive::folder(&opts.out))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .unwrap();
    assert!(pdf_attachments(archived.path()).values().any(|b| *b == jpeg), "the photo file travels with the archived bulletin");
    assert_eq!(pdf_images(archived.path()).len(), 1);
}
