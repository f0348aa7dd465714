//! Reading the code a `CodeUri` names.
//!
//! `sam` reads a function's code from a local folder named by `CodeUri` (relative to the template). The CLI reads
//! the file system through [`FolderCodeLoader`]. The browser has no file system: a scenario there carries its
//! code inline (`InlineCode`, `Code.ZipFile`) or as [`CodeFolders`], the files of each `CodeUri` folder keyed by
//! the folder's path ([`folder_key`]), read through [`ScenarioCodeLoader`]. [`NoCodeLoader`] refuses every folder
//! (where neither exists).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The most bytes read from one `CodeUri` folder: Lambda's quota for an unzipped deployment package (250 MB) is far
/// more than a playground needs, so we stop at 5 MB and say so.
pub const MAX_CODE_BYTES: u64 = 5 * 1024 * 1024;
/// The most files read from one `CodeUri` folder.
pub const MAX_CODE_FILES: usize = 2000;

/// Files of a function's code: path inside the package (with `/` separators) to contents.
pub type CodeFiles = BTreeMap<String, String>;

/// Reads the folder a `CodeUri` names.
pub trait CodeLoader {
    /// The text files under `code_uri` (relative to the template's folder), or why they cannot be read.
    fn load_folder(&self, code_uri: &str) -> Result<CodeFiles, String>;
}

/// A loader for where there is no file system: every folder is an error saying to use inline code.
pub struct NoCodeLoader;

impl CodeLoader for NoCodeLoader {
    fn load_folder(&self, code_uri: &str) -> Result<CodeFiles, String> {
        Err(format!(
            "CodeUri '{code_uri}' names a local folder, which cannot be read here; use InlineCode instead"
        ))
    }
}

/// Reads `CodeUri` folders from the file system, relative to `base` (the template's folder). Hidden files and
/// `node_modules/.bin` are skipped; binary files are skipped too (a handler's code is text).
pub struct FolderCodeLoader {
    /// The folder `CodeUri` paths are relative to.
    pub base: PathBuf,
}

impl CodeLoader for FolderCodeLoader {
    fn load_folder(&self, code_uri: &str) -> Result<CodeFiles, String> {
        let relative = Path::new(code_uri);
        if relative.is_absolute() || relative.components().any(|c| matches!(c, Component::ParentDir)) {
            // Absolute or `..` paths are allowed by sam; we allow them too, but resolve them against the base.
        }
        let root = self.base.join(relative);
        if !root.is_dir() {
            return Err(format!(
                "CodeUri '{code_uri}' is not a folder (looked for {})",
                root.display()
            ));
        }
        let mut files = CodeFiles::new();
        let mut total = 0u64;
        let mut pending = vec![root.clone()];
        while let Some(dir) = pending.pop() {
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                .filter_map(Result::ok)
                .collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let name = entry.file_name().to_string_lossy().to_string();
                if name.starts_with('.') {
                    continue;
                }
                let path = entry.path();
                let file_type = entry
                    .file_type()
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if file_type.is_dir() {
                    pending.push(path);
                    continue;
                }
                if !file_type.is_file() {
                    continue;
                }
                total += entry.metadata().map(|m| m.len()).unwrap_or(0);
                if total > MAX_CODE_BYTES || files.len() >= MAX_CODE_FILES {
                    return Err(format!(
                        "CodeUri '{code_uri}' holds more than {MAX_CODE_FILES} files or {MAX_CODE_BYTES} bytes; \
                         the playground reads at most that"
                    ));
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let key = path
                    .strip_prefix(&root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(key, text);
            }
        }
        Ok(files)
    }
}

/// The `CodeUri` folders a scenario carries in place of a file system: folder key ([`folder_key`]) to its files.
/// `CodeUri: src/`, `CodeUri: ./src` and `CodeUri: src` all name the key `src`; an absent `CodeUri` (or `.`)
/// names `.`, the template's own folder, as with `sam`.
pub type CodeFolders = BTreeMap<String, CodeFiles>;

/// The extensions a code file may have: the JavaScript a Node.js handler loads (`.js`, `.mjs`, `.cjs`) and the
/// JSON it `require`s or that `package.json` is.
pub const CODE_FILE_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "json"];

/// The longest code file path, in bytes (a path inside a deployment package; generous for a playground).
pub const MAX_CODE_PATH_BYTES: usize = 200;

/// The key of the folder `code_uri` names: its `/`-separated segments without empty and `.` segments (`src/`,
/// `./src` and `src` are `src`); `.` when nothing is left (the template's own folder).
///
/// Errors: an absolute path, a `..` segment or a backslash: a scenario's folders all sit beside its template.
pub fn folder_key(code_uri: &str) -> Result<String, String> {
    if code_uri.starts_with('/') || code_uri.contains('\\') {
        return Err(format!(
            "CodeUri '{code_uri}' must be a relative folder with / separators to be kept in the playground's scenario"
        ));
    }
    let mut segments = Vec::new();
    for segment in code_uri.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                return Err(format!(
                "CodeUri '{code_uri}' leaves the template's folder (..), which the playground's scenario cannot hold"
            ))
            }
            s => segments.push(s),
        }
    }
    Ok(if segments.is_empty() {
        ".".to_string()
    } else {
        segments.join("/")
    })
}

/// Checks the path of a file inside a code folder, as the playground keeps it: relative, `/`-separated, each
/// segment made of letters, digits, `-`, `_`, `.` and `@` and not starting with `.` (hidden files are not packaged
/// by [`FolderCodeLoader`] either, and this also refuses `.` and `..`), at most [`MAX_CODE_PATH_BYTES`] bytes, and
/// ending in one of [`CODE_FILE_EXTENSIONS`].
///
/// Errors: a sentence naming the file and what is wrong with it.
pub fn check_file_name(path: &str) -> Result<(), String> {
    let refuse = |why: &str| Err(format!("The file name \"{path}\" is refused: {why}."));
    if path.is_empty() {
        return Err("The file name is empty.".to_string());
    }
    if path.len() > MAX_CODE_PATH_BYTES {
        return refuse(&format!("it is longer than {MAX_CODE_PATH_BYTES} characters"));
    }
    if path.starts_with('/') {
        return refuse("it must be relative to the function's folder (no leading /)");
    }
    for segment in path.split('/') {
        if segment.is_empty() {
            return refuse("it has an empty folder name (//, or a trailing /)");
        }
        if segment == ".." || segment == "." {
            return refuse("it may not use . or .. (files stay inside the function's folder)");
        }
        if segment.starts_with('.') {
            return refuse("a name starting with . is a hidden file, which is not packaged");
        }
        if !segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
        {
            return refuse("use only letters, digits, -, _, . and @, with / between folders");
        }
    }
    let extension = path.rsplit_once('.').map(|(_, e)| e).filter(|e| !e.contains('/'));
    match extension {
        Some(e) if CODE_FILE_EXTENSIONS.contains(&e) => Ok(()),
        _ => refuse("it must end in .js, .mjs, .cjs or .json"),
    }
}

/// Reads `CodeUri` folders from a scenario's [`CodeFolders`] (the browser's stand-in for the file system).
///
/// A folder the scenario holds no files for reads as empty: the function deploys, and invoking it fails as Lambda
/// does when the handler's file is missing (`Runtime.ImportModuleError`), so that a template can be deployed first
/// and its files added in the Lambda view afterwards.
pub struct ScenarioCodeLoader<'a> {
    /// The scenario's folders.
    pub folders: &'a CodeFolders,
}

impl CodeLoader for ScenarioCodeLoader<'_> {
    fn load_folder(&self, code_uri: &str) -> Result<CodeFiles, String> {
        let key = folder_key(code_uri)?;
        Ok(self.folders.get(&key).cloned().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_keys_drop_dots_and_slashes() {
        for (uri, key) in [
            ("src/", "src"),
            ("./src", "src"),
            ("src", "src"),
            ("a//b/./", "a/b"),
            (".", "."),
            ("", "."),
        ] {
            assert_eq!(folder_key(uri).as_deref(), Ok(key), "{uri}");
        }
        assert!(folder_key("../x").unwrap_err().contains("leaves the template's folder"));
        assert!(folder_key("/abs").is_err());
        assert!(folder_key("a\\b").is_err());
    }

    #[test]
    fn file_names_are_relative_known_and_plain() {
        for good in [
            "index.mjs",
            "lib/util.mjs",
            "data.json",
            "package.json",
            "a-b_c@1.cjs",
            "x.y.js",
        ] {
            assert_eq!(check_file_name(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("", "The file name is empty."),
            ("../x.js", "may not use . or .."),
            ("a/../x.js", "may not use . or .."),
            ("/x.js", "no leading /"),
            ("a//x.js", "empty folder name"),
            ("lib/", "empty folder name"),
            (".env.js", "hidden file"),
            ("a b.js", "only letters"),
            ("a\\b.js", "only letters"),
            ("x.ts", "must end in .js, .mjs, .cjs or .json"),
            ("README", "must end in"),
            ("lib.js/x", "must end in"),
        ] {
            let e = check_file_name(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
        assert_eq!(
            check_file_name("../x.js").unwrap_err(),
            "The file name \"../x.js\" is refused: it may not use . or .. (files stay inside the function's folder)."
        );
        assert!(check_file_name(&format!("{}.js", "a".repeat(200))).is_err());
    }

    #[test]
    fn the_scenario_loader_reads_by_key_and_missing_folders_are_empty() {
        let mut folders = CodeFolders::new();
        folders.insert(
            "src".into(),
            CodeFiles::from([("index.mjs".to_string(), "x".to_string())]),
        );
        let loader = ScenarioCodeLoader { folders: &folders };
        assert_eq!(loader.load_folder("./src/").unwrap().len(), 1);
        assert_eq!(loader.load_folder("other/"), Ok(CodeFiles::new()));
        assert!(loader.load_folder("../src").is_err());
    }
}
