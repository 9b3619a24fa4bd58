//! The review side of the procedure: which departments give an opinion in the second review, and
//! quota rules as administrators write them. Pure domain code.

use super::quotas::{Attribute, Bound, QuotaRule};

/// Candidates who head enterprises need the opinions of all these departments (DOMAIN.md);
/// every candidate gets the discipline-inspection and labour-security checks.
pub const ALL_DEPARTMENTS: [&str; 7] = [
    "工商",
    "税务",
    "审计",
    "纪检监察",
    "劳动保障",
    "安全生产",
    "环保",
];
pub const EVERYONE_DEPARTMENTS: [&str; 2] = ["纪检监察", "劳动保障"];

/// A department's answer to its check in the second review (复审).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
}

impl Verdict {
    pub const ALL: [Verdict; 2] = [Verdict::Pass, Verdict::Fail];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
        }
    }

    pub fn parse(code: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// The departmental checks opened when a nomination reaches the second review.
pub fn departments_for(manager: bool) -> Vec<&'static str> {
    if manager {
        ALL_DEPARTMENTS.to_vec()
    } else {
        EVERYONE_DEPARTMENTS.to_vec()
    }
}

/// A stored quota rule: for one honour and year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearRule {
    pub category: String,
    pub year: i32,
    pub rule: QuotaRule,
}

pub fn attribute_name_zh(a: Attribute) -> &'static str {
    match a {
        Attribute::Frontline => "一线职工",
        Attribute::SciTech => "科技人员",
        Attribute::Manager => "经营管理者",
        Attribute::Female => "女性",
    }
}

/// `≥ 45%` / `≤ 8%`.
pub fn bound_text(b: Bound) -> String {
    match b {
        Bound::AtLeast(p) => format!("≥ {p}%"),
        Bound::AtMost(p) => format!("≤ {p}%"),
    }
}

/// One rule a line: `beijing_model 2025 frontline >= 45` (`#` starts a comment).
pub fn parse_rules(text: &str, known_categories: &[&str]) -> Result<Vec<YearRule>, Vec<String>> {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let problem = |m: &str| format!("第 {} 行 / line {}: {m}", i + 1, i + 1);
        let [category, year, attribute, op, percent] = parts[..] else {
            errors.push(problem(
                "应为“类别 年度 指标 >= 或 <= 百分比”，如 beijing_model 2025 frontline >= 45",
            ));
            continue;
        };
        if !known_categories.contains(&category) {
            errors.push(problem(&format!("未知的荣誉类别 {category}")));
            continue;
        }
        let Ok(year) = year.parse::<i32>() else {
            errors.push(problem(&format!("{year} 不是年份")));
            continue;
        };
        let Some(attribute) = Attribute::parse(attribute) else {
            errors.push(problem(&format!(
                "未知指标 {attribute}（可用 frontline、scitech、manager、female）"
            )));
            continue;
        };
        let percent = match percent.trim_end_matches('%').parse::<f64>() {
            Ok(p) if (0.0..=100.0).contains(&p) => p,
            _ => {
                errors.push(problem(&format!("{percent} 不是 0 到 100 之间的百分比")));
                continue;
            }
        };
        let bound = match op {
            ">=" | "≥" => Bound::AtLeast(percent),
            "<=" | "≤" => Bound::AtMost(percent),
            _ => {
                errors.push(problem(&format!("{op} 应为 >= 或 <=")));
                continue;
            }
        };
        if rules.iter().any(|r: &YearRule| {
            r.category == category
                && r.year == year
                && r.rule.attribute == attribute
                && std::mem::discriminant(&r.rule.bound) == std::mem::discriminant(&bound)
        }) {
            errors.push(problem("与前面的规则重复"));
            continue;
        }
        rules.push(YearRule {
            category: category.to_string(),
            year,
            rule: QuotaRule { attribute, bound },
        });
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

pub fn format_rules(rules: &[YearRule]) -> String {
    rules
        .iter()
        .map(|r| {
            let (op, p) = match r.rule.bound {
                Bound::AtLeast(p) => (">=", p),
                Bound::AtMost(p) => ("<=", p),
            };
            format!(
                "{} {} {} {op} {p}\n",
                r.category,
                r.year,
                r.rule.attribute.code()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_get_every_department() {
        assert_eq!(departments_for(true).len(), 7);
        assert_eq!(departments_for(false), vec!["纪检监察", "劳动保障"]);
    }

    #[test]
    fn rules_round_trip_and_errors_name_their_line() {
        let text = "# 2025\nbeijing_model 2025 frontline >= 45\nbeijing_model 2025 manager <= 8%\n";
        let rules = parse_rules(text, &["beijing_model"]).unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[1].rule.bound, Bound::AtMost(8.0));
        assert_eq!(
            parse_rules(&format_rules(&rules), &["beijing_model"]).unwrap(),
            rules
        );
        let errors = parse_rules(
            "beijing_model 2025 frontline >= 45\nnope 2025 frontline >= 1\nbeijing_model 2025 height >= 1\nbeijing_model 2025 frontline >= 145\nbeijing_model 2025 frontline >= 50",
            &["beijing_model"],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 4);
        assert!(errors[0].contains("line 2"));
        assert!(errors[3].contains("重复"));
    }
}
