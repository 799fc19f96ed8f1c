//! Text files as offices save them: one decoder for every text input (pieces, `plan.yaml`,
//! `config.yaml`), and YAML read with its errors told in Chinese, at the right line.

use serde::de::DeserializeOwned;

/// Folds full-width ASCII forms (Ａ１，) to half-width and the ideographic space to a space.
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Text as Windows Notepad and others save it: UTF-8 or UTF-16 with a byte-order mark, UTF-8,
/// or GB18030 (which includes GBK and GB2312, Notepad's “ANSI” on a Chinese PC). `None` when
/// it is none of these.
pub fn decode(bytes: &[u8]) -> Option<String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling_and_without_replacement(&bytes[bom..]).map(|s| s.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|s| s.into_owned())
}

/// Parses YAML text of any of the encodings `decode` reads. The error is Chinese, starts with
/// its line and column (第21行第3列：) and says what to do.
pub fn yaml<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = decode(bytes).ok_or("文字编码无法识别。请用记事本打开，另存为“UTF-8”编码。")?;
    serde_yaml::from_str(&text).map_err(|e| yaml_error(&e, &text))
}

/// serde_yaml's error, in Chinese, at its line.
fn yaml_error(e: &serde_yaml::Error, text: &str) -> String {
    let raw = e.to_string();
    if let Some(syntax) = syntax_error(&raw, e.location().map(|l| l.line()), text) {
        return syntax;
    }
    let raw = raw.split(" at line ").next().unwrap_or(&raw);
    // serde_yaml names the key path first (`rolling_plan.targets[0].poor_population: …`).
    let (path, raw) = match raw.split_once(": ") {
        Some((path, rest)) if !path.contains(char::is_whitespace) => (Some(path), rest),
        _ => (None, raw),
    };
    let (what, line) = explain(raw, text);
    let what = match path {
        Some(path) => format!("{path}：{what}"),
        None => what,
    };
    match (line, e.location()) {
        (Some(line), _) => format!("第{line}行：{what}"),
        (None, Some(l)) => format!("第{}行第{}列：{what}", l.line(), l.column()),
        (None, None) => what,
    }
}

/// What the error says, and the line it is really at when serde_yaml names another (a
/// duplicate key is reported at the start of its mapping).
fn explain(raw: &str, text: &str) -> (String, Option<usize>) {
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_string);
    // Our own messages (a date in config.yaml, say) are Chinese already; serde places them at
    // the start of their mapping, so the line is found by the value they quote.
    if raw.starts_with("invalid type: string") && (raw.contains('：') || raw.contains('，')) {
        return ("用了中文的冒号“：”或逗号“，”：YAML 要用英文的冒号“:”和逗号“,”，冒号后再加一个空格。".into(), None);
    }
    let serde_says = ["invalid type", "invalid value", "invalid length", "unknown ", "missing field", "duplicate "].iter().any(|p| raw.starts_with(p));
    if !raw.is_ascii() && !raw.contains('`') && !serde_says {
        let value = raw.split('"').nth(1).filter(|v| !v.is_empty());
        let line = value.and_then(|v| text.lines().position(|l| l.contains(v))).map(|i| i + 1);
        return (raw.to_string(), line);
    }
    if let Some(rest) = raw.strip_prefix("unknown field ") {
        let field = quoted(rest).unwrap_or_default();
        let known: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
        let expected = if known.is_empty() { String::new() } else { format!("可以写的项：{}。", known.join("、")) };
        return (format!("不认识的项“{field}”，请检查拼写。{expected}"), None);
    }
    if let Some(rest) = raw.strip_prefix("missing field ") {
        return (format!("缺少必填的项“{}”。", quoted(rest).unwrap_or_default()), None);
    }
    if let Some(rest) = raw.strip_prefix("duplicate field ").or_else(|| raw.strip_prefix("duplicate entry with key ")) {
        let key = quoted(rest).unwrap_or_else(|| rest.trim_matches('"').to_string());
        return (format!("“{key}”写了两次，每一项只能写一次。请删去或合并重复的一项。"), duplicate_line(text, &key));
    }
    if raw.starts_with("invalid type: ") || raw.starts_with("invalid value: ") {
        let value = raw.split_once(": ").map(|x| x.1).unwrap_or(raw);
        let (got, expected) = value.split_once(", expected ").unwrap_or((value, ""));
        let got = got.split('`').nth(1).unwrap_or(got);
        let got = got.strip_prefix("string ").map_or(got, |g| g.trim_matches('"'));
        return (format!("“{got}”不是这里要求的{}。", expected_cn(expected)), None);
    }
    if raw.contains("tab character") || raw.contains("found character that cannot start any token") {
        return ("含有制表符（Tab）或无法识别的字符。YAML 只能用空格缩进，请把 Tab 换成空格。".into(), None);
    }
    // Anything else libyaml or serde says is English: its kind of mistake is not known here.
    ("格式有误。请对照 docs/规划数据.md 中的写法检查这一行：冒号、缩进、括号和引号是否成对。".into(), None)
}

/// The YAML mistakes an office makes by hand (libyaml's scanner and parser messages), in
/// Chinese: an unclosed bracket or quote named at the line where it was opened as well as
/// where reading stopped; a tab; bad indentation; a missing colon or the space after it; a
/// full-width colon or comma.
fn syntax_error(raw: &str, stopped: Option<usize>, text: &str) -> Option<String> {
    // `…, while parsing a flow sequence at line 8 column 8`: where the construct began.
    let opened = |what: &str| raw.split_once(&format!("while {what} at line ")).and_then(|(_, r)| r.split(' ').next()?.parse::<usize>().ok());
    let at = stopped.map_or(String::new(), |l| format!("第{l}行"));
    let line_text = |l: Option<usize>| l.and_then(|l| text.lines().nth(l.checked_sub(1)?)).unwrap_or_default();
    let full_width = |l: Option<usize>| {
        let t = line_text(l);
        if t.contains('：') || t.contains('，') {
            "这一行用了中文的冒号“：”或逗号“，”：YAML 要用英文的冒号“:”和逗号“,”，冒号后再加一个空格。"
        } else {
            ""
        }
    };
    let msg = if raw.contains("did not find expected ',' or ']'") {
        let from = opened("parsing a flow sequence").map_or(String::new(), |l| format!("第{l}行的“[”"));
        format!("{at}：{from}没有对应的“]”（方括号没有闭合），或列表中两项之间少了逗号。请补上“]”或逗号。")
    } else if raw.contains("did not find expected ',' or '}'") {
        let from = opened("parsing a flow mapping").map_or(String::new(), |l| format!("第{l}行的“{{”"));
        format!("{at}：{from}没有对应的“}}”（花括号没有闭合），或两项之间少了逗号。请补上“}}”或逗号。")
    } else if raw.contains("while scanning a quoted scalar") {
        let from = opened("scanning a quoted scalar").map_or(String::new(), |l| format!("第{l}行"));
        format!("{from}的引号没有闭合：文字以引号开头，就要以同样的引号结尾。请补上引号（读到{at}仍未找到）。")
    } else if raw.contains("found character that cannot start any token") || raw.contains("tab character") {
        format!("{at}：含有制表符（Tab）或无法识别的字符。YAML 只能用空格缩进，请把 Tab 换成空格。{}", full_width(stopped))
    } else if raw.contains("could not find expected ':'") {
        format!("{at}：缺少冒号：每一项写作“名称: 值”，冒号是英文的“:”，冒号后要有一个空格。{}", full_width(stopped.map(|l| l.saturating_sub(1))))
    } else if raw.contains("mapping values are not allowed in this context") {
        format!("{at}：这里不能再有“名称: 值”：多半是缩进不对（同一层的项要对齐），或文字中有冒号（请把文字加上引号）。")
    } else if raw.contains("did not find expected key")
        || raw.contains("block sequence entries are not allowed")
        || raw.contains("did not find expected '-' indicator")
    {
        format!("{at}：缩进有误：同一层的项要用同样多的空格对齐，列表项“- ”要比它所属的名称多缩进。")
    } else if raw.contains("did not find expected node content") || raw.contains("found unexpected end of stream") {
        format!("{at}：这里缺少内容（冒号或“- ”之后什么也没有，或括号、引号没有闭合）。")
    } else {
        return None;
    };
    Some(msg)
}

/// What serde expected, as an office reads it.
fn expected_cn(expected: &str) -> &'static str {
    match expected {
        e if e.starts_with('u') && e[1..].chars().all(|c| c.is_ascii_digit()) => "非负整数",
        e if e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) => "整数",
        e if e.starts_with('f') => "数字",
        e if e.contains("string") || e.contains("char") => "文字",
        e if e.contains("sequence") => "列表（每项以“- ”开头，或写在 [ ] 中）",
        e if e.contains("map") || e.contains("struct") => "分项内容（“名称: 值”）",
        "a boolean" => "是非值（true 或 false）",
        _ => "写法",
    }
}

/// The line of the second `key:` at the same indentation as the first (1-based).
fn duplicate_line(text: &str, key: &str) -> Option<usize> {
    let mut seen: Vec<usize> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        let indent = line.len() - trimmed.len();
        let rest = trimmed.strip_prefix(key).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with(':')) {
            if seen.contains(&indent) {
                return Some(i + 1);
            }
            seen.push(indent);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        copies: u32,
        #[serde(default)]
        name: String,
    }

    #[test]
    fn errors_are_chinese_and_at_their_line() {
        let e = yaml::<T>(b"copies: 2\ncopys: 3\n").unwrap_err();
        assert!(e.starts_with("第2行") && e.contains("不认识的项“copys”") && e.contains("copies、name"), "{e}");
        let e = yaml::<T>(b"copies: -5500\n").unwrap_err();
        assert!(e.contains("copies：“-5500”不是这里要求的非负整数"), "{e}");
        let e = yaml::<T>(b"name: a\n").unwrap_err();
        assert!(e.contains("缺少必填的项“copies”"), "{e}");
        let e = yaml::<T>(b"copies: 1\nname: a\n\n\ncopies: 2\n").unwrap_err();
        assert!(e.starts_with("第5行") && e.contains("“copies”写了两次"), "{e}");
        let e = yaml::<T>(b"copies: 1\n\tname: a\n").unwrap_err();
        assert!(e.contains("制表符"), "{e}");
        assert!(!e.is_ascii());
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct P {
        county: String,
        years: Vec<u16>,
        #[serde(default)]
        townships: Vec<String>,
    }

    #[test]
    fn the_common_yaml_mistakes_are_told_in_chinese_with_where_they_began() {
        let err = |t: &str| yaml::<P>(t.as_bytes()).unwrap_err();
        // An unclosed bracket: where it was opened, and where reading stopped.
        let e = err("county: 某县\nyears: [2018, 2019, 2020\n\n# 乡镇\ntownships: [甲乡]\n\nrolling:\n  a: 1\n");
        assert!(e.contains("第2行的“[”没有对应的“]”"), "{e}");
        let e = err("county: \"某县\nyears: [2018]\n");
        assert!(e.contains("第1行的引号没有闭合"), "{e}");
        let e = err("county: 某县\n  years: [2018]\n");
        assert!(e.contains("缩进") || e.contains("冒号"), "{e}");
        let e = err("county：某县\nyears: [2018]\n");
        assert!(e.contains("中文的冒号"), "{e}");
        let e = err("county: 某县\nyears:\n\t- 2018\n");
        assert!(e.contains("制表符"), "{e}");
        for e in [err("county: 某县\nyears: [2018, 2019\nrolling:\n  a: 1\n"), err("county: 某县\nyears: {a: 1\nrolling:\n  a: 1\n")] {
            for english in ["string", "expected", "invalid", "found", "did not", "while", "parsing"] {
                assert!(!e.contains(english), "no English: {e}");
            }
        }
    }

    #[test]
    fn notepad_encodings_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("copies: 3\nname: 青石县\n");
        let t: T = yaml(&gbk).unwrap();
        assert_eq!((t.copies, t.name.as_str()), (3, "青石县"));
        let bom = [b"\xEF\xBB\xBF".as_slice(), "copies: 1\nname: 县\n".as_bytes()].concat();
        assert_eq!(yaml::<T>(&bom).unwrap().name, "县");
    }
}
