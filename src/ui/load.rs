//! The Load view (`#/load`, lesson 8): a traffic form, a load test run on an account of its own
//! ([`crate::simulation::load::run_template`] with the deployed template), an SVG chart per virtual second
//! (concurrency, cold starts, throttles, latency) and the bill ([`crate::pricing`]) for the run and for a month of
//! the same traffic, recomputed at once when the learner changes the billed memory or architecture.
//!
//! Every text is rendered as a text node; the SVG is built from numbers only.

use super::{App, Msg};
use crate::pricing::{self, Bill, WhatIf};
use crate::simulation::load::{LoadReport, Second, Shape, Traffic};
use crate::tutorial::Action;
use yew::html::Scope;
use yew::prelude::*;

/// A field of the traffic form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadField {
    /// `constant`, `ramp` or `spike`.
    Shape,
    /// Requests per second (the base rate of a spike, the first of a ramp).
    Rps,
    /// The last second's rate of a ramp, or the rate during a spike.
    PeakRps,
    /// The spike's first second.
    PeakAt,
    /// How long the spike lasts, in seconds.
    PeakSeconds,
    /// The test's length in seconds.
    Seconds,
    /// The HTTP method.
    Method,
    /// The path, starting with the stage.
    Path,
    /// The memory the bill is computed at (empty: the function's own).
    Memory,
    /// The architecture the bill is computed at (empty: the function's own).
    Architecture,
}

/// A message of the Load view.
pub enum LoadMsg {
    /// A form field changed.
    Set(LoadField, String),
    /// Run the load test.
    Run,
}

/// The Load view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadView {
    shape: String,
    rps: String,
    peak_rps: String,
    peak_at: String,
    peak_seconds: String,
    seconds: String,
    method: String,
    path: String,
    memory: String,
    architecture: String,
    /// The last run: the traffic, its report or error, and the wall time it took (ms, measured in the browser,
    /// shown beside the virtual times, never compared).
    last: Option<(Traffic, Result<LoadReport, String>, f64)>,
}

impl Default for LoadView {
    fn default() -> Self {
        LoadView {
            shape: "constant".into(),
            rps: "100".into(),
            peak_rps: "400".into(),
            peak_at: "3".into(),
            peak_seconds: "2".into(),
            seconds: "10".into(),
            method: "GET".into(),
            path: String::new(),
            memory: String::new(),
            architecture: String::new(),
            last: None,
        }
    }
}

impl LoadView {
    /// The traffic the form describes. Errors: a field that is not a whole number, named.
    fn traffic(&self) -> Result<Traffic, String> {
        let number = |text: &str, name: &str| -> Result<u32, String> {
            text.trim()
                .parse::<u32>()
                .map_err(|_| format!("{name} must be a whole number, not \"{}\"", text.trim()))
        };
        let rps = number(&self.rps, "Requests per second")?;
        let shape = match self.shape.as_str() {
            "ramp" => Shape::Ramp {
                from_rps: rps,
                to_rps: number(&self.peak_rps, "The last second's rate")?,
            },
            "spike" => Shape::Spike {
                base_rps: rps,
                peak_rps: number(&self.peak_rps, "The spike's rate")?,
                peak_at: number(&self.peak_at, "The spike's start")?,
                peak_seconds: number(&self.peak_seconds, "The spike's length")?,
            },
            _ => Shape::Constant { rps },
        };
        Ok(Traffic {
            shape,
            seconds: number(&self.seconds, "Seconds")?,
            method: self.method.trim().to_uppercase(),
            path: self.path.trim().to_string(),
            body: String::new(),
        })
    }

    fn what_if(&self) -> WhatIf {
        WhatIf {
            memory_mb: self
                .memory
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|m| (128..=10_240).contains(m)),
            architecture: matches!(self.architecture.as_str(), "x86_64" | "arm64").then(|| self.architecture.clone()),
        }
    }
}

/// The path of the deployed API's first method, with its stage (`/Prod/hello`), to prefill the form.
fn default_path(app: &App) -> Option<String> {
    let cloud = &app.deployed.as_ref()?.cloud;
    let api = cloud
        .service::<crate::apigateway::ApiGateway>()?
        .rest_apis
        .values()
        .next()?;
    let stage = api.stages.keys().next()?;
    let resource = api
        .definition
        .resources
        .values()
        .find(|r| !r.resource_methods.is_empty() && !r.path.contains('{'))?;
    Some(format!(
        "/{stage}{}",
        if resource.path == "/" { "" } else { &resource.path }
    ))
}

/// Milliseconds since the epoch, from the browser (the only wall time the view shows).
fn wall_ms() -> f64 {
    js_sys::Date::now()
}

impl App {
    /// Follows a Load view message.
    pub(super) fn on_load(&mut self, msg: LoadMsg) {
        match msg {
            LoadMsg::Set(field, value) => {
                let v = &mut self.load;
                let slot = match field {
                    LoadField::Shape => &mut v.shape,
                    LoadField::Rps => &mut v.rps,
                    LoadField::PeakRps => &mut v.peak_rps,
                    LoadField::PeakAt => &mut v.peak_at,
                    LoadField::PeakSeconds => &mut v.peak_seconds,
                    LoadField::Seconds => &mut v.seconds,
                    LoadField::Method => &mut v.method,
                    LoadField::Path => &mut v.path,
                    LoadField::Memory => &mut v.memory,
                    LoadField::Architecture => &mut v.architecture,
                };
                *slot = value;
            }
            LoadMsg::Run => {
                if self.load.path.trim().is_empty() {
                    self.load.path = default_path(self).unwrap_or_default();
                }
                match self.load.traffic() {
                    Ok(traffic) => self.run_load(traffic),
                    Err(e) => self.load.last = Some((nothing_sent(), Err(e), 0.0)),
                }
            }
        }
    }

    /// Runs `traffic` against the deployed template and records it for the tutorial.
    pub(super) fn run_load(&mut self, traffic: Traffic) {
        let started = wall_ms();
        // The code folders saved with the scenario (a code save changes them only when its deploy succeeds).
        let result =
            crate::simulation::load::run_template_with_code(&self.deployed_template, &self.scenario.code, &traffic)
                .map_err(|e| e.to_string());
        let took = wall_ms() - started;
        let ok = result.is_ok();
        self.log(
            "Load".into(),
            format!(
                "Load: {} requests to {} {}",
                traffic.total_requests(),
                traffic.method,
                traffic.path
            ),
            match &result {
                Ok(r) => format!(
                    "peak concurrency {}, {} cold start(s), {} throttled; {:.0} ms in this browser",
                    r.peak_concurrency, r.cold_starts, r.throttles, took
                ),
                Err(e) => e.clone(),
            },
        );
        self.load.last = Some((traffic.clone(), result, took));
        if ok {
            self.record(Action::Load(traffic));
        }
    }
}

/// The traffic kept beside a form error (nothing was sent).
fn nothing_sent() -> Traffic {
    Traffic {
        shape: Shape::Constant { rps: 0 },
        seconds: 0,
        method: String::new(),
        path: String::new(),
        body: String::new(),
    }
}

/// The Load view.
pub(super) fn load_view(app: &App, link: &Scope<App>) -> Html {
    let v = &app.load;
    let set =
        |field: LoadField| link.callback(move |e: InputEvent| Msg::Load(LoadMsg::Set(field, super::event_value(&e))));
    let change =
        |field: LoadField| link.callback(move |e: Event| Msg::Load(LoadMsg::Set(field, super::event_value(&e))));
    let path_placeholder = default_path(app).unwrap_or_else(|| "/Prod/hello".into());
    let total = v.traffic().map(|t| t.total_requests()).ok();
    html! {
        <section class="card" id="load">
            <h2>{ "Load test" }</h2>
            <p>{ "Sends requests to the deployed API at their own instants of virtual time, through API Gateway and Lambda as the engine runs them, on an account of its own (your account is not touched). Deploy first." }</p>
            <div class="row" id="load-form">
                <label>{ "Shape" }
                    <select id="load-shape" onchange={ change(LoadField::Shape) }>
                        { for [("constant", "Constant"), ("ramp", "Ramp"), ("spike", "Spike")].iter().map(|(value, label)| html! {
                            <option value={ *value } selected={ v.shape == *value }>{ *label }</option>
                        }) }
                    </select>
                </label>
                <label>{ if v.shape == "constant" { "Requests per second" } else if v.shape == "ramp" { "Requests per second, first second" } else { "Requests per second, outside the spike" } }
                    <input id="load-rps" type="number" min="0" value={ v.rps.clone() } oninput={ set(LoadField::Rps) } />
                </label>
                if v.shape != "constant" {
                    <label>{ if v.shape == "ramp" { "Requests per second, last second" } else { "Requests per second, during the spike" } }
                        <input id="load-peak-rps" type="number" min="0" value={ v.peak_rps.clone() } oninput={ set(LoadField::PeakRps) } />
                    </label>
                }
                if v.shape == "spike" {
                    <label>{ "Spike starts at second" }
                        <input id="load-peak-at" type="number" min="0" value={ v.peak_at.clone() } oninput={ set(LoadField::PeakAt) } />
                    </label>
                    <label>{ "Spike lasts (seconds)" }
                        <input id="load-peak-seconds" type="number" min="0" value={ v.peak_seconds.clone() } oninput={ set(LoadField::PeakSeconds) } />
                    </label>
                }
                <label>{ "Seconds" }
                    <input id="load-seconds" type="number" min="1" value={ v.seconds.clone() } oninput={ set(LoadField::Seconds) } />
                </label>
                <label>{ "Method" }
                    <input id="load-method" value={ v.method.clone() } oninput={ set(LoadField::Method) } />
                </label>
                <label>{ "Path (stage first)" }
                    <input id="load-path" value={ v.path.clone() } placeholder={ path_placeholder } oninput={ set(LoadField::Path) } />
                </label>
            </div>
            <p class="muted">{ match total { Some(n) => format!("{n} requests in all."), None => String::new() } }</p>
            <button id="load-run" class="primary" onclick={ link.callback(|_| Msg::Load(LoadMsg::Run)) }>{ "Run load" }</button>
            { result_view(app, link) }
        </section>
    }
}

fn result_view(app: &App, link: &Scope<App>) -> Html {
    let Some((traffic, result, took)) = &app.load.last else {
        return html! {};
    };
    let report = match result {
        Ok(r) => r,
        Err(e) => return html! { <p id="load-error" class="error" role="alert">{ e.clone() }</p> },
    };
    let latency = report.latency.map_or("no request answered".to_string(), |l| {
        format!("p50 {} ms, p95 {} ms, p99 {} ms, max {} ms", l.p50, l.p95, l.p99, l.max)
    });
    let statuses = report
        .statuses
        .iter()
        .map(|(s, n)| format!("{n} x {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <div id="load-result">
            <h3>{ "What happened" }</h3>
            <ul id="load-summary">
                <li>{ format!("{} requests ({statuses})", report.requests) }</li>
                <li data-peak-concurrency={ report.peak_concurrency.to_string() }>{ format!("Peak concurrency: {}", report.peak_concurrency) }</li>
                <li data-cold-starts={ report.cold_starts.to_string() }>{ format!("Cold starts: {}", report.cold_starts) }</li>
                <li data-throttles={ report.throttles.to_string() }>{ format!("Throttled (TooManyRequestsException, answered 500 by API Gateway): {}", report.throttles) }</li>
                <li>{ format!("Latency (virtual time, requests not throttled): {latency}") }</li>
                <li class="muted">{ format!("Ran in {took:.0} ms of this browser's time for {} virtual seconds.", traffic.seconds) }</li>
            </ul>
            { chart(&report.seconds) }
            { bill_view(app, link, report, traffic.seconds) }
        </div>
    }
}

/// The chart's size in SVG units.
const WIDTH: f64 = 600.0;
const ROW: f64 = 70.0;

/// One row per series, each scaled to its own maximum (written beside it).
fn chart(seconds: &[Second]) -> Html {
    type Series = (&'static str, &'static str, fn(&Second) -> u64);
    let series: [Series; 4] = [
        ("Concurrency (peak)", "concurrency", |s| s.concurrency),
        ("Cold starts", "cold", |s| s.cold_starts),
        ("Throttles", "throttles", |s| s.throttles),
        ("Latency p95 (ms)", "latency", |s| s.latency.map_or(0, |l| l.p95)),
    ];
    let n = seconds.len().max(1) as f64;
    let bar = WIDTH / n;
    let height = ROW * series.len() as f64;
    html! {
        <figure id="load-chart">
            <svg viewBox={ format!("0 0 {} {height}", WIDTH + 160.0) } role="img" aria-label="Load test per second: concurrency, cold starts, throttles and latency">
                { for series.iter().enumerate().map(|(row, (label, class, value))| {
                    let top = row as f64 * ROW;
                    let max = seconds.iter().map(value).max().unwrap_or(0);
                    let scale = if max == 0 { 0.0 } else { (ROW - 22.0) / max as f64 };
                    html! {
                        <g class={ format!("series {class}") } data-max={ max.to_string() }>
                            <text x="0" y={ format!("{}", top + 14.0) }>{ format!("{label}: max {max}") }</text>
                            <line x1="160" x2={ format!("{}", 160.0 + WIDTH) } y1={ format!("{}", top + ROW - 4.0) } y2={ format!("{}", top + ROW - 4.0) } class="axis" />
                            { for seconds.iter().map(|s| {
                                let h = value(s) as f64 * scale;
                                html! {
                                    <rect x={ format!("{:.2}", 160.0 + s.second as f64 * bar + 1.0) }
                                          y={ format!("{:.2}", top + ROW - 4.0 - h) }
                                          width={ format!("{:.2}", (bar - 2.0).max(1.0)) }
                                          height={ format!("{h:.2}") }>
                                        <title>{ format!("second {}: {}", s.second, value(s)) }</title>
                                    </rect>
                                }
                            }) }
                        </g>
                    }
                }) }
            </svg>
            <figcaption class="muted">{ format!("Each bar is one virtual second (0 to {}).", seconds.len().saturating_sub(1)) }</figcaption>
        </figure>
    }
}

fn bill_view(app: &App, link: &Scope<App>, report: &LoadReport, seconds: u32) -> Html {
    let what_if = app.load.what_if();
    let run = pricing::bill(report, &what_if, 1);
    // A 30-day month of the same traffic: the run repeated.
    let month = pricing::bill(report, &what_if, (30 * 86_400 / u64::from(seconds.max(1))).max(1));
    let set =
        |field: LoadField| link.callback(move |e: InputEvent| Msg::Load(LoadMsg::Set(field, super::event_value(&e))));
    let change =
        |field: LoadField| link.callback(move |e: Event| Msg::Load(LoadMsg::Set(field, super::event_value(&e))));
    let own = report
        .functions
        .first()
        .map(|f| format!("{} MB, {}", f.memory_mb, f.architecture))
        .unwrap_or_default();
    html! {
        <div id="load-bill">
            <h3>{ "The bill (US East, on-demand)" }</h3>
            <p class="muted">{ format!("Billed as deployed ({own}) unless you change it here; the measured billed durations stay.") }</p>
            <div class="row">
                <label>{ "Memory (MB)" }
                    <input id="bill-memory" type="number" min="128" max="10240" value={ app.load.memory.clone() } placeholder="as deployed" oninput={ set(LoadField::Memory) } />
                </label>
                <label>{ "Architecture" }
                    <select id="bill-architecture" onchange={ change(LoadField::Architecture) }>
                        <option value="" selected={ app.load.architecture.is_empty() }>{ "as deployed" }</option>
                        <option value="x86_64" selected={ app.load.architecture == "x86_64" }>{ "x86_64" }</option>
                        <option value="arm64" selected={ app.load.architecture == "arm64" }>{ "arm64" }</option>
                    </select>
                </label>
            </div>
            <table id="bill-table">
                <thead><tr>
                    <th scope="col">{ "Service" }</th>
                    <th scope="col">{ "Item" }</th>
                    <th scope="col">{ "Quantity (this run)" }</th>
                    <th scope="col">{ "Price" }</th>
                    <th scope="col">{ "This run" }</th>
                    <th scope="col">{ "A month of this traffic" }</th>
                </tr></thead>
                <tbody>
                    { for run.lines.iter().zip(month.lines.iter()).map(|(l, m)| html! {
                        <tr>
                            <td>{ l.service }</td>
                            <td>{ l.item.clone() }</td>
                            <td>{ format!("{} {}", pricing::format_quantity(&l.quantity), l.unit) }</td>
                            <td>{ format!("{} per {}", unit_price(&l.unit_price, l.unit), unit_label(l.unit)) }</td>
                            <td class="cost">{ pricing::format_usd(&l.cost) }</td>
                            <td class="cost">{ pricing::format_usd(&m.cost) }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot>
                    { totals("Total", &run, &month, |b| &b.total) }
                    { totals("Free tier (if your account has it)", &run, &month, |b| &b.free_tier) }
                    { totals("Total after the free tier", &run, &month, |b| &b.total_with_free_tier) }
                </tfoot>
            </table>
            <p class="muted">{ "Prices: aws.amazon.com/lambda/pricing and aws.amazon.com/api-gateway/pricing, first tier, read 2026-11-30. Lambda free tier: 1M requests and 400,000 GB-seconds a month; API Gateway: 1M REST calls a month for the first 12 months. Not counted: data transfer, logs, caching." }</p>
        </div>
    }
}

fn totals(label: &'static str, run: &Bill, month: &Bill, pick: fn(&Bill) -> &bigdecimal::BigDecimal) -> Html {
    html! {
        <tr>
            <th scope="row" colspan="4">{ label }</th>
            <td class="cost">{ pricing::format_usd(pick(run)) }</td>
            <td class="cost">{ pricing::format_usd(pick(month)) }</td>
        </tr>
    }
}

/// Requests and calls are priced per million (`$0.20`), GB-seconds per GB-second with every digit
/// (`$0.0000166667`).
fn unit_price(price: &bigdecimal::BigDecimal, unit: &str) -> String {
    if unit == "GB-seconds" {
        format!("${}", price.normalized().to_plain_string())
    } else {
        pricing::format_usd(&(price * bigdecimal::BigDecimal::from(1_000_000u32)))
    }
}

fn unit_label(unit: &str) -> &'static str {
    match unit {
        "GB-seconds" => "GB-second",
        "requests" => "1M requests",
        _ => "1M calls",
    }
}
