//! Document configuration (`config.yaml` in the data folder): masthead, office, distribution.

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Red masthead title (报头).
    pub masthead: String,
    /// Editing office, printed under the masthead.
    pub office: String,
    /// 版记 distribution lines: 报 (superiors), 送 (peers), 发 (townships and departments).
    pub distribution: Vec<Distribution>,
    /// Copies printed (共印N份).
    pub copies: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    pub label: String,
    pub text: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            masthead: "脱贫攻坚工作简报".into(),
            office: "渑池县脱贫攻坚领导小组办公室".into(),
            distribution: Vec::new(),
            copies: 0,
        }
    }
}

impl Config {
    /// Reads `config.yaml`; a missing file means the defaults.
    pub fn load(path: &Path) -> Result<Config> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_yaml::from_str(&text).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                msg: match e.location() {
                    Some(l) => format!("第{}行第{}列：{e}", l.line(), l.column()),
                    None => e.to_string(),
                },
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::io("读取配置文件", path, e)),
        }
    }
}
