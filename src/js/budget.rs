//! The instruction budget: how much JavaScript one invocation may run before it counts as timed out.
//!
//! Code runs in zero virtual time (REPORT durations are virtual), so "spinning in a loop ends in
//! `Sandbox.Timedout`" (design rule 4; AWS: docs "Configure Lambda function timeout") needs another measure of
//! work: Boa's VM-wide instruction counter (the `fuzz` cargo feature of `boa_engine` 0.22:
//! `ContextBuilder::instructions_remaining`, decremented by every bytecode instruction in every run path, and at 0
//! an uncatchable `EngineError::NoInstructionsRemain`). It counts loops nested through calls, exponential recursion,
//! callbacks of natives (sort comparators, getters, `forEach`), timers and promise jobs alike, which Boa's
//! per-call-frame loop limit does not.
//!
//! Boa cannot reset the counter once a context is built, so an engine gets a lifetime budget at birth: its init
//! budget plus twice the per-invocation budget `P`. Each invocation may execute `P` instructions
//! ([`EngineLimits::invocation_instructions`]); an environment with fewer than `P` left is retired before an
//! invocation and a fresh one started (a cold start AWS could give at any time too: it recycles environments when it
//! likes). A runaway invocation stops when its count passes `P` (seen at the next native call, job or event-loop
//! turn) or when the counter reaches 0, so after at most `2P` instructions.
//!
//! Measured (2026-11-30, the shared 2-core dev machine, CPU time of the release CLI: opt-level "z", LTO; the
//! instruction counts from the counter): Boa 0.22 runs a tight counting loop at about 195 M instructions/s, an
//! exponentially recursive function at about 96 M/s, and building 10 000 objects then sorting them with a comparator
//! at about 25 M/s (a debug build: about 1 M/s). [`MAX_INSTRUCTIONS`] (50 M) bounds a runaway at `2P` = 100 M
//! instructions: 0.5 s for a spinning loop, about 1 s for runaway recursion (a few seconds for allocation-heavy code,
//! which the memory limit also stops). [`INSTRUCTIONS_PER_SECOND`] (20 M) scales the budget down for timeouts under
//! 3 s (a playground figure, our reading of "a fraction of a vCPU" for small functions; the default 3 s timeout gets
//! the whole 50 M).

use super::EngineLimits;

/// Instructions one second of a function's timeout buys (a playground figure, see the module docs).
pub const INSTRUCTIONS_PER_SECOND: u64 = 20_000_000;
/// The most instructions one invocation (or one init) may execute, whatever its timeout (see the module docs).
pub const MAX_INSTRUCTIONS: u64 = 50_000_000;
/// The init phase's time limit: 10 s (docs: "Lambda execution environment lifecycle", init phase).
pub const INIT_SECONDS: u64 = 10;

impl EngineLimits {
    /// `P`: the instructions an invocation of a function with a `timeout_seconds` timeout may execute:
    /// `min(timeout_seconds * instructions_per_second, max_instructions)`, at least 1.
    pub fn invocation_instructions(&self, timeout_seconds: u64) -> u64 {
        timeout_seconds
            .saturating_mul(self.instructions_per_second)
            .min(self.max_instructions)
            .max(1)
    }

    /// The instructions the init phase (the runtime's prelude, then the module's top-level code) may execute.
    pub fn init_instructions(&self) -> u64 {
        self.invocation_instructions(INIT_SECONDS)
    }
}

/// `n` as a `usize` counter value (saturating on 32-bit targets).
pub(crate) fn to_count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
