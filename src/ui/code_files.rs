//! The files of a function's code as the Lambda view edits them: which file is the handler's, how each file is
//! checked, and adding, renaming and deleting files in a draft.
//!
//! Where the files live: inline code (`InlineCode`, `Code.ZipFile`) is one file, `index.js` (what Lambda makes of
//! `ZipFile`); a `CodeUri` folder's files are kept in the scenario ([`crate::scenario::Scenario::code`]) under the
//! folder's key ([`crate::template::code::folder_key`]: `CodeUri: src/` is `src`), since the browser has no file
//! system. Every operation here works on a draft ([`CodeFiles`]); nothing is saved until the code editor's Save,
//! which refuses a draft holding a file that does not parse ([`first_error`]).

use super::code_editor::{check_syntax, SyntaxError};
use crate::template::code::{check_file_name, CodeFiles, MAX_CODE_FILES};
use serde_json::Value as Json;

/// The file inline code is (Lambda writes `Code.ZipFile` to `index.js`).
pub const INLINE_FILE: &str = "index.js";

/// The extensions Node.js tries for a handler's module, in Lambda's order (`.js`, `.mjs`, `.cjs`; docs: "Define
/// Lambda function handler in Node.js").
const HANDLER_EXTENSIONS: &[&str] = &["js", "mjs", "cjs"];

/// Whether `path` is the file the handler `handler` (`<module path>.<export>`, e.g. `index.handler` or
/// `src/app.handler`) loads: the module path plus `.js`, `.mjs` or `.cjs`.
pub fn is_handler_file(path: &str, handler: &str) -> bool {
    let Some((module, _)) = handler.rsplit_once('.') else {
        return false;
    };
    path.rsplit_once('.')
        .is_some_and(|(stem, extension)| stem == module && HANDLER_EXTENSIONS.contains(&extension))
}

/// Checks one file of `files` as the runtime will read it: `.json` as JSON; `.mjs`, and `.js` under a
/// `package.json` with `"type": "module"` (the nearest one up the folders, as Node.js looks), as an ES module; other
/// `.js` and `.cjs` as CommonJS scripts. `None` when it parses; else the first error with its line and column.
pub fn check_file(path: &str, text: &str, files: &CodeFiles) -> Option<SyntaxError> {
    if path.ends_with(".json") {
        return check_json(text);
    }
    let module = path.ends_with(".mjs") || (path.ends_with(".js") && package_type_is_module(path, files));
    check_syntax(text, module)
}

/// serde_json's error, located (serde_json bounds its own nesting, so hostile input cannot exhaust the stack).
fn check_json(text: &str) -> Option<SyntaxError> {
    let error = serde_json::from_str::<Json>(text).err()?;
    let (line, column) = (error.line().max(1), error.column().max(1));
    let message = error.to_string();
    // The location is shown apart: drop serde_json's own " at line L column C".
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message).to_string();
    Some(SyntaxError { line, column, message })
}

/// Whether the nearest `package.json` above `path` says `"type": "module"`.
fn package_type_is_module(path: &str, files: &CodeFiles) -> bool {
    let mut folder = path.rsplit_once('/').map_or("", |(dir, _)| dir);
    loop {
        let manifest = if folder.is_empty() {
            "package.json".to_string()
        } else {
            format!("{folder}/package.json")
        };
        if let Some(text) = files.get(&manifest) {
            return serde_json::from_str::<Json>(text)
                .ok()
                .and_then(|v| v.get("type").and_then(Json::as_str).map(|t| t == "module"))
                .unwrap_or(false);
        }
        if folder.is_empty() {
            return false;
        }
        folder = folder.rsplit_once('/').map_or("", |(dir, _)| dir);
    }
}

/// The first file of `files` (in path order) that does not parse, with its error.
pub fn first_error(files: &CodeFiles) -> Option<(String, SyntaxError)> {
    files
        .iter()
        .find_map(|(path, text)| check_file(path, text, files).map(|e| (path.clone(), e)))
}

/// Adds the empty file `name` to `files` (`{}` for JSON, so that it parses).
///
/// Errors: a name [`check_file_name`] refuses, a name already used, more than [`MAX_CODE_FILES`] files.
pub fn add_file(files: &mut CodeFiles, name: &str) -> Result<(), String> {
    let name = name.trim();
    check_file_name(name)?;
    if files.contains_key(name) {
        return Err(format!("A file named \"{name}\" already exists."));
    }
    if files.len() >= MAX_CODE_FILES {
        return Err(format!(
            "A function's folder holds at most {MAX_CODE_FILES} files here."
        ));
    }
    let text = if name.ends_with(".json") { "{}\n" } else { "" };
    files.insert(name.to_string(), text.to_string());
    Ok(())
}

/// Renames the file `from` of `files` to `to`, keeping its text.
///
/// Errors: a name [`check_file_name`] refuses, a name already used, no file `from`.
pub fn rename_file(files: &mut CodeFiles, from: &str, to: &str) -> Result<(), String> {
    let to = to.trim();
    if from == to {
        return Ok(());
    }
    check_file_name(to)?;
    if files.contains_key(to) {
        return Err(format!("A file named \"{to}\" already exists."));
    }
    let text = files
        .remove(from)
        .ok_or_else(|| format!("There is no file \"{from}\" to rename."))?;
    files.insert(to.to_string(), text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> CodeFiles {
        entries.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
    }

    #[test]
    fn the_handler_file_is_its_module_path_with_a_node_extension() {
        assert!(is_handler_file("index.mjs", "index.handler"));
        assert!(is_handler_file("index.js", "index.handler"));
        assert!(is_handler_file("src/app.cjs", "src/app.lambdaHandler"));
        assert!(!is_handler_file("index.json", "index.handler"));
        assert!(!is_handler_file("lib/index.js", "index.handler"));
        assert!(!is_handler_file("index.js", "handler"));
    }

    #[test]
    fn each_kind_of_file_is_checked_as_node_reads_it() {
        let plain = files(&[]);
        // ES module syntax is an error in a CommonJS .js file, and fine in .mjs.
        let esm = "export const handler = async () => 1;\n";
        assert_eq!(check_file("lib/x.mjs", esm, &plain), None);
        assert!(check_file("index.js", esm, &plain).is_some());
        assert!(check_file("index.cjs", esm, &plain).is_some());
        // ... and fine in a .js under a package.json with "type": "module", the nearest one deciding.
        let typed = files(&[("package.json", "{\"type\": \"module\"}"), ("cjs/package.json", "{}")]);
        assert_eq!(check_file("lib/index.js", esm, &typed), None);
        assert!(check_file("cjs/index.js", esm, &typed).is_some());
        assert!(check_file("index.cjs", esm, &typed).is_some());
        // JSON is located by serde_json.
        let e = check_file("data.json", "{\n  \"a\": 1,\n}\n", &plain).expect("an error");
        assert_eq!((e.line, e.column, e.message.as_str()), (3, 1, "trailing comma"));
        assert_eq!(check_file("data.json", "[1, {\"b\": null}]", &plain), None);
        let e = check_file("deep.json", &"[".repeat(10_000), &plain).expect("refused, not overflowed");
        assert_eq!(e.message, "recursion limit exceeded");
    }

    #[test]
    fn the_first_error_names_its_file() {
        let draft = files(&[("a.mjs", "export const a = 1;"), ("b.json", "{"), ("c.js", "x(")]);
        let (path, e) = first_error(&draft).expect("an error");
        assert_eq!((path.as_str(), e.line), ("b.json", 1));
        assert_eq!(first_error(&files(&[("a.mjs", "")])), None);
    }

    #[test]
    fn files_are_added_and_renamed_under_checked_names() {
        let mut draft = files(&[("index.mjs", "export const handler = 1;")]);
        add_file(&mut draft, " lib/util.mjs ").unwrap();
        add_file(&mut draft, "data.json").unwrap();
        assert_eq!(draft.get("lib/util.mjs").map(String::as_str), Some(""));
        assert_eq!(draft.get("data.json").map(String::as_str), Some("{}\n"));
        assert_eq!(
            add_file(&mut draft, "data.json").unwrap_err(),
            "A file named \"data.json\" already exists."
        );
        assert!(add_file(&mut draft, "../x.js")
            .unwrap_err()
            .contains("may not use . or .."));
        assert!(add_file(&mut draft, "x.ts").unwrap_err().contains("must end in"));
        rename_file(&mut draft, "lib/util.mjs", "lib/helpers.mjs").unwrap();
        assert!(draft.contains_key("lib/helpers.mjs") && !draft.contains_key("lib/util.mjs"));
        assert!(rename_file(&mut draft, "lib/helpers.mjs", "data.json").is_err());
        assert!(rename_file(&mut draft, "lib/helpers.mjs", "/x.mjs").is_err());
        assert!(rename_file(&mut draft, "nope.js", "y.js").is_err());
        assert_eq!(draft.len(), 3);
    }
}
