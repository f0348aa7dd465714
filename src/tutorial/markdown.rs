//! The small markdown subset lesson instructions are written in, parsed to a structure the UI maps to text
//! nodes (never to raw HTML, so a lesson cannot inject markup).
//!
//! Supported: paragraphs (separated by a blank line; lines of one paragraph are joined with a space), fenced
//! code blocks (a line starting with three backticks opens and closes one; the info string is ignored), list
//! items (a line starting with `- `), and inside paragraphs and list items `` `code` `` and `**bold**`.
//! Anything else is plain text: an unclosed backtick or `**` stays as typed.

/// A block of instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A fenced code block, its lines joined with `\n`.
    Code(String),
    /// A bulleted list: one entry per item.
    List(Vec<Vec<Inline>>),
}

/// A run of text inside a paragraph or list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `` `code` ``.
    Code(String),
    /// `**bold**`.
    Bold(String),
}

/// Parses `text` into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<Vec<Inline>> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    for line in text.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                blocks.push(Block::Code(lines.join("\n")));
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            flush(&mut blocks, &mut paragraph, &mut list);
            code = Some(Vec::new());
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            flush_paragraph(&mut blocks, &mut paragraph);
            list.push(inlines(item));
        } else if trimmed.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut list);
        } else if !list.is_empty() && line.starts_with(' ') {
            // A continuation line of the last list item.
            if let Some(last) = list.last_mut() {
                last.push(Inline::Text(" ".into()));
                last.extend(inlines(trimmed));
            }
        } else {
            flush_list(&mut blocks, &mut list);
            paragraph.push(trimmed);
        }
    }
    if let Some(lines) = code {
        blocks.push(Block::Code(lines.join("\n")));
    }
    flush(&mut blocks, &mut paragraph, &mut list);
    blocks
}

fn flush(blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>, list: &mut Vec<Vec<Inline>>) {
    flush_paragraph(blocks, paragraph);
    flush_list(blocks, list);
}

fn flush_paragraph(blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>) {
    if !paragraph.is_empty() {
        blocks.push(Block::Paragraph(inlines(&paragraph.join(" "))));
        paragraph.clear();
    }
}

fn flush_list(blocks: &mut Vec<Block>, list: &mut Vec<Vec<Inline>>) {
    if !list.is_empty() {
        blocks.push(Block::List(std::mem::take(list)));
    }
}

/// Splits a line into text, `code` and **bold** runs.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find('`') {
                push_text(&mut out, &mut plain);
                out.push(Inline::Code(after[..end].to_string()));
                rest = &after[end + 1..];
                continue;
            }
        } else if let Some(after) = rest.strip_prefix("**") {
            if let Some(end) = after.find("**") {
                push_text(&mut out, &mut plain);
                out.push(Inline::Bold(after[..end].to_string()));
                rest = &after[end + 2..];
                continue;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            plain.push(c);
        }
        rest = chars.as_str();
    }
    push_text(&mut out, &mut plain);
    out
}

fn push_text(out: &mut Vec<Inline>, plain: &mut String) {
    if !plain.is_empty() {
        out.push(Inline::Text(std::mem::take(plain)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_code_and_inline_runs() {
        let blocks =
            parse("Add a **GET** method on\n`/message`.\n\n- one\n- two `x`\n\n```yaml\nA: 1\n  B: 2\n```\n<b>x</b>");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![
                    Inline::Text("Add a ".into()),
                    Inline::Bold("GET".into()),
                    Inline::Text(" method on ".into()),
                    Inline::Code("/message".into()),
                    Inline::Text(".".into()),
                ]),
                Block::List(vec![
                    vec![Inline::Text("one".into())],
                    vec![Inline::Text("two ".into()), Inline::Code("x".into())]
                ]),
                Block::Code("A: 1\n  B: 2".into()),
                Block::Paragraph(vec![Inline::Text("<b>x</b>".into())]),
            ]
        );
    }

    #[test]
    fn unclosed_markers_stay_as_typed() {
        assert_eq!(inlines("a `b **c"), vec![Inline::Text("a `b **c".into())]);
        assert_eq!(parse("```\nunclosed"), vec![Block::Code("unclosed".into())]);
    }
}
