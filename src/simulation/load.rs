//! A load test on virtual time: thousands of requests sent to a deployed API's stage, each at its own arrival
//! instant, through the real request chain (API Gateway -> Lambda), so that cold starts, warm reuse, reserved and
//! account concurrency and throttles happen as the engine does them ([`crate::lambda::concurrency`]).
//!
//! Requests are sent in arrival order. Before each one the account's clock is set to its arrival instant: the
//! engine runs requests one after another, but in virtual time they overlap, and an execution environment still
//! busy with an earlier request (its virtual end is later) cannot serve the next one, so Lambda starts another
//! (a cold start) or throttles. The clock therefore moves back between requests; a load test runs on an account
//! of its own (a fresh deploy), never on the learner's, so no other state sees time go back.
//!
//! The result is a time series per virtual second: requests, concurrency (peak), cold starts, throttles
//! (`TooManyRequestsException`, which API Gateway answers as 500 `Internal server error`; see
//! [`crate::apigateway::invoke`]), other errors and latency percentiles, plus the usage the bill is computed from
//! ([`crate::pricing`]).

use crate::apigateway::http::HttpRequest;
use crate::apigateway::ApiGateway;
use crate::cloud::VirtualClock;
use crate::lambda::Lambda;
use crate::template::code::{CodeFolders, NoCodeLoader, ScenarioCodeLoader};
use crate::Cloud;
use std::collections::BTreeMap;
use std::fmt;

/// The most requests a load test sends: every request runs the handler in the JavaScript engine (no sampling):
/// measured, 1,000 requests with 10 cold starts took 1.05 s natively (release build, on a busy shared machine) and
/// 0.95 s in headless Chromium; the page must not freeze for long.
pub const MAX_REQUESTS: u64 = 5_000;
/// The longest load test, in virtual seconds.
pub const MAX_SECONDS: u32 = 600;
/// The highest rate, in requests per second.
pub const MAX_RPS: u32 = 2_000;
/// The most execution environments a load test may need: each is a JavaScript engine with the handler loaded
/// (memory in the tab) and each cold start costs about 13 ms of host time (measured natively, release build: 2,000
/// requests needing 200 environments ran in 3.2 s); past it the test stops with a "not simulated" error.
pub const MAX_ENVIRONMENTS: usize = 200;

/// How the request rate changes over the test (in a lesson file: `shape: constant` and the fields, snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Shape {
    /// The same rate every second.
    Constant {
        /// Requests per second.
        rps: u32,
    },
    /// A straight line from `from_rps` in the first second to `to_rps` in the last.
    Ramp {
        /// The first second's rate.
        from_rps: u32,
        /// The last second's rate.
        to_rps: u32,
    },
    /// `base_rps`, except `peak_rps` for `peak_seconds` seconds from second `peak_at`.
    Spike {
        /// The rate outside the spike.
        base_rps: u32,
        /// The rate during the spike.
        peak_rps: u32,
        /// The spike's first second (0-based).
        peak_at: u32,
        /// How many seconds the spike lasts.
        peak_seconds: u32,
    },
}

/// A load test: the traffic and the request every arrival sends (in a lesson file:
/// `{shape: constant, rps: 100, seconds: 10, path: /Prod/hello}`; `method` defaults to `GET`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Traffic {
    /// The rate over time.
    #[serde(flatten)]
    pub shape: Shape,
    /// How many virtual seconds the test lasts.
    pub seconds: u32,
    /// The HTTP method.
    #[serde(default = "get")]
    pub method: String,
    /// The path after the host, starting with the stage (`/prod/hello`).
    pub path: String,
    /// The body.
    #[serde(default)]
    pub body: String,
}

fn get() -> String {
    "GET".to_string()
}

/// How many reports [`run_template`] remembers.
const CACHED_REPORTS: usize = 8;

/// A remembered run: the template, its `CodeUri` folders' files, the traffic, and what it gave.
type CachedRun = (String, Option<CodeFolders>, Traffic, Result<LoadReport, LoadError>);

thread_local! {
    /// The last reports of [`run_template`], newest last: a run is deterministic, so the same template and
    /// traffic give the same report, and the tutorial's checks ask for the same run several times in a row.
    static REPORTS: std::cell::RefCell<Vec<CachedRun>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Deploys `template` on a fresh account ([`Cloud::default`]: fixed account, region and seed) and runs
/// `traffic` against it: what the playground's Load view and the tutorial's checks run, so a load never touches
/// the learner's account. The last few results are remembered (see `REPORTS`).
///
/// Errors: as [`run`]; a template that does not deploy is [`LoadError::Invalid`] with the loader's message.
pub fn run_template(template: &str, traffic: &Traffic) -> Result<LoadReport, LoadError> {
    run_cached(template, None, traffic)
}

/// As [`run_template`], reading `CodeUri` folders from a scenario's files ([`ScenarioCodeLoader`]): what the
/// browser's Load view runs once a function's code is a folder.
pub fn run_template_with_code(template: &str, code: &CodeFolders, traffic: &Traffic) -> Result<LoadReport, LoadError> {
    run_cached(template, Some(code), traffic)
}

/// A remembered run, else a fresh one (remembered); `code: None` reads no folder ([`NoCodeLoader`]).
fn run_cached(template: &str, code: Option<&CodeFolders>, traffic: &Traffic) -> Result<LoadReport, LoadError> {
    let cached = REPORTS.with(|r| {
        r.borrow()
            .iter()
            .find(|(t, c, x, _)| t == template && c.as_ref() == code && x == traffic)
            .map(|(_, _, _, report)| report.clone())
    });
    if let Some(report) = cached {
        return report;
    }
    let report = run_fresh(template, code, traffic);
    REPORTS.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() >= CACHED_REPORTS {
            let _oldest = r.remove(0);
        }
        r.push((template.to_string(), code.cloned(), traffic.clone(), report.clone()));
    });
    report
}

fn run_fresh(template: &str, code: Option<&CodeFolders>, traffic: &Traffic) -> Result<LoadReport, LoadError> {
    traffic.validate()?;
    let mut cloud = Cloud::default();
    let loader = code.map(|folders| ScenarioCodeLoader { folders });
    let options = crate::template::LoadOptions {
        code: match &loader {
            Some(loader) => loader,
            None => &NoCodeLoader,
        },
        ..crate::template::LoadOptions::default()
    };
    let stack = crate::template::load("template.yaml", template, &options, &mut cloud)
        .map_err(|e| LoadError::Invalid(format!("the template does not deploy: {e}")))?;
    cloud
        .deploy(&stack)
        .map_err(|e| LoadError::Invalid(format!("the template does not deploy: {e}")))?;
    run(&mut cloud, traffic)
}

/// Why a load test did not run (or stopped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The traffic is outside the bounds ([`MAX_REQUESTS`], [`MAX_SECONDS`], [`MAX_RPS`]) or empty.
    Invalid(String),
    /// There is no REST API to send the requests to.
    NoApi,
    /// A request reached something the simulator does not model (design rule 5).
    NotSimulated(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Invalid(m) => f.write_str(m),
            LoadError::NoApi => f.write_str("there is no REST API in the deployed template to send the load to"),
            LoadError::NotSimulated(m) => write!(f, "not simulated: {m}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// One virtual second of a load test.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Second {
    /// The second (0-based).
    pub second: u32,
    /// Requests that arrived in it.
    pub requests: u64,
    /// The highest concurrency (execution environments busy at once, account-wide) an arrival saw.
    pub concurrency: u64,
    /// Invocations that started a new execution environment.
    pub cold_starts: u64,
    /// Invocations Lambda throttled (`TooManyRequestsException`, 429).
    pub throttles: u64,
    /// Other answers of status 500 and above.
    pub errors: u64,
    /// Latency percentiles of the requests not throttled (virtual ms): p50, p95, p99; `None` when there were none.
    pub latency: Option<Percentiles>,
}

/// Latency percentiles in virtual milliseconds (nearest-rank).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percentiles {
    /// The median.
    pub p50: u64,
    /// The 95th percentile.
    pub p95: u64,
    /// The 99th percentile.
    pub p99: u64,
    /// The slowest.
    pub max: u64,
}

/// What one function used during the test: the input of the Lambda bill.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionUsage {
    /// The function's name.
    pub function_name: String,
    /// `MemorySize` in MB.
    pub memory_mb: u64,
    /// `x86_64` or `arm64`.
    pub architecture: String,
    /// Invocations that ran (throttled ones are not requests Lambda bills).
    pub invocations: u64,
    /// The sum of their billed durations, in ms (init included on cold starts).
    pub billed_ms: u64,
}

/// A load test's result.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadReport {
    /// One entry per virtual second.
    pub seconds: Vec<Second>,
    /// Requests sent to API Gateway.
    pub requests: u64,
    /// Answers by status code.
    pub statuses: BTreeMap<u16, u64>,
    /// Throttles in all.
    pub throttles: u64,
    /// Cold starts in all.
    pub cold_starts: u64,
    /// The highest concurrency seen.
    pub peak_concurrency: u64,
    /// Latency over the whole test (requests not throttled).
    pub latency: Option<Percentiles>,
    /// Lambda usage per function, in first-invoked order.
    pub functions: Vec<FunctionUsage>,
}

impl Traffic {
    /// The request rate of second `second` (0-based).
    pub fn rate(&self, second: u32) -> u32 {
        match self.shape {
            Shape::Constant { rps } => rps,
            Shape::Ramp { from_rps, to_rps } => {
                let span = self.seconds.saturating_sub(1).max(1);
                let (from, to) = (i64::from(from_rps), i64::from(to_rps));
                let rate = from + (to - from) * i64::from(second.min(span)) / i64::from(span);
                u32::try_from(rate).unwrap_or(0)
            }
            Shape::Spike {
                base_rps,
                peak_rps,
                peak_at,
                peak_seconds,
            } => {
                if second >= peak_at && second - peak_at < peak_seconds {
                    peak_rps
                } else {
                    base_rps
                }
            }
        }
    }

    /// How many requests the test sends.
    pub fn total_requests(&self) -> u64 {
        (0..self.seconds).map(|s| u64::from(self.rate(s))).sum()
    }

    /// Checks the bounds. Errors: plain words naming the bound.
    pub fn validate(&self) -> Result<(), LoadError> {
        if self.seconds == 0 || self.seconds > MAX_SECONDS {
            return Err(LoadError::Invalid(format!(
                "a load test lasts 1 to {MAX_SECONDS} seconds, not {}",
                self.seconds
            )));
        }
        let peak = (0..self.seconds).map(|s| self.rate(s)).max().unwrap_or(0);
        if peak > MAX_RPS {
            return Err(LoadError::Invalid(format!(
                "the playground sends at most {MAX_RPS} requests per second, not {peak}"
            )));
        }
        let total = self.total_requests();
        if total == 0 {
            return Err(LoadError::Invalid("this traffic sends no request".into()));
        }
        if total > MAX_REQUESTS {
            return Err(LoadError::Invalid(format!(
                "this traffic sends {total} requests; the playground runs at most {MAX_REQUESTS} in a load test"
            )));
        }
        Ok(())
    }

    /// The arrival instants, in ms from the test's start: second `s`'s requests evenly spaced within it.
    pub fn arrivals(&self) -> Vec<u64> {
        let mut out = Vec::new();
        for second in 0..self.seconds {
            let rate = u64::from(self.rate(second));
            for i in 0..rate {
                out.push(u64::from(second) * 1000 + i * 1000 / rate.max(1));
            }
        }
        out
    }
}

/// Runs `traffic` against the first REST API of `cloud` (an account the test may own: its clock is moved back
/// and forth, and it keeps the execution environments the test started).
///
/// Errors: traffic out of bounds, no API, or a request the simulator does not model (the test stops there).
pub fn run(cloud: &mut Cloud, traffic: &Traffic) -> Result<LoadReport, LoadError> {
    traffic.validate()?;
    let api = cloud
        .service::<ApiGateway>()
        .and_then(|g| g.rest_apis.keys().next().cloned())
        .ok_or(LoadError::NoApi)?;
    // Records of invocations made before the test are not the test's.
    if let Some(lambda) = cloud.service_mut::<Lambda>() {
        lambda.take_records();
    }
    let start = cloud.clock.now_millis();
    let mut report = LoadReport {
        seconds: (0..traffic.seconds)
            .map(|second| Second {
                second,
                ..Second::default()
            })
            .collect(),
        ..LoadReport::default()
    };
    let mut latencies: Vec<Vec<u64>> = vec![Vec::new(); traffic.seconds as usize];
    let request = HttpRequest {
        method: traffic.method.clone(),
        path: traffic.path.clone(),
        headers: Vec::new(),
        body: traffic.body.clone(),
    };
    for offset in traffic.arrivals() {
        let at = start + offset;
        cloud.clock = VirtualClock::starting_at(at);
        let busy_before = cloud.service::<Lambda>().map_or(0, |l| l.account_concurrency(at));
        let answer = crate::apigateway::invoke::execute(cloud, &api, &request)
            .map_err(|e| LoadError::NotSimulated(e.0.clone()))?;
        let latency = cloud.clock.now_millis().saturating_sub(at);
        let (records, environments) = cloud
            .service_mut::<Lambda>()
            .map_or((Vec::new(), 0), |l| (l.take_records(), l.warm_environments()));
        if environments > MAX_ENVIRONMENTS {
            return Err(LoadError::NotSimulated(format!(
                "more than {MAX_ENVIRONMENTS} execution environments at once (each is a JavaScript engine in this \
                 tab); lower the rate or the function's duration, or set a reserved concurrency"
            )));
        }
        let index = usize::try_from(offset / 1000).unwrap_or(usize::MAX);
        let Some(second) = report.seconds.get_mut(index) else {
            continue;
        };
        second.requests += 1;
        let throttled = records.iter().any(|r| r.throttled.is_some());
        let admitted = records.iter().filter(|r| r.throttled.is_none()).count() as u64;
        let cold = records.iter().filter(|r| r.init_ms.is_some()).count() as u64;
        second.concurrency = second.concurrency.max(busy_before + admitted);
        second.cold_starts += cold;
        let status = answer.response.status_code;
        if throttled {
            second.throttles += 1;
        } else {
            if status >= 500 {
                second.errors += 1;
            }
            if let Some(list) = latencies.get_mut(index) {
                list.push(latency);
            }
        }
        *report.statuses.entry(status).or_default() += 1;
        for r in records.iter().filter(|r| r.throttled.is_none()) {
            add_usage(&mut report.functions, r);
        }
    }
    let mut all = Vec::new();
    for (second, list) in report.seconds.iter_mut().zip(latencies.iter_mut()) {
        second.latency = percentiles(list);
        all.append(list);
        report.requests += second.requests;
        report.throttles += second.throttles;
        report.cold_starts += second.cold_starts;
        report.peak_concurrency = report.peak_concurrency.max(second.concurrency);
    }
    report.latency = percentiles(&mut all);
    Ok(report)
}

fn add_usage(functions: &mut Vec<FunctionUsage>, r: &crate::lambda::InvocationRecord) {
    match functions.iter_mut().find(|f| f.function_name == r.function_name) {
        Some(f) => {
            f.invocations += 1;
            f.billed_ms += r.billed_ms;
        }
        None => functions.push(FunctionUsage {
            function_name: r.function_name.clone(),
            memory_mb: r.memory_mb,
            architecture: r.architecture.clone(),
            invocations: 1,
            billed_ms: r.billed_ms,
        }),
    }
}

/// Nearest-rank percentiles of `values` (sorted in place); `None` when empty.
fn percentiles(values: &mut [u64]) -> Option<Percentiles> {
    values.sort_unstable();
    let rank = |p: usize| -> Option<u64> {
        let n = values.len();
        // Nearest rank: ceil(p/100 * n), 1-based.
        let index = (p * n).div_ceil(100).max(1) - 1;
        values.get(index).copied()
    };
    Some(Percentiles {
        p50: rank(50)?,
        p95: rank(95)?,
        p99: rank(99)?,
        max: *values.last()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traffic(shape: Shape, seconds: u32) -> Traffic {
        Traffic {
            shape,
            seconds,
            method: "GET".into(),
            path: "/prod/hello".into(),
            body: String::new(),
        }
    }

    #[test]
    fn shapes_give_their_rates() {
        let ramp = traffic(
            Shape::Ramp {
                from_rps: 10,
                to_rps: 50,
            },
            5,
        );
        assert_eq!((0..5).map(|s| ramp.rate(s)).collect::<Vec<_>>(), [10, 20, 30, 40, 50]);
        let spike = traffic(
            Shape::Spike {
                base_rps: 5,
                peak_rps: 100,
                peak_at: 2,
                peak_seconds: 2,
            },
            5,
        );
        assert_eq!((0..5).map(|s| spike.rate(s)).collect::<Vec<_>>(), [5, 5, 100, 100, 5]);
        assert_eq!(spike.total_requests(), 215);
        let constant = traffic(Shape::Constant { rps: 4 }, 2);
        assert_eq!(constant.arrivals(), [0, 250, 500, 750, 1000, 1250, 1500, 1750]);
    }

    #[test]
    fn bounds_are_explained() {
        assert_eq!(
            traffic(Shape::Constant { rps: 100 }, 51)
                .validate()
                .unwrap_err()
                .to_string(),
            "this traffic sends 5100 requests; the playground runs at most 5000 in a load test"
        );
        assert_eq!(
            traffic(Shape::Constant { rps: 0 }, 10)
                .validate()
                .unwrap_err()
                .to_string(),
            "this traffic sends no request"
        );
        assert_eq!(
            traffic(Shape::Constant { rps: 1 }, 0)
                .validate()
                .unwrap_err()
                .to_string(),
            "a load test lasts 1 to 600 seconds, not 0"
        );
        assert_eq!(
            traffic(Shape::Constant { rps: 2001 }, 1)
                .validate()
                .unwrap_err()
                .to_string(),
            "the playground sends at most 2000 requests per second, not 2001"
        );
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut values: Vec<u64> = (1..=100).rev().collect();
        assert_eq!(
            percentiles(&mut values),
            Some(Percentiles {
                p50: 50,
                p95: 95,
                p99: 99,
                max: 100
            })
        );
        assert_eq!(percentiles(&mut []), None);
        assert_eq!(
            percentiles(&mut [7]),
            Some(Percentiles {
                p50: 7,
                p95: 7,
                p99: 7,
                max: 7
            })
        );
    }
}
