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
//! budget plus [`spare`]`(P)` = `1.25 P`, where `P` is the per-invocation budget
//! ([`EngineLimits::invocation_instructions`]). Each invocation may execute `P` instructions; an environment with
//! fewer than `P` left is retired before an invocation and a fresh one started (a cold start AWS could give at any
//! time too: it recycles environments when it likes). A runaway invocation stops when its count passes `P` (seen at
//! the next native call, job or event-loop turn) or when the counter reaches 0, so after at most the init budget left
//! unused plus `1.25 P` instructions.
//!
//! Measured (2026-11-30, the shared 2-core dev machine, CPU time of the release CLI: opt-level "z", LTO; the
//! instruction counts from the counter): Boa 0.22 runs a tight counting loop at about 195 M instructions/s, an
//! exponentially recursive function at about 96 M/s, and building 10 000 objects then sorting them with a comparator
//! at about 25 M/s (a debug build: about 1 M/s). The release wasm in headless Chromium runs the tight loop at about
//! 42 M/s (150 M instructions in 3.6 s, `tests/e2e_browser.rs`'s runaway test, with the earlier 50 M cap).
//! [`MAX_INSTRUCTIONS`] (40 M: a loop of 3 M iterations with a few operations each fits) bounds a runaway at 90 M
//! instructions (init budget 40 M unused plus 1.25 × 40 M): about 0.5 s natively and about 2 s in the browser, the
//! longest the page is blocked (measured: with a 20 M cap the runaway browser test's Invoke answered 1.2 s after the
//! click, rendering included). [`INSTRUCTIONS_PER_SECOND`] (20 M) scales the budget down for a 1 s timeout (a
//! playground figure, our reading of "a fraction of a vCPU" for small functions; timeouts of 2 s and more get the
//! whole 40 M). When the budget, not the clock, ends an invocation, the log says so (`not simulated: ...`).

use super::EngineLimits;

/// Instructions one second of a function's timeout buys (a playground figure, see the module docs).
pub const INSTRUCTIONS_PER_SECOND: u64 = 20_000_000;
/// The most instructions one invocation (or one init) may execute, whatever its timeout (see the module docs).
pub const MAX_INSTRUCTIONS: u64 = 40_000_000;
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

/// The instructions an engine keeps beyond its init budget: `1.25 P`. More than `P`, so a warm environment serves
/// many invocations before it is retired; little more, because a runaway that never reaches a checkpoint runs until
/// the counter is spent, and in the browser that time blocks the page.
pub fn spare(per_invocation: u64) -> u64 {
    per_invocation.saturating_add(per_invocation / 4)
}

/// `n` as a `usize` counter value (saturating on 32-bit targets).
pub(crate) fn to_count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
