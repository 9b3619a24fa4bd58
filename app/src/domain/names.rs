//! Names as they may be engraved, and the other small rules records and forms share.

/// A Chinese character (CJK unified ideographs and their extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

pub const MAX_SHORT_DEEDS: usize = 500;
pub const MAX_FULL_DEEDS: usize = 2_000;
pub const MAX_NAME_CHARS: usize = 20;

pub fn flag(value: &str) -> Option<bool> {
    match value.trim() {
        "" | "0" | "否" | "false" | "no" => Some(false),
        "1" | "是" | "true" | "yes" => Some(true),
        _ => None,
    }
}

/// Checks a name as it may be engraved: Chinese characters, optionally parts joined by `·`.
pub fn validate_name(name: &str) -> Result<(), String> {
    let count = name.chars().count();
    if count == 0 {
        return Err("name is empty".into());
    }
    if count > MAX_NAME_CHARS {
        return Err(format!("name is longer than {MAX_NAME_CHARS} characters"));
    }
    if name.starts_with('·') || name.ends_with('·') || name.contains("··") {
        return Err(format!("name {name:?} has a misplaced ·"));
    }
    if let Some(bad) = name.chars().find(|c| !is_han(*c) && *c != '·') {
        return Err(format!(
            "name {name:?} contains {bad:?}, which is not a Chinese character or ·"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(validate_name("艾尔肯·吐尔逊").is_ok());
        assert!(validate_name("·王").is_err());
        assert!(validate_name("").is_err());
        assert!(validate_name("王<script>").is_err());
        assert!(validate_name(&"王".repeat(MAX_NAME_CHARS + 1)).is_err());
    }

    #[test]
    fn flags() {
        assert_eq!(flag("是"), Some(true));
        assert_eq!(flag(""), Some(false));
        assert_eq!(flag("maybe"), None);
    }
}
