//! Sample pieces (示例稿件) for the bundled data folder, and a small .docx writer (zip + the
//! WordprocessingML a word processor needs) for them and for tests: paragraphs, headings,
//! tables and placeholder images.

use std::io::Write;

use zip::write::SimpleFileOptions;

/// A block of a .docx to write.
#[derive(Debug, Clone)]
pub enum Block {
    Para(String),
    /// A paragraph in the built-in style Heading 1 (Word shows it as 标题 1).
    Heading(String),
    /// Rows of cells, one paragraph each.
    Table(Vec<Vec<String>>),
    /// A drawing (an inline picture frame without picture data: what the reader must pass over).
    Image,
}

/// A minimal, valid .docx holding `blocks`; the same blocks give the same bytes.
pub fn docx(title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut body = String::new();
    for b in blocks {
        body.push_str(&block(b));
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title></cp:coreProperties>"#,
        escape(title)
    );
    let parts: [(&str, &str); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("docProps/core.xml", &core),
        ("word/document.xml", &document),
        ("word/styles.xml", STYLES),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).last_modified_time(zip::DateTime::default());
    for (name, text) in parts {
        zip.start_file(name, options).expect("writing to memory");
        zip.write_all(text.as_bytes()).expect("writing to memory");
    }
    zip.finish().expect("writing to memory").into_inner()
}

fn block(b: &Block) -> String {
    let run = |t: &str| format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, escape(t));
    match b {
        Block::Para(t) => format!("<w:p>{}</w:p>", run(t)),
        Block::Heading(t) => format!(r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>{}</w:p>"#, run(t)),
        Block::Table(rows) => {
            let rows: String = rows
                .iter()
                .map(|r| format!("<w:tr>{}</w:tr>", r.iter().map(|c| format!("<w:tc><w:p>{}</w:p></w:tc>", run(c))).collect::<String>()))
                .collect();
            format!("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>{rows}</w:tbl>")
        }
        Block::Image => r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="图片 1"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphic></wp:inline></w:drawing></w:r></w:p>"#.into(),
    }
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>"#;

/// The bundled sample's pieces (示例稿件): path under the data folder, and contents. Invented
/// for the sample, marked 示例 in their titles; one .docx, .txt and .md.
pub fn bundled() -> Vec<(String, Vec<u8>)> {
    let paras = |ps: &[&str]| ps.iter().map(|p| Block::Para(p.to_string())).collect::<Vec<_>>();
    let nancun = paras(&[
        "南村乡召开脱贫攻坚推进会（示例）",
        "3月12日，南村乡召开脱贫攻坚工作推进会，乡党委、政府班子成员，各村党支部书记、驻村第一书记参加会议。",
        "会议通报了今年以来全乡脱贫攻坚工作进展情况，对照全县脱贫攻坚三年行动计划，逐村分析剩余贫困人口的致贫原因和帮扶措施，要求各村按月倒排工作任务，确保年度目标按时完成。",
        "会议强调，要把扶贫项目建设和资金拨付作为当前工作重点，对进度滞后的项目逐一落实责任人，加快推进。",
    ]);
    let training = "县人社局开展贫困劳动力技能培训（示例）\r\n\
        \u{3000}\u{3000}近日，县人社局在天池镇举办贫困劳动力技能培训班，开设家政服务、电工、烹饪三个专业，参训贫困劳动力86人。\r\n\
        \u{3000}\u{3000}培训结束后，对考核合格的学员发放职业技能培训合格证书，并组织用工企业现场招聘，当场达成就业意向31人。\r\n\
        供稿：县人社局\r\n";
    let pepper = "段村乡花椒产业带动贫困户增收（示例）\n\
        段村乡立足山区实际，把花椒产业作为脱贫攻坚的主导产业，采取“合作社＋基地＋贫困户”的模式，全乡发展花椒种植3200亩，带动贫困户415户。\n\
        一是统一供苗。乡里统一采购优质花椒苗木，免费发放给贫困户，减少群众投入。\n\
        二是技术服务。聘请县林业部门技术人员，在修剪、施肥、病虫害防治等关键环节开展现场指导。\n\
        三是保底收购。合作社与贫困户签订收购协议，按不低于市场价收购，解决贫困户销售难题。\n\
        2018年，全乡贫困户户均花椒收入达到4200元。\n";
    let hongyang = "# 洪阳镇开展年终脱贫成效自查（示例）\n\n\
        12月上旬，洪阳镇组织镇村干部，对全镇建档立卡贫困户逐户开展脱贫成效自查，\n\
        重点核查“两不愁三保障”落实情况和帮扶措施到户情况。\n\n\
        自查共走访贫困户612户，发现并整改问题23个，已全部建立台账、限期销号。\n\n\
        来源：洪阳镇\n";
    vec![
        ("稿件/2019-03/01-南村乡-召开脱贫攻坚推进会.docx".into(), docx("南村乡召开脱贫攻坚推进会", &nancun)),
        ("稿件/2019-03/02-县人社局-开展贫困劳动力技能培训.txt".into(), training.as_bytes().to_vec()),
        ("稿件/2019-03/经验做法/段村乡花椒产业带动贫困户增收.txt".into(), pepper.as_bytes().to_vec()),
        ("稿件/2018-12/01-洪阳镇-开展年终脱贫成效自查.md".into(), hongyang.as_bytes().to_vec()),
    ]
}
