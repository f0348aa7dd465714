//! Bounds that keep a hostile template from hanging or exhausting memory.
//!
//! Sources: "Amazon API Gateway quotas and important notes" (REST APIs): mapping templates are limited to
//! 300 KB, and `#foreach` loops to 1,000 iterations. The response payload quota is 10 MB, used here as the
//! output bound. Velocity 1.7's default `velocimacro.max.depth` is 20 (Velocity configuration guide). The
//! parse nesting bound and the evaluation step budget are this simulator's own (AWS documents none; a template
//! within them renders as AWS would).

/// Largest template accepted, in bytes (300 KB).
pub const MAX_TEMPLATE_BYTES: usize = 300 * 1024;

/// Iterations allowed in one `#foreach` loop.
pub const MAX_FOREACH_ITERATIONS: usize = 1000;

/// Largest rendered output, in bytes (10 MB, the API Gateway payload quota).
pub const MAX_OUTPUT_BYTES: usize = 10 * 1024 * 1024;

/// Macro call depth (Velocity's `velocimacro.max.depth` default).
pub const MAX_MACRO_DEPTH: usize = 20;

/// Nesting of blocks, literals and parentheses in the source.
pub const MAX_NESTING: usize = 64;

/// Evaluation steps (nodes and expressions evaluated) in one render; bounds nested loops (1000^n).
pub const MAX_STEPS: u64 = 1_000_000;

/// Largest list a range literal or string operation may build.
pub const MAX_COLLECTION: usize = 100_000;

/// Nesting of evaluation (blocks, expressions, macro and `#define` bodies inside each other) in one render.
pub const MAX_EVAL_DEPTH: usize = 400;
