//! Text helpers every layer needs: HTML escaping and cutting untrusted text to a bounded size.

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// At most `max_chars` characters of `s`, with `…` marking a cut. Control characters (other
/// than line breaks and tabs) become spaces, so a stored value cannot forge log lines.
pub fn bounded(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    for (i, c) in s.chars().enumerate() {
        if i == max_chars {
            out.pop();
            out.push('…');
            break;
        }
        out.push(if c.is_control() && c != '\n' && c != '\t' {
            ' '
        } else {
            c
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape_html("</textarea><script>\"'&"),
            "&lt;/textarea&gt;&lt;script&gt;&quot;&#39;&amp;"
        );
    }

    #[test]
    fn bounds() {
        assert_eq!(bounded("abc", 5), "abc");
        assert_eq!(bounded("abcdef", 3), "ab…");
        assert_eq!(bounded("张三丰李四", 4), "张三丰…");
        assert_eq!(bounded("a\u{0}b\r\nc", 10), "a b \nc");
    }

    proptest! {
        #[test]
        fn bounded_never_exceeds(s in ".*", max in 1usize..50) {
            prop_assert!(bounded(&s, max).chars().count() <= max);
        }

        #[test]
        fn escaped_has_no_markup(s in ".*") {
            let e = escape_html(&s);
            prop_assert!(!e.contains('<') && !e.contains('>') && !e.contains('"'));
        }
    }
}
