//! Reading the code a `CodeUri` names.
//!
//! `sam` reads a function's code from a local folder named by `CodeUri` (relative to the template). The CLI reads
//! the file system through [`FolderCodeLoader`]; the browser has no file system and uses [`NoCodeLoader`], so a
//! scenario there carries its code inline (`InlineCode`, `Code.ZipFile`).

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
