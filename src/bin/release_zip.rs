//! Maintainers' release tool (scripts/release.sh): zips a staged folder reproducibly, with
//! every name flagged UTF-8 (general-purpose bit 11), so that Explorer on Chinese Windows
//! unpacks 使用说明.txt and 字体许可/ under their own names instead of reading the bytes as GBK.
//! Entries are sorted by path, with one fixed time (`SOURCE_DATE_EPOCH`), the Unix "made by"
//! system and fixed permissions: the same folder gives the same bytes.
//!
//! Usage: release-zip <folder> <out.zip>   (the folder's own name is the archive's top folder)

use std::io::Write;
use std::path::Path;

use zip::write::SimpleFileOptions;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [folder, out] = args.as_slice() else { return Err("usage: release-zip <folder> <out.zip>".into()) };
    let epoch: i64 = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse().ok()).unwrap_or(315_532_800);
    let bytes = zip_folder(Path::new(folder), epoch)?;
    std::fs::write(out, bytes)?;
    Ok(())
}

/// The zip of `folder` (its name the top folder of every entry).
fn zip_folder(folder: &Path, epoch: i64) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let root = folder.parent().unwrap_or(Path::new(""));
    let time = zip_time(epoch)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let entry = entry?;
        let rel: Vec<String> = entry.path().strip_prefix(root)?.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let name = rel.join("/");
        let executable = entry.file_name().to_string_lossy().ends_with(".exe") || entry.file_name() == "jianbao";
        let options = SimpleFileOptions::default()
            .system(zip::System::Unix)
            .last_modified_time(time)
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(if entry.file_type().is_dir() || executable { 0o755 } else { 0o644 });
        if entry.file_type().is_dir() {
            zip.add_directory(name, options)?;
        } else {
            zip.start_file(name, options)?;
            zip.write_all(&std::fs::read(entry.path())?)?;
        }
    }
    Ok(zip.finish()?.into_inner())
}

/// `SOURCE_DATE_EPOCH` as a zip (MS-DOS) time, in UTC.
fn zip_time(epoch: i64) -> Result<zip::DateTime, Box<dyn std::error::Error>> {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = jianbao::period::civil(days);
    let t = zip::DateTime::from_date_and_time(y, m, d, (secs / 3600) as u8, (secs % 3600 / 60) as u8, (secs % 60) as u8)?;
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_carry_the_utf8_flag_and_the_same_folder_gives_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("jianbao-0.1.0-windows-x86_64");
        std::fs::create_dir_all(top.join("字体许可")).unwrap();
        std::fs::write(top.join("使用说明.txt"), "说明").unwrap();
        std::fs::write(top.join("字体许可/COPYING-Fandol.txt"), "GPL").unwrap();
        let a = zip_folder(&top, 1_700_000_000).unwrap();
        assert_eq!(a, zip_folder(&top, 1_700_000_000).unwrap());
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let mut names = Vec::new();
        for i in 0..z.len() {
            let f = z.by_index_raw(i).unwrap();
            names.push(f.name().unwrap().to_string());
        }
        assert!(names.contains(&"jianbao-0.1.0-windows-x86_64/使用说明.txt".to_string()), "{names:?}");
        // Bit 11 of each central-directory entry's flags (offset 8 after the signature).
        let bytes = z.into_inner().into_inner();
        let flags: Vec<u16> = bytes.windows(10).filter(|w| w[..4] == *b"PK\x01\x02").map(|w| u16::from_le_bytes([w[8], w[9]])).collect();
        assert_eq!(flags.len(), names.len());
        for (n, f) in names.iter().zip(&flags) {
            assert!(n.is_ascii() || f & 0x800 != 0, "{n} has no UTF-8 flag");
        }
    }
}
