//! How long each public notice runs, in working days: a setting per notice stage, 5 by default.

use std::collections::BTreeMap;

use crate::domain::procedure::Stage;

pub const DEFAULT_DAYS: u32 = 5;
pub const MAX_DAYS: u32 = 30;
/// The settings key of the holiday calendar text.
pub const HOLIDAYS_KEY: &str = "holiday_calendar";

pub const NOTICE_STAGES: [Stage; 3] = [Stage::UnitNotice, Stage::CityNotice, Stage::PublicNotice];

pub fn setting_key(stage: Stage) -> String {
    format!(
        "notice_days.{}",
        serde_json::to_value(stage)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    )
}

/// A notice length as typed in the settings form.
pub fn parse_days(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(d) if (1..=MAX_DAYS).contains(&d) => Ok(d),
        _ => Err(format!(
            "应为 1 至 {MAX_DAYS} 个工作日 / 1 to {MAX_DAYS} working days"
        )),
    }
}

/// The configured length of a notice stage (the default when unset or unreadable).
pub fn days_for(settings: &BTreeMap<String, String>, stage: Stage) -> u32 {
    settings
        .get(&setting_key(stage))
        .and_then(|v| parse_days(v).ok())
        .unwrap_or(DEFAULT_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_stage_with_a_default() {
        let mut s = BTreeMap::new();
        s.insert("notice_days.city_notice".to_string(), "7".to_string());
        assert_eq!(days_for(&s, Stage::CityNotice), 7);
        assert_eq!(days_for(&s, Stage::UnitNotice), 5);
        assert!(parse_days("0").is_err() && parse_days("31").is_err() && parse_days("x").is_err());
    }
}
