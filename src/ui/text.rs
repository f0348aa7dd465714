//! Small text helpers of the UI's forms: header lists as typed, and "Copy as curl".

/// Parses `Name: value` lines (blank lines skipped; the value trimmed, as HTTP does).
///
/// Errors: a non-blank line without `:` or with an empty name, named by its 1-based number.
pub fn parse_header_lines(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut headers = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
            _ => return Err(format!("header line {}: expected `Name: value`", index + 1)),
        }
    }
    Ok(headers)
}

/// Quotes `text` for a POSIX shell: single quotes, with each `'` written as `'\''`.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The `curl` command that sends the same request to the real invoke URL `url`.
pub fn curl_command(method: &str, url: &str, headers: &[(String, String)], body: &str) -> String {
    let mut parts = vec!["curl".to_string()];
    if method != "GET" || !body.is_empty() {
        parts.push(format!("-X {}", shell_quote(method)));
    }
    parts.push(shell_quote(url));
    for (name, value) in headers {
        parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
    }
    if !body.is_empty() {
        parts.push(format!("--data-raw {}", shell_quote(body)));
    }
    parts.join(" ")
}

/// The `{name}` and `{name+}` variables of a resource path, in order (`/pets/{id}` gives `id`).
pub fn path_variables(resource_path: &str) -> Vec<String> {
    resource_path
        .split('/')
        .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| name.trim_end_matches('+').to_string())
        .collect()
}

/// `resource_path` with each variable replaced by its value (missing values stay empty, as the console's Test
/// form sends them).
pub fn fill_path(resource_path: &str, values: &dyn Fn(&str) -> String) -> String {
    resource_path
        .split('/')
        .map(|part| match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => values(name.trim_end_matches('+')),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the request console's `path` starts with the name of the `stage` chosen beside it (`/test/message`
/// with stage `test`): the request then goes to `/test/test/message`, a mistake newcomers make when a lesson or a
/// URL shows the stage as the first part of the path.
pub fn repeats_stage(path: &str, stage: &str) -> bool {
    if stage.is_empty() {
        return false;
    }
    let Some(rest) = path.trim_start_matches('/').strip_prefix(stage) else {
        return false;
    };
    rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')
}

/// The shortest one-line JSON text worth showing again indented.
const READABLE_JSON_MIN_CHARS: usize = 100;

/// `body` indented (two spaces), when it is a JSON object or array written on one line of at least
/// [`READABLE_JSON_MIN_CHARS`] characters (a Lambda proxy event, say); `None` for anything else, which reads
/// well as it is.
pub fn readable_json(body: &str) -> Option<String> {
    let trimmed = body.trim();
    if trimmed.contains('\n') || trimmed.chars().count() < READABLE_JSON_MIN_CHARS {
        return None;
    }
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_repeats_the_stage_is_noticed() {
        assert!(repeats_stage("/test/message", "test"));
        assert!(repeats_stage("/test", "test"));
        assert!(repeats_stage("test?x=1", "test"));
        assert!(!repeats_stage("/testing", "test"));
        assert!(!repeats_stage("/message", "test"));
        assert!(!repeats_stage("/", "test"));
        assert!(!repeats_stage("/x", ""));
    }

    #[test]
    fn only_long_one_line_json_is_indented_again() {
        assert_eq!(readable_json(r#"{"message": "Hello World!"}"#), None);
        assert_eq!(readable_json(&format!("\"{}\"", "x".repeat(200))), None);
        assert_eq!(readable_json(&format!("{{\"a\": 1, {}", "x".repeat(200))), None);
        let event = format!(
            r#"{{"httpMethod":"GET","path":"/message","body":null,"pad":"{}"}}"#,
            "p".repeat(80)
        );
        assert_eq!(
            readable_json(&event),
            Some(format!(
                "{{\n  \"httpMethod\": \"GET\",\n  \"path\": \"/message\",\n  \"body\": null,\n  \"pad\": \"{}\"\n}}",
                "p".repeat(80)
            ))
        );
    }

    #[test]
    fn header_lines_parse_or_name_the_bad_line() {
        assert_eq!(
            parse_header_lines("Accept: application/json\n\n X-A :  b:c \n"),
            Ok(vec![
                ("Accept".into(), "application/json".into()),
                ("X-A".into(), "b:c".into())
            ])
        );
        assert_eq!(
            parse_header_lines("A: 1\nnope"),
            Err("header line 2: expected `Name: value`".into())
        );
        assert_eq!(
            parse_header_lines(": v"),
            Err("header line 1: expected `Name: value`".into())
        );
    }

    #[test]
    fn curl_quotes_everything_it_is_given() {
        assert_eq!(
            curl_command("GET", "https://a.example/Prod/hello", &[], ""),
            "curl 'https://a.example/Prod/hello'"
        );
        assert_eq!(
            curl_command(
                "POST",
                "https://a.example/Prod/x?q=1",
                &[("Content-Type".into(), "application/json".into())],
                "{\"it's\": \"$(rm -rf /)\"}"
            ),
            r#"curl -X 'POST' 'https://a.example/Prod/x?q=1' -H 'Content-Type: application/json' --data-raw '{"it'\''s": "$(rm -rf /)"}'"#
        );
    }

    #[test]
    fn path_variables_are_found_and_filled() {
        assert_eq!(path_variables("/pets/{petId}/toys/{proxy+}"), vec!["petId", "proxy"]);
        assert_eq!(
            fill_path("/pets/{petId}/toys/{proxy+}", &|name| format!("<{name}>")),
            "/pets/<petId>/toys/<proxy>"
        );
        assert_eq!(fill_path("/", &|_| String::new()), "/");
    }
}
