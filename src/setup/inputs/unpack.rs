//! Archives a month is passed on in (a township office or the county's mailbox zips the
//! workbooks): a `.zip`'s files are read as if they lay in the folder, under the archive's own
//! path (`submissions/2019-03.zip/南村乡.xlsx`), within the same limits as a workbook. Names
//! written by Chinese Windows (GBK, without the UTF-8 flag) are decoded as such. A `.7z` is read
//! the same way (`sevenz-rust2`, pure Rust); `.rar` is not read (no maintained crate builds for
//! every release target without a C++ toolchain): it is refused with what to do.

use std::io::{Cursor, Read};
use std::sync::Arc;

use super::kind::Kind;
use super::{limits, sha256, File, Refused, Shared, Submission, Why};

/// Archives inside archives are opened this deep, no deeper.
const DEPTH: usize = 3;

/// What is read as a report: every file of `files` that is no archive, and every file inside
/// the archives among them (nested ones opened too), each with its kind, told once; and the
/// archives or members that cannot be read.
pub fn unpack(files: &[File]) -> (Vec<Submission>, Vec<Refused>) {
    let (mut found, mut refused) = (Vec::new(), Vec::new());
    for f in files {
        open(f.clone(), 1, &mut found, &mut refused);
    }
    found.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    (found, refused)
}

fn open(f: File, depth: usize, found: &mut Vec<Submission>, refused: &mut Vec<Refused>) {
    let refuse = |why: String| Refused { rel: f.rel.clone(), path: f.path.clone(), stamp: f.stamp, why: Why::Archive(why) };
    let members = match Kind::of(&f.bytes) {
        Kind::Zip if depth > DEPTH => Err(format!("压缩包嵌套超过 {DEPTH} 层，未读取。请解压后放入数据文件夹")),
        Kind::Zip => members(&f),
        Kind::SevenZip => seven_zip_members(&f),
        Kind::Rar => Err("RAR 压缩包不能直接读取。请解压后把其中的报表放入数据文件夹，或改用 .zip 压缩".into()),
        kind => return found.push(Submission { file: f, kind }),
    };
    match members {
        Ok(members) if members.is_empty() => refused.push(refuse("压缩包中没有文件，请乡镇重新压缩后发送".into())),
        Ok(members) => members.into_iter().for_each(|m| open(m, depth + 1, found, refused)),
        Err(why) => refused.push(refuse(why)),
    }
}

/// The files of a zip archive (folders and files never read by name left out).
fn members(zip_file: &File) -> Result<Vec<File>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(&zip_file.bytes[..])).map_err(|_| "压缩包已损坏或不完整".to_string())?;
    if zip.len() > limits::ZIP_ENTRIES {
        return Err(format!("压缩包内有 {} 个文件，超过上限 {} 个", zip.len(), limits::ZIP_ENTRIES));
    }
    let mut total: u64 = 0;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| "压缩包已损坏或不完整".to_string())?;
        let name = member_name(entry.name_raw());
        if entry.is_dir() || name.split('/').any(|part| super::discover::passed_over_by_name(part) || part == "__MACOSX") {
            continue;
        }
        if entry.encrypted() {
            return Err("压缩包设有密码".into());
        }
        let mut bytes = Vec::new();
        let read = (&mut entry).take(limits::WORKBOOK + 1).read_to_end(&mut bytes);
        read.map_err(|_| format!("压缩包中的“{name}”无法解压（已损坏或不完整）"))?;
        total += bytes.len() as u64;
        if bytes.len() as u64 > limits::WORKBOOK || total > limits::UNZIPPED {
            return Err(format!("解压后超过上限 {}（疑为压缩炸弹）", super::megabytes(limits::UNZIPPED)));
        }
        let rel = format!("{}/{}", zip_file.rel, name.trim_start_matches('/'));
        out.push(File { sha256: sha256(&bytes), rel, path: zip_file.path.clone(), bytes: Shared::Read(Arc::new(bytes)), stamp: None });
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// The files of a 7z archive, within the same limits as a zip's.
fn seven_zip_members(archive: &File) -> Result<Vec<File>, String> {
    use sevenz_rust2::{ArchiveReader, Password};
    let broken = |_| "7z 压缩包已损坏、不完整，或用了本程序不支持的压缩方式或密码。请解压后放入，或改用 .zip 压缩".to_string();
    let mut reader = ArchiveReader::new_with_memory_limit(Cursor::new(&archive.bytes[..]), Password::empty(), 256 * 1024).map_err(broken)?;
    if reader.archive().files.len() > limits::ZIP_ENTRIES {
        return Err(format!("压缩包内有 {} 个文件，超过上限 {} 个", reader.archive().files.len(), limits::ZIP_ENTRIES));
    }
    let (mut out, mut total, mut too_large) = (Vec::new(), 0u64, false);
    reader
        .for_each_entries(|entry, r| {
            let name = entry.name.replace('\\', "/");
            let mut bytes = Vec::new();
            r.take(limits::WORKBOOK + 1).read_to_end(&mut bytes)?;
            total += bytes.len() as u64;
            if bytes.len() as u64 > limits::WORKBOOK || total > limits::UNZIPPED {
                too_large = true;
                return Ok(false);
            }
            let hidden = name.split('/').any(|part| super::discover::passed_over_by_name(part) || part == "__MACOSX");
            if !entry.is_directory && entry.has_stream && !hidden {
                let rel = format!("{}/{}", archive.rel, name.trim_start_matches('/'));
                out.push(File { sha256: sha256(&bytes), rel, path: archive.path.clone(), bytes: Shared::Read(Arc::new(bytes)), stamp: None });
            }
            Ok(true)
        })
        .map_err(broken)?;
    if too_large {
        return Err(format!("解压后超过上限 {}（疑为压缩炸弹）", super::megabytes(limits::UNZIPPED)));
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// A member's name: UTF-8 when its bytes are (with or without the UTF-8 flag: 7-Zip and
/// macOS write UTF-8 without it), else the code page of Chinese Windows (GBK, read as GB18030).
/// Backslashes some Windows tools write are folder separators.
fn member_name(raw: &[u8]) -> String {
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    };
    name.replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            z.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut z, bytes).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    fn file(rel: &str, bytes: Vec<u8>) -> File {
        File { sha256: sha256(&bytes), rel: rel.into(), path: rel.into(), bytes: Shared::Read(Arc::new(bytes)), stamp: None }
    }

    #[test]
    fn names_in_gbk_are_decoded() {
        let gbk = encoding_rs::GBK.encode("南村乡2019年3月报表.xlsx").0.into_owned();
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(member_name(&gbk), "南村乡2019年3月报表.xlsx");
        assert_eq!(member_name("2019-03\\南村乡.xlsx".as_bytes()), "2019-03/南村乡.xlsx");
    }

    #[test]
    fn a_zip_within_a_zip_is_opened_and_hidden_files_are_not() {
        let inner = zip_of(&[("a.xlsx", b"x")]);
        let outer = zip_of(&[("inner.zip", &inner), ("__MACOSX/._a.xlsx", b"y"), ("~$b.xlsx", b"z"), ("c.xlsx", b"w")]);
        let (found, refused) = unpack(&[file("submissions/m.zip", outer)]);
        assert!(refused.is_empty(), "{refused:?}");
        let names: Vec<&str> = found.iter().map(|f| f.file.rel.as_str()).collect();
        assert_eq!(names, ["submissions/m.zip/c.xlsx", "submissions/m.zip/inner.zip/a.xlsx"]);
    }

    #[test]
    fn a_rar_is_refused_with_what_to_do() {
        let (found, refused) = unpack(&[file("submissions/m.rar", b"Rar!\x1A\x07\x01\x00rest".to_vec())]);
        assert!(found.is_empty());
        assert!(matches!(&refused[0].why, Why::Archive(m) if m.contains("请解压")), "{refused:?}");
    }
}
