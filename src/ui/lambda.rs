//! The Lambda views: functions, a function's code and configuration, its saved test events (starting from the
//! console's sample events) and Invoke through the engine's `lambda::invoke`.

use super::sample_events::SAMPLE_EVENTS;
use super::{event_value, App, EventForm, Field, Msg};
use crate::lambda::{FunctionCode, FunctionConfiguration, InvocationType, Lambda};
use crate::scenario::TestEvent;
use crate::ui::route::Route;
use yew::html::Scope;
use yew::prelude::*;

/// The longest event name kept (the console allows 25 characters; the playground is lenient but bounded).
const MAX_EVENT_NAME_CHARS: usize = 100;

fn lambda(app: &App) -> Option<&Lambda> {
    app.deployed.as_ref()?.cloud.service::<Lambda>()
}

/// The logical id a function was created as (test events are saved under it, so they survive a redeploy that
/// renames the function); the name itself when it has none.
fn logical_id(app: &App, name: &str) -> String {
    lambda(app)
        .and_then(|l| l.logical_ids.iter().find(|(_, n)| n.as_str() == name))
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| name.to_string())
}

/// The saved events of a function: their index in the scenario and the event.
fn saved_events<'a>(app: &'a App, logical_id: &'a str) -> impl Iterator<Item = (usize, &'a TestEvent)> + 'a {
    app.scenario
        .test_events
        .iter()
        .enumerate()
        .filter(move |(_, e)| e.function == logical_id)
}

/// The form for a function just opened: its first saved event, else an empty event.
pub(super) fn first_event(app: &App, name: &str) -> EventForm {
    let id = logical_id(app, name);
    let first = saved_events(app, &id).next().map(|(_, e)| EventForm {
        name: e.name.clone(),
        text: e.event.clone(),
    });
    first.unwrap_or_else(|| EventForm {
        name: "test".into(),
        text: "{}".into(),
    })
}

/// `#/lambda`.
pub(super) fn functions_view(app: &App) -> Html {
    let Some(lambda) = lambda(app) else {
        return html! { <section class="card"><h2>{ "Functions" }</h2><p class="empty">{ "Nothing is deployed: fix the template and deploy it." }</p></section> };
    };
    html! {
        <section class="card">
            <h2>{ "Functions" }</h2>
            if lambda.functions.is_empty() {
                <p class="empty">{ "The template defines no function." }</p>
            }
            <table id="function-list">
                <thead><tr>
                    <th scope="col">{ "Function name" }</th>
                    <th scope="col">{ "Runtime" }</th>
                    <th scope="col">{ "Handler" }</th>
                    <th scope="col">{ "Memory (MB)" }</th>
                    <th scope="col">{ "Timeout (s)" }</th>
                </tr></thead>
                <tbody>
                    { for lambda.functions.values().map(|f| {
                        let c = &f.latest;
                        html! {
                            <tr key={ c.function_name.clone() }>
                                <td><a href={ Route::Function { name: c.function_name.clone() }.href() }>{ &c.function_name }</a></td>
                                <td>{ &c.runtime }</td>
                                <td><code>{ &c.handler }</code></td>
                                <td>{ c.memory_size }</td>
                                <td>{ c.timeout }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn configuration(c: &FunctionConfiguration) -> Html {
    let environment = c
        .environment
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n");
    html! {
        <dl class="settings">
            <dt>{ "ARN" }</dt><dd><code>{ &c.function_arn }</code></dd>
            <dt>{ "Runtime" }</dt><dd>{ &c.runtime }</dd>
            <dt>{ "Handler" }</dt><dd><code>{ &c.handler }</code></dd>
            <dt>{ "Memory" }</dt><dd>{ format!("{} MB", c.memory_size) }</dd>
            <dt>{ "Timeout" }</dt><dd>{ format!("{} s", c.timeout) }</dd>
            <dt>{ "Role" }</dt><dd><code>{ &c.role }</code></dd>
            <dt>{ "Environment" }</dt><dd><pre>{ if environment.is_empty() { "-".to_string() } else { environment } }</pre></dd>
        </dl>
    }
}

fn code(c: &FunctionConfiguration) -> Html {
    match &c.code {
        FunctionCode::Unreadable(what) => {
            html! { <p class="empty">{ format!("The code is not readable here: {what}") }</p> }
        }
        FunctionCode::Files(files) => html! {
            { for files.iter().map(|(path, source)| {
                let numbers: String = (1..=source.split('\n').count()).map(|n| format!("{n}\n")).collect();
                html! {
                    <figure class="code-file">
                        <figcaption><code>{ path }</code>{ " (read-only)" }</figcaption>
                        <div class="code-view">
                            <pre class="gutter" aria-hidden="true">{ numbers }</pre>
                            <pre class="code" tabindex="0" aria-label={ format!("Code of {path}") }>{ source }</pre>
                        </div>
                    </figure>
                }
            }) }
        },
    }
}

/// `#/lambda/<functionName>`.
pub(super) fn function_view(app: &App, link: &Scope<App>, name: &str) -> Html {
    let Some(function) = lambda(app).and_then(|l| l.functions.get(name)) else {
        return html! {
            <section class="card">
                <h2>{ "Not found" }</h2>
                <p>{ format!("The deployed account has no function {name}. The template may have changed since this link was made.") }</p>
                <p><a href={ Route::Functions.href() }>{ "All functions" }</a></p>
            </section>
        };
    };
    let config = &function.latest;
    let id = logical_id(app, name);
    let saved: Vec<(usize, &TestEvent)> = saved_events(app, &id).collect();
    let form = &app.event_form;
    let on = |field: Field| link.callback(move |e: InputEvent| Msg::Set(field.clone(), event_value(&e)));
    let on_sample = link.batch_callback(|e: Event| event_value(&e).parse::<usize>().ok().map(Msg::PickSample));
    html! {
        <>
            <section class="card">
                <p class="breadcrumb"><a href={ Route::Functions.href() }>{ "Functions" }</a>{ " / " }{ name.to_string() }</p>
                <h2 id="function-name">{ name.to_string() }</h2>
                <p class="muted">{ format!("Logical ID: {id}") }</p>
                { configuration(config) }
                { super::code_editor::configuration_editor(app, link) }
                if !function.versions.is_empty() || !function.aliases.is_empty() {
                    <h3>{ "Versions and aliases" }</h3>
                    <ul class="plain-list" id="versions">
                        { for function.versions.keys().map(|v| html! { <li>{ format!("Version {v}") }</li> }) }
                        { for function.aliases.values().map(|a| {
                            let weights = a
                                .additional_version
                                .as_ref()
                                .map(|(v, w)| format!(" (and version {v} for {:.0}% of invocations)", w * 100.0))
                                .unwrap_or_default();
                            html! { <li>{ format!("Alias {} -> version {}{weights}", a.name, a.function_version) }</li> }
                        }) }
                    </ul>
                }
                <h3>{ "Code" }</h3>
                { match super::code_editor::code_view(app, link, name) {
                    Ok(editor) => editor,
                    Err(reason) => html! { <><p id="code-read-only" class="notice">{ reason }</p>{ code(config) }</> },
                } }
            </section>
            <section class="card" aria-labelledby="event-title">
                <h3 id="event-title">{ "Test event" }</h3>
                <div class="row">
                    <div class="field">
                        <label for="event-sample">{ "Start from a sample" }</label>
                        <select id="event-sample" onchange={ on_sample }>
                            <option value="" selected=true>{ "Choose a template" }</option>
                            { for SAMPLE_EVENTS.iter().enumerate().map(|(i, s)| html! {
                                <option value={ i.to_string() }>{ s.name }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="event-name">{ "Event name" }</label>
                        <input id="event-name" type="text" value={ form.name.clone() } oninput={ on(Field::EventName) } />
                    </div>
                </div>
                if !saved.is_empty() {
                    <div class="saved-events">
                        <span>{ "Saved events: " }</span>
                        { for saved.iter().map(|(index, event)| {
                            let index = *index;
                            html! {
                                <span class="saved-event">
                                    <button class="link" onclick={ link.callback(move |_| Msg::LoadEvent(index)) }>{ &event.name }</button>
                                    <button class="icon" aria-label={ format!("Delete saved event {}", event.name) }
                                        onclick={ link.callback(move |_| Msg::DeleteEvent(index)) }>{ "×" }</button>
                                </span>
                            }
                        }) }
                    </div>
                }
                <div class="field">
                    <label for="event-json">{ "Event JSON" }</label>
                    <textarea id="event-json" rows="10" spellcheck="false" value={ form.text.clone() } oninput={ on(Field::EventText) } />
                </div>
                <div class="row">
                    <button id="invoke" class="primary" onclick={ link.callback(|_| Msg::Invoke) }>{ "Invoke" }</button>
                    <button id="save-event" onclick={ link.callback(|_| Msg::SaveEvent) }>{ "Save event" }</button>
                    <span class="muted">{ "Ctrl+Enter (Cmd+Enter) invokes." }</span>
                </div>
                if let Some(message) = &app.event_message {
                    <p id="event-message" role="status">{ message }</p>
                }
                { invoke_result(app) }
            </section>
        </>
    }
}

fn invoke_result(app: &App) -> Html {
    match &app.invoke_result {
        None => html! {},
        Some(Err(message)) => html! { <div id="invoke-error" class="error" role="alert"><pre>{ message }</pre></div> },
        Some(Ok(output)) => {
            html! {
                <div id="invoke-result" class="result" role="status">
                    <p>
                        <strong>{ "Status: " }</strong><span id="invoke-status">{ output.status_code }</span>
                        if let Some(error) = &output.function_error {
                            <span class="status not-simulated">{ format!(" FunctionError: {error}") }</span>
                        }
                        <span class="muted">{ format!("  Request ID: {}  Version: {}", output.request_id, output.executed_version) }</span>
                    </p>
                    <h4>{ "Response" }</h4>
                    <pre id="invoke-payload">{ &output.payload }</pre>
                    { super::formatted_json("invoke-payload-formatted", &output.payload) }
                    // The REPORT line (duration, memory) is the last line of the log, as on AWS: shown once.
                    <h4>{ "Function logs" }</h4>
                    <pre id="invoke-logs">{ output.logs.join("\n").replace('\r', "\n") }</pre>
                    <p id="invoke-report-note" class="muted">{ "In REPORT, durations are virtual time: a handler that does not wait (no timer, no SDK call) reports Duration: 0.00 ms, and a Billed Duration of at least 1 ms. Max Memory Used is a 74 MB Node.js baseline plus the heap the handler's JavaScript engine holds (measured, so only roughly Node's); beyond the memory size the environment is killed with Runtime.ExitError, as on AWS. Code that spins is stopped by an instruction budget and reported as a timeout." }</p>
                </div>
            }
        }
    }
}

/// Invokes the current function with the form's event.
pub(super) fn invoke(app: &mut App) {
    let Route::Function { name } = app.route.clone() else {
        return;
    };
    let payload = app.event_form.text.clone();
    let Some(deployed) = app.deployed.as_mut() else {
        return;
    };
    let result = crate::lambda::invoke(&mut deployed.cloud, &name, InvocationType::RequestResponse, &payload);
    let (title, text) = match &result {
        Ok(output) => (format!("Invoke {name} ({})", output.request_id), output.logs.join("\n")),
        Err(e) => (format!("Invoke {name}"), e.to_string()),
    };
    // The function's default log group ("Working with Lambda function logs", Lambda developer guide).
    app.log(format!("/aws/lambda/{name}"), title, text);
    app.scroll_to = Some(if result.is_ok() {
        "invoke-result"
    } else {
        "invoke-error"
    });
    app.invoke_result = Some(result.map_err(|e| e.to_string()));
    app.record(crate::tutorial::Action::Invoke {
        function: name,
        event: payload,
    });
}

/// Puts sample `index` in the form.
pub(super) fn pick_sample(app: &mut App, index: usize) {
    if let Some(sample) = SAMPLE_EVENTS.get(index) {
        app.event_form = EventForm {
            name: sample.name.to_string(),
            text: sample.json.to_string(),
        };
    }
}

/// Puts saved event `index` in the form.
pub(super) fn load_event(app: &mut App, index: usize) {
    if let Some(event) = app.scenario.test_events.get(index) {
        app.event_form = EventForm {
            name: event.name.clone(),
            text: event.event.clone(),
        };
    }
}

/// Saves the form's event for the current function, replacing one of the same name.
pub(super) fn save_event(app: &mut App) {
    let Route::Function { name } = app.route.clone() else {
        return;
    };
    let event_name = app.event_form.name.trim().to_string();
    if event_name.is_empty() || event_name.chars().count() > MAX_EVENT_NAME_CHARS {
        app.event_message = Some(format!(
            "Name the event (1 to {MAX_EVENT_NAME_CHARS} characters) to save it."
        ));
        return;
    }
    let function = logical_id(app, &name);
    let event = TestEvent {
        function: function.clone(),
        name: event_name.clone(),
        event: app.event_form.text.clone(),
    };
    let full = app.scenario.test_events.len() >= crate::scenario::MAX_TEST_EVENTS;
    let existing = app
        .scenario
        .test_events
        .iter_mut()
        .find(|e| e.function == function && e.name == event_name);
    match existing {
        Some(slot) => *slot = event,
        None if full => {
            app.event_message = Some(format!(
                "The scenario already holds {} saved events; delete some first.",
                crate::scenario::MAX_TEST_EVENTS
            ));
            return;
        }
        None => app.scenario.test_events.push(event),
    }
    app.event_message = Some(format!("Saved event {event_name}."));
    app.persist();
}

/// Deletes saved event `index`.
pub(super) fn delete_event(app: &mut App, index: usize) {
    if index < app.scenario.test_events.len() {
        let removed = app.scenario.test_events.remove(index);
        app.event_message = Some(format!("Deleted event {}.", removed.name));
        app.persist();
    }
}
