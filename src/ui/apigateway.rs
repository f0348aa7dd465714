//! The API Gateway views: APIs, a resource tree, the Method Execution view with its Test panel, and a request
//! console for deployed stages. Tests run the engine's own `test_invoke_method` and `invoke::execute`.

use super::apigateway_edit::{self as edit, Dialog};
use super::{event_value, text, App, ConsoleResult, Field, Msg};
use crate::apigateway::http::HttpRequest;
use crate::apigateway::invoke;
use crate::apigateway::model::{Method, RestApi, HTTP_METHODS};
use crate::apigateway::test_invoke::{execution_log, test_invoke_method, TestInvokeMethodRequest};
use crate::apigateway::trace::Trace;
use crate::apigateway::ApiGateway;
use crate::ui::route::Route;
use indexmap::IndexMap;
use yew::html::Scope;
use yew::prelude::*;

fn gateway(app: &App) -> Option<&ApiGateway> {
    app.deployed.as_ref()?.cloud.service::<ApiGateway>()
}

fn api<'a>(app: &'a App, api_id: &str) -> Option<&'a RestApi> {
    gateway(app)?.rest_apis.get(api_id)
}

/// The path of a resource of the current definition.
pub(super) fn resource_path(app: &App, api_id: &str, resource_id: &str) -> Option<String> {
    Some(api(app, api_id)?.definition.resources.get(resource_id)?.path.clone())
}

/// The API's stage names.
pub(super) fn stage_names(app: &App, api_id: &str) -> Vec<String> {
    api(app, api_id)
        .map(|api| api.stages.keys().cloned().collect())
        .unwrap_or_default()
}

fn not_deployed() -> Html {
    html! { <p class="empty">{ "Nothing is deployed: fix the template and deploy it." }</p> }
}

fn missing(what: &str) -> Html {
    html! {
        <section class="card">
            <h2>{ "Not found" }</h2>
            <p>{ format!("The deployed account has no {what}. The template may have changed since this link was made.") }</p>
            <p><a href={ Route::Apis.href() }>{ "All APIs" }</a></p>
        </section>
    }
}

/// `#/apigateway`.
pub(super) fn apis_view(app: &App, link: &Scope<App>) -> Html {
    let Some(gateway) = gateway(app) else {
        return html! { <section class="card"><h2>{ "APIs" }</h2>{ not_deployed() }</section> };
    };
    html! {
        <>
        <section class="card">
            <h2>{ "APIs" }</h2>
            if gateway.rest_apis.is_empty() {
                <p class="empty">{ "The template defines no REST API." }</p>
            }
            <ul id="api-list" class="plain-list">
                { for gateway.rest_apis.values().map(|api| html! {
                    <li>
                        <a href={ Route::Api { api_id: api.id.clone() }.href() }>{ &api.name }</a>
                        <span class="muted">{ format!(" ({}, {} resources, {} stages)", api.id, api.definition.resources.len(), api.stages.len()) }</span>
                    </li>
                }) }
            </ul>
        </section>
        { edit::create_api_panel(app, link) }
        </>
    }
}

/// `#/apigateway/<apiId>`: the resource tree and the stages.
pub(super) fn api_view(app: &App, link: &Scope<App>, api_id: &str) -> Html {
    let Some(api) = api(app, api_id) else {
        return missing(&format!("API {api_id}"));
    };
    let mut resources: Vec<_> = api.definition.resources.values().collect();
    resources.sort_by(|a, b| a.path.cmp(&b.path));
    let region = app
        .deployed
        .as_ref()
        .map(|d| d.cloud.region.clone())
        .unwrap_or_default();
    let suffix = app.deployed.as_ref().map(|d| d.cloud.url_suffix()).unwrap_or_default();
    html! {
        <section class="card">
            <p class="breadcrumb"><a href={ Route::Apis.href() }>{ "APIs" }</a>{ " / " }{ &api.name }</p>
            <h2>{ format!("{} ", api.name) }<span class="muted">{ format!("({})", api.id) }</span></h2>
            if let Some(description) = &api.description {
                <p class="description">{ description }</p>
            }
            <p><a id="open-console" href={ Route::Console { api_id: api.id.clone() }.href() }>{ "Request console: send requests to a stage" }</a></p>
            <h3>{ "Resources" }</h3>
            <ul id="resource-tree" class="tree">
                { for resources.iter().map(|resource| {
                    let depth = if resource.path == "/" { 0 } else { resource.path.matches('/').count() };
                    html! {
                        <li style={ format!("--depth: {}", depth.min(32)) } data-resource-path={ resource.path.clone() }>
                            <code>{ &resource.path }</code>
                            { for resource.resource_methods.keys().map(|method| html! {
                                <a class="method-link" href={ Route::Method {
                                    api_id: api.id.clone(),
                                    resource_id: resource.id.clone(),
                                    http_method: method.clone(),
                                }.href() }>{ method }</a>
                            }) }
                        </li>
                    }
                }) }
            </ul>
            { edit::api_actions(app, link, api) }
            <h3>{ "Stages" }</h3>
            if api.stages.is_empty() {
                <p class="empty">{ "No stage: the API is not deployed." }</p>
            }
            <ul class="plain-list">
                { for api.stages.values().map(|stage| html! {
                    <li>
                        <strong>{ &stage.stage_name }</strong>{ " " }
                        <code>{ ApiGateway::invoke_url(&api.id, &region, suffix, &stage.stage_name) }</code>
                        { for stage.variables.iter().map(|(k, v)| html! { <span class="tag">{ format!("{k}={v}") }</span> }) }
                    </li>
                }) }
            </ul>
        </section>
    }
}

fn settings(rows: Vec<(&str, String)>) -> Html {
    html! {
        <dl class="settings">
            { for rows.into_iter().map(|(name, value)| html! {
                <>
                    <dt>{ name.to_string() }</dt>
                    <dd>{ if value.is_empty() { "-".to_string() } else { value } }</dd>
                </>
            }) }
        </dl>
    }
}

fn map_list<V: std::fmt::Display>(map: &IndexMap<String, V>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn templates(map: &IndexMap<String, String>) -> Html {
    html! {
        { for map.iter().map(|(content_type, template)| html! {
            <details class="template">
                <summary>{ format!("Mapping template: {content_type}") }</summary>
                <pre>{ template }</pre>
            </details>
        }) }
    }
}

fn method_execution(api: &RestApi, method: &Method, link: &Scope<App>) -> Html {
    let validator = method
        .request_validator_id
        .as_ref()
        .map(|id| {
            api.definition
                .request_validators
                .get(id)
                .map(|v| v.name.clone())
                .unwrap_or_else(|| id.clone())
        })
        .unwrap_or_default();
    let method_request = settings(vec![
        ("Authorization", method.authorization_type.clone()),
        ("API key required", method.api_key_required.to_string()),
        ("Request validator", validator),
        (
            "Request parameters",
            map_list(
                &method
                    .request_parameters
                    .iter()
                    .map(|(k, v)| (k.clone(), if *v { "required" } else { "optional" }))
                    .collect(),
            ),
        ),
        ("Request models", map_list(&method.request_models)),
    ]);
    let (integration_request, integration_response) = match &method.method_integration {
        None => (
            html! { <p class="empty">{ "No integration." }</p> },
            html! { <p class="empty">{ "No integration." }</p> },
        ),
        Some(integration) => (
            html! {
                <>
                    { settings(vec![
                        ("Type", integration.integration_type.as_str().to_string()),
                        ("HTTP method", integration.http_method.clone().unwrap_or_default()),
                        ("URI", integration.uri.clone().unwrap_or_default()),
                        ("Passthrough", integration.passthrough_behavior.as_str().to_string()),
                        ("Timeout", format!("{} ms", integration.timeout_in_millis)),
                        ("Request parameters", map_list(&integration.request_parameters)),
                    ]) }
                    { templates(&integration.request_templates) }
                </>
            },
            html! {
                <>
                    if integration.integration_responses.is_empty() {
                        <p class="empty">{ "No integration responses." }</p>
                    }
                    { for integration.integration_responses.values().map(|r| html! {
                        <div class="sub">
                            { settings(vec![
                                ("Status", r.status_code.clone()),
                                ("Selection pattern", if r.is_default() { "(default)".to_string() } else { r.selection_pattern.clone().unwrap_or_default() }),
                                ("Header mappings", map_list(&r.response_parameters)),
                            ]) }
                            { templates(&r.response_templates) }
                        </div>
                    }) }
                </>
            },
        ),
    };
    let method_response = html! {
        <>
            if method.method_responses.is_empty() {
                <p class="empty">{ "No method responses." }</p>
            }
            { for method.method_responses.values().map(|r| settings(vec![
                ("Status", r.status_code.clone()),
                ("Headers", r.response_parameters.keys().cloned().collect::<Vec<_>>().join(", ")),
                ("Models", map_list(&r.response_models)),
            ])) }
        </>
    };
    html! {
        <div id="method-execution" class="execution" role="group" aria-label="Method execution">
            <section class="box" id="box-method-request" aria-label="Method Request">
                <h4>{ "Method Request" }</h4>{ edit::box_button(link, Dialog::MethodRequest, "Method Request") }{ method_request }
            </section>
            <span class="arrow" aria-hidden="true">{ "→" }</span>
            <section class="box" id="box-integration-request" aria-label="Integration Request">
                <h4>{ "Integration Request" }</h4>{ edit::box_button(link, Dialog::IntegrationRequest, "Integration Request") }{ integration_request }
            </section>
            <section class="box" id="box-method-response" aria-label="Method Response">
                <h4>{ "Method Response" }</h4>{ edit::box_button(link, Dialog::MethodResponse, "Method Response") }{ method_response }
            </section>
            <span class="arrow" aria-hidden="true">{ "←" }</span>
            <section class="box" id="box-integration-response" aria-label="Integration Response">
                <h4>{ "Integration Response" }</h4>{ edit::box_button(link, Dialog::IntegrationResponse, "Integration Response") }{ integration_response }
            </section>
        </div>
    }
}

/// `#/apigateway/<apiId>/resources/<resourceId>/methods/<METHOD>`: Method Execution and Test.
pub(super) fn method_view(app: &App, link: &Scope<App>, api_id: &str, resource_id: &str, http_method: &str) -> Html {
    let Some(api) = api(app, api_id) else {
        return missing(&format!("API {api_id}"));
    };
    let Some(resource) = api.definition.resources.get(resource_id) else {
        return missing(&format!("resource {resource_id} in API {api_id}"));
    };
    let Some(method) = resource.resource_methods.get(http_method) else {
        return missing(&format!("{http_method} method on {}", resource.path));
    };
    let form = &app.test_form;
    let on = |field: Field| link.callback(move |e: InputEvent| Msg::Set(field.clone(), event_value(&e)));
    html! {
        <>
            <section class="card">
                <p class="breadcrumb">
                    <a href={ Route::Apis.href() }>{ "APIs" }</a>{ " / " }
                    <a href={ Route::Api { api_id: api.id.clone() }.href() }>{ &api.name }</a>{ " / " }
                    { format!("{} {}", http_method, resource.path) }
                </p>
                <h2>{ format!("{} {} - Method Execution", http_method, resource.path) }</h2>
                { method_execution(api, method, link) }
                { edit::method_editor(app, link, api, &resource.path, http_method) }
            </section>
            <section class="card" aria-labelledby="test-title">
                <h3 id="test-title">{ "Test" }</h3>
                <p class="muted">{ "Runs this method of the current definition, as the console's Test does (no stage). Ctrl+Enter (Cmd+Enter) runs it." }</p>
                <form class="form" onsubmit={ link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::RunTest }) }>
                    { for form.path.iter().map(|(name, value)| {
                        let id = format!("test-path-{name}");
                        html! {
                            <div class="field">
                                <label for={ id.clone() }>{ format!("Path parameter {{{name}}}") }</label>
                                <input id={ id } type="text" value={ value.clone() } oninput={ on(Field::TestPathParam(name.clone())) } />
                            </div>
                        }
                    }) }
                    <div class="field">
                        <label for="test-query">{ "Query string (a=1&b=2)" }</label>
                        <input id="test-query" type="text" value={ form.query.clone() } oninput={ on(Field::TestQuery) } />
                    </div>
                    <div class="field">
                        <label for="test-headers">{ "Headers (one Name: value per line)" }</label>
                        <textarea id="test-headers" rows="3" value={ form.headers.clone() } oninput={ on(Field::TestHeaders) } />
                    </div>
                    <div class="field">
                        <label for="test-body">{ "Request body" }</label>
                        <textarea id="test-body" rows="4" value={ form.body.clone() } oninput={ on(Field::TestBody) } />
                    </div>
                    <button id="test-invoke" class="primary" type="submit">{ "Test" }</button>
                </form>
                { test_result(app) }
            </section>
        </>
    }
}

/// The stages a request went through, in order, each with what it decided (the same [`Trace`] the execution log
/// is written from). A stage that did not run is not listed.
fn trace_view(trace: &Trace) -> Html {
    let mut stages: Vec<(&str, String)> = Vec::new();
    if let Some(r) = &trace.route {
        stages.push((
            "Route",
            format!(
                "{} {} matched {} {}",
                r.http_method, r.path, r.method_key, r.resource_path
            ),
        ));
    }
    if let Some(m) = &trace.method_request {
        let validator = m
            .validator
            .as_deref()
            .map(|v| format!(", validator {v}"))
            .unwrap_or_default();
        stages.push((
            "Method request",
            format!(
                "{} path, {} query, {} header parameters{validator}",
                m.path.len(),
                m.querystring.len(),
                m.headers.len()
            ),
        ));
    }
    if let Some(i) = &trace.integration_request {
        let template = i
            .template
            .as_deref()
            .map(|t| format!("template {t}"))
            .unwrap_or_else(|| "body passed through".into());
        let uri = i.uri.as_deref().map(|u| format!(" to {u}")).unwrap_or_default();
        stages.push((
            "Integration request",
            format!("{}{uri}, {template}", i.integration_type),
        ));
    }
    if let Some(e) = &trace.endpoint_response {
        stages.push((
            "Endpoint response",
            format!("{} after {} ms (virtual)", e.status, e.latency_millis),
        ));
    }
    if let Some(i) = &trace.integration_response {
        let pattern = i
            .selection_pattern
            .as_deref()
            .map(|p| format!("pattern {p}"))
            .unwrap_or_else(|| "default".into());
        stages.push(("Integration response", format!("{} ({pattern})", i.status_code)));
    }
    if let Some(m) = &trace.method_response {
        stages.push(("Method response", m.status.to_string()));
    }
    if let Some(f) = &trace.failure {
        stages.push(("Gateway response", format!("{}: {}", f.response_type, f.message)));
    }
    html! {
        <ol class="trace" aria-label="Request trace">
            { for stages.into_iter().map(|(stage, what)| html! {
                <li><strong>{ stage }</strong>{ " " }<span>{ what }</span></li>
            }) }
        </ol>
    }
}

fn header_rows(headers: &serde_json::Value) -> Html {
    let rows: Vec<(String, String)> = headers
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    header_list(&rows)
}

fn header_list(rows: &[(String, String)]) -> Html {
    html! {
        <pre class="headers">{ rows.iter().map(|(k, v)| format!("{k}: {v}\n")).collect::<String>() }</pre>
    }
}

fn test_result(app: &App) -> Html {
    match &app.test_result {
        None => html! {},
        Some(Err(message)) => html! { <div id="test-error" class="error" role="alert"><pre>{ message }</pre></div> },
        Some(Ok(response)) => html! {
            <div id="test-result" class="result" role="status">
                <p><strong>{ "Status: " }</strong><span id="test-status">{ response.status }</span>
                   <span class="muted">{ format!("  Latency: {} ms (virtual)", response.latency) }</span></p>
                <h4>{ "Response body" }</h4>
                <pre id="test-body-out">{ &response.body }</pre>
                { super::formatted_json("test-body-formatted", &response.body) }
                <h4>{ "Response headers" }</h4>
                { header_rows(&response.headers) }
                <h4>{ "Trace" }</h4>
                { trace_view(&response.trace) }
                <h4>{ "Logs" }</h4>
                <pre id="test-log">{ &response.log }</pre>
            </div>
        },
    }
}

/// Runs the Test panel's request.
pub(super) fn run_test(app: &mut App) {
    let Route::Method {
        api_id,
        resource_id,
        http_method,
    } = app.route.clone()
    else {
        return;
    };
    let Some(path) = resource_path(app, &api_id, &resource_id) else {
        app.test_result = Some(Err("the method is not in the deployed account".into()));
        return;
    };
    let form = app.test_form.clone();
    let headers = match text::parse_header_lines(&form.headers) {
        Ok(h) => h,
        Err(e) => {
            app.test_result = Some(Err(e));
            return;
        }
    };
    let filled = text::fill_path(&path, &|name| {
        form.path
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    });
    let with_query = if form.query.is_empty() {
        filled
    } else {
        format!("{filled}?{}", form.query.trim_start_matches('?'))
    };
    let request = TestInvokeMethodRequest {
        resource_id,
        http_method: http_method.clone(),
        path_with_query_string: Some(with_query.clone()),
        headers,
        body: form.body,
        stage_variables: IndexMap::new(),
    };
    let Some(deployed) = app.deployed.as_mut() else {
        return;
    };
    let result = test_invoke_method(&mut deployed.cloud, &api_id, &request).map_err(|e| e.to_string());
    let log = match &result {
        Ok(r) => r.log.clone(),
        Err(e) => e.clone(),
    };
    app.log("Test invoke".into(), format!("Test {http_method} {with_query}"), log);
    app.scroll_to = Some(if result.is_ok() { "test-result" } else { "test-error" });
    app.test_result = Some(result);
}

/// `#/apigateway/<apiId>/console`.
pub(super) fn console_view(app: &App, link: &Scope<App>, api_id: &str) -> Html {
    let Some(api) = api(app, api_id) else {
        return missing(&format!("API {api_id}"));
    };
    let form = &app.console_form;
    let on = |field: Field| link.callback(move |e: InputEvent| Msg::Set(field.clone(), event_value(&e)));
    let on_change = |field: Field| link.callback(move |e: Event| Msg::Set(field.clone(), event_value(&e)));
    html! {
        <section class="card">
            <p class="breadcrumb">
                <a href={ Route::Apis.href() }>{ "APIs" }</a>{ " / " }
                <a href={ Route::Api { api_id: api.id.clone() }.href() }>{ &api.name }</a>{ " / Request console" }
            </p>
            <h2>{ "Request console" }</h2>
            if api.stages.is_empty() {
                <p class="empty">{ "This API has no stage to send requests to." }</p>
            } else {
                <form class="form" onsubmit={ link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::SendRequest }) }>
                    <div class="row">
                        <div class="field">
                            <label for="console-method">{ "Method" }</label>
                            <select id="console-method" onchange={ on_change(Field::ConsoleMethod) }>
                                { for HTTP_METHODS.iter().filter(|m| **m != "ANY").map(|m| html! {
                                    <option value={ *m } selected={ form.method == *m }>{ *m }</option>
                                }) }
                            </select>
                        </div>
                        <div class="field">
                            <label for="console-stage">{ "Stage" }</label>
                            <select id="console-stage" onchange={ on_change(Field::ConsoleStage) }>
                                { for api.stages.keys().map(|s| html! {
                                    <option value={ s.clone() } selected={ form.stage == *s }>{ s }</option>
                                }) }
                            </select>
                        </div>
                        <div class="field grow">
                            <label for="console-path">{ "Path and query" }</label>
                            <input id="console-path" type="text" value={ form.path.clone() } oninput={ on(Field::ConsolePath) } />
                        </div>
                    </div>
                    if text::repeats_stage(&form.path, &form.stage) {
                        <p id="console-path-stage" class="notice warning" role="status">
                            { format!(
                                "This path starts with the stage name, so the request goes to /{}/{}. The stage is chosen in Stage; Path and query is what comes after it.",
                                form.stage,
                                form.path.trim_start_matches('/')
                            ) }
                        </p>
                    }
                    <div class="field">
                        <label for="console-headers">{ "Headers (one Name: value per line)" }</label>
                        <textarea id="console-headers" rows="3" value={ form.headers.clone() } oninput={ on(Field::ConsoleHeaders) } />
                    </div>
                    <div class="field">
                        <label for="console-body">{ "Body" }</label>
                        <textarea id="console-body" rows="4" value={ form.body.clone() } oninput={ on(Field::ConsoleBody) } />
                    </div>
                    <button id="console-send" class="primary" type="submit">{ "Send" }</button>
                </form>
            }
            { console_result(app, link) }
        </section>
    }
}

fn console_result(app: &App, link: &Scope<App>) -> Html {
    match &app.console_result {
        None => html! {},
        Some(Err(message)) => html! { <div id="console-error" class="error" role="alert"><pre>{ message }</pre></div> },
        Some(Ok(result)) => {
            let curl = result.curl.clone();
            html! {
                <div id="console-result" class="result" role="status">
                    <p><strong>{ "Status: " }</strong><span id="console-status">{ result.response.status_code }</span></p>
                    <h4>{ "Headers" }</h4>
                    { header_list(&result.response.headers) }
                    <h4>{ "Body" }</h4>
                    <pre id="console-body-out">{ &result.response.body }</pre>
                    { super::formatted_json("console-body-formatted", &result.response.body) }
                    <h4>{ "Trace" }</h4>
                    { trace_view(&result.trace) }
                    <h4>{ "As curl" }</h4>
                    <pre id="console-curl">{ &result.curl }</pre>
                    <button id="copy-curl" onclick={ link.callback(move |_| Msg::Copy(curl.clone())) }>{ "Copy as curl" }</button>
                </div>
            }
        }
    }
}

/// Sends the console's request through the deployed stage.
pub(super) fn send_request(app: &mut App) {
    let Route::Console { api_id } = app.route.clone() else {
        return;
    };
    let form = app.console_form.clone();
    let headers = match text::parse_header_lines(&form.headers) {
        Ok(h) => h,
        Err(e) => {
            app.console_result = Some(Err(e));
            return;
        }
    };
    let path = if form.path.starts_with('/') {
        form.path.clone()
    } else {
        format!("/{}", form.path)
    };
    let request = HttpRequest {
        method: form.method.clone(),
        path: format!("/{}{}", form.stage, path),
        headers: headers.clone(),
        body: form.body.clone(),
    };
    let Some(deployed) = app.deployed.as_mut() else {
        return;
    };
    let url = format!(
        "{}{}",
        ApiGateway::invoke_url(
            &api_id,
            &deployed.cloud.region,
            deployed.cloud.url_suffix(),
            &form.stage
        ),
        path
    );
    let curl = text::curl_command(&form.method, &url, &headers, &form.body);
    let title = format!("{} {}", form.method, request.path);
    // The execution log group AWS writes to: "Setting up CloudWatch logging for REST APIs in API Gateway".
    let group = format!("API-Gateway-Execution-Logs_{api_id}/{}", form.stage);
    let executed = invoke::execute(&mut deployed.cloud, &api_id, &request);
    app.record(crate::tutorial::Action::Request {
        method: request.method.clone(),
        path: request.path.clone(),
        body: request.body.clone(),
    });
    match executed {
        Ok(invocation) => {
            let is_mock = invocation
                .trace
                .integration_request
                .as_ref()
                .is_some_and(|r| r.integration_type == "MOCK");
            let trace = execution_log(&form.method, &path, &invocation.trace, &invocation.response, is_mock);
            // AWS writes execution logs in its own per-line format, which is not simulated here: the trace is shown
            // in the Test panel's log format instead, and says so.
            app.log(
                group,
                format!(
                    "{title} -> {} (trace in the Test log format)",
                    invocation.response.status_code
                ),
                trace,
            );
            app.scroll_to = Some("console-result");
            app.console_result = Some(Ok(ConsoleResult {
                response: invocation.response,
                trace: invocation.trace,
                curl,
            }));
        }
        Err(e) => {
            app.log(group, title, e.to_string());
            app.scroll_to = Some("console-error");
            app.console_result = Some(Err(e.to_string()));
        }
    }
}
