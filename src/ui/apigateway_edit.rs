//! The API Gateway console's editing actions in the views: Create API, Create Resource, Create Method, Delete,
//! the four Method Execution editors, Enable CORS and Deploy API, and the mapping-template editor with its live
//! preview. Each action becomes template edits ([`super::console_edits`]) and a redeploy of the scenario
//! ([`App::apply_template`]): the template stays the one source of what the user built. When the redeploy fails,
//! nothing changes and the engine's error is shown in the form.

use super::console_edits::{self as edits, CorsChoice, IntegrationChoice, IntegrationKind};
use super::{event_value, App, Msg};
use crate::apigateway::context::{context_json, ContextInput, RequestIds};
use crate::apigateway::model::{IntegrationType, Method, RestApi, HTTP_METHODS};
use crate::apigateway::ApiGateway;
use crate::template::edit::Document;
use crate::ui::route::Route;
use crate::vtl::{MappingInput, Template, VtlError};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast as _;
use yew::html::Scope;
use yew::prelude::*;

/// An editor the views can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    /// Create API (on `#/apigateway`).
    CreateApi,
    /// Create Resource under the selected resource.
    CreateResource,
    /// Create Method on the selected resource.
    CreateMethod,
    /// Enable CORS on the selected resource.
    Cors,
    /// Deploy API.
    DeployApi,
    /// The Method Request box's editor.
    MethodRequest,
    /// The Integration Request box's editor.
    IntegrationRequest,
    /// The Integration Response box's editor.
    IntegrationResponse,
    /// The Method Response box's editor.
    MethodResponse,
}

/// What the editors react to.
pub enum EditMsg {
    /// Open an editor, its fields filled from the deployed account.
    Open(Dialog),
    /// Close the editor.
    Cancel,
    /// A form field changed.
    Set(&'static str, String),
    /// Apply the open editor.
    Submit,
    /// Delete the selected resource (after asking).
    DeleteResource,
    /// Delete the current method (after asking).
    DeleteMethod,
    /// Delete the integration response or method response of the status in the form.
    DeleteResponse,
    /// Hide the notice.
    DismissNotice,
}

/// The editors' state: the open editor and its fields by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditState {
    /// The open editor.
    pub dialog: Option<Dialog>,
    /// Form fields by name (`name`, `path_part`, `template`, ...).
    pub fields: BTreeMap<&'static str, String>,
    /// Why the last action failed.
    pub error: Option<String>,
    /// What the last action did (the invoke URL after Deploy API), or that comments were dropped.
    pub notice: Option<String>,
    /// Whether the user was told that console edits drop YAML comments (the code editor shares it).
    pub(super) comments_told: bool,
    /// An editor was just opened: its first field takes the focus after the next render.
    focus_pending: bool,
}

impl EditState {
    fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    fn set(&mut self, name: &'static str, value: impl Into<String>) {
        self.fields.insert(name, value.into());
    }
}

/// What to show after an action worked.
enum After {
    Stay,
    Api(String),
    Method(String),
    Stage { api: String, stage: String },
}

fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.href());
    }
}

fn api_model<'a>(app: &'a App, api_id: &str) -> Option<&'a RestApi> {
    app.deployed
        .as_ref()?
        .cloud
        .service::<ApiGateway>()?
        .rest_apis
        .get(api_id)
}

fn current_method(app: &App) -> Option<&Method> {
    let Route::Method {
        api_id,
        resource_id,
        http_method,
    } = &app.route
    else {
        return None;
    };
    api_model(app, api_id)?
        .definition
        .resources
        .get(resource_id)?
        .resource_methods
        .get(http_method)
}

/// Handles an editor message.
pub(super) fn update(app: &mut App, msg: EditMsg) {
    match msg {
        EditMsg::Open(dialog) => open(app, dialog),
        EditMsg::Cancel => {
            app.console_edit.dialog = None;
            app.console_edit.error = None;
        }
        EditMsg::Set(name, value) => {
            app.console_edit.set(name, value);
            reload_dependent(app, name);
        }
        EditMsg::Submit => submit(app),
        EditMsg::DeleteResource => {
            let path = app
                .route_api()
                .and_then(|api| super::apigateway::resource_path(app, &api, app.console_edit.get("resource")))
                .unwrap_or_default();
            if super::browser::confirm(&format!(
                "Delete the resource {path}, the resources under it and their methods?"
            )) {
                run(app, |doc, stack, api, state| {
                    edits::delete_resource(doc, stack, api, state.get("resource")).map(|_| After::Stay)
                });
            }
        }
        EditMsg::DeleteMethod => {
            if let Route::Method {
                api_id,
                resource_id,
                http_method,
            } = app.route.clone()
            {
                if super::browser::confirm(&format!("Delete the {http_method} method?")) {
                    run(app, |doc, stack, _, _| {
                        let api = edits::api_logical_id(doc, stack, &api_id)?;
                        edits::delete_method(doc, stack, &api_id, &resource_id, &http_method)?;
                        Ok(After::Api(api))
                    });
                }
            }
        }
        EditMsg::DeleteResponse => {
            let dialog = app.console_edit.dialog;
            run_on_method(app, move |doc, _, method, state| match dialog {
                Some(Dialog::IntegrationResponse) => {
                    edits::remove_integration_response(doc, method, state.get("status"))
                }
                _ => edits::remove_method_response(doc, method, state.get("status")),
            });
        }
        EditMsg::DismissNotice => app.console_edit.notice = None,
    }
}

impl App {
    /// The API id of the current route, if it has one.
    fn route_api(&self) -> Option<String> {
        match &self.route {
            Route::Api { api_id } | Route::Console { api_id } | Route::Method { api_id, .. } => Some(api_id.clone()),
            _ => None,
        }
    }
}

/// Fills an editor's fields from the deployed account.
fn open(app: &mut App, dialog: Dialog) {
    let mut state = EditState {
        dialog: Some(dialog),
        comments_told: app.console_edit.comments_told,
        notice: app.console_edit.notice.clone(),
        ..EditState::default()
    };
    // The selected resource and the preview's sample request survive from one editor to the next.
    for keep in [
        "resource",
        "sample_path",
        "sample_query",
        "sample_headers",
        "sample_body",
    ] {
        if let Some(v) = app.console_edit.fields.get(keep) {
            state.set(keep, v.clone());
        }
    }
    // Ids are drawn again at every deploy: a selection is only kept while it names a resource of this API.
    if let Some(api) = app.route_api().and_then(|id| api_model(app, &id)) {
        if !api.definition.resources.contains_key(state.get("resource")) {
            let root = api
                .definition
                .resources
                .values()
                .find(|r| r.path == "/")
                .map(|r| r.id.clone());
            state.set("resource", root.unwrap_or_default());
        }
    }
    if state.get("sample_headers").is_empty() {
        state.set("sample_headers", "Content-Type: application/json");
    }
    if state.get("sample_body").is_empty() {
        state.set("sample_body", "{\"name\": \"World\"}");
    }
    let method = current_method(app).cloned();
    match dialog {
        Dialog::CreateApi | Dialog::CreateResource => {}
        Dialog::CreateMethod => {
            state.set("http_method", "GET");
            state.set("integration", "MOCK");
        }
        Dialog::Cors => {
            let methods = app
                .route_api()
                .and_then(|api| {
                    let resource = api_model(app, &api)?.definition.resources.get(state.get("resource"))?;
                    Some(
                        resource
                            .resource_methods
                            .keys()
                            .filter(|m| *m != "OPTIONS")
                            .cloned()
                            .collect::<Vec<_>>(),
                    )
                })
                .unwrap_or_default();
            state.set("methods", methods.join(","));
            state.set("allow_headers", crate::apigateway::cors::DEFAULT_ALLOW_HEADERS);
            state.set("allow_origin", "*");
        }
        Dialog::DeployApi => {
            let stage = app
                .route_api()
                .and_then(|api| api_model(app, &api)?.stages.keys().next().cloned())
                .unwrap_or_default();
            state.set("stage", stage);
        }
        Dialog::MethodRequest => {
            if let Some(m) = &method {
                state.set("authorization", m.authorization_type.clone());
                state.set("api_key", if m.api_key_required { "true" } else { "" });
                let lines: Vec<String> = m.request_parameters.iter().map(|(k, v)| format!("{k}={v}")).collect();
                state.set("parameters", lines.join("\n"));
            }
        }
        Dialog::IntegrationRequest => {
            if let Some(integration) = method.as_ref().and_then(|m| m.method_integration.as_ref()) {
                let uri = integration.uri.clone().unwrap_or_default();
                let kind = match integration.integration_type {
                    IntegrationType::Mock => IntegrationKind::Mock,
                    IntegrationType::AwsProxy => IntegrationKind::LambdaProxy,
                    IntegrationType::Http => IntegrationKind::Http,
                    IntegrationType::HttpProxy => IntegrationKind::HttpProxy,
                    _ => IntegrationKind::Lambda,
                };
                state.set("integration", kind.value());
                if matches!(kind, IntegrationKind::Http | IntegrationKind::HttpProxy) {
                    state.set("endpoint", uri.clone());
                }
                let function = app
                    .deployed
                    .as_ref()
                    .and_then(|d| {
                        edits::functions(&d.stack)
                            .into_iter()
                            .find(|(_, name)| uri.contains(&format!(":function:{name}/")))
                    })
                    .map(|(id, _)| id)
                    .unwrap_or_default();
                state.set("function", function);
                state.set("passthrough", integration.passthrough_behavior.as_str());
                let content_type = integration
                    .request_templates
                    .keys()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| "application/json".into());
                state.set(
                    "template",
                    integration
                        .request_templates
                        .get(&content_type)
                        .cloned()
                        .unwrap_or_default(),
                );
                state.set("content_type", content_type);
            } else {
                state.set("integration", "MOCK");
                state.set("content_type", "application/json");
            }
        }
        Dialog::IntegrationResponse => {
            let status = method
                .as_ref()
                .and_then(|m| m.method_integration.as_ref())
                .and_then(|i| i.integration_responses.keys().next().cloned())
                .unwrap_or_else(|| "200".into());
            state.set("status", status);
            state.set("content_type", "application/json");
        }
        Dialog::MethodResponse => {
            let status = method
                .as_ref()
                .and_then(|m| m.method_responses.keys().next().cloned())
                .unwrap_or_else(|| "200".into());
            state.set("status", status);
        }
    }
    state.focus_pending = true;
    app.console_edit = state;
    reload_dependent(app, "status");
}

/// After a render: moves the focus into an editor just opened (keyboard and screen-reader users continue there).
pub(super) fn focus_opened_editor(state: &mut EditState) {
    if !std::mem::take(&mut state.focus_pending) {
        return;
    }
    let first = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("#edit-form input, #edit-form select, #edit-form textarea")
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(field) = first {
        let _ = field.focus();
    }
}

/// After a field that selects what is edited (status, content type) changes, loads that entry's values.
fn reload_dependent(app: &mut App, changed: &str) {
    let Some(method) = current_method(app).cloned() else {
        return;
    };
    let state = &mut app.console_edit;
    match (state.dialog, changed) {
        (Some(Dialog::IntegrationRequest), "content_type") => {
            let template = method
                .method_integration
                .as_ref()
                .and_then(|i| i.request_templates.get(state.get("content_type")).cloned())
                .unwrap_or_default();
            state.set("template", template);
        }
        (Some(Dialog::IntegrationResponse), "status" | "content_type") => {
            let response = method
                .method_integration
                .as_ref()
                .and_then(|i| i.integration_responses.get(state.get("status")).cloned());
            let Some(r) = response else {
                if changed == "status" {
                    state.set("pattern", "");
                    state.set("template", "");
                    state.set("mappings", "");
                }
                return;
            };
            if changed == "status" {
                state.set("pattern", r.selection_pattern.clone().unwrap_or_default());
                let lines: Vec<String> = r.response_parameters.iter().map(|(k, v)| format!("{k}={v}")).collect();
                state.set("mappings", lines.join("\n"));
                if let Some(ct) = r.response_templates.keys().next() {
                    state.set("content_type", ct.clone());
                }
            }
            let template = r
                .response_templates
                .get(state.get("content_type"))
                .cloned()
                .unwrap_or_default();
            state.set("template", template);
        }
        (Some(Dialog::MethodResponse), "status") => {
            let response = method
                .method_responses
                .get(state.get("status"))
                .cloned()
                .unwrap_or_default();
            let headers: Vec<&str> = response
                .response_parameters
                .keys()
                .map(|k| k.strip_prefix("method.response.header.").unwrap_or(k))
                .collect();
            state.set("headers", headers.join("\n"));
            let models: Vec<String> = response
                .response_models
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            state.set("models", models.join("\n"));
        }
        _ => {}
    }
}

/// Applies `action` to the template, redeploys, and shows the result.
fn run(
    app: &mut App,
    action: impl FnOnce(&mut Document, &crate::template::Stack, &str, &EditState) -> Result<After, String>,
) {
    let api = app.route_api().unwrap_or_default();
    let Some(deployed) = app.deployed.as_ref() else {
        app.console_edit.error = Some("Nothing is deployed: fix the template and deploy it first.".into());
        return;
    };
    let mut doc = match Document::parse(&app.scenario.template.body) {
        Ok(doc) => doc,
        Err(e) => {
            app.console_edit.error = Some(format!(
                "The template cannot be edited until it loads again ({e}): fix it on the Template page."
            ));
            return;
        }
    };
    let anchor = anchor(app, &deployed.stack);
    let after = match action(&mut doc, &deployed.stack, &api, &app.console_edit) {
        Ok(after) => after,
        Err(e) => {
            app.console_edit.error = Some(e);
            return;
        }
    };
    let comments = doc.comment_lines();
    if let Err(e) = app.apply_template(doc.to_text()) {
        app.console_edit.error = Some(format!("The change was not applied: {e}"));
        return;
    }
    let state = &mut app.console_edit;
    state.dialog = None;
    state.error = None;
    // The ids of the new deploy may differ: the selection is made again from the new tree.
    state.fields.remove("resource");
    if comments > 0 && !state.comments_told {
        state.comments_told = true;
        state.notice = Some(format!(
            "Console actions rewrite the YAML template: its comments ({comments} lines) were not kept. The rest of the template is unchanged in meaning."
        ));
    }
    let Some(deployed) = app.deployed.as_ref() else { return };
    if let After::Stage { api, stage } = &after {
        let url = ApiGateway::invoke_url(api, &deployed.cloud.region, deployed.cloud.url_suffix(), stage);
        app.console_edit.notice = Some(format!("Deployed to stage {stage}. Invoke URL: {url}"));
    }
    match after {
        After::Stay | After::Stage { .. } => {
            // Follow the API or method of the view to its (possibly new) ids.
            let route = match anchor {
                Some(Anchor::Api(logical)) => {
                    edits::physical_id(&deployed.stack, &logical).map(|api_id| Route::Api { api_id })
                }
                Some(Anchor::Method(logical)) => {
                    edits::method_location(&deployed.stack, &logical).map(|(api_id, resource_id, http_method)| {
                        Route::Method {
                            api_id,
                            resource_id,
                            http_method,
                        }
                    })
                }
                None => None,
            };
            if let Some(route) = route.filter(|r| *r != app.route) {
                navigate(&route);
            }
        }
        After::Api(logical_or_id) => {
            let api_id = edits::physical_id(&deployed.stack, &logical_or_id).unwrap_or(logical_or_id);
            navigate(&Route::Api { api_id });
        }
        After::Method(logical) => {
            if let Some((api_id, resource_id, http_method)) = edits::method_location(&deployed.stack, &logical) {
                navigate(&Route::Method {
                    api_id,
                    resource_id,
                    http_method,
                });
            }
        }
    }
}

/// What the current view shows, by logical id (ids change between deploys, logical ids do not).
enum Anchor {
    Api(String),
    Method(String),
}

fn anchor(app: &App, stack: &crate::template::Stack) -> Option<Anchor> {
    match &app.route {
        Route::Api { api_id } => stack
            .resources
            .iter()
            .find(|r| r.resource_type == "AWS::ApiGateway::RestApi" && r.physical_id == *api_id)
            .map(|r| Anchor::Api(r.logical_id.clone())),
        Route::Method {
            api_id,
            resource_id,
            http_method,
        } => edits::method_logical_id(stack, api_id, resource_id, http_method).map(Anchor::Method),
        _ => None,
    }
}

/// Runs an edit of the current method's properties.
fn run_on_method(
    app: &mut App,
    action: impl FnOnce(&mut Document, &crate::template::Stack, &str, &EditState) -> Result<(), String>,
) {
    let Route::Method {
        api_id,
        resource_id,
        http_method,
    } = app.route.clone()
    else {
        return;
    };
    run(app, |doc, stack, _, state| {
        edits::api_logical_id(doc, stack, &api_id)?;
        let method = edits::method_logical_id(stack, &api_id, &resource_id, &http_method)
            .ok_or_else(|| "This method is not written in the template as an AWS::ApiGateway::Method.".to_string())?;
        action(doc, stack, &method, state)?;
        Ok(After::Stay)
    });
}

fn choice(state: &EditState) -> IntegrationChoice {
    IntegrationChoice {
        kind: IntegrationKind::parse(state.get("integration")).unwrap_or(IntegrationKind::Mock),
        function: state.get("function").to_string(),
        endpoint: state.get("endpoint").to_string(),
    }
}

fn submit(app: &mut App) {
    let Some(dialog) = app.console_edit.dialog else {
        return;
    };
    let route = app.route.clone();
    match dialog {
        Dialog::CreateApi => run(app, |doc, _, _, s| {
            edits::create_api(doc, s.get("name"), s.get("description")).map(After::Api)
        }),
        Dialog::CreateResource => run(app, |doc, stack, api, s| {
            let part = if s.get("proxy") == "true" {
                "{proxy+}"
            } else {
                s.get("path_part")
            };
            edits::create_resource(doc, stack, api, s.get("resource"), part)?;
            Ok(After::Stay)
        }),
        Dialog::CreateMethod => run(app, |doc, stack, api, s| {
            edits::create_method(doc, stack, api, s.get("resource"), s.get("http_method"), &choice(s))
                .map(After::Method)
        }),
        Dialog::Cors => run(app, |doc, stack, api, s| {
            let cors = CorsChoice {
                methods: s
                    .get("methods")
                    .split(',')
                    .map(|m| m.trim().to_string())
                    .filter(|m| !m.is_empty())
                    .collect(),
                allow_headers: s.get("allow_headers").to_string(),
                allow_origin: s.get("allow_origin").to_string(),
                gateway_responses: s.get("gateway_responses") == "true",
            };
            edits::enable_cors(doc, stack, api, s.get("resource"), &cors)?;
            Ok(After::Stay)
        }),
        Dialog::DeployApi => run(app, |doc, stack, api, s| {
            let stage = if s.get("stage").is_empty() {
                s.get("new_stage")
            } else {
                s.get("stage")
            };
            edits::deploy_api(doc, stack, api, stage, s.get("description"), s.get("variables"))?;
            Ok(After::Stage {
                api: api.to_string(),
                stage: stage.trim().to_string(),
            })
        }),
        Dialog::MethodRequest => run_on_method(app, |doc, _, method, s| {
            edits::set_method_request(
                doc,
                method,
                s.get("authorization"),
                s.get("api_key") == "true",
                s.get("parameters"),
            )
        }),
        Dialog::IntegrationRequest => {
            let Route::Method {
                api_id, resource_id, ..
            } = route
            else {
                return;
            };
            run_on_method(app, move |doc, stack, method, s| {
                edits::set_integration_request(
                    doc,
                    stack,
                    &api_id,
                    &resource_id,
                    method,
                    &choice(s),
                    s.get("passthrough"),
                    s.get("content_type"),
                    s.get("template"),
                )
            })
        }
        Dialog::IntegrationResponse => run_on_method(app, |doc, _, method, s| {
            edits::set_integration_response(
                doc,
                method,
                s.get("status"),
                s.get("pattern"),
                s.get("content_type"),
                s.get("template"),
                s.get("mappings"),
            )
        }),
        Dialog::MethodResponse => run_on_method(app, |doc, _, method, s| {
            edits::set_method_response(doc, method, s.get("status"), s.get("headers"), s.get("models"))
        }),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The mapping template's live preview
// ---------------------------------------------------------------------------------------------------------------

/// The sample request a mapping template is previewed against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sample {
    /// Path parameters, `name=value` lines.
    pub path: String,
    /// The query string, `a=1&b=2`.
    pub query: String,
    /// Headers, `Name: value` lines.
    pub headers: String,
    /// The body (`$input.body`).
    pub body: String,
}

/// Renders `template` against `sample` with the engine's VTL renderer (the same one test invoke uses), as API
/// Gateway would for a method `http_method` on `resource_path` in the `test-invoke-stage`.
///
/// Errors: the template's syntax or rendering error, with its line and column; a sample that cannot be read
/// (reported at line 0, since it is not the template's fault).
pub fn preview(template: &str, sample: &Sample, http_method: &str, resource_path: &str) -> Result<String, VtlError> {
    let sample_error = |message: String| VtlError {
        line: 0,
        column: 0,
        message,
        excerpt: String::new(),
    };
    let parsed = Template::parse(template)?;
    let path = edits::parse_pairs(&sample.path, "Path parameters")
        .map_err(sample_error)?
        .into_iter()
        .collect();
    let querystring = form_urlencoded::parse(sample.query.trim_start_matches('?').as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let header = super::text::parse_header_lines(&sample.headers)
        .map_err(sample_error)?
        .into_iter()
        .collect();
    let ids = RequestIds {
        request_id: "00000000-0000-0000-0000-000000000000".into(),
        extended_request_id: "preview=".into(),
        trace_id: String::new(),
    };
    let context = context_json(&ContextInput {
        account_id: "123456789012",
        region: "us-east-1",
        api_id: "preview",
        stage: "test-invoke-stage",
        deployment_id: "",
        ids: &ids,
        resource_id: "preview",
        resource_path,
        http_method,
        path: resource_path,
        now_millis: 0,
        user_agent: None,
    });
    let input = MappingInput {
        body: &sample.body,
        path,
        querystring,
        header,
        context,
        stage_variables: Default::default(),
    };
    parsed.render(&input).map(|out| out.body)
}

// ---------------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------------

fn field_id(name: &str) -> String {
    format!("edit-{}", name.replace('_', "-"))
}

fn on_input(link: &Scope<App>, name: &'static str) -> Callback<InputEvent> {
    link.callback(move |e: InputEvent| Msg::ConsoleEdit(EditMsg::Set(name, event_value(&e))))
}

fn text_field(app: &App, link: &Scope<App>, name: &'static str, label: &str) -> Html {
    let id = field_id(name);
    html! {
        <div class="field">
            <label for={ id.clone() }>{ label.to_string() }</label>
            <input id={ id } type="text" value={ app.console_edit.get(name).to_string() } oninput={ on_input(link, name) } />
        </div>
    }
}

fn area_field(app: &App, link: &Scope<App>, name: &'static str, label: &str, rows: usize) -> Html {
    let id = field_id(name);
    html! {
        <div class="field">
            <label for={ id.clone() }>{ label.to_string() }</label>
            <textarea id={ id } rows={ rows.to_string() } spellcheck="false" value={ app.console_edit.get(name).to_string() } oninput={ on_input(link, name) } />
        </div>
    }
}

fn select_field(app: &App, link: &Scope<App>, name: &'static str, label: &str, options: &[(String, String)]) -> Html {
    let id = field_id(name);
    let current = app.console_edit.get(name);
    let onchange = link.callback(move |e: Event| Msg::ConsoleEdit(EditMsg::Set(name, event_value(&e))));
    html! {
        <div class="field">
            <label for={ id.clone() }>{ label.to_string() }</label>
            <select id={ id } {onchange}>
                { for options.iter().map(|(value, text)| html! {
                    <option value={ value.clone() } selected={ current == value }>{ text.clone() }</option>
                }) }
            </select>
        </div>
    }
}

fn check_field(app: &App, link: &Scope<App>, name: &'static str, label: &str) -> Html {
    let id = field_id(name);
    let onchange = link.callback(move |e: Event| {
        let checked = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.checked())
            .unwrap_or(false);
        Msg::ConsoleEdit(EditMsg::Set(name, if checked { "true" } else { "" }.to_string()))
    });
    html! {
        <div class="field check">
            <input id={ id.clone() } type="checkbox" checked={ app.console_edit.get(name) == "true" } {onchange} />
            <label for={ id }>{ label.to_string() }</label>
        </div>
    }
}

fn pairs(values: &[&str]) -> Vec<(String, String)> {
    values.iter().map(|v| (v.to_string(), v.to_string())).collect()
}

/// The open editor's form: its fields, then Save and Cancel, and the last error.
fn form(link: &Scope<App>, app: &App, title: &str, submit: &str, body: Html) -> Html {
    html! {
        <form id="edit-form" class="form edit-form" aria-label={ title.to_string() }
            onsubmit={ link.callback(|e: SubmitEvent| { e.prevent_default(); Msg::ConsoleEdit(EditMsg::Submit) }) }>
            <h4>{ title.to_string() }</h4>
            { body }
            if let Some(error) = &app.console_edit.error {
                <div id="edit-error" class="error" role="alert"><pre>{ error.clone() }</pre></div>
            }
            <div class="row">
                <button id="edit-submit" class="primary" type="submit">{ submit.to_string() }</button>
                <button id="edit-cancel" type="button" onclick={ link.callback(|_| Msg::ConsoleEdit(EditMsg::Cancel)) }>{ "Cancel" }</button>
            </div>
        </form>
    }
}

fn notice(app: &App, link: &Scope<App>) -> Html {
    let Some(text) = &app.console_edit.notice else {
        return html! {};
    };
    html! {
        <div id="edit-notice" class="notice" role="status">
            <p>{ text.clone() }</p>
            <button onclick={ link.callback(|_| Msg::ConsoleEdit(EditMsg::DismissNotice)) }>{ "Dismiss" }</button>
        </div>
    }
}

/// The Create API panel of `#/apigateway`.
pub(super) fn create_api_panel(app: &App, link: &Scope<App>) -> Html {
    let open = app.console_edit.dialog == Some(Dialog::CreateApi);
    html! {
        <section class="card" aria-labelledby="create-api-title">
            <h3 id="create-api-title">{ "Create API" }</h3>
            { notice(app, link) }
            if open {
                { form(link, app, "Create REST API", "Create API", html! {
                    <>
                        { text_field(app, link, "name", "API name") }
                        { text_field(app, link, "description", "Description (optional)") }
                    </>
                }) }
            } else {
                <button id="create-api" class="primary" onclick={ link.callback(|_| Msg::ConsoleEdit(EditMsg::Open(Dialog::CreateApi))) }>{ "Create API" }</button>
                if app.deployed.is_none() {
                    <p class="muted">{ "The template must load before APIs can be created." }</p>
                }
            }
        </section>
    }
}

/// The Actions panel of `#/apigateway/<apiId>`: resource actions on the selected resource, Deploy API.
pub(super) fn api_actions(app: &App, link: &Scope<App>, api: &RestApi) -> Html {
    let Some(deployed) = app.deployed.as_ref() else {
        return html! {};
    };
    let editable = Document::parse(&app.scenario.template.body)
        .map_err(|e| format!("The template does not load ({e}): fix it on the Template page."))
        .and_then(|doc| edits::api_logical_id(&doc, &deployed.stack, &api.id));
    if let Err(reason) = editable {
        return html! { <p id="edit-read-only" class="notice">{ reason }</p> };
    }
    let mut resources: Vec<_> = api.definition.resources.values().collect();
    resources.sort_by(|a, b| a.path.cmp(&b.path));
    let root = resources.first().map(|r| r.id.clone()).unwrap_or_default();
    let selected = match app.console_edit.fields.get("resource") {
        Some(id) if api.definition.resources.contains_key(id) => id.clone(),
        _ => root,
    };
    let options: Vec<(String, String)> = resources.iter().map(|r| (r.id.clone(), r.path.clone())).collect();
    let onchange = link.callback(|e: Event| Msg::ConsoleEdit(EditMsg::Set("resource", event_value(&e))));
    let open = |dialog: Dialog| link.callback(move |_| Msg::ConsoleEdit(EditMsg::Open(dialog)));
    let dialog = app.console_edit.dialog;
    let selected_path = api
        .definition
        .resources
        .get(&selected)
        .map(|r| r.path.clone())
        .unwrap_or_default();
    html! {
        <section class="edit-panel" aria-labelledby="actions-title">
            <h3 id="actions-title">{ "Actions" }</h3>
            { notice(app, link) }
            <div class="row">
                <div class="field">
                    <label for="edit-resource">{ "Resource" }</label>
                    <select id="edit-resource" {onchange}>
                        { for options.iter().map(|(id, path)| html! {
                            <option value={ id.clone() } selected={ *id == selected }>{ path.clone() }</option>
                        }) }
                    </select>
                </div>
                <button id="action-create-resource" onclick={ open(Dialog::CreateResource) }>{ "Create resource" }</button>
                <button id="action-create-method" onclick={ open(Dialog::CreateMethod) }>{ "Create method" }</button>
                <button id="action-enable-cors" onclick={ open(Dialog::Cors) }>{ "Enable CORS" }</button>
                <button id="action-delete-resource" onclick={ link.callback(|_| Msg::ConsoleEdit(EditMsg::DeleteResource)) }>{ "Delete resource" }</button>
                <button id="action-deploy-api" class="primary" onclick={ open(Dialog::DeployApi) }>{ "Deploy API" }</button>
            </div>
            { match dialog {
                Some(Dialog::CreateResource) => create_resource_form(app, link, &selected_path),
                Some(Dialog::CreateMethod) => create_method_form(app, link, &selected_path),
                Some(Dialog::Cors) => cors_form(app, link, &selected_path),
                Some(Dialog::DeployApi) => deploy_form(app, link, api),
                _ => html! {},
            } }
        </section>
    }
}

fn create_resource_form(app: &App, link: &Scope<App>, parent: &str) -> Html {
    form(
        link,
        app,
        &format!("Create resource under {parent}"),
        "Create resource",
        html! {
            <>
                { check_field(app, link, "proxy", "Proxy resource ({proxy+}: catches every path below)") }
                if app.console_edit.get("proxy") != "true" {
                    { text_field(app, link, "path_part", "Resource name (path part: name, or {param} for a path parameter)") }
                }
            </>
        },
    )
}

fn integration_fields(app: &App, link: &Scope<App>) -> Html {
    let kinds: Vec<(String, String)> = IntegrationKind::ALL
        .iter()
        .map(|(_, v, l)| (v.to_string(), l.to_string()))
        .collect();
    let kind = IntegrationKind::parse(app.console_edit.get("integration")).unwrap_or(IntegrationKind::Mock);
    let mut functions: Vec<(String, String)> = vec![(String::new(), "Choose a function".into())];
    if let Some(d) = &app.deployed {
        functions.extend(
            edits::functions(&d.stack)
                .into_iter()
                .map(|(id, name)| (id.clone(), format!("{name} ({id})"))),
        );
    }
    html! {
        <>
            { select_field(app, link, "integration", "Integration type", &kinds) }
            if matches!(kind, IntegrationKind::Lambda | IntegrationKind::LambdaProxy) {
                { select_field(app, link, "function", "Lambda function", &functions) }
                <p class="muted">{ "A permission for API Gateway to invoke the function (AWS::Lambda::Permission) is added, as the console does." }</p>
            }
            if matches!(kind, IntegrationKind::Http | IntegrationKind::HttpProxy) {
                { text_field(app, link, "endpoint", "Endpoint URL") }
            }
        </>
    }
}

fn create_method_form(app: &App, link: &Scope<App>, resource: &str) -> Html {
    form(
        link,
        app,
        &format!("Create method on {resource}"),
        "Create method",
        html! {
            <>
                { select_field(app, link, "http_method", "Method type", &pairs(HTTP_METHODS)) }
                { integration_fields(app, link) }
            </>
        },
    )
}

fn cors_form(app: &App, link: &Scope<App>, resource: &str) -> Html {
    form(
        link,
        app,
        &format!("Enable CORS on {resource}"),
        "Save",
        html! {
            <>
                { text_field(app, link, "methods", "Access-Control-Allow-Methods (besides OPTIONS), comma-separated") }
                { text_field(app, link, "allow_headers", "Access-Control-Allow-Headers") }
                { text_field(app, link, "allow_origin", "Access-Control-Allow-Origin") }
                { check_field(app, link, "gateway_responses", "Also on the Default 4XX and Default 5XX gateway responses") }
            </>
        },
    )
}

fn deploy_form(app: &App, link: &Scope<App>, api: &RestApi) -> Html {
    let mut stages: Vec<(String, String)> = vec![(String::new(), "*New stage*".into())];
    stages.extend(api.stages.keys().map(|s| (s.clone(), s.clone())));
    html! {
        { form(link, app, "Deploy API", "Deploy", html! {
            <>
                { select_field(app, link, "stage", "Stage", &stages) }
                if app.console_edit.get("stage").is_empty() {
                    { text_field(app, link, "new_stage", "Stage name") }
                }
                { text_field(app, link, "description", "Deployment description (optional)") }
                { area_field(app, link, "variables", "Stage variables (one name=value per line)", 3) }
            </>
        }) }
    }
}

/// An "Edit" button for a Method Execution box.
pub(super) fn box_button(link: &Scope<App>, dialog: Dialog, label: &str) -> Html {
    let id = match dialog {
        Dialog::MethodRequest => "edit-method-request",
        Dialog::IntegrationRequest => "edit-integration-request",
        Dialog::IntegrationResponse => "edit-integration-response",
        _ => "edit-method-response",
    };
    html! {
        <button id={ id } class="box-edit" aria-label={ format!("Edit {label}") }
            onclick={ link.callback(move |_| Msg::ConsoleEdit(EditMsg::Open(dialog))) }>{ "Edit" }</button>
    }
}

/// Under the Method Execution boxes: the open box's editor and Delete method; or why the method is read-only.
pub(super) fn method_editor(
    app: &App,
    link: &Scope<App>,
    api: &RestApi,
    resource_path: &str,
    http_method: &str,
) -> Html {
    let Some(deployed) = app.deployed.as_ref() else {
        return html! {};
    };
    let editable = Document::parse(&app.scenario.template.body)
        .map_err(|e| format!("The template does not load ({e}): fix it on the Template page."))
        .and_then(|doc| edits::api_logical_id(&doc, &deployed.stack, &api.id));
    if let Err(reason) = editable {
        return html! { <p id="edit-read-only" class="notice">{ reason }</p> };
    }
    let editor = match app.console_edit.dialog {
        Some(Dialog::MethodRequest) => form(
            link,
            app,
            "Method Request",
            "Save",
            html! {
                <>
                    { select_field(app, link, "authorization", "Authorization", &pairs(&["NONE", "AWS_IAM"])) }
                    { check_field(app, link, "api_key", "API key required") }
                    { area_field(app, link, "parameters", "Request parameters (one per line: method.request.querystring.name=true for required, =false for optional)", 3) }
                </>
            },
        ),
        Some(Dialog::IntegrationRequest) => form(
            link,
            app,
            "Integration Request",
            "Save",
            html! {
                <>
                    { integration_fields(app, link) }
                    { select_field(app, link, "passthrough", "Request body passthrough", &pairs(&["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"])) }
                    { template_editor(app, link, http_method, resource_path, "Sample request body") }
                </>
            },
        ),
        Some(Dialog::IntegrationResponse) => form(
            link,
            app,
            "Integration Response",
            "Save",
            html! {
                <>
                    { text_field(app, link, "status", "Method response status code") }
                    { text_field(app, link, "pattern", "Selection pattern (a regular expression; empty: the default response)") }
                    { area_field(app, link, "mappings", "Header mappings (one per line: method.response.header.Name='value' or =integration.response.header.Name)", 3) }
                    { template_editor(app, link, http_method, resource_path, "Sample integration response body") }
                    <button id="edit-delete-response" type="button" onclick={ link.callback(|_| Msg::ConsoleEdit(EditMsg::DeleteResponse)) }>{ "Delete this integration response" }</button>
                </>
            },
        ),
        Some(Dialog::MethodResponse) => form(
            link,
            app,
            "Method Response",
            "Save",
            html! {
                <>
                    { text_field(app, link, "status", "HTTP status code") }
                    { area_field(app, link, "headers", "Response headers (one name per line)", 3) }
                    { area_field(app, link, "models", "Response models (one per line: content/type=ModelName)", 2) }
                    <button id="edit-delete-response" type="button" onclick={ link.callback(|_| Msg::ConsoleEdit(EditMsg::DeleteResponse)) }>{ "Delete this method response" }</button>
                </>
            },
        ),
        _ => html! {},
    };
    html! {
        <div class="edit-panel">
            { notice(app, link) }
            { editor }
            <p><button id="delete-method" onclick={ link.callback(|_| Msg::ConsoleEdit(EditMsg::DeleteMethod)) }>{ format!("Delete the {http_method} method") }</button></p>
        </div>
    }
}

/// The mapping-template editor: content type, the template with line numbers, and the live preview rendered
/// against the editable sample request, or the error pointed at its line.
fn template_editor(app: &App, link: &Scope<App>, http_method: &str, resource_path: &str, body_label: &str) -> Html {
    let state = &app.console_edit;
    let template = state.get("template");
    let sample = Sample {
        path: state.get("sample_path").to_string(),
        query: state.get("sample_query").to_string(),
        headers: state.get("sample_headers").to_string(),
        body: state.get("sample_body").to_string(),
    };
    let result = preview(template, &sample, http_method, resource_path);
    let error_line = result.as_ref().err().map(|e| e.line).unwrap_or(0);
    let lines = template.split('\n').count().max(1);
    html! {
        <fieldset class="template-editor">
            <legend>{ "Mapping template" }</legend>
            { text_field(app, link, "content_type", "Content type") }
            <div class="template-split">
                <div>
                    <label for="edit-template">{ "Template (VTL; empty removes the template of this content type)" }</label>
                    <div class="code-editor">
                        <pre class="gutter" aria-hidden="true">
                            { for (1..=lines).map(|n| html! {
                                <span class={ if n == error_line { "error-line" } else { "" } }>{ format!("{n}\n") }</span>
                            }) }
                        </pre>
                        <textarea id="edit-template" spellcheck="false" wrap="off" rows={ (lines + 1).to_string() }
                            aria-describedby="template-preview-title"
                            value={ template.to_string() } oninput={ on_input(link, "template") } />
                    </div>
                </div>
                <div>
                    <span id="template-preview-title" class="label">{ "Preview (rendered as you type)" }</span>
                    { match result {
                        Ok(output) => html! { <pre id="template-preview" class="preview" aria-live="polite">{ output }</pre> },
                        Err(e) if e.line == 0 => html! {
                            <div id="template-preview-error" class="error" role="status"><p>{ format!("The sample request: {}", e.message) }</p></div>
                        },
                        Err(e) => html! {
                            <div id="template-preview-error" class="error" role="status">
                                <p>{ format!("Line {}, column {}: {}", e.line, e.column, e.message) }</p>
                                <pre>{ e.excerpt }</pre>
                            </div>
                        },
                    } }
                </div>
            </div>
            <details class="sample" open=true>
                <summary>{ "Sample request for the preview" }</summary>
                { text_field(app, link, "sample_path", "Path parameters (name=value per line)") }
                { text_field(app, link, "sample_query", "Query string (a=1&b=2)") }
                { area_field(app, link, "sample_headers", "Headers (Name: value per line)", 2) }
                { area_field(app, link, "sample_body", body_label, 3) }
            </details>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_renders_the_sample_request() {
        let sample = Sample {
            path: "id=7".into(),
            query: "color=blue".into(),
            headers: "X-Name: Ana".into(),
            body: "{\"n\": 2}".into(),
        };
        let out = preview(
            "{\"id\": \"$input.params('id')\", \"color\": \"$input.params('color')\", \"who\": \"$input.params('X-Name')\", \"n\": $input.json('$.n'), \"m\": \"$context.httpMethod\"}",
            &sample,
            "GET",
            "/pets/{id}",
        )
        .unwrap();
        assert_eq!(
            out,
            "{\"id\": \"7\", \"color\": \"blue\", \"who\": \"Ana\", \"n\": 2, \"m\": \"GET\"}"
        );
    }

    #[test]
    fn a_template_error_points_at_its_line() {
        let e = preview("line one\n#if(", &Sample::default(), "GET", "/").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = preview(
            "ok",
            &Sample {
                path: "nope".into(),
                ..Sample::default()
            },
            "GET",
            "/",
        )
        .unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (0, "Path parameters, line 1: write name=value.")
        );
    }
}
