//! The nomination packet as the nominating unit fills it in: parsing a submitted form into a
//! validated packet, with a message for each field at fault (shown next to that field). Pure
//! domain code: no storage, no HTTP.

use std::collections::BTreeMap;

use crate::domain::honours::honour_category;
use crate::domain::names::{validate_name, MAX_FULL_DEEDS, MAX_SHORT_DEEDS};

/// The recommendation report (一报告) may be long, but not unbounded.
pub const MAX_REPORT: usize = 5_000;
pub const MAX_FIELD: usize = 60;
pub const MAX_ORGANISATION_NAME: usize = 60;

/// A form as submitted: every field a string, exactly as typed (kept to show it again on error).
pub type FormFields = BTreeMap<String, String>;

/// Messages per field name, in Chinese with English.
pub type FieldErrors = BTreeMap<String, String>;

/// A validated packet. Drafts may leave the report and deeds empty; submitting needs them
/// (`is_complete`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Packet {
    pub category: String,
    pub year: i32,
    /// `person`, `organisation` or `team`: follows from the honour.
    pub candidate_kind: String,
    pub candidate_name: String,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub birth_year: Option<i32>,
    pub work_unit: Option<String>,
    pub post: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub frontline: bool,
    pub scitech: bool,
    pub manager: bool,
    pub report: String,
    pub deeds_short: String,
    pub deeds_full: String,
}

impl Packet {
    /// The report and both deeds texts are present (the guard on submitting).
    pub fn is_complete(&self) -> bool {
        !self.report.trim().is_empty()
            && !self.deeds_short.trim().is_empty()
            && !self.deeds_full.trim().is_empty()
    }

    /// The packet as form fields (to fill the edit form).
    pub fn to_fields(&self) -> FormFields {
        let mut f = FormFields::new();
        let mut put = |k: &str, v: String| {
            f.insert(k.to_string(), v);
        };
        put("category", self.category.clone());
        put("year", self.year.to_string());
        put("candidate_name", self.candidate_name.clone());
        put("sex", self.sex.clone().unwrap_or_default());
        put("ethnicity", self.ethnicity.clone().unwrap_or_default());
        put(
            "birth_year",
            self.birth_year.map(|b| b.to_string()).unwrap_or_default(),
        );
        put("work_unit", self.work_unit.clone().unwrap_or_default());
        put("post", self.post.clone().unwrap_or_default());
        put("industry", self.industry.clone().unwrap_or_default());
        put("district", self.district.clone().unwrap_or_default());
        for (k, v) in [
            ("frontline", self.frontline),
            ("scitech", self.scitech),
            ("manager", self.manager),
        ] {
            if v {
                put(k, "1".into());
            }
        }
        put("report", self.report.clone());
        put("deeds_short", self.deeds_short.clone());
        put("deeds_full", self.deeds_full.clone());
        f
    }
}

/// Text as stored: trimmed, line endings normalised, control characters other than newlines and
/// tabs removed (they have no business in a name list and can hide text).
pub fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

fn count(s: &str) -> usize {
    s.chars().count()
}

/// Parses a submitted form. `this_year` bounds the honour year (a round may be prepared a year
/// ahead).
pub fn parse(fields: &FormFields, this_year: i32) -> Result<Packet, FieldErrors> {
    let mut errors = FieldErrors::new();
    let get = |k: &str| clean_text(fields.get(k).map(String::as_str).unwrap_or(""));
    let opt = |k: &str| Some(get(k)).filter(|v| !v.is_empty());
    let mut err = |k: &str, m: String| {
        errors.entry(k.to_string()).or_insert(m);
    };

    let category_code = get("category");
    let category = honour_category(&category_code);
    if category.is_none() {
        err("category", "请选择荣誉类别 / choose an honour".into());
    }
    let year = match get("year").parse::<i32>() {
        Ok(y) if (1949..=this_year + 1).contains(&y) => y,
        _ => {
            err(
                "year",
                format!(
                    "年度应为 1949 至 {} 之间的年份 / a year from 1949 to {}",
                    this_year + 1,
                    this_year + 1
                ),
            );
            0
        }
    };
    let candidate_kind = category.map_or("person", |c| c.recipient).to_string();
    let candidate_name = get("candidate_name");
    if candidate_kind == "person" {
        if let Err(e) = validate_name(&candidate_name) {
            err(
                "candidate_name",
                format!("姓名须为汉字（少数民族姓名可用 · 分隔），不超过 20 字 / {e}"),
            );
        }
    } else if candidate_name.is_empty() || count(&candidate_name) > MAX_ORGANISATION_NAME {
        err(
            "candidate_name",
            format!("请填写集体名称，不超过 {MAX_ORGANISATION_NAME} 字 / give the name, at most {MAX_ORGANISATION_NAME} characters"),
        );
    }
    let sex = match get("sex").as_str() {
        "" => None,
        "M" | "男" => Some("M".to_string()),
        "F" | "女" => Some("F".to_string()),
        _ => {
            err("sex", "性别应为男或女 / M or F".into());
            None
        }
    };
    let birth_year = match opt("birth_year") {
        None => None,
        Some(v) => match v.parse::<i32>() {
            Ok(b) if (1900..=this_year - 16).contains(&b) => Some(b),
            _ => {
                err(
                    "birth_year",
                    format!(
                        "出生年份应在 1900 至 {} 之间 / a year from 1900 to {}",
                        this_year - 16,
                        this_year - 16
                    ),
                );
                None
            }
        },
    };
    for k in ["ethnicity", "work_unit", "post", "industry", "district"] {
        if count(&get(k)) > MAX_FIELD {
            err(
                k,
                format!("不超过 {MAX_FIELD} 字 / at most {MAX_FIELD} characters"),
            );
        }
    }
    if candidate_kind == "person" && get("work_unit").is_empty() {
        err("work_unit", "请填写工作单位 / give the work unit".into());
    }
    let flag = |k: &str| matches!(get(k).as_str(), "1" | "on" | "true" | "yes");
    for (k, max) in [
        ("report", MAX_REPORT),
        ("deeds_short", MAX_SHORT_DEEDS),
        ("deeds_full", MAX_FULL_DEEDS),
    ] {
        let n = count(&get(k));
        if n > max {
            err(
                k,
                format!("已写 {n} 字，最多 {max} 字 / {n} characters, at most {max}"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let person = candidate_kind == "person";
    Ok(Packet {
        category: category_code,
        year,
        candidate_name,
        sex: sex.filter(|_| person),
        ethnicity: opt("ethnicity").filter(|_| person),
        birth_year: birth_year.filter(|_| person),
        work_unit: opt("work_unit"),
        post: opt("post").filter(|_| person),
        industry: opt("industry"),
        district: opt("district"),
        frontline: person && flag("frontline"),
        scitech: person && flag("scitech"),
        manager: person && flag("manager"),
        report: get("report"),
        deeds_short: get("deeds_short"),
        deeds_full: get("deeds_full"),
        candidate_kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form(pairs: &[(&str, &str)]) -> FormFields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn valid() -> FormFields {
        form(&[
            ("category", "beijing_model"),
            ("year", "2025"),
            ("candidate_name", "王秀英"),
            ("sex", "女"),
            ("work_unit", "北京公交集团"),
            ("frontline", "1"),
            ("report", "推荐报告"),
            ("deeds_short", "事迹"),
            ("deeds_full", "详细事迹"),
        ])
    }

    #[test]
    fn a_valid_form_round_trips() {
        let p = parse(&valid(), 2026).unwrap();
        assert_eq!(p.candidate_kind, "person");
        assert_eq!(p.sex.as_deref(), Some("F"));
        assert!(p.frontline && !p.manager);
        assert!(p.is_complete());
        assert_eq!(parse(&p.to_fields(), 2026), Ok(p));
    }

    #[test]
    fn each_fault_is_reported_on_its_field() {
        let mut f = valid();
        f.insert("candidate_name".into(), "<script>".into());
        f.insert("year".into(), "2090".into());
        f.insert("deeds_short".into(), "字".repeat(501));
        f.insert("sex".into(), "x".into());
        let errors = parse(&f, 2026).unwrap_err();
        let keys: Vec<_> = errors.keys().map(String::as_str).collect();
        assert_eq!(keys, ["candidate_name", "deeds_short", "sex", "year"]);
        assert!(errors["deeds_short"].contains("501"));
    }

    #[test]
    fn drafts_may_be_incomplete_and_collectives_have_no_personal_data() {
        let mut f = valid();
        f.remove("deeds_full");
        assert!(!parse(&f, 2026).unwrap().is_complete());
        let f = form(&[
            ("category", "beijing_collective"),
            ("year", "2025"),
            ("candidate_name", "北京地铁运营一分公司"),
            ("sex", "F"),
            ("frontline", "1"),
        ]);
        let p = parse(&f, 2026).unwrap();
        assert_eq!(p.candidate_kind, "organisation");
        assert_eq!((p.sex, p.frontline), (None, false));
    }

    proptest! {
        /// Whatever is typed, parsing never panics and what it accepts stays within the limits.
        #[test]
        fn never_panics_and_respects_limits(name in ".{0,30}", short in ".{0,600}", year in ".{0,6}") {
            let mut f = valid();
            f.insert("candidate_name".into(), name);
            f.insert("deeds_short".into(), short);
            f.insert("year".into(), year);
            if let Ok(p) = parse(&f, 2026) {
                prop_assert!(p.deeds_short.chars().count() <= MAX_SHORT_DEEDS);
                prop_assert!(validate_name(&p.candidate_name).is_ok());
                prop_assert!(!p.deeds_short.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            }
        }
    }
}
