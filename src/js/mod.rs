//! The JavaScript engine a Lambda execution environment runs: Boa (`boa_engine`), set up as the Node.js runtime.
//!
//! An [`Engine`] is one Node.js process: a Boa [`Context`] with the prelude of `bootstrap.js` (console, CommonJS
//! modules and ES modules ([`esm`]), handler resolution and the invoke contract of AWS's runtime interface client), the function's code files
//! under `/var/task`, and an event loop of our own ([`Engine::run_event_loop`]): microtasks first, then the virtual
//! clock jumps to the next timer or pending AWS SDK call ([`sdk`]), so `setTimeout(r, 5000)` takes no real time and
//! an SDK call takes [`SDK_CALL_LATENCY_MS`]. `Date.now()` and `new Date()` read the virtual clock; `Math.random` draws
//! from a seeded ChaCha stream. Nothing here reads the wall clock.
//!
//! Runaway code cannot hang the host: every invocation has an instruction budget ([`budget`]: Boa's VM-wide
//! instruction counter, however the code is nested), Boa's loop-iteration limit (per call frame) and recursion limit
//! end it too, and the microtask queue is capped per turn; all of these count as the function timing out, except
//! recursion (Node's stack overflow). Memory is metered per engine ([`heap`]): past the limit the process is killed
//! ([`LoopEnd::OutOfMemory`]), checked at every native call, every event-loop turn and at the end of each phase.

pub mod budget;
pub mod digest;
pub mod esm;
pub mod heap;
mod json;
pub mod sdk;

use boa_engine::builtins::promise::Promise;
use boa_engine::builtins::promise::{OperationType, PromiseState};
use boa_engine::context::time::JsInstant;
use boa_engine::context::{Clock, HostHooks};
use boa_engine::error::{EngineError, RuntimeLimitError};
use boa_engine::job::{GenericJob, Job, JobExecutor};
use boa_engine::native_function::NativeFunction;
use boa_engine::object::builtins::JsPromise;
use boa_engine::object::ObjectInitializer;
use boa_engine::property::Attribute;
use boa_engine::{js_string, Context, JsError, JsNativeError, JsObject, JsResult, JsValue, Source};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
pub use sdk::{SdkAnswer, SdkBridge, SdkCall, SDK_CALL_LATENCY_MS};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::rc::Rc;

/// Where a function's code lives, as `LAMBDA_TASK_ROOT` says (docs: "Defined runtime environment variables").
pub const TASK_ROOT: &str = "/var/task";
/// The prelude run in every fresh engine before user code.
const BOOTSTRAP: &str = include_str!("bootstrap.js");
/// Node's `Buffer`, evaluated the first time code touches it.
const BUFFER: &str = include_str!("buffer.js");
/// Node's `path`, evaluated the first time code requires it.
const PATH: &str = include_str!("path.js");
/// Node's other built-in modules (and the Encoding API behind `TextEncoder`), each evaluated on first use.
const BUILTINS: [(&str, &str); 7] = [
    ("crypto", include_str!("crypto.js")),
    ("encoding", include_str!("encoding.js")),
    ("events", include_str!("events.js")),
    ("querystring", include_str!("querystring.js")),
    ("timers", include_str!("timers.js")),
    ("url", include_str!("url.js")),
    ("util", include_str!("util.js")),
];
/// The most timers pending at once; one more throws (a playground limit: keeps runaway code from exhausting memory).
pub const MAX_PENDING_TIMERS: usize = 100_000;
/// The most log lines kept between two takes; later lines are dropped and one line says so (a playground limit).
pub const MAX_LOG_LINES: usize = 100_000;
/// The default for [`EngineLimits::microtasks`].
pub const MAX_MICROTASKS_PER_TURN: usize = 1_000_000;

/// Limits that keep untrusted code from hanging the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineLimits {
    /// Loop iterations one call frame may run (Boa's `loop_iteration` runtime limit).
    pub loop_iterations: u64,
    /// Nested calls (Boa's `recursion` runtime limit); beyond it code fails like Node's stack overflow.
    pub recursion: usize,
    /// Microtasks one turn of the event loop may run before it counts as a spin (a timeout).
    pub microtasks: usize,
    /// Instructions one second of the function's timeout buys ([`budget::INSTRUCTIONS_PER_SECOND`]).
    pub instructions_per_second: u64,
    /// The most instructions one invocation or init may execute ([`budget::MAX_INSTRUCTIONS`]).
    pub max_instructions: u64,
}

impl Default for EngineLimits {
    fn default() -> Self {
        EngineLimits {
            // Off: the instruction budget (`budget`) ends every runaway loop, and Boa's per-frame count also trips
            // inside long builtins (`'y'.repeat(1e7)` counted as 10 M iterations).
            loop_iterations: u64::MAX,
            recursion: 512,
            microtasks: MAX_MICROTASKS_PER_TURN,
            instructions_per_second: budget::INSTRUCTIONS_PER_SECOND,
            max_instructions: budget::MAX_INSTRUCTIONS,
        }
    }
}

/// A pending `setTimeout` / `setInterval` / `setImmediate`.
#[derive(Debug)]
struct Timer {
    id: u32,
    due: u64,
    seq: u64,
    callback: JsObject,
    args: Vec<JsValue>,
    interval: Option<u64>,
}

/// State the natives share with the host: virtual time, timers, logs, the seeded random stream and the code files.
#[derive(Debug)]
pub struct Host {
    now_ms: Cell<u64>,
    timers: RefCell<Vec<Timer>>,
    next_timer_id: Cell<u32>,
    seq: Cell<u64>,
    logs: RefCell<Vec<String>>,
    rng: RefCell<ChaCha8Rng>,
    files: BTreeMap<String, String>,
    request_id: RefCell<String>,
    uncaught: RefCell<Option<JsError>>,
    spun: Cell<bool>,
    rejections: RefCell<Vec<JsObject>>,
    exited: Cell<Option<i32>>,
    sdk_calls: RefCell<Vec<sdk::PendingSdkCall>>,
    /// The instruction count below which the running phase (init or an invocation) is over its budget.
    floor: Cell<usize>,
    /// Set once the running phase went over its instruction budget: the function timed out.
    out_of_time: Cell<bool>,
    /// The engine's heap.
    heap: heap::HeapMeter,
    /// Heap bytes beyond which the process is killed (out of memory).
    heap_limit: Cell<i64>,
    /// Set once the heap went over [`Host::heap_limit`]: the process is killed.
    killed: Cell<bool>,
    /// The largest `ArrayBuffer` (bytes): the function's memory size.
    max_buffer: Cell<u64>,
}

/// Tracks promises rejected with no handler (`HostPromiseRejectionTracker`), for Node's `unhandledRejection`.
impl HostHooks for Host {
    fn promise_rejection_tracker(&self, promise: &JsObject<Promise>, operation: OperationType, _: &mut Context) {
        let promise = promise.clone().upcast();
        let mut pending = self.rejections.borrow_mut();
        match operation {
            OperationType::Reject => pending.push(promise),
            OperationType::Handle => pending.retain(|p| !JsObject::equals(p, &promise)),
        }
    }

    /// An `ArrayBuffer` (so a `Buffer`) larger than the function's memory throws a `RangeError`, as Node's
    /// allocation fails (Boa's message: `cannot allocate a buffer that exceeds the maximum buffer size`; Node's
    /// is `Array buffer allocation failed`).
    fn max_buffer_size(&self, _: &mut Context) -> u64 {
        self.max_buffer.get()
    }
}

impl Host {
    /// The virtual time in milliseconds since the Unix epoch.
    pub fn now_millis(&self) -> u64 {
        self.now_ms.get()
    }

    /// Whether the running phase must stop, with `remaining` instructions left: out of memory or out of budget
    /// (each noted in its flag).
    fn must_stop(&self, remaining: usize) -> bool {
        if remaining < self.floor.get() {
            self.out_of_time.set(true);
        }
        self.over_memory() || self.out_of_time.get()
    }

    /// Whether the running phase was stopped by the instruction budget rather than by the virtual clock.
    pub fn ran_out_of_instructions(&self) -> bool {
        self.out_of_time.get()
    }

    /// Whether the heap is over the limit; marks the process killed if it is.
    fn over_memory(&self) -> bool {
        if !self.killed.get() && self.heap.sample() > self.heap_limit.get() {
            self.killed.set(true);
        }
        self.killed.get()
    }
}

/// The check every native of the runtime makes before it runs: past the memory limit the process is killed, past
/// the instruction budget the function has timed out. Either way it throws an error JavaScript cannot catch
/// (`EngineError::NoInstructionsRemain`) and the engine reads which from the host's flags.
pub(crate) fn checkpoint(context: &Context) -> JsResult<()> {
    let host = host_of(context)?;
    if host.must_stop(context.instructions_remaining()) {
        return Err(EngineError::NoInstructionsRemain.into());
    }
    Ok(())
}

impl Clock for Host {
    /// `Date.now()`, `new Date()`, `performance.now()`: a clock read cannot throw, so it only notes that the heap
    /// went over the limit (the next checkpoint ends the process).
    fn now(&self) -> JsInstant {
        self.over_memory();
        let ms = self.now_ms.get();
        JsInstant::new(ms / 1000, ((ms % 1000) * 1_000_000) as u32)
    }

    fn system_time_millis(&self) -> i64 {
        self.over_memory();
        i64::try_from(self.now_ms.get()).unwrap_or(i64::MAX)
    }
}

/// The job queue: promise reactions and `queueMicrotask` jobs, FIFO, run to empty each turn.
#[derive(Debug, Default)]
struct Microtasks {
    queue: RefCell<VecDeque<Job>>,
    host: RefCell<Option<Rc<Host>>>,
    limit: Cell<usize>,
}

impl JobExecutor for Microtasks {
    fn enqueue_job(self: Rc<Self>, job: Job, _context: &mut Context) {
        self.queue.borrow_mut().push_back(job);
    }

    fn run_jobs(self: Rc<Self>, context: &mut Context) -> JsResult<()> {
        let mut ran = 0usize;
        loop {
            let job = self.queue.borrow_mut().pop_front();
            let Some(job) = job else { return Ok(()) };
            let stop = self
                .host
                .borrow()
                .as_ref()
                .map(|h| h.must_stop(context.instructions_remaining()));
            if stop == Some(true) {
                self.queue.borrow_mut().clear();
                return Ok(());
            }
            ran += 1;
            if ran > self.limit.get() {
                self.queue.borrow_mut().clear();
                if let Some(host) = self.host.borrow().as_ref() {
                    host.spun.set(true);
                }
                return Ok(());
            }
            let result = match job {
                Job::PromiseJob(j) => j.call(context),
                Job::GenericJob(j) => j.call(context),
                Job::TimeoutJob(j) => j.call(context),
                // Module loading: our loader answers at once, so one poll completes the future.
                Job::AsyncJob(j) => {
                    let cell = RefCell::new(&mut *context);
                    let mut future = j.call(&cell);
                    let mut poll = std::task::Context::from_waker(std::task::Waker::noop());
                    match std::pin::Pin::new(&mut future).poll(&mut poll) {
                        std::task::Poll::Ready(result) => result,
                        std::task::Poll::Pending => Ok(JsValue::undefined()),
                    }
                }
                _ => Ok(JsValue::undefined()),
            };
            if let Err(e) = result {
                if e.as_engine().is_some() {
                    self.queue.borrow_mut().clear();
                    return Err(e);
                }
                // An exception thrown by a queueMicrotask callback is an uncaught exception, as in Node.
                if let Some(host) = self.host.borrow().as_ref() {
                    host.uncaught.borrow_mut().get_or_insert(e);
                }
            }
        }
    }
}

/// How a run of the event loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoopEnd {
    /// The handler reported a result or an error; `failed` says which; `payload` is the JSON text.
    Reported {
        /// Whether the report is a function error.
        failed: bool,
        /// The response payload (JSON text).
        payload: String,
    },
    /// The event loop emptied without a report; `is_async` says whether the handler was an `async` function.
    Drained {
        /// Whether the handler is an `AsyncFunction` (RIC's `Runtime.NodeJsExit` check).
        is_async: bool,
    },
    /// The deadline passed (a timer due after it, or a spin); the clock stands at the deadline.
    TimedOut,
    /// An exception escaped a timer or microtask; the payload is its error payload. The process would exit.
    Uncaught {
        /// The error payload (JSON text).
        payload: String,
    },
    /// The code called `process.exit(code)`: the runtime process ended.
    Exited {
        /// The exit status.
        code: i32,
    },
    /// Recursion beyond the engine's limit: Node's stack overflow, reported as a `RangeError`; the process is reset.
    StackOverflow,
    /// The heap went over the limit ([`Engine::set_memory_limit`]): the process was killed (`signal: killed`).
    OutOfMemory,
}

/// One Node.js process: a Boa context with the runtime prelude and the function's code.
pub struct Engine {
    context: Context,
    host: Rc<Host>,
    runtime: JsObject,
    handler: Option<JsObject>,
    /// `P`: the instructions one invocation may execute ([`budget`]).
    per_invocation: usize,
    /// Whether the engine has served an invocation.
    invoked: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

/// An error raised while starting the engine itself (not by user code): a bug, reported loudly.
pub fn engine_bug(e: impl std::fmt::Display) -> String {
    format!("internal error in the JavaScript runtime: {e}")
}

impl Engine {
    /// A fresh process at virtual time `now_ms`, with `files` (paths relative to `/var/task`), `Math.random`
    /// seeded by `seed`, and `environment` as `process.env`.
    ///
    /// Each invocation may execute `limits.max_instructions` ([`Engine::for_timeout`] scales it to a timeout).
    ///
    /// Errors: the prelude failed to start (a bug of ours, never user input).
    pub fn new(
        files: &BTreeMap<String, String>,
        environment: &[(String, String)],
        now_ms: u64,
        seed: u64,
        limits: EngineLimits,
    ) -> Result<Engine, String> {
        Engine::for_timeout(files, environment, now_ms, seed, limits, u64::MAX)
    }

    /// [`Engine::new`] for a function with a `timeout_seconds` timeout: each invocation may execute
    /// [`EngineLimits::invocation_instructions`] instructions, the engine's life (init included) the init budget
    /// plus [`budget::spare`] of that ([`budget`]). The prelude counts against the init budget.
    pub fn for_timeout(
        files: &BTreeMap<String, String>,
        environment: &[(String, String)],
        now_ms: u64,
        seed: u64,
        limits: EngineLimits,
        timeout_seconds: u64,
    ) -> Result<Engine, String> {
        let per_invocation = limits.invocation_instructions(timeout_seconds);
        let lifetime = limits.init_instructions().saturating_add(budget::spare(per_invocation));
        let host = Rc::new(Host {
            now_ms: Cell::new(now_ms),
            timers: RefCell::new(Vec::new()),
            next_timer_id: Cell::new(1),
            seq: Cell::new(0),
            logs: RefCell::new(Vec::new()),
            rng: RefCell::new(ChaCha8Rng::seed_from_u64(seed)),
            files: files
                .iter()
                .map(|(k, v)| (format!("{TASK_ROOT}/{}", k.trim_start_matches('/')), v.clone()))
                .collect(),
            request_id: RefCell::new("undefined".to_string()),
            uncaught: RefCell::new(None),
            spun: Cell::new(false),
            rejections: RefCell::new(Vec::new()),
            exited: Cell::new(None),
            sdk_calls: RefCell::new(Vec::new()),
            floor: Cell::new(budget::to_count(budget::spare(per_invocation))),
            out_of_time: Cell::new(false),
            heap: heap::HeapMeter::default(),
            heap_limit: Cell::new(i64::MAX),
            killed: Cell::new(false),
            max_buffer: Cell::new(1_610_612_736),
        });
        let jobs = Rc::new(Microtasks::default());
        *jobs.host.borrow_mut() = Some(host.clone());
        jobs.limit.set(limits.microtasks);
        let modules = Rc::new(esm::TaskModules::new(host.files.clone()));
        let mut context = Context::builder()
            .clock(host.clone())
            .host_hooks(host.clone())
            .job_executor(jobs)
            .module_loader(modules.clone())
            .instructions_remaining(budget::to_count(lifetime))
            .build()
            .map_err(engine_bug)?;
        context.insert_data(host.clone());
        context.insert_data(modules.clone());
        context
            .runtime_limits_mut()
            .set_loop_iteration_limit(limits.loop_iterations);
        context.runtime_limits_mut().set_recursion_limit(limits.recursion);
        install_natives(&mut context).map_err(engine_bug)?;
        let factory = context
            .eval(Source::from_bytes(BOOTSTRAP))
            .map_err(engine_bug)?
            .as_callable()
            .ok_or_else(|| engine_bug("the prelude is not a function"))?;
        let host_object = context
            .global_object()
            .get(js_string!("__host"), &mut context)
            .map_err(engine_bug)?;
        let runtime = factory
            .call(&JsValue::undefined(), &[host_object], &mut context)
            .map_err(engine_bug)?
            .as_object()
            .ok_or_else(|| engine_bug("the prelude returned no runtime object"))?;
        *modules.runtime.borrow_mut() = Some(runtime.clone());
        context
            .global_object()
            .delete_property_or_throw(js_string!("__host"), &mut context)
            .map_err(engine_bug)?;
        let mut engine = Engine {
            context,
            host,
            runtime,
            handler: None,
            per_invocation: budget::to_count(per_invocation),
            invoked: false,
        };
        let vars = serde_json::Value::Object(
            environment
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        );
        let vars = JsValue::from_json(&vars, &mut engine.context).map_err(engine_bug)?;
        engine.call_runtime("setEnv", &[vars]).map_err(engine_bug)?;
        Ok(engine)
    }

    /// The shared host state (virtual time, logs).
    pub fn host(&self) -> &Host {
        &self.host
    }

    /// The instructions this engine may still execute in its life ([`budget`]).
    pub fn instructions_remaining(&self) -> u64 {
        self.context.instructions_remaining() as u64
    }

    /// Whether enough of the engine's instruction budget is left for one more invocation; if not the environment
    /// is retired before the invocation ([`budget`]).
    pub fn can_serve(&self) -> bool {
        self.context.instructions_remaining() >= self.per_invocation
    }

    /// Sets the heap beyond which the process is killed ([`LoopEnd::OutOfMemory`]) and the largest `ArrayBuffer`,
    /// in bytes.
    pub fn set_memory_limit(&self, heap_bytes: i64, max_buffer_bytes: u64) {
        self.host.heap_limit.set(heap_bytes);
        self.host.max_buffer.set(max_buffer_bytes);
    }

    /// The engine's heap now, in bytes ([`heap::HeapMeter`]; 0 if it has freed more than it was attributed).
    pub fn heap_bytes(&self) -> u64 {
        u64::try_from(self.host.heap.current()).unwrap_or(0)
    }

    /// The engine's highest heap since the current (or last) invocation started, in bytes.
    pub fn peak_heap_bytes(&self) -> u64 {
        u64::try_from(self.host.heap.peak()).unwrap_or(0)
    }

    /// How a phase that was stopped (memory, budget) ended, if it was: the heap is checked first (a killed
    /// process reports nothing else), then the budget and the counter (with nothing left nothing can run).
    fn interrupted(&self) -> Option<LoopEnd> {
        let remaining = self.context.instructions_remaining();
        if self.host.must_stop(remaining) || remaining == 0 {
            if self.host.killed.get() {
                return Some(LoopEnd::OutOfMemory);
            }
            return Some(LoopEnd::TimedOut);
        }
        None
    }

    /// Sets the virtual time (never backwards).
    pub fn set_now(&self, now_ms: u64) {
        if now_ms > self.host.now_ms.get() {
            self.host.now_ms.set(now_ms);
        }
    }

    /// The request id log lines carry (`undefined` during init, as in Lambda).
    pub fn set_request_id(&self, id: &str) {
        *self.host.request_id.borrow_mut() = id.to_string();
    }

    /// Takes the log lines written since the last call.
    pub fn take_logs(&self) -> Vec<String> {
        std::mem::take(&mut *self.host.logs.borrow_mut())
    }

    /// Appends a log line as the runtime would (used for the timeout line).
    pub fn push_log(&self, line: String) {
        self.host.logs.borrow_mut().push(line);
    }

    fn call_runtime(&mut self, name: &str, args: &[JsValue]) -> JsResult<JsValue> {
        let function = self
            .runtime
            .get(js_string!(name), &mut self.context)?
            .as_callable()
            .ok_or_else(|| JsNativeError::typ().with_message(format!("runtime.{name} is not a function")))?;
        function.call(&JsValue::undefined(), args, &mut self.context)
    }

    /// The init phase: loads the module the handler string names and resolves the handler (RIC `UserFunction.js`),
    /// then runs the microtasks init queued. Errors are `(errorType, payload JSON)`; the init error is logged as
    /// `Uncaught Exception`. A runtime limit hit during init, or init going over its instruction budget ([`budget`],
    /// which covers the prelude too), is reported as `Err(None)` (the init timed out). A heap over the limit kills
    /// the process: `Err(Some(("Runtime.OutOfMemory", "")))`, the caller builds the payload (it knows the request id).
    pub fn init(&mut self, handler: &str, runtime: &str) -> Result<(), Option<(String, String)>> {
        self.host.heap.resume();
        let result = self.call_runtime("loadHandler", &[js_string!(handler).into(), js_string!(runtime).into()]);
        let result = result.and_then(|h| {
            self.context.run_jobs()?;
            Ok(h)
        });
        self.host.heap.pause();
        match self.interrupted() {
            Some(LoopEnd::OutOfMemory) => return Err(Some(("Runtime.OutOfMemory".to_string(), String::new()))),
            Some(_) => return Err(None),
            None => {}
        }
        match result {
            Ok(h) => {
                self.handler = h.as_callable();
                Ok(())
            }
            Err(e) if is_limit(&e) || e.as_engine().is_some() => Err(None),
            Err(e) => {
                let value = e.into_opaque(&mut self.context).unwrap_or_default();
                let reported = self
                    .call_runtime("initError", &[value])
                    .ok()
                    .and_then(|v| v.to_json(&mut self.context).ok().flatten());
                let (kind, payload) = match reported {
                    Some(serde_json::Value::Array(pair)) => (
                        pair.first().and_then(|v| v.as_str()).unwrap_or("Error").to_string(),
                        pair.get(1).and_then(|v| v.as_str()).unwrap_or("null").to_string(),
                    ),
                    _ => ("Error".to_string(), "null".to_string()),
                };
                Err(Some((kind, payload)))
            }
        }
    }

    /// Calls the handler with `event` (JSON text; `parsed` is the same JSON already parsed, if the caller has it)
    /// and the context fields of `info`, then runs the event loop until the invocation is settled or
    /// `deadline_ms` (virtual) passes. SDK calls the handler makes are answered by `bridge` (see [`sdk`]).
    pub fn invoke(
        &mut self,
        event: &str,
        parsed: Option<&serde_json::Value>,
        info: &serde_json::Value,
        deadline_ms: u64,
        bridge: &mut SdkBridge<'_>,
    ) -> LoopEnd {
        let remaining = self.context.instructions_remaining();
        self.host.floor.set(remaining.saturating_sub(self.per_invocation));
        self.host.heap.resume();
        // The peak a REPORT shows is the invocation's; a cold start's includes its init.
        if self.invoked {
            self.host.heap.start_peak();
        }
        self.invoked = true;
        let mut end = self.invoke_handler(event, parsed, info, deadline_ms, bridge);
        // The end of the invocation is a checkpoint too (a heap grown without any native call since).
        if self.host.over_memory() {
            end = LoopEnd::OutOfMemory;
        }
        self.host.heap.pause();
        end
    }

    fn invoke_handler(
        &mut self,
        event: &str,
        parsed: Option<&serde_json::Value>,
        info: &serde_json::Value,
        deadline_ms: u64,
        bridge: &mut SdkBridge<'_>,
    ) -> LoopEnd {
        let Some(handler) = self.handler.clone() else {
            return LoopEnd::Drained { is_async: false };
        };
        self.host.spun.set(false);
        let info = JsValue::from_json(info, &mut self.context).unwrap_or_default();
        // Boa's JSON.parse parses, compiles and runs the text as a script (about 100 us per KB); the event built
        // here from the parsed JSON is the same value JSON.parse gives, when `exact_in_js` says so.
        let event_value = parsed
            .filter(|v| exact_in_js(v, 0))
            .and_then(|v| JsValue::from_json(v, &mut self.context).ok())
            .unwrap_or_default();
        let called = self.call_runtime("invoke", &[handler.into(), js_string!(event).into(), info, event_value]);
        if let Some(code) = self.host.exited.get() {
            return LoopEnd::Exited { code };
        }
        if let Err(e) = called {
            return self.failure(e);
        }
        self.run_event_loop(deadline_ms, bridge)
    }

    fn failure(&mut self, e: JsError) -> LoopEnd {
        if let Some(end) = self.interrupted() {
            return end;
        }
        match e.as_engine() {
            Some(EngineError::NoInstructionsRemain) => LoopEnd::TimedOut,
            Some(EngineError::RuntimeLimit(RuntimeLimitError::LoopIteration)) => LoopEnd::TimedOut,
            Some(EngineError::RuntimeLimit(_)) => LoopEnd::StackOverflow,
            Some(_) => LoopEnd::StackOverflow,
            None => {
                let value = e.into_opaque(&mut self.context).unwrap_or_default();
                let payload = self
                    .call_runtime("uncaught", &[value])
                    .ok()
                    .and_then(|v| v.as_string())
                    .map(|s| s.to_std_string_escaped())
                    .unwrap_or_else(|| "null".to_string());
                LoopEnd::Uncaught { payload }
            }
        }
    }

    /// The reason of the first promise still rejected without a handler after the microtasks ran.
    fn unhandled_rejection(&mut self) -> Option<JsValue> {
        let pending = std::mem::take(&mut *self.host.rejections.borrow_mut());
        pending.into_iter().find_map(|p| {
            let promise = JsPromise::from_object(p).ok()?;
            match promise.state() {
                PromiseState::Rejected(reason) => Some(reason),
                _ => None,
            }
        })
    }

    fn status(&mut self) -> u32 {
        self.call_runtime("status", &[])
            .ok()
            .and_then(|v| v.as_number())
            .map_or(0, |n| n as u32)
    }

    fn reported(&mut self) -> LoopEnd {
        let failed = self
            .call_runtime("failed", &[])
            .map(|v| v.to_boolean())
            .unwrap_or(false);
        let payload = self
            .call_runtime("payload", &[])
            .ok()
            .and_then(|v| v.as_string())
            .map(|s| s.to_std_string_escaped())
            .unwrap_or_else(|| "null".to_string());
        LoopEnd::Reported { failed, payload }
    }

    /// Node's event loop on virtual time: run microtasks; if the handler has reported (and does not wait for an
    /// empty loop) stop; else jump the clock to the earliest timer or pending SDK call (an SDK call is answered by
    /// `bridge` when it is due, [`SDK_CALL_LATENCY_MS`] after it was made) and run it. Stops at `deadline_ms`.
    pub fn run_event_loop(&mut self, deadline_ms: u64, bridge: &mut SdkBridge<'_>) -> LoopEnd {
        loop {
            let jobs = self.context.run_jobs();
            if let Some(code) = self.host.exited.get() {
                return LoopEnd::Exited { code };
            }
            if let Err(e) = jobs {
                return self.failure(e);
            }
            if let Some(end) = self.interrupted() {
                if end == LoopEnd::TimedOut {
                    self.set_now(deadline_ms);
                }
                return end;
            }
            if self.host.spun.get() {
                self.set_now(deadline_ms);
                return LoopEnd::TimedOut;
            }
            let uncaught = self.host.uncaught.borrow_mut().take();
            if let Some(e) = uncaught {
                return self.failure(e);
            }
            let status = self.status();
            if status == 1 {
                // A report already made wins over a rejection left unhandled in the same turn (inferred: the
                // response is posted before Node's unhandled-rejection processing runs).
                self.host.rejections.borrow_mut().clear();
                return self.reported();
            }
            if let Some(reason) = self.unhandled_rejection() {
                let payload = self
                    .call_runtime("unhandledRejection", &[reason])
                    .ok()
                    .and_then(|v| v.as_string())
                    .map(|s| s.to_std_string_escaped())
                    .unwrap_or_else(|| "null".to_string());
                return LoopEnd::Uncaught { payload };
            }
            if let Some(call) = self.due_sdk_call() {
                if call.due > deadline_ms {
                    self.host.sdk_calls.borrow_mut().push(call);
                    self.set_now(deadline_ms);
                    return LoopEnd::TimedOut;
                }
                self.set_now(call.due);
                // The service (and a nested invocation, metered by its own engine) is not this engine's heap.
                self.host.heap.pause();
                let answer = bridge(&call.call, call.due);
                self.host.heap.resume();
                // A synchronous Lambda Invoke answers when the callee has finished: the caller waits until then,
                // and times out first if its own deadline comes before.
                if let Some(answered) = answer.answered_ms.filter(|t| *t > call.due) {
                    if answered > deadline_ms {
                        self.set_now(deadline_ms);
                        return LoopEnd::TimedOut;
                    }
                    self.set_now(answered);
                }
                if let Err(e) = sdk::settle(call, answer, &mut self.context) {
                    return self.failure(e);
                }
                continue;
            }
            let next = {
                let mut timers = self.host.timers.borrow_mut();
                let earliest = timers
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, t)| (t.due, t.seq))
                    .map(|(i, _)| i);
                earliest.map(|i| timers.swap_remove(i))
            };
            let Some(mut timer) = next else {
                if status == 2 {
                    return self.reported();
                }
                let is_async = self
                    .call_runtime("isAsync", &[])
                    .map(|v| v.to_boolean())
                    .unwrap_or(false);
                return LoopEnd::Drained { is_async };
            };
            if timer.due > deadline_ms {
                self.host.timers.borrow_mut().push(timer);
                self.set_now(deadline_ms);
                return LoopEnd::TimedOut;
            }
            self.set_now(timer.due);
            let callback = timer.callback.clone();
            let args = timer.args.clone();
            if let Some(every) = timer.interval {
                timer.due = self.host.now_ms.get().saturating_add(every);
                timer.seq = next_seq(&self.host);
                self.host.timers.borrow_mut().push(timer);
            }
            if let Err(e) = callback.call(&JsValue::undefined(), &args, &mut self.context) {
                if let Some(code) = self.host.exited.get() {
                    return LoopEnd::Exited { code };
                }
                return self.failure(e);
            }
        }
    }

    /// The pending SDK call due first, taken out of the queue, if it is due no later than every timer.
    fn due_sdk_call(&self) -> Option<sdk::PendingSdkCall> {
        let mut calls = self.host.sdk_calls.borrow_mut();
        let first = calls
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| (c.due, c.seq))
            .map(|(i, c)| (i, c.due, c.seq))?;
        let timer = self.host.timers.borrow().iter().map(|t| (t.due, t.seq)).min();
        match timer {
            Some(t) if t < (first.1, first.2) => None,
            _ => Some(calls.remove(first.0)),
        }
    }

    /// How many SDK calls wait for an answer.
    pub fn pending_sdk_calls(&self) -> usize {
        self.host.sdk_calls.borrow().len()
    }

    /// Formats values as Node's `util.format` does (for tests and diagnostics).
    pub fn format(&mut self, args: &[JsValue]) -> String {
        self.call_runtime("format", args)
            .ok()
            .and_then(|v| v.as_string())
            .map(|s| s.to_std_string_escaped())
            .unwrap_or_default()
    }

    /// Evaluates a script in the engine (tests and the playground's console).
    pub fn eval(&mut self, source: &str) -> Result<serde_json::Value, String> {
        let value = self
            .context
            .eval(Source::from_bytes(source))
            .map_err(|e| e.to_string())?;
        Ok(value
            .to_json(&mut self.context)
            .map_err(|e| e.to_string())?
            .unwrap_or(serde_json::Value::Null))
    }
}

/// Whether [`JsValue::from_json`] builds from `json` exactly the value `JSON.parse` builds from its text: true
/// unless a number is not an integer (serde_json's default float parsing is not always correctly rounded, and
/// `-0` becomes `0.0` there) or the nesting is deeper than a few hundred levels (from_json recurses).
fn exact_in_js(json: &serde_json::Value, depth: usize) -> bool {
    use serde_json::Value;
    if depth > 200 {
        return false;
    }
    match json {
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::Array(items) => items.iter().all(|v| exact_in_js(v, depth + 1)),
        Value::Object(members) => members.values().all(|v| exact_in_js(v, depth + 1)),
        _ => true,
    }
}

fn is_limit(e: &JsError) -> bool {
    matches!(e.as_engine(), Some(EngineError::RuntimeLimit(_)))
}

pub(crate) fn next_seq(host: &Host) -> u64 {
    let s = host.seq.get().wrapping_add(1);
    host.seq.set(s);
    s
}

pub(crate) fn host_of(context: &Context) -> JsResult<Rc<Host>> {
    context
        .get_data::<Rc<Host>>()
        .cloned()
        .ok_or_else(|| JsNativeError::typ().with_message("the Lambda host is missing").into())
}

pub(crate) fn string_arg(args: &[JsValue], i: usize, context: &mut Context) -> JsResult<String> {
    Ok(args
        .get(i)
        .cloned()
        .unwrap_or_default()
        .to_string(context)?
        .to_std_string_escaped())
}

/// `__host.log(level, text)`: one Lambda log line, `<ISO time>\t<request id>\t<LEVEL>\t<text>` with every `\n`
/// replaced by `\r` (RIC `LogPatch.js`; docs "Using Lambda with Node.js: logging").
fn native_log(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let level = string_arg(args, 0, context)?;
    let text = string_arg(args, 1, context)?.replace('\n', "\r");
    let line = format!(
        "{}\t{}\t{level}\t{text}",
        iso_millis(host.now_ms.get()),
        host.request_id.borrow()
    );
    let mut logs = host.logs.borrow_mut();
    match logs.len() {
        n if n < MAX_LOG_LINES => logs.push(line),
        n if n == MAX_LOG_LINES => logs.push(format!(
            "not simulated: more than {MAX_LOG_LINES} log lines in one invocation; later lines are dropped"
        )),
        _ => {}
    }
    Ok(JsValue::undefined())
}

/// `__host.exit(code)`: `process.exit`. Records the exit (the process is over whatever the code catches) and
/// throws to unwind the running code.
fn native_exit(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let code = match args.first() {
        Some(v) if !v.is_undefined() => v.to_number(context)?,
        _ => 0.0,
    };
    host.exited.set(Some(if code.is_finite() { code as i32 } else { 0 }));
    Err(JsNativeError::error().with_message("process.exit").into())
}

/// `__host.read(path)`: a code file's text, or `undefined`.
fn native_read(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let path = string_arg(args, 0, context)?;
    Ok(host
        .files
        .get(&path)
        .map(|text| JsValue::from(js_string!(text.as_str())))
        .unwrap_or_default())
}

/// `__host.compile(path, source)`: the CommonJS wrapper function of a module (Node's module wrapper, on the
/// module's first line so line numbers match). A syntax error is thrown as a `SyntaxError`.
fn native_compile(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let path = string_arg(args, 0, context)?;
    let source = string_arg(args, 1, context)?;
    let wrapped = format!("(function (exports, require, module, __filename, __dirname) {{ {source}\n}})");
    let file = std::path::PathBuf::from(path);
    context.eval(Source::from_bytes(wrapped.as_str()).with_path(&file))
}

/// `__host.source(name)`: the source of an internal module the prelude evaluates on first use (`buffer`, `path`,
/// the SDK's `sdk/...`), or `undefined`. Keeping them out of the prelude keeps cold starts short.
fn native_source(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let name = string_arg(args, 0, context)?;
    let source = match name.as_str() {
        "buffer" => Some(BUFFER),
        "path" => Some(PATH),
        other => BUILTINS
            .iter()
            .find(|(n, _)| *n == other)
            .map(|(_, s)| *s)
            .or_else(|| sdk::source(other)),
    };
    Ok(source.map(|s| JsValue::from(js_string!(s))).unwrap_or_default())
}

/// `__host.importEsm(path)`: the namespace of the ES module at `path` (see [`esm`]).
fn native_import_esm(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let path = string_arg(args, 0, context)?;
    let modules = context
        .get_data::<Rc<esm::TaskModules>>()
        .cloned()
        .ok_or_else(|| JsNativeError::typ().with_message("the module loader is missing"))?;
    esm::import(&modules, &path, context)
}

fn schedule(args: &[JsValue], context: &mut Context, repeat: bool, immediate: bool) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let callback = args
        .first()
        .and_then(JsValue::as_callable)
        .ok_or_else(|| JsNativeError::typ().with_message("The \"callback\" argument must be of type function"))?;
    let (delay, rest) = if immediate {
        (0, args.get(1..).unwrap_or_default())
    } else {
        let ms = match args.get(1) {
            Some(v) => v.to_number(context)?,
            None => 1.0,
        };
        // Node: a delay that is not a number in 1..=2^31-1 becomes 1 (docs: timers, setTimeout).
        let ms = if ms.is_finite() && (1.0..=2_147_483_647.0).contains(&ms) {
            ms.trunc() as u64
        } else {
            1
        };
        (ms, args.get(2..).unwrap_or_default())
    };
    if host.timers.borrow().len() >= MAX_PENDING_TIMERS {
        return Err(JsNativeError::range()
            .with_message(format!("not simulated: more than {MAX_PENDING_TIMERS} pending timers"))
            .into());
    }
    let id = host.next_timer_id.get();
    host.next_timer_id.set(id.wrapping_add(1));
    let timer = Timer {
        id,
        due: host.now_ms.get().saturating_add(delay),
        seq: next_seq(&host),
        callback,
        args: rest.to_vec(),
        interval: repeat.then_some(delay),
    };
    host.timers.borrow_mut().push(timer);
    Ok(JsValue::from(id))
}

fn native_set_timeout(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    schedule(args, context, false, false)
}

fn native_set_interval(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    schedule(args, context, true, false)
}

fn native_set_immediate(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    schedule(args, context, false, true)
}

fn native_clear(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    if let Some(id) = args.first().and_then(JsValue::as_number) {
        host.timers.borrow_mut().retain(|t| f64::from(t.id) != id);
    }
    Ok(JsValue::undefined())
}

fn native_queue_microtask(_: &JsValue, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let callback = args
        .first()
        .and_then(JsValue::as_callable)
        .ok_or_else(|| JsNativeError::typ().with_message("The \"callback\" argument must be of type function"))?;
    let realm = context.realm().clone();
    let job = GenericJob::new(move |context| callback.call(&JsValue::undefined(), &[], context), realm);
    context.enqueue_job(job.into());
    Ok(JsValue::undefined())
}

/// `Math.random()` from the seeded stream: 53 random bits in `[0, 1)`.
fn native_random(_: &JsValue, _: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
    let host = host_of(context)?;
    let bits = host.rng.borrow_mut().next_u64() >> 11;
    Ok(JsValue::from(bits as f64 / (1u64 << 53) as f64))
}

/// The signature of a native function.
type NativeFn = fn(&JsValue, &[JsValue], &mut Context) -> JsResult<JsValue>;

/// `f` behind the [`checkpoint`]: every native the runtime provides checks the memory limit and the instruction
/// budget before it runs.
fn guarded(f: NativeFn) -> NativeFunction {
    NativeFunction::from_copy_closure(move |this, args, context| {
        checkpoint(context)?;
        f(this, args, context)
    })
}

fn install_natives(context: &mut Context) -> JsResult<()> {
    let host = ObjectInitializer::new(context)
        .function(guarded(native_log), js_string!("log"), 2)
        .function(guarded(native_read), js_string!("read"), 1)
        .function(guarded(native_exit), js_string!("exit"), 1)
        .function(guarded(native_compile), js_string!("compile"), 2)
        .function(guarded(native_import_esm), js_string!("importEsm"), 1)
        .function(guarded(sdk::native_sdk_call), js_string!("sdkCall"), 3)
        .function(guarded(native_source), js_string!("source"), 1)
        .function(guarded(digest::native_digest), js_string!("digest"), 3)
        .build();
    context.register_global_property(js_string!("__host"), host, Attribute::all())?;
    let timers: [(&str, NativeFn, usize); 8] = [
        ("setTimeout", native_set_timeout, 2),
        ("setInterval", native_set_interval, 2),
        ("setImmediate", native_set_immediate, 1),
        ("clearTimeout", native_clear, 1),
        ("clearInterval", native_clear, 1),
        ("clearImmediate", native_clear, 1),
        ("queueMicrotask", native_queue_microtask, 1),
        ("__random", native_random, 0),
    ];
    for (name, f, length) in timers {
        context.register_global_callable(js_string!(name), length, guarded(f))?;
    }
    let random = context.global_object().get(js_string!("__random"), context)?;
    let math = context.global_object().get(js_string!("Math"), context)?;
    if let Some(math) = math.as_object() {
        math.set(js_string!("random"), random, true, context)?;
    }
    context
        .global_object()
        .delete_property_or_throw(js_string!("__random"), context)?;
    json::install(context)
}

/// `2026-01-01T00:00:00.000Z` for milliseconds since the epoch (what `new Date().toISOString()` prints).
pub fn iso_millis(ms: u64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    match time::OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        ),
        Err(_) => "+275760-09-13T00:00:00.000Z".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::exact_in_js;
    use serde_json::json;

    #[test]
    fn only_integers_and_shallow_json_are_built_by_the_host() {
        assert!(exact_in_js(
            &json!({"a": [1, -2, 18446744073709551615u64, "x", null, true, {"b": {}}]}),
            0
        ));
        assert!(!exact_in_js(&json!({"a": [1.5]}), 0));
        assert!(!exact_in_js(&serde_json::from_str("-0").unwrap(), 0));
        let mut deep = json!(1);
        for _ in 0..300 {
            deep = json!([deep]);
        }
        assert!(!exact_in_js(&deep, 0));
    }
}
