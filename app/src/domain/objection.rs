//! An objection (异议) as the public files it: real-name (实名), with a way to reach the person,
//! and a length-checked text. Pure validation; limits on how often are applied by the caller.

use crate::domain::packet::{clean_text, FieldErrors, FormFields};

pub const MIN_BODY: usize = 10;
pub const MAX_BODY: usize = 1_000;
/// Objections accepted from one address per hour (offices and kiosks share addresses).
pub const MAX_PER_ADDRESS_PER_HOUR: i64 = 5;

/// How the notice manager found an objection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 异议成立: the objection holds; the nomination cannot go on until it is dealt with.
    Upheld,
    /// 异议不成立
    Dismissed,
}

impl Outcome {
    pub const ALL: [Outcome; 2] = [Outcome::Upheld, Outcome::Dismissed];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Upheld => "upheld",
            Outcome::Dismissed => "dismissed",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Objection {
    pub name: String,
    pub contact: String,
    pub body: String,
}

fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        && s.len() <= 100
}

pub fn parse(fields: &FormFields) -> Result<Objection, FieldErrors> {
    let get = |k: &str| clean_text(fields.get(k).map(String::as_str).unwrap_or(""));
    let mut errors = FieldErrors::new();
    let name = get("name");
    let n = name.chars().count();
    if !(2..=30).contains(&n)
        || name
            .chars()
            .any(|c| c.is_ascii_digit() || c == '<' || c == '>')
    {
        errors.insert(
            "name".into(),
            "请填写真实姓名（实名）/ give your real name".into(),
        );
    }
    let contact = get("contact");
    if !is_phone(&contact) && !is_email(&contact) {
        errors.insert(
            "contact".into(),
            "请填写可联系到您的电话或电子邮箱 / a phone number or e-mail address".into(),
        );
    }
    let body = get("body");
    let b = body.chars().count();
    if !(MIN_BODY..=MAX_BODY).contains(&b) {
        errors.insert(
            "body".into(),
            format!("异议内容 {MIN_BODY} 至 {MAX_BODY} 字，现为 {b} 字 / {MIN_BODY}–{MAX_BODY} characters, now {b}"),
        );
    }
    if errors.is_empty() {
        Ok(Objection {
            name,
            contact,
            body,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, contact: &str, body: &str) -> FormFields {
        [("name", name), ("contact", contact), ("body", body)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn real_name_and_contact_required() {
        let ok = parse(&form(
            "李明",
            "138-0000-0000",
            "该候选人的事迹材料与实际不符。",
        ))
        .unwrap();
        assert_eq!(ok.name, "李明");
        assert!(parse(&form(
            "李明",
            "li@example.cn",
            "该候选人的事迹材料与实际不符。"
        ))
        .is_ok());
        let e = parse(&form("", "abc", "短")).unwrap_err();
        assert_eq!(e.len(), 3);
        assert!(parse(&form("李明", "123", "该候选人的事迹材料与实际不符。")).is_err());
        assert!(parse(&form("李明", "13800000000", &"长".repeat(1001))).is_err());
    }
}
