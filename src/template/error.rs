//! Template errors: what went wrong, and where.

use std::fmt;

/// A position in a template file. Lines and columns count from 1, columns in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Why a template could not be loaded: the file, the position, the logical id of the resource (or the parameter,
/// condition or output) being read, and the message.
///
/// Messages that CloudFormation itself gives for the same mistake are copied from it (each construction site names
/// its source); the location is ours, since CloudFormation gives none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template's file name as given to the loader.
    pub file: String,
    /// Where the offending node starts.
    pub span: Span,
    /// The logical id of the section entry being read, when there is one.
    pub logical_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TemplateError {
    /// `file:line:column: [LogicalId] message`, the shape compilers use, so editors can jump to it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.span.line, self.span.column)?;
        if let Some(id) = &self.logical_id {
            write!(f, "[{id}] ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// An error before the file name is known: a span, the logical id of the entry being read (once known) and a
/// message. The loader completes it into a [`TemplateError`] on its way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Where the offending node starts.
    pub span: Span,
    /// The logical id of the resource, parameter, condition or output being read.
    pub logical_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Located {
    /// An error at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Located {
        Located {
            span,
            logical_id: None,
            message: message.into(),
        }
    }

    /// The same error, inside the entry `logical_id` (an id set closer to the error wins).
    pub fn within(mut self, logical_id: &str) -> Located {
        if self.logical_id.is_none() {
            self.logical_id = Some(logical_id.to_string());
        }
        self
    }

    /// The full error, in `file`.
    pub fn in_file(self, file: &str) -> TemplateError {
        TemplateError {
            file: file.to_string(),
            span: self.span,
            logical_id: self.logical_id,
            message: self.message,
        }
    }
}
