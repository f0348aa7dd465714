//! Locating an offset in the template source: 1-based line and column and a caret excerpt.

/// Line (1-based), column (1-based, in characters) and a two-line excerpt (the source line, then a caret under
/// the column) for byte offset `offset` of `src`. An offset past the end, or inside a character, is clamped.
pub fn locate(src: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(src.len());
    while offset > 0 && !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = src.get(..offset).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let prefix = src.get(line_start..offset).unwrap_or_default();
    let column = prefix.chars().count() + 1;
    let text = src
        .get(line_start..)
        .unwrap_or_default()
        .split('\n')
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r');
    let caret_pad: String = prefix.chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    (line, column, format!("{text}\n{caret_pad}^"))
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn second_line_caret() {
        assert_eq!(locate("ab\ncd$x", 5), (2, 3, "cd$x\n  ^".to_string()));
    }

    #[test]
    fn clamps_past_end() {
        assert_eq!(locate("ab", 99), (1, 3, "ab\n  ^".to_string()));
    }
}
