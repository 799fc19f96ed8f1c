//! Data into Typst markup, safely: values interpolated by the narrative templates are escaped
//! by construction, so a spreadsheet value can never become markup or code.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Output, State};

/// Escapes text for Typst markup: every ASCII punctuation character is backslash-escaped
/// (Typst's `\x` is the literal `x` for any non-space `x`), and line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The minijinja formatter: every `{{ value }}` is escaped for Typst unless marked safe.
fn typst_formatter(out: &mut Output, state: &mut State, value: &Value) -> Result<(), minijinja::Error> {
    if value.is_safe() || *state.auto_escape() == AutoEscape::None {
        return write!(out, "{value}").map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()));
    }
    let text = if value.is_none() || value.is_undefined() { String::new() } else { value.to_string() };
    out.write_str(&escape(&text)).map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
}

/// A minijinja environment whose templates produce Typst markup with escaped values.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Custom("typst".into()));
    env.set_formatter(typst_formatter);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    super::filters::register(&mut env);
    env
}

/// Renders an office-editable narrative template; a broken template is an error with its name and line.
pub fn render_template(source: &str, name: &str, ctx: minijinja::Value) -> crate::base::error::Result<String> {
    let mut env = environment();
    env.add_template(name, source).map_err(|e| template_error(&e, name))?;
    let tmpl = env.get_template(name).map_err(|e| template_error(&e, name))?;
    tmpl.render(ctx).map_err(|e| template_error(&e, name))
}

/// A narrative template's error, in Chinese at its line: minijinja's own words (English) are
/// never passed on; what kind of mistake it is, and the line, are.
fn template_error(e: &minijinja::Error, name: &str) -> crate::base::error::Error {
    use minijinja::ErrorKind as K;
    let what = match e.kind() {
        K::SyntaxError => "语法错误：{{ }}、{% %} 没有成对，或 if、for 少了对应的 endif、endfor",
        K::UndefinedError => "用到了程序没有提供的名称（可能拼错了，请对照内置模板）",
        K::UnknownFilter => "用到了不存在的过滤器（“|”后面的名称，可用的见内置模板）",
        K::UnknownTest | K::UnknownFunction | K::UnknownMethod => "用到了不存在的函数或判断",
        K::TooManyArguments | K::MissingArgument => "函数或过滤器的参数个数不对",
        K::InvalidOperation | K::NonPrimitive | K::NonKey | K::CannotUnpack => "对这个值不能这样运算或取用",
        K::BadEscape | K::InvalidDelimiter => "转义或分隔符写法有误",
        K::TemplateNotFound | K::BadInclude | K::UnknownBlock => "引用的模板或块不存在",
        _ => "模板有误，无法生成正文",
    };
    let msg = match e.line() {
        Some(line) => format!("第{line}行：{what}"),
        None => what.to_string(),
    };
    crate::base::error::Error::Template { name: e.name().unwrap_or(name).to_string(), msg }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(escape("#read(\"/etc/passwd\")"), "\\#read\\(\\\"\\/etc\\/passwd\\\"\\)");
        assert_eq!(escape("*_[]$@<>`"), "\\*\\_\\[\\]\\$\\@\\<\\>\\`");
        assert_eq!(escape("关底村\n= 标题"), "关底村 \\= 标题");
        assert_eq!(escape("{{ 7*7 }}"), "\\{\\{ 7\\*7 \\}\\}");
    }

    #[test]
    fn broken_template_names_itself_and_its_line() {
        let err = render_template("第一行\n{{ 1 | nosuchfilter }}", "x.typ.j2", minijinja::context! {}).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("x.typ.j2") && msg.contains("第2行") && msg.contains("过滤器"), "{msg}");
        // minijinja's English never reaches the office.
        let prose = msg.replace("x.typ.j2", "");
        assert!(!prose.contains(|c: char| c.is_ascii_alphabetic()), "{msg}");
        let err = render_template("{% if x %}没有结束", "y.typ.j2", minijinja::context! {}).unwrap_err().to_string();
        assert!(err.contains("语法错误") && !["syntax", "unexpected", "expected", "block"].iter().any(|w| err.contains(w)), "{err}");
    }

    #[test]
    fn templates_escape_values() {
        let env = environment();
        let out = env.render_str("名称：{{ name }}，{{ n }}人", minijinja::context! { name => "#x[y]", n => 12 }).unwrap();
        assert_eq!(out, "名称：\\#x\\[y\\]，12人");
    }
}
