//! The Yew single-page app (feature `web`).
//!
//! The UI only renders what the engine computes and sends it commands: the scenario the user wrote
//! ([`crate::scenario::Scenario`]) is loaded into a fresh [`Cloud`] by [`crate::template::load`] and
//! [`Cloud::deploy`]; the views read the Cloud's services; the Test buttons call the engine's own operations
//! (`test_invoke_method`, `invoke::execute`, `lambda::invoke`). Every text from a scenario is rendered as text
//! (Yew escapes it): the app never builds markup from strings.
//!
//! Layout: a header (share, theme), a left navigation, the main view (chosen by the hash route, [`route`]) and a
//! bottom drawer with the logs and traces of this session. The scenario is saved to local storage on every change.

mod apigateway;
pub mod apigateway_edit;
mod browser;
pub mod code_editor;
pub mod code_files;
pub mod console_edits;
pub mod diagram;
mod dynamodb;
mod lambda;
mod load;
pub mod route;
mod s3;
pub mod sample_events;
pub mod text;
pub mod traces;
mod tutorial;
mod website;

use crate::apigateway::test_invoke::TestInvokeMethodResponse;
use crate::lambda::InvokeOutput;
use crate::scenario::{share, Scenario};
use crate::template::{self, LoadOptions, Stack, TemplateError};
use crate::Cloud;
use route::Route;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast as _;
use yew::html::Scope;
use yew::prelude::*;

/// The product name, shown in the header and the page title.
pub const PRODUCT_NAME: &str = "Serverless Playground";

/// The file name of the bundled example scenario (used in load error messages).
pub const EXAMPLE_FILE: &str = "hello-world.yaml";

/// The bundled example scenario: a SAM hello world (one function behind `GET /hello`).
pub const EXAMPLE_TEMPLATE: &str = include_str!("../../static/examples/hello-world.yaml");

/// One row of the resources table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    /// The logical id in the (transformed) template.
    pub logical_id: String,
    /// The CloudFormation resource type.
    pub resource_type: String,
    /// Whether the account simulates this resource type.
    pub simulated: bool,
}

/// What loading a scenario gave: its description and resources, or the engine's error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedScenario {
    /// The template's `Description`, if any.
    pub description: Option<String>,
    /// The stack's resources, in creation order.
    pub resources: Vec<ResourceRow>,
    /// The evaluated outputs: name and value (strings as they are, other values as JSON).
    pub outputs: Vec<(String, String)>,
}

/// A deployed scenario: the account and what the stack holds.
pub struct Deployed {
    /// The simulated account.
    pub cloud: Cloud,
    /// The stack's summary.
    pub summary: LoadedScenario,
    /// The loaded stack (logical ids, physical ids and evaluated properties: what console edits map views to).
    pub stack: Stack,
}

/// Loads `text` (named `file_name`) into a fresh [`Cloud`] and deploys it.
///
/// Errors: the engine's [`TemplateError`] (`file:line:column: [LogicalId] message`).
pub fn deploy(file_name: &str, text: &str) -> Result<Deployed, TemplateError> {
    deploy_with_code(file_name, text, &template::CodeFolders::new())
}

/// As [`deploy`], reading `CodeUri` folders from a scenario's `code` ([`template::ScenarioCodeLoader`]).
pub fn deploy_with_code(file_name: &str, text: &str, code: &template::CodeFolders) -> Result<Deployed, TemplateError> {
    let mut cloud = Cloud::default();
    // The Traces view and the diagram's highlight read the requests' traces.
    cloud.traces.set_enabled(true);
    let loader = template::ScenarioCodeLoader { folders: code };
    let options = LoadOptions {
        code: &loader,
        ..LoadOptions::default()
    };
    let stack = template::load(file_name, text, &options, &mut cloud)?;
    cloud.deploy(&stack)?;
    let summary = summarize(&stack, &cloud);
    Ok(Deployed { cloud, summary, stack })
}

/// Loads `text` (named `file_name`) into a fresh [`Cloud`] and lists its resources.
pub fn load_scenario(file_name: &str, text: &str) -> Result<LoadedScenario, String> {
    deploy(file_name, text).map(|d| d.summary).map_err(|e| e.to_string())
}

fn summarize(stack: &Stack, cloud: &Cloud) -> LoadedScenario {
    let resources = stack
        .resources
        .iter()
        .map(|r| ResourceRow {
            logical_id: r.logical_id.clone(),
            resource_type: r.resource_type.clone(),
            simulated: cloud.services().simulates(&r.resource_type),
        })
        .collect();
    let outputs = stack
        .outputs
        .iter()
        .map(|o| {
            let value = match &o.value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (o.name.clone(), value)
        })
        .collect();
    LoadedScenario {
        description: stack.description.clone(),
        resources,
        outputs,
    }
}

/// The example scenario (what a fresh browser starts with).
pub fn example_scenario() -> Scenario {
    Scenario::with_template(EXAMPLE_FILE, EXAMPLE_TEMPLATE)
}

/// What opening a share link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareAction {
    /// The link holds the current scenario.
    Nothing,
    /// Open it: nothing of the user's would be lost.
    Open,
    /// Ask first: it would replace the user's work.
    Ask,
}

/// Whether a link's `shared` scenario may replace `current` without asking: only when the page has just loaded
/// with nothing of the user's (the example, and no unreadable saved text that a later save could overwrite).
pub fn share_action(current: &Scenario, shared: &Scenario, at_start: bool, storage_unreadable: bool) -> ShareAction {
    if shared == current {
        ShareAction::Nothing
    } else if at_start && !storage_unreadable && *current == example_scenario() {
        ShareAction::Open
    } else {
        ShareAction::Ask
    }
}

/// Whether saving works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageStatus {
    /// Every change is saved.
    Saved,
    /// The last save failed (storage full or disabled): the app works in memory.
    NotSaved(String),
    /// Storage could not even be read at start: nothing is written to it (what it holds is unknown).
    Unavailable(String),
    /// What is saved could not be read: it is left untouched and saving is paused until the user decides.
    Corrupt {
        /// Why it could not be read.
        error: String,
        /// The saved text, for export.
        text: String,
    },
}

/// The theme choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// One entry of the logs drawer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The log group, named as AWS names it (`/aws/lambda/<function>`,
    /// `API-Gateway-Execution-Logs_<apiId>/<stage>`), or `Test invoke` for the console's Test (which AWS shows
    /// only in the console).
    pub group: String,
    /// What produced it (`Test GET /hello`, `Invoke fn`).
    pub title: String,
    /// The log text.
    pub text: String,
}

/// The API Gateway Test form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestForm {
    /// Path parameter values by name.
    pub path: Vec<(String, String)>,
    /// The query string (`a=1&b=2`).
    pub query: String,
    /// `Name: value` lines.
    pub headers: String,
    /// The body.
    pub body: String,
}

/// The request console's form.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleForm {
    /// The method.
    pub method: String,
    /// The stage.
    pub stage: String,
    /// The path after the stage, with its query string.
    pub path: String,
    /// `Name: value` lines.
    pub headers: String,
    /// The body.
    pub body: String,
}

impl Default for ConsoleForm {
    fn default() -> Self {
        ConsoleForm {
            method: "GET".into(),
            stage: String::new(),
            path: "/".into(),
            headers: String::new(),
            body: String::new(),
        }
    }
}

/// What the request console got back.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleResult {
    /// The response.
    pub response: crate::apigateway::http::HttpResponse,
    /// How it was produced.
    pub trace: crate::apigateway::trace::Trace,
    /// The request as curl.
    pub curl: String,
}

/// The Lambda test event form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventForm {
    /// The event's name.
    pub name: String,
    /// The event's JSON text.
    pub text: String,
}

/// An editable text field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The template text.
    Template,
    /// The template's file name.
    FileName,
    /// A Test path parameter.
    TestPathParam(String),
    /// The Test query string.
    TestQuery,
    /// The Test headers.
    TestHeaders,
    /// The Test body.
    TestBody,
    /// The console's method.
    ConsoleMethod,
    /// The console's stage.
    ConsoleStage,
    /// The console's path.
    ConsolePath,
    /// The console's headers.
    ConsoleHeaders,
    /// The console's body.
    ConsoleBody,
    /// The test event's name.
    EventName,
    /// The test event's text.
    EventText,
    /// The Logs view's log group filter (empty: every group).
    LogGroup,
}

/// What the app reacts to.
pub enum Msg {
    /// The fragment changed.
    HashChanged,
    /// A field was edited.
    Set(Field, String),
    /// Load the template into a fresh account.
    Deploy,
    /// Put the editor's caret at a 1-based line and column.
    GoTo(usize, usize),
    /// Run the API Gateway Test.
    RunTest,
    /// Send the console's request.
    SendRequest,
    /// Copy a text to the clipboard.
    Copy(String),
    /// Invoke the current function with the form's event.
    Invoke,
    /// Put a sample event in the form.
    PickSample(usize),
    /// Put a saved event in the form.
    LoadEvent(usize),
    /// Save the form's event for the current function.
    SaveEvent,
    /// Delete a saved event.
    DeleteEvent(usize),
    /// Ctrl/Cmd+Enter: run what the current view runs.
    RunCurrent,
    /// Open or close the drawer.
    ToggleDrawer,
    /// Empty the logs.
    ClearLogs,
    /// Next theme.
    CycleTheme,
    /// Make the share link.
    Share,
    /// Replace the current scenario with the link's.
    AcceptShare,
    /// Keep the current scenario.
    RejectShare,
    /// Hide the link error.
    DismissShareError,
    /// Download the scenario file.
    Export,
    /// Download a file (the diagram's SAM and OpenAPI exports).
    Download {
        /// The file's name.
        file_name: String,
        /// Its MIME type.
        mime: String,
        /// Its content.
        text: String,
    },
    /// Download the unreadable saved text.
    ExportCorrupt,
    /// Forget the unreadable saved text and save the current scenario.
    DiscardCorrupt,
    /// Start again from the example (after the user confirms).
    ResetExample,
    /// Hide the problem notice.
    DismissProblem,
    /// A scenario file was read (or could not be).
    Imported(Result<String, String>),
    /// Load the active tutorial step's starting template.
    TutorialStart,
    /// Show or hide the active step's hint.
    TutorialHint,
    /// Apply the active step's reference solution (after asking).
    TutorialSolution,
    /// An API Gateway console action or editor change ([`apigateway_edit`]).
    ConsoleEdit(apigateway_edit::EditMsg),
    /// A Lambda code or configuration editor change ([`code_editor`]).
    Code(code_editor::CodeMsg),
    /// The DynamoDB views.
    Dynamo(dynamodb::Msg),
    /// The S3 views.
    S3(s3::Msg),
    /// The website preview.
    Website(website::Msg),
    /// A message of the Load view.
    Load(load::LoadMsg),
}

/// The root component.
pub struct App {
    scenario: Scenario,
    deployed: Option<Deployed>,
    deploy_error: Option<TemplateError>,
    route: Route,
    storage: StorageStatus,
    pending_share: Option<Scenario>,
    share_error: Option<String>,
    share_link: Option<String>,
    theme: Theme,
    drawer_open: bool,
    logs: Vec<LogEntry>,
    test_form: TestForm,
    test_result: Option<Result<TestInvokeMethodResponse, String>>,
    console_form: ConsoleForm,
    console_result: Option<Result<ConsoleResult, String>>,
    event_form: EventForm,
    invoke_result: Option<Result<InvokeOutput, String>>,
    event_message: Option<String>,
    problem: Option<String>,
    editor: NodeRef,
    /// The template editor's line numbers.
    gutter: NodeRef,
    main: NodeRef,
    focus_main: bool,
    log_group: String,
    /// The template text of the last successful deploy (what the tutorial's checks look at).
    deployed_template: String,
    /// What the last Deploy deployed, shown on the Template page until the text changes.
    deploy_message: Option<String>,
    /// The element to scroll into view after the next render (a result just produced).
    scroll_to: Option<&'static str>,
    tutorial: tutorial::Tutorial,
    /// The API Gateway console editors' state.
    console_edit: apigateway_edit::EditState,
    /// The Lambda code editor's state.
    code: code_editor::CodeState,
    dynamodb: dynamodb::State,
    s3: s3::State,
    website: website::State,
    load: load::LoadView,
    _hash_listener: Option<Closure<dyn FnMut()>>,
    _message_listener: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
}

/// The most entries the logs drawer keeps (older ones are dropped first).
const MAX_LOG_ENTRIES: usize = 200;

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let (local, storage) = match browser::load(browser::SCENARIO_KEY) {
            Ok(Some(text)) => match Scenario::from_json(&text) {
                Ok(scenario) => (Some(scenario), StorageStatus::Saved),
                Err(e) => (
                    None,
                    StorageStatus::Corrupt {
                        error: e.to_string(),
                        text,
                    },
                ),
            },
            Ok(None) => (None, StorageStatus::Saved),
            Err(e) => (None, StorageStatus::Unavailable(e)),
        };
        let theme = match browser::load(browser::THEME_KEY).ok().flatten().as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        };
        let scenario = local.unwrap_or_else(example_scenario);
        let (deployed, deploy_error) =
            match deploy_with_code(&scenario.template.file_name, &scenario.template.body, &scenario.code) {
                Ok(d) => (Some(d), None),
                Err(e) => (None, Some(e)),
            };
        let deployed_template = if deployed.is_some() {
            scenario.template.body.clone()
        } else {
            String::new()
        };
        let listener = {
            let link = ctx.link().clone();
            Closure::<dyn FnMut()>::new(move || link.send_message(Msg::HashChanged))
        };
        if let Some(window) = web_sys::window() {
            let _ = window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        let website = website::State::default();
        let message_listener = website::listen(ctx.link().clone(), website.frame.clone());
        let mut app = App {
            scenario,
            deployed,
            deploy_error,
            route: Route::Overview,
            storage,
            pending_share: None,
            share_error: None,
            share_link: None,
            theme,
            // The drawer opens only when asked: open, it would cover the results a Test or Invoke just showed.
            drawer_open: false,
            logs: Vec::new(),
            test_form: TestForm::default(),
            test_result: None,
            console_form: ConsoleForm::default(),
            console_result: None,
            event_form: EventForm::default(),
            invoke_result: None,
            event_message: None,
            problem: None,
            editor: NodeRef::default(),
            gutter: NodeRef::default(),
            main: NodeRef::default(),
            focus_main: false,
            log_group: String::new(),
            deployed_template,
            deploy_message: None,
            scroll_to: None,
            tutorial: tutorial::Tutorial::load(),
            console_edit: apigateway_edit::EditState::default(),
            code: code_editor::CodeState::default(),
            dynamodb: dynamodb::State::default(),
            s3: s3::State::default(),
            website,
            load: load::LoadView::default(),
            _hash_listener: Some(listener),
            _message_listener: message_listener,
        };
        browser::apply_theme(app.theme_attribute());
        app.follow_hash(true);
        app
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Self::Message) -> bool {
        match msg {
            Msg::HashChanged => self.follow_hash(false),
            Msg::Set(field, value) => self.set(field, value),
            Msg::Deploy => self.deploy(),
            Msg::GoTo(line, column) => self.go_to(line, column),
            Msg::RunTest => apigateway::run_test(self),
            Msg::SendRequest => apigateway::send_request(self),
            Msg::Copy(text) => browser::copy(&text),
            Msg::Invoke => lambda::invoke(self),
            Msg::PickSample(index) => lambda::pick_sample(self, index),
            Msg::LoadEvent(index) => lambda::load_event(self, index),
            Msg::SaveEvent => lambda::save_event(self),
            Msg::DeleteEvent(index) => lambda::delete_event(self, index),
            Msg::RunCurrent => match &self.route {
                Route::Method { .. } => apigateway::run_test(self),
                Route::Console { .. } => apigateway::send_request(self),
                Route::Function { .. } => lambda::invoke(self),
                Route::Template => self.deploy(),
                Route::Table { .. } => dynamodb::run_read(self),
                _ => return false,
            },
            Msg::ToggleDrawer => self.drawer_open = !self.drawer_open,
            Msg::ClearLogs => self.logs.clear(),
            Msg::CycleTheme => {
                self.theme = match self.theme {
                    Theme::System => Theme::Light,
                    Theme::Light => Theme::Dark,
                    Theme::Dark => Theme::System,
                };
                browser::apply_theme(self.theme_attribute());
                let _ = browser::save(browser::THEME_KEY, self.theme_attribute().unwrap_or("system"));
            }
            Msg::Share => {
                // The link carries the open tutorial step with the work (scenario version 2).
                let mut shared = self.scenario.clone();
                shared.tutorial = self.tutorial_position();
                let link = format!("{}{}", browser::page_address(), share::encode(&shared));
                self.share_link = Some(link);
            }
            Msg::AcceptShare => {
                if let Some(shared) = self.pending_share.take() {
                    self.replace_scenario(shared);
                }
            }
            Msg::RejectShare => self.pending_share = None,
            Msg::DismissShareError => self.share_error = None,
            Msg::Export => self.export(),
            Msg::Download { file_name, mime, text } => {
                if let Some(problem) = diagram::download(&file_name, &mime, &text) {
                    self.problem = Some(problem);
                }
            }
            Msg::ExportCorrupt => {
                if let StorageStatus::Corrupt { text, .. } = &self.storage {
                    if let Err(e) = browser::download("unreadable-scenario.json", "application/json", text) {
                        self.problem = Some(format!("The download could not start: {e}."));
                    }
                }
            }
            Msg::DismissProblem => self.problem = None,
            Msg::Imported(Err(e)) => self.problem = Some(format!("The file could not be imported: {e}.")),
            Msg::Imported(Ok(text)) => match Scenario::from_json(&text) {
                Err(e) => {
                    self.problem = Some(format!(
                        "The file is not a playground scenario: {e}. Your scenario was not changed."
                    ))
                }
                Ok(imported) if imported == self.scenario => {}
                Ok(imported) => {
                    if browser::confirm(
                        "Replace your scenario (template and saved test events) with the imported file?",
                    ) {
                        self.replace_scenario(imported);
                    }
                }
            },
            Msg::DiscardCorrupt => {
                self.storage = StorageStatus::Saved;
                self.persist();
            }
            Msg::TutorialStart => self.start_step(),
            Msg::TutorialHint => self.tutorial.hint_shown = !self.tutorial.hint_shown,
            Msg::TutorialSolution => self.show_solution(),
            Msg::ConsoleEdit(msg) => apigateway_edit::update(self, msg),
            Msg::Code(msg) => code_editor::update(self, msg),
            Msg::Dynamo(msg) => dynamodb::update(self, msg),
            Msg::S3(msg) => s3::update(self, msg),
            Msg::Website(msg) => website::update(self, msg),
            Msg::Load(msg) => self.on_load(msg),
            Msg::ResetExample => {
                if browser::confirm("Replace your scenario (template and saved test events) with the example?") {
                    self.replace_scenario(example_scenario());
                }
            }
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first_render: bool) {
        if first_render {
            // What scripts/measure.sh reads: the app is interactive from here.
            browser::mark("playground-interactive");
        }
        // A render may change the line count (and the browser may clamp the text's scroll without an event).
        if let Some(area) = self.editor.cast::<web_sys::Element>() {
            follow_scroll(&area, &self.gutter);
        }
        if let Some(id) = self.scroll_to.take() {
            if let Some(element) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(id))
            {
                element.scroll_into_view();
            }
        }
        if std::mem::take(&mut self.focus_main) {
            if let Some(main) = self.main.cast::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
        apigateway_edit::focus_opened_editor(&mut self.console_edit);
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let onkeydown = link.batch_callback(|e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
                e.prevent_default();
                Some(Msg::RunCurrent)
            } else {
                None
            }
        });
        let drawer_class = if self.drawer_open { "drawer open" } else { "drawer" };
        html! {
            <div class="shell" {onkeydown}>
                <a class="skip-link" href="#main">{ "Skip to the main area" }</a>
                { self.header(link) }
                { self.navigation() }
                <main id="main" class="main" tabindex="-1" ref={ self.main.clone() }>
                    { self.notices(link) }
                    if !matches!(self.route, Route::Tutorial | Route::TutorialStep { .. }) {
                        { tutorial::banner(self) }
                    }
                    { self.main_view(link) }
                </main>
                <section class={ drawer_class } aria-label="Logs and traces">
                    <div class="drawer-bar">
                        <button id="drawer-toggle" aria-expanded={ self.drawer_open.to_string() }
                            aria-controls="drawer-body" onclick={ link.callback(|_| Msg::ToggleDrawer) }>
                            { if self.drawer_open { "Hide logs" } else { "Show logs" } }
                        </button>
                        <span class="muted">{ format!("{} entries", self.logs.len()) }</span>
                        <button onclick={ link.callback(|_| Msg::ClearLogs) }>{ "Clear" }</button>
                    </div>
                    if self.drawer_open {
                        <div id="drawer-body" class="drawer-body">
                            { log_entries(self.logs.iter().rev().take(5)) }
                        </div>
                    }
                </section>
            </div>
        }
    }
}

impl App {
    fn theme_attribute(&self) -> Option<&'static str> {
        match self.theme {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    /// Reads the fragment: a share link is opened (asking first when it would replace other work), anything else
    /// is a route.
    fn follow_hash(&mut self, at_start: bool) {
        let fragment = browser::hash();
        if !share::is_share_fragment(&fragment) {
            // `#main` and other in-page anchors (the skip link) are not routes: the view stays.
            let in_page_anchor = fragment.len() > 1 && !fragment.starts_with("#/");
            if in_page_anchor && !at_start {
                return;
            }
            let route = if in_page_anchor {
                Route::Overview
            } else {
                Route::parse(&fragment)
            };
            if route != self.route {
                self.route = route;
                self.reset_forms();
                self.enter_tutorial_step();
                // After a navigation, keyboard and screen-reader users continue in the new view.
                self.focus_main = !at_start;
            }
            return;
        }
        // The link is read once; the address bar then shows the current view.
        browser::replace_hash(&self.route.href());
        match share::decode(&fragment) {
            Ok(shared) => {
                let unreadable = matches!(self.storage, StorageStatus::Corrupt { .. });
                let work = Scenario {
                    tutorial: None,
                    ..shared.clone()
                };
                match share_action(&self.scenario, &work, at_start, unreadable) {
                    ShareAction::Nothing => self.open_tutorial_position(shared.tutorial),
                    ShareAction::Open => self.replace_scenario(shared),
                    ShareAction::Ask => self.pending_share = Some(shared),
                }
            }
            Err(e) => self.share_error = Some(e.to_string()),
        }
    }

    fn reset_forms(&mut self) {
        // An editor belongs to the view it was opened in (its fields name that view's method or resource).
        self.console_edit.dialog = None;
        self.console_edit.error = None;
        self.code.config = None;
        self.test_form = TestForm::default();
        self.test_result = None;
        self.console_result = None;
        self.invoke_result = None;
        self.event_message = None;
        if let Route::Method {
            api_id, resource_id, ..
        } = &self.route
        {
            let path = apigateway::resource_path(self, api_id, resource_id).unwrap_or_default();
            self.test_form.path = text::path_variables(&path)
                .into_iter()
                .map(|name| (name, String::new()))
                .collect();
        }
        if let Route::Console { api_id } = &self.route {
            self.console_form.stage = apigateway::stage_names(self, api_id)
                .into_iter()
                .next()
                .unwrap_or_default();
        }
        if let Route::Function { name } = &self.route {
            self.event_form = lambda::first_event(self, name);
        }
        dynamodb::enter(self);
        s3::enter(self);
        website::enter(self);
    }

    fn set(&mut self, field: Field, value: String) {
        match field {
            Field::Template => {
                self.deploy_message = None;
                self.scenario.template.body = value;
                self.persist();
            }
            Field::FileName => {
                self.scenario.template.file_name = value;
                self.persist();
            }
            Field::TestPathParam(name) => {
                if let Some(entry) = self.test_form.path.iter_mut().find(|(n, _)| *n == name) {
                    entry.1 = value;
                }
            }
            Field::TestQuery => self.test_form.query = value,
            Field::TestHeaders => self.test_form.headers = value,
            Field::TestBody => self.test_form.body = value,
            Field::ConsoleMethod => self.console_form.method = value,
            Field::ConsoleStage => self.console_form.stage = value,
            Field::ConsolePath => self.console_form.path = value,
            Field::ConsoleHeaders => self.console_form.headers = value,
            Field::ConsoleBody => self.console_form.body = value,
            Field::EventName => self.event_form.name = value,
            Field::EventText => self.event_form.text = value,
            Field::LogGroup => self.log_group = value,
        }
    }

    /// Deploys the scenario's template into a fresh account; on failure the previous account stays.
    fn deploy(&mut self) {
        match deploy_with_code(
            &self.scenario.template.file_name,
            &self.scenario.template.body,
            &self.scenario.code,
        ) {
            Ok(deployed) => {
                let ids: Vec<&str> = deployed
                    .summary
                    .resources
                    .iter()
                    .map(|r| r.logical_id.as_str())
                    .collect();
                self.deploy_message = Some(format!(
                    "Deployed {} to a fresh account: {} resource(s){}{}.",
                    self.scenario.template.file_name,
                    ids.len(),
                    if ids.is_empty() { "" } else { ": " },
                    ids.join(", ")
                ));
                self.install(deployed);
            }
            Err(e) => {
                self.deploy_message = None;
                self.deploy_error = Some(e);
            }
        }
    }

    fn install(&mut self, deployed: Deployed) {
        // Unsaved code would hide the code just deployed.
        self.code.draft = None;
        self.deployed = Some(deployed);
        self.deploy_error = None;
        self.reset_forms();
        self.deployed_template = self.scenario.template.body.clone();
        // A deploy is a fresh account: the tutorial looks at what the learner does from here.
        self.tutorial.actions.clear();
        self.recheck();
    }

    /// A console edit: deploys `text` into a fresh account and, only when that works, makes it the scenario's
    /// template (saved) and the deployed account. On failure nothing changes and the engine's error is returned.
    fn apply_template(&mut self, text: String) -> Result<(), TemplateError> {
        let code = self.scenario.code.clone();
        self.apply_template_and_code(text, code)
    }

    /// As [`App::apply_template`], with the scenario's `CodeUri` folders replaced by `code` too (both or neither).
    fn apply_template_and_code(&mut self, text: String, code: template::CodeFolders) -> Result<(), TemplateError> {
        let deployed = deploy_with_code(&self.scenario.template.file_name, &text, &code)?;
        self.scenario.template.body = text;
        self.scenario.code = code;
        self.persist();
        self.install(deployed);
        Ok(())
    }

    /// Puts `template` in the editor, saves and deploys it.
    fn set_template_and_deploy(&mut self, template: String) {
        self.scenario.template.body = template;
        self.persist();
        self.deploy();
    }

    /// Makes `scenario` the current one, saves it and deploys it.
    fn replace_scenario(&mut self, mut scenario: Scenario) {
        // The step a link names is opened, not kept in the saved work.
        let position = scenario.tutorial.take();
        self.scenario = scenario;
        self.share_link = None;
        self.persist();
        self.deployed = None;
        self.deploy();
        self.open_tutorial_position(position);
    }

    /// Saves the scenario, unless what is saved could not be read (it is never overwritten without asking).
    fn persist(&mut self) {
        self.share_link = None;
        if matches!(
            self.storage,
            StorageStatus::Corrupt { .. } | StorageStatus::Unavailable(_)
        ) {
            return;
        }
        self.storage = match browser::save(browser::SCENARIO_KEY, &self.scenario.to_json()) {
            Ok(()) => StorageStatus::Saved,
            Err(e) => StorageStatus::NotSaved(e),
        };
    }

    fn export(&mut self) {
        if let Err(e) = browser::download("scenario.json", "application/json", &self.scenario.to_json()) {
            self.problem = Some(format!("The download could not start: {e}."));
        }
    }

    /// Puts the caret at `line`, `column` and scrolls the text area so that the line shows a third of the way
    /// down (browsers do not reliably scroll to a caret set by script); the line numbers follow.
    fn go_to(&self, line: usize, column: usize) {
        let Some(area) = self.editor.cast::<web_sys::HtmlTextAreaElement>() else {
            return;
        };
        let body = &self.scenario.template.body;
        let offset = utf16_offset(body, line, column);
        let _ = area.focus();
        let _ = area.set_selection_range(offset, offset);
        let lines = body.split('\n').count().max(1);
        if let Some(gutter) = self.gutter.cast::<web_sys::Element>() {
            // The gutter holds one number per line at the text's line height: its height over the line count is
            // the line height (its padding makes this a fraction of a pixel off, which a third of a view absorbs).
            let line_height = f64::from(gutter.scroll_height()) / lines as f64;
            let top = line.saturating_sub(1) as f64 * line_height - f64::from(area.client_height()) / 3.0;
            area.set_scroll_top(top.max(0.0) as i32);
            follow_scroll(&area, &self.gutter);
        }
    }

    /// Adds a log entry to the drawer.
    fn log(&mut self, group: String, title: String, text: String) {
        self.logs.push(LogEntry { group, title, text });
        if self.logs.len() > MAX_LOG_ENTRIES {
            let excess = self.logs.len() - MAX_LOG_ENTRIES;
            self.logs.drain(..excess);
        }
    }

    fn header(&self, link: &Scope<App>) -> Html {
        let import = {
            let imported = link.callback(Msg::Imported);
            Callback::from(move |e: Event| {
                if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                    browser::read_chosen_file(&input, crate::scenario::MAX_SCENARIO_BYTES, imported.clone());
                    // Choosing the same file again is a new change.
                    input.set_value("");
                }
            })
        };
        let theme = match self.theme {
            Theme::System if browser::prefers_dark() => "Theme: system (dark)",
            Theme::System => "Theme: system (light)",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        };
        html! {
            <header class="site-header">
                <h1 id="product-name">{ PRODUCT_NAME }</h1>
                <p class="tagline">{ "A simulated AWS serverless account, running in your browser." }</p>
                <div class="header-actions">
                    <button id="share" onclick={ link.callback(|_| Msg::Share) }>{ "Share" }</button>
                    <button id="export" onclick={ link.callback(|_| Msg::Export) }>{ "Export" }</button>
                    <span class="file-button">
                        <label for="import-file">{ "Import" }</label>
                        <input id="import-file" class="visually-hidden" type="file" accept=".json,application/json" onchange={ import } />
                    </span>
                    <button id="theme-toggle" onclick={ link.callback(|_| Msg::CycleTheme) }>{ theme }</button>
                </div>
            </header>
        }
    }

    fn navigation(&self) -> Html {
        let section = self.route.section();
        let item = |id: &str, href: String, label: &str| {
            let current = (section == id).then_some("page");
            html! {
                <li><a id={ format!("nav-{id}") } href={ href } aria-current={ current }>{ label.to_string() }</a></li>
            }
        };
        html! {
            <nav class="nav" aria-label="Services">
                <ul>
                    { item("overview", Route::Overview.href(), "Stack") }
                    { item("template", Route::Template.href(), "Template") }
                    { item("apigateway", Route::Apis.href(), "API Gateway") }
                    { item("lambda", Route::Functions.href(), "Lambda") }
                    { item("dynamodb", Route::Tables.href(), "DynamoDB") }
                    { item("s3", Route::Buckets.href(), "S3") }
                    { item("logs", Route::Logs.href(), "Logs") }
                    { item("traces", Route::Traces { number: None }.href(), "Traces") }
                    { item("tutorial", self.tutorial.resume_route().href(), "Tutorial") }
                    { item("load", Route::Load.href(), "Load") }
                </ul>
            </nav>
        }
    }

    fn notices(&self, link: &Scope<App>) -> Html {
        let storage = match &self.storage {
            StorageStatus::Saved => html! {},
            StorageStatus::NotSaved(why) => html! {
                <div id="storage-status" class="notice warning" role="alert">
                    <p>{ format!("Your changes are not saved: {why}. You can keep working; export the scenario to keep it.") }</p>
                    <button onclick={ link.callback(|_| Msg::Export) }>{ "Export scenario" }</button>
                </div>
            },
            StorageStatus::Unavailable(why) => html! {
                <div id="storage-status" class="notice warning" role="alert">
                    <p>{ format!("Nothing is saved in this browser: {why}. You can keep working; export the scenario to keep it.") }</p>
                    <button onclick={ link.callback(|_| Msg::Export) }>{ "Export scenario" }</button>
                </div>
            },
            StorageStatus::Corrupt { error, .. } => html! {
                <div id="storage-status" class="notice warning" role="alert">
                    <p>{ format!("The saved scenario could not be read ({error}). It is left untouched and nothing is saved over it; you are working on a copy in memory.") }</p>
                    <button onclick={ link.callback(|_| Msg::ExportCorrupt) }>{ "Download the saved text" }</button>
                    <button onclick={ link.callback(|_| Msg::DiscardCorrupt) }>{ "Replace it with the current scenario" }</button>
                </div>
            },
        };
        html! {
            <>
                { storage }
                if let Some(problem) = &self.problem {
                    <div id="problem" class="notice error" role="alert">
                        <p>{ problem }</p>
                        <button onclick={ link.callback(|_| Msg::DismissProblem) }>{ "Dismiss" }</button>
                    </div>
                }
                if let Some(error) = &self.share_error {
                    <div id="share-error" class="notice error" role="alert">
                        <p>{ format!("The shared link could not be opened: {error}. Your scenario was not changed.") }</p>
                        <button onclick={ link.callback(|_| Msg::DismissShareError) }>{ "Dismiss" }</button>
                    </div>
                }
                if self.pending_share.is_some() {
                    <div id="share-prompt" class="notice" role="alert">
                        <p>{ "This link holds a scenario. Opening it replaces your current scenario (export yours first to keep a copy)." }</p>
                        <button id="share-accept" onclick={ link.callback(|_| Msg::AcceptShare) }>{ "Open the shared scenario" }</button>
                        <button onclick={ link.callback(|_| Msg::Export) }>{ "Export mine" }</button>
                        <button id="share-reject" onclick={ link.callback(|_| Msg::RejectShare) }>{ "Keep mine" }</button>
                    </div>
                }
                if let Some(url) = &self.share_link {
                    { share_box(link, url) }
                }
            </>
        }
    }

    fn main_view(&self, link: &Scope<App>) -> Html {
        match &self.route {
            Route::Overview => html! { <>{ self.overview() }{ diagram::view(self, link) }</> },
            Route::Template => self.editor_view(link),
            Route::Apis => apigateway::apis_view(self, link),
            Route::Api { api_id } => apigateway::api_view(self, link, api_id),
            Route::Method {
                api_id,
                resource_id,
                http_method,
            } => apigateway::method_view(self, link, api_id, resource_id, http_method),
            Route::Console { api_id } => apigateway::console_view(self, link, api_id),
            Route::Functions => lambda::functions_view(self),
            Route::Function { name } => lambda::function_view(self, link, name),
            Route::Tables => dynamodb::tables_view(self, link),
            Route::Table { name } => dynamodb::table_view(self, link, name),
            Route::Buckets => s3::buckets_view(self, link),
            Route::Bucket { bucket } => s3::bucket_view(self, link, bucket),
            Route::Website { bucket, .. } => website::view(self, link, bucket),
            Route::Logs => self.logs_view(link),
            Route::Traces { number } => traces::view(self, *number),
            Route::Tutorial => tutorial::index_view(self),
            Route::Load => load::load_view(self, link),
            Route::TutorialStep { .. } => tutorial::step_view(self, link),
            Route::NotFound(path) => html! {
                <section class="card">
                    <h2>{ "Not found" }</h2>
                    <p>{ format!("There is no view at #/{path}.") }</p>
                    <p><a href="#/">{ "Back to the stack" }</a></p>
                </section>
            },
        }
    }

    fn logs_view(&self, link: &Scope<App>) -> Html {
        let mut groups: Vec<&str> = self.logs.iter().map(|e| e.group.as_str()).collect();
        groups.sort_unstable();
        groups.dedup();
        let on_group = link.callback(|e: Event| Msg::Set(Field::LogGroup, event_value(&e)));
        let selected = self.log_group.as_str();
        html! {
            <section class="card">
                <h2>{ "Logs" }</h2>
                if self.logs.is_empty() {
                    <p class="empty">{ "Nothing has run yet: run a test or invoke a function." }</p>
                } else {
                    <div class="field">
                        <label for="log-group">{ "Log group" }</label>
                        <select id="log-group" onchange={ on_group }>
                            <option value="" selected={ selected.is_empty() }>{ "All log groups" }</option>
                            { for groups.iter().map(|g| html! {
                                <option value={ g.to_string() } selected={ selected == *g }>{ *g }</option>
                            }) }
                        </select>
                    </div>
                }
                { log_entries(self.logs.iter().rev().filter(|e| selected.is_empty() || e.group == selected)) }
            </section>
        }
    }

    fn overview(&self) -> Html {
        let Some(deployed) = &self.deployed else {
            let message = self.deploy_error.as_ref().map(ToString::to_string).unwrap_or_default();
            return html! {
                <section class="card" id="scenario">
                    <div id="load-error" class="error" role="alert">
                        <strong>{ "The template could not be loaded." }</strong>
                        <pre>{ message }</pre>
                        <p><a href="#/template">{ "Open the template editor" }</a></p>
                    </div>
                </section>
            };
        };
        let scenario = &deployed.summary;
        html! {
            <section class="card" id="scenario">
                <h2>{ "Stack: " }<code>{ &self.scenario.template.file_name }</code></h2>
                if self.deploy_error.is_some() {
                    <p class="notice warning">{ "The last deploy failed; this is the stack of the deploy before it. " }<a href="#/template">{ "See the error" }</a></p>
                }
                if let Some(description) = &scenario.description {
                    <p class="description">{ description.trim() }</p>
                }
                <table id="resources">
                    <thead>
                        <tr>
                            <th scope="col">{ "Logical ID" }</th>
                            <th scope="col">{ "Type" }</th>
                            <th scope="col">{ "Simulated" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for scenario.resources.iter().map(resource_row) }
                    </tbody>
                </table>
                if scenario.resources.is_empty() {
                    <p class="empty">{ "The template defines no resources." }</p>
                }
                if !scenario.outputs.is_empty() {
                    <h3>{ "Outputs" }</h3>
                    <table id="outputs">
                        <thead>
                            <tr>
                                <th scope="col">{ "Name" }</th>
                                <th scope="col">{ "Value" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for scenario.outputs.iter().map(|(name, value)| html! {
                                <tr key={ name.clone() } data-output={ name.clone() }>
                                    <td><code>{ name }</code></td>
                                    <td class="output-value"><code>{ value }</code></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
            </section>
        }
    }

    fn editor_view(&self, link: &Scope<App>) -> Html {
        let body = &self.scenario.template.body;
        let lines = body.split('\n').count().max(1);
        let numbers: String = (1..=lines).map(|n| format!("{n}\n")).collect();
        let oninput = link.callback(|e: InputEvent| Msg::Set(Field::Template, event_value(&e)));
        let on_name = link.callback(|e: InputEvent| Msg::Set(Field::FileName, event_value(&e)));
        let onscroll = {
            let gutter = self.gutter.clone();
            Callback::from(move |e: Event| {
                if let Some(area) = e.target_dyn_into::<web_sys::Element>() {
                    follow_scroll(&area, &gutter);
                }
            })
        };
        let changed = self
            .deployed
            .as_ref()
            .map(|_| self.deploy_error.is_some())
            .unwrap_or(true);
        html! {
            <section class="card">
                <h2>{ "Template" }</h2>
                <p class="muted">{ "A SAM or CloudFormation template, YAML or JSON. Deploy loads it into a fresh account; Ctrl+Enter (Cmd+Enter) deploys too." }</p>
                <div class="row">
                    <label for="template-file-name">{ "File name" }</label>
                    <input id="template-file-name" type="text" value={ self.scenario.template.file_name.clone() } oninput={ on_name } />
                    <button id="deploy" class="primary" onclick={ link.callback(|_| Msg::Deploy) }>{ "Deploy" }</button>
                    <button onclick={ link.callback(|_| Msg::ResetExample) }>{ "Start from the example" }</button>
                </div>
                if let Some(message) = &self.deploy_message {
                    <div id="deploy-success" class="notice success" role="status">
                        <p>{ format!("✓ {message}") }</p>
                        { tutorial::back_link(self) }
                    </div>
                }
                if let Some(error) = &self.deploy_error {
                    <div id="deploy-error" class="error" role="alert">
                        <strong>{ if changed && self.deployed.is_some() { "Deploy failed; the previous deployment is kept." } else { "Deploy failed." } }</strong>
                        <pre>{ error.to_string() }</pre>
                        <button onclick={ link.callback({ let (l, c) = (error.span.line, error.span.column); move |_| Msg::GoTo(l, c) }) }>
                            { format!("Go to line {}, column {}", error.span.line, error.span.column) }
                        </button>
                    </div>
                }
                // One scrollbar: the text area scrolls, and the line numbers follow it (`onscroll`, and after every
                // render in `rendered`), so a number always sits beside its line.
                <div class="code-editor">
                    <pre class="gutter" id="template-gutter" aria-hidden="true" ref={ self.gutter.clone() }>{ numbers }</pre>
                    <textarea id="template-editor" ref={ self.editor.clone() } aria-label="Template text"
                        spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                        rows={ (lines + 1).to_string() } value={ body.clone() } {oninput} {onscroll} />
                </div>
            </section>
        }
    }
}

/// A long one-line JSON body again, indented for reading (as the Lambda console shows a response), below the
/// text as received; nothing for other bodies.
pub(crate) fn formatted_json(id: &'static str, body: &str) -> Html {
    match text::readable_json(body) {
        Some(pretty) => html! {
            <details class="formatted-json" open=true>
                <summary>{ "The same JSON, indented for reading" }</summary>
                <pre {id}>{ pretty }</pre>
            </details>
        },
        None => html! {},
    }
}

/// Scrolls the line numbers to where the text area `area` is scrolled.
fn follow_scroll(area: &web_sys::Element, gutter: &NodeRef) {
    if let Some(gutter) = gutter.cast::<web_sys::Element>() {
        gutter.set_scroll_top(area.scroll_top());
    }
}

/// The UTF-16 offset of a 1-based line and column (columns in characters), clamped to the text.
pub fn utf16_offset(text: &str, line: usize, column: usize) -> u32 {
    let mut offset = 0usize;
    for (index, content) in text.split('\n').enumerate() {
        if index + 1 == line {
            offset += content
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf16)
                .sum::<usize>();
            return u32::try_from(offset).unwrap_or(u32::MAX);
        }
        offset += content.encode_utf16().count() + 1;
    }
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The value of the input, textarea or select an event came from.
pub(crate) fn event_value(e: &Event) -> String {
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return area.value();
    }
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return input.value();
    }
    if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        return select.value();
    }
    String::new()
}

fn share_box(link: &Scope<App>, url: &str) -> Html {
    let length = url.chars().count();
    let copy = {
        let url = url.to_string();
        link.callback(move |_| Msg::Copy(url.clone()))
    };
    html! {
        <div id="share-box" class="notice">
            <label for="share-link">{ "Share link (the scenario travels in the link; nothing is uploaded)" }</label>
            <input id="share-link" type="text" readonly=true value={ url.to_string() } />
            <p id="share-length">{ format!("{length} characters") }</p>
            if length > share::LONG_LINK_CHARS {
                <p id="share-warning" class="warning" role="status">{ format!("This link is longer than {} characters: some chat apps, mail clients and browsers cut long links. Export the scenario file to share it safely.", share::LONG_LINK_CHARS) }</p>
            }
            <button id="share-copy" onclick={ copy }>{ "Copy link" }</button>
        </div>
    }
}

fn log_entries<'a>(entries: impl Iterator<Item = &'a LogEntry>) -> Html {
    html! {
        { for entries.map(|entry| html! {
            <details class="log-entry" open=true>
                <summary>{ &entry.title }<span class="muted">{ format!("  {}", entry.group) }</span></summary>
                <pre>{ &entry.text }</pre>
            </details>
        }) }
    }
}

fn resource_row(row: &ResourceRow) -> Html {
    let (status, class) = if row.simulated {
        ("simulated", "status simulated")
    } else {
        ("not simulated", "status not-simulated")
    };
    html! {
        <tr key={ row.logical_id.clone() }
            data-logical-id={ row.logical_id.clone() }
            data-resource-type={ row.resource_type.clone() }
            data-simulated={ row.simulated.to_string() }>
            <td class="logical-id"><code>{ &row.logical_id }</code></td>
            <td class="resource-type"><code>{ &row.resource_type }</code></td>
            <td><span class={ class }>{ status }</span></td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_loads_without_error() {
        let scenario = load_scenario(EXAMPLE_FILE, EXAMPLE_TEMPLATE).expect("the bundled example loads");
        let type_of = |id: &str| {
            scenario
                .resources
                .iter()
                .find(|r| r.logical_id == id)
                .map(|r| r.resource_type.as_str())
        };
        assert_eq!(
            type_of("HelloWorldFunction"),
            Some("AWS::Lambda::Function"),
            "{scenario:#?}"
        );
        assert_eq!(
            type_of("ServerlessRestApi"),
            Some("AWS::ApiGateway::RestApi"),
            "{scenario:#?}"
        );
    }

    #[test]
    fn the_example_outputs_are_evaluated() {
        let scenario = load_scenario(EXAMPLE_FILE, EXAMPLE_TEMPLATE).expect("the bundled example loads");
        let (name, url) = &scenario.outputs[0];
        assert_eq!(name, "HelloWorldApi");
        assert!(
            url.starts_with("https://") && url.ends_with(".execute-api.us-east-1.amazonaws.com/Prod/hello/"),
            "{url}"
        );
    }

    #[test]
    fn a_broken_template_is_an_error_with_its_location() {
        let error = deploy("broken.yaml", "Resources:\n  A: [").err().expect("an error");
        assert_eq!(error.file, "broken.yaml");
        assert_eq!(
            error.to_string(),
            "broken.yaml:3:1: Template format error: YAML not well-formed. while parsing a node, did not find \
             expected node content"
        );
        assert!(error.to_string().starts_with("broken.yaml:"), "{error}");
    }

    #[test]
    fn a_share_link_replaces_only_the_untouched_example_without_asking() {
        let example = example_scenario();
        let mine = Scenario::with_template("mine.yaml", "Resources: {}");
        let shared = Scenario::with_template("shared.yaml", "Resources: {}");
        assert_eq!(share_action(&example, &shared, true, false), ShareAction::Open);
        assert_eq!(share_action(&mine, &shared, true, false), ShareAction::Ask);
        assert_eq!(share_action(&example, &shared, false, false), ShareAction::Ask);
        assert_eq!(share_action(&example, &shared, true, true), ShareAction::Ask);
        assert_eq!(share_action(&shared, &shared, false, false), ShareAction::Nothing);
    }

    #[test]
    fn offsets_count_utf16_units() {
        assert_eq!(utf16_offset("ab\ncd", 2, 2), 4);
        assert_eq!(utf16_offset("é😀\nx", 2, 1), 4);
        assert_eq!(utf16_offset("é😀x", 1, 3), 3);
        assert_eq!(utf16_offset("ab", 9, 9), 2);
    }
}
