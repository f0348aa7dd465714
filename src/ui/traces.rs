//! The Traces view (`#/traces`, `#/traces/<number>`): the engine's request traces ([`crate::trace`]) as X-Ray's
//! trace timeline draws them: one row per span, nested under its parent, a bar on the virtual-time axis and the
//! duration beside it. The timeline is a table (span, start, duration, status), so screen readers read the same
//! facts the bars show; the bars themselves are hidden from them.
//!
//! The view only reads `cloud.traces`; the request console, the Test panel, hosted-website calls and Lambda's
//! Invoke all record there (the engine traces them, the UI never does).

use super::route::Route;
use super::App;
use crate::trace::{RequestTrace, Span};
use yew::prelude::*;

/// The most spans drawn for one trace (a handler putting 1,000 items records 1,000 calls); the rest are counted.
pub const MAX_SHOWN_SPANS: usize = 300;

/// The trace's one-line summary: `#3 API Gateway abc123/Prod GET /items: 5 ms, ok`.
pub fn summary(trace: &RequestTrace) -> String {
    let Some(root) = trace.root() else {
        return format!("#{} (empty)", trace.number);
    };
    let detail = root.detail().map(|d| format!(" {d}")).unwrap_or_default();
    format!(
        "#{} {}{detail}: {} ms, {}",
        trace.number,
        root.name(),
        root.duration_ms(),
        root.status.label()
    )
}

/// A span's bar on the trace's axis: `(left, width)` in percent of the root's duration. A trace that took no
/// virtual time draws every bar at the start.
pub fn bar(trace: &RequestTrace, span: &Span) -> (f64, f64) {
    let Some(root) = trace.root() else {
        return (0.0, 0.0);
    };
    let total = root.duration_ms();
    if total == 0 {
        return (0.0, 0.0);
    }
    let left = span.start_ms.saturating_sub(root.start_ms) as f64 * 100.0 / total as f64;
    let width = span.duration_ms() as f64 * 100.0 / total as f64;
    (left.min(100.0), width.min(100.0 - left.min(100.0)))
}

/// The view.
pub fn view(app: &App, number: Option<u64>) -> Html {
    let traces: Vec<&RequestTrace> = app
        .deployed
        .as_ref()
        .map(|d| d.cloud.traces.finished().rev().collect())
        .unwrap_or_default();
    let shown = match number {
        Some(n) => traces.iter().find(|t| t.number == n).copied(),
        None => traces.first().copied(),
    };
    html! {
        <section class="card" id="traces" aria-labelledby="traces-title">
            <h2 id="traces-title">{ "Traces" }</h2>
            <p class="hint">{ "Each request's path through the account on the virtual clock, span by span, as X-Ray's trace timeline shows it: API Gateway's stages, Lambda's initialization and invocation, and every AWS SDK call the handler made." }</p>
            if traces.is_empty() {
                <p class="empty" id="traces-empty">{ "No request traced yet: send one from an API's request console or Test panel, call the API from a hosted website page, or invoke a function." }</p>
            } else {
                <nav aria-label="Recent traces">
                    <ul id="trace-list" class="trace-list">
                        { for traces.iter().map(|t| {
                            let current = shown.is_some_and(|s| s.number == t.number).then_some("page");
                            let href = Route::Traces { number: Some(t.number) }.href();
                            html! { <li><a href={ href } aria-current={ current } data-trace={ t.number.to_string() }>{ summary(t) }</a></li> }
                        }) }
                    </ul>
                </nav>
                { match shown {
                    Some(trace) => timeline(trace),
                    None => html! { <p class="empty" id="trace-missing">{ format!("Trace #{} is no longer kept (only the last {}).", number.unwrap_or_default(), crate::trace::MAX_TRACES) }</p> },
                } }
            }
        </section>
    }
}

/// One trace's timeline table.
fn timeline(trace: &RequestTrace) -> Html {
    let Some(root) = trace.root() else {
        return html! {};
    };
    let hidden = trace.spans.len().saturating_sub(MAX_SHOWN_SPANS);
    let rows = trace.spans.iter().enumerate().take(MAX_SHOWN_SPANS).map(|(i, span)| {
        let (left, width) = bar(trace, span);
        let status = span.status.label();
        let depth = trace.depth(i);
        let style = format!("--depth: {depth}");
        let bar_style = format!("margin-left: {left:.3}%; width: {width:.3}%");
        html! {
            <tr class={ classes!("span", format!("span-{status}")) } data-span={ i.to_string() } data-depth={ depth.to_string() }>
                <th scope="row" class="span-name" style={ style }>
                    { span.name() }
                    if let Some(detail) = span.detail() {
                        <span class="muted span-detail">{ format!(" {detail}") }</span>
                    }
                </th>
                <td class="span-start">{ format!("{} ms", span.start_ms.saturating_sub(root.start_ms)) }</td>
                <td class="span-duration">{ format!("{} ms", span.duration_ms()) }</td>
                <td><span class={ classes!("status", "span-status", status) }>{ status }</span></td>
                <td class="span-bar" aria-hidden="true">
                    <div class="bar-track"><div class={ classes!("bar", status) } style={ bar_style }></div></div>
                </td>
            </tr>
        }
    });
    let started = crate::js::iso_millis(root.start_ms);
    html! {
        <div class="trace-scroll">
            <table id="trace-timeline" class="trace-timeline" data-trace={ trace.number.to_string() }>
                <caption>{ format!("{} — {} ms of virtual time from {started}", summary(trace), root.duration_ms()) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Span" }</th>
                        <th scope="col">{ "Start" }</th>
                        <th scope="col">{ "Duration" }</th>
                        <th scope="col">{ "Status" }</th>
                        <th scope="col" class="span-bar"><span class="visually-hidden">{ "Timeline" }</span><span aria-hidden="true">{ format!("0 – {} ms", root.duration_ms()) }</span></th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
            if hidden > 0 {
                <p class="hint" id="trace-more">{ format!("{hidden} more spans are not drawn.") }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{SpanKind, SpanStatus};

    fn span(start_ms: u64, end_ms: u64, parent: Option<usize>) -> Span {
        Span {
            kind: SpanKind::Lambda { function: "f".into() },
            parent,
            start_ms,
            end_ms,
            status: SpanStatus::Ok,
        }
    }

    #[test]
    fn bars_are_placed_on_the_roots_axis() {
        let trace = RequestTrace {
            number: 7,
            spans: vec![span(100, 110, None), span(105, 110, Some(0)), span(110, 110, Some(0))],
        };
        assert_eq!(bar(&trace, &trace.spans[0]), (0.0, 100.0));
        assert_eq!(bar(&trace, &trace.spans[1]), (50.0, 50.0));
        assert_eq!(bar(&trace, &trace.spans[2]), (100.0, 0.0));
        assert_eq!(summary(&trace), "#7 Lambda f: 10 ms, ok");
        let instant = RequestTrace {
            number: 1,
            spans: vec![span(5, 5, None)],
        };
        assert_eq!(bar(&instant, &instant.spans[0]), (0.0, 0.0));
    }
}
