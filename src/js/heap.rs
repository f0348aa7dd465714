//! Heap accounting for execution environments: a counting global allocator and the meter that attributes its bytes
//! to the environment whose engine is running.
//!
//! [`CountingAllocator`] wraps [`std::alloc::System`] (natively and on wasm32) and keeps, per thread, the live
//! bytes. Per thread, so that tests running side by side on several threads do not see each other's allocations; an
//! engine (a Boa `Context`) never leaves its thread.
//!
//! A [`HeapMeter`] belongs to one engine: it counts the live bytes allocated (minus those freed) while that engine
//! runs, in segments ([`HeapMeter::resume`] / [`HeapMeter::pause`]). The approximation, stated: what the runtime
//! allocates for the engine while it runs counts (Boa's parser and compiler, the JS heap, our natives' buffers);
//! what it allocates while the engine waits on an AWS SDK call does not (the called service's state, and a nested
//! synchronous invocation of another function, which has its own meter); memory a segment frees that another engine
//! allocated (a few bytes of an SDK answer) is credited to this one. Boa's values are larger than V8's (a `JsValue`
//! is 16 bytes, V8's tagged value 4 or 8), so a heap of small values reads up to about twice Node's.
//!
//! The peak is sampled, not the allocator's true high-water mark: the meter notes the heap at every checkpoint (each
//! native call, event-loop turn, microtask, clock read, and the end of each phase). Boa's builtins have transient
//! peaks V8 does not (`'x'.repeat(6e6)` briefly holds about 150 MB), which would kill functions Node runs within
//! their memory; what a handler keeps is what is sampled. The Node.js process's own memory is not measured: REPORT
//! adds a fixed baseline (see `crate::lambda::invoke::NODEJS_BASELINE_MB`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// Bytes allocated and not yet freed by this thread (frees of other threads' blocks make it drift; harmless).
    static LIVE: Cell<i64> = const { Cell::new(0) };
}

/// The process's allocator: [`System`], counting live bytes per thread.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn count(delta: i64) {
    // `try_with`: a thread being torn down has no counters any more; its frees are simply not counted.
    let _ = LIVE.try_with(|live| live.set(live.get().wrapping_add(delta)));
}

fn size_of(layout: Layout) -> i64 {
    i64::try_from(layout.size()).unwrap_or(i64::MAX)
}

// SAFETY: every call is forwarded unchanged to `System`; the counting touches only const-initialised thread
// locals without destructors, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System.alloc`'s.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            count(size_of(layout));
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System.alloc_zeroed`'s.
        let block = unsafe { System.alloc_zeroed(layout) };
        if !block.is_null() {
            count(size_of(layout));
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is `System.dealloc`'s.
        unsafe { System.dealloc(block, layout) };
        count(-size_of(layout));
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is `System.realloc`'s.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        if !moved.is_null() {
            count(i64::try_from(new_size).unwrap_or(i64::MAX) - size_of(layout));
        }
        moved
    }
}

/// The bytes this thread has allocated and not freed.
pub fn live_bytes() -> i64 {
    LIVE.try_with(Cell::get).unwrap_or(0)
}

/// The heap of one engine: bytes attributed to it while it runs (see the module docs for what counts).
#[derive(Debug, Default)]
pub struct HeapMeter {
    /// Bytes attributed when the last segment ended.
    attributed: Cell<i64>,
    /// [`live_bytes`] when the running segment started; `None` while paused.
    started: Cell<Option<i64>>,
    /// The highest attributed bytes since [`HeapMeter::start_peak`].
    peak: Cell<i64>,
}

impl HeapMeter {
    /// Starts counting (no-op if already counting).
    pub fn resume(&self) {
        if self.started.get().is_none() {
            self.started.set(Some(live_bytes()));
        }
    }

    /// Samples the heap, then stops counting until the next [`HeapMeter::resume`] (no-op if paused).
    pub fn pause(&self) {
        if self.started.get().is_some() {
            let now = self.sample();
            self.started.set(None);
            self.attributed.set(now);
        }
    }

    /// The bytes attributed now.
    pub fn current(&self) -> i64 {
        let running = self.started.get().map_or(0, |s| live_bytes().saturating_sub(s));
        self.attributed.get().saturating_add(running)
    }

    /// Notes the bytes attributed now in the peak, and returns them.
    pub fn sample(&self) -> i64 {
        let now = self.current();
        if now > self.peak.get() {
            self.peak.set(now);
        }
        now
    }

    /// The highest sample since [`HeapMeter::start_peak`].
    pub fn peak(&self) -> i64 {
        self.peak.get()
    }

    /// Starts a new peak at the bytes attributed now (at the start of an invocation).
    pub fn start_peak(&self) {
        self.peak.set(self.current());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_counts_only_while_it_runs_and_samples_its_peak() {
        let meter = HeapMeter::default();
        meter.resume();
        let kept = vec![0u8; 1 << 20];
        let transient = vec![0u8; 3 << 20];
        assert_eq!(meter.sample(), 4 << 20);
        drop(transient);
        let unsampled = vec![0u8; 8 << 20];
        drop(unsampled);
        meter.pause();
        let outside = vec![0u8; 5 << 20];
        assert_eq!(meter.current(), 1 << 20);
        assert_eq!(meter.peak(), 4 << 20);
        meter.start_peak();
        assert_eq!(meter.peak(), 1 << 20);
        meter.resume();
        drop(kept);
        assert_eq!(meter.current(), 0);
        meter.pause();
        assert_eq!(meter.peak(), 1 << 20);
        drop(outside);
        assert_eq!(meter.current(), 0);
    }
}
