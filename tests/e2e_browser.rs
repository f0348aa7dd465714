//! Browser end-to-end tests: the built site (`dist/`, from `trunk build --release`) in headless Chromium.
//!
//! Each test serves `dist/` itself on a free loopback port, starts Debian's `/usr/bin/chromedriver` on another, and
//! drives `/usr/bin/chromium` through WebDriver (fantoccini). Nothing is downloaded. Run them with
//! `cargo test --test e2e_browser -- --ignored --test-threads=1` after `trunk build --release`; `scripts/test.sh`
//! does both, and `scripts/setup.sh --browser` installs Chromium and ChromeDriver.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long the page may take to render the resources table.
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long ChromeDriver may take to listen on its port.
const DRIVER_TIMEOUT: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------------------------------------------
// The static file server for dist/
// ---------------------------------------------------------------------------------------------------------------

/// Serves a folder on `127.0.0.1:<free port>` until dropped.
struct StaticServer {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    fn start(root: PathBuf) -> StaticServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind a loopback port for dist/"));
        let addr = server.server_addr().to_ip().expect("an IP listen address");
        let thread = {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let response = static_response(&root, request.url());
                    let _ = request.respond(response);
                }
            })
        };
        StaticServer {
            server,
            addr,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn static_response(root: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    // A folder's URL serves its index document, as static hosts and S3 website endpoints do.
    let relative = format!(
        "{}{}",
        path.trim_start_matches('/'),
        if path.ends_with('/') { "index.html" } else { "" }
    );
    let relative = relative.as_str();
    let safe = relative
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..");
    let file = root.join(relative);
    match std::fs::read(&file) {
        Ok(bytes) if safe => {
            let header = tiny_http::Header::from_bytes("Content-Type", mime_type(&file)).expect("a valid header");
            tiny_http::Response::from_data(bytes).with_header(header)
        }
        _ => tiny_http::Response::from_string("not found").with_status_code(404),
    }
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "yaml" | "yml" => "application/yaml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The built site, or a panic that says how to build it.
fn dist_dir() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    let has_wasm = std::fs::read_dir(&dist)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "wasm"))
        })
        .unwrap_or(false);
    assert!(
        dist.join("index.html").is_file() && has_wasm,
        "{} has no built site (index.html and a .wasm): run `trunk build --release` first (scripts/test.sh does)",
        dist.display()
    );
    dist
}

// ---------------------------------------------------------------------------------------------------------------
// ChromeDriver and the browser session
// ---------------------------------------------------------------------------------------------------------------

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A running ChromeDriver, killed on drop, and the Chromium session it started, ended on drop.
struct Driver {
    child: Child,
    port: u16,
    session_id: Option<String>,
    log_path: PathBuf,
    // Dropped last: Chromium's profile and ChromeDriver's log.
    _temp: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        assert!(
            Path::new(CHROMEDRIVER).is_file(),
            "{CHROMEDRIVER} not found: install Chromium and ChromeDriver with `bash scripts/setup.sh --browser` \
             (apt-get install chromium chromium-driver)"
        );
        assert!(
            Path::new(CHROMIUM).is_file(),
            "{CHROMIUM} not found: install it with `bash scripts/setup.sh --browser`"
        );
        let temp = tempfile::tempdir().expect("a temporary folder");
        let log_path = temp.path().join("chromedriver.log");
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log_path.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {CHROMEDRIVER}: {e}"));
        let mut driver = Driver {
            child,
            port,
            session_id: None,
            log_path,
            _temp: temp,
        };
        let deadline = Instant::now() + DRIVER_TIMEOUT;
        loop {
            if let Ok(status) = driver.request("GET", "/status", None) {
                if status["value"]["ready"] == json!(true) {
                    break;
                }
            }
            if let Ok(Some(exit)) = driver.child.try_wait() {
                panic!("{CHROMEDRIVER} exited early ({exit}); its log:\n{}", driver.log_tail());
            }
            assert!(
                Instant::now() < deadline,
                "{CHROMEDRIVER} did not become ready within {DRIVER_TIMEOUT:?}; its log:\n{}",
                driver.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn user_data_dir(&self) -> PathBuf {
        self._temp.path().join("chromium-profile")
    }

    /// The last lines of ChromeDriver's log, for failure messages.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Starts headless Chromium and returns a WebDriver client for it.
    async fn connect(&mut self) -> Client {
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--disable-quic",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", self.user_data_dir().display()),
                ],
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url())
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "could not start a Chromium session: {e}\nChromeDriver's log:\n{}",
                    self.log_tail()
                )
            });
        self.session_id = client.session_id().await.expect("the session id");
        client
    }

    /// The browser console's entries since the last call (ChromeDriver's `POST /session/{id}/se/log`).
    fn browser_log(&self) -> Vec<Value> {
        let id = self.session_id.as_deref().expect("a session");
        let response = self
            .request(
                "POST",
                &format!("/session/{id}/se/log"),
                Some(&json!({ "type": "browser" })),
            )
            .unwrap_or_else(|e| panic!("could not read the browser log: {e}"));
        match &response["value"] {
            Value::Array(entries) => entries.clone(),
            other => panic!("unexpected browser log response: {other}"),
        }
    }

    /// A plain HTTP/1.1 request to ChromeDriver, answered with its JSON body.
    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
        let content = read_http_body(&mut stream)?;
        serde_json::from_str(&content).map_err(|e| format!("{e} in ChromeDriver's answer {content:?}"))
    }
}

/// Reads one HTTP/1.1 response's body: ChromeDriver keeps connections open, so read by `Content-Length` (or chunks).
fn read_http_body(stream: &mut TcpStream) -> Result<String, String> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let mut head_end = None;
    let mut length = None;
    let mut chunked = false;
    loop {
        if head_end.is_none() {
            if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                head_end = Some(i + 4);
                let head = String::from_utf8_lossy(&raw[..i]).to_ascii_lowercase();
                for line in head.lines() {
                    if let Some((name, value)) = line.split_once(':') {
                        match name.trim() {
                            "content-length" => length = value.trim().parse::<usize>().ok(),
                            "transfer-encoding" => chunked = value.contains("chunked"),
                            _ => {}
                        }
                    }
                }
            }
        }
        if let Some(start) = head_end {
            let body = &raw[start..];
            let complete = match length {
                Some(n) => body.len() >= n,
                None => chunked && body.ends_with(b"0\r\n\r\n"),
            };
            if complete {
                let body = String::from_utf8_lossy(&body[..length.unwrap_or(body.len()).min(body.len())]);
                return Ok(if chunked { dechunk(&body) } else { body.into_owned() });
            }
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            let start = head_end.ok_or("ChromeDriver closed the connection without an answer")?;
            let body = String::from_utf8_lossy(&raw[start..]);
            return Ok(if chunked { dechunk(&body) } else { body.into_owned() });
        }
        raw.extend_from_slice(&buf[..n]);
    }
}

fn dechunk(mut text: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = text.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        text = rest[size..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Ending the session quits Chromium; then ChromeDriver itself goes.
        if let Some(id) = self.session_id.take() {
            let _ = self.request("DELETE", &format!("/session/{id}"), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (bounded) until the app rendered the resources table or a load error.
async fn wait_for_resources(client: &Client) -> Result<(), String> {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        if let Ok(error) = client.find(Locator::Id("load-error")).await {
            return Err(format!(
                "the page shows a load error: {}",
                error.text().await.unwrap_or_default()
            ));
        }
        let rows = client
            .find_all(Locator::Css("#resources tbody tr"))
            .await
            .unwrap_or_default();
        if !rows.is_empty() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let body = client.source().await.unwrap_or_default();
            return Err(format!("no #resources rows after {PAGE_TIMEOUT:?}; the page:\n{body}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The SEVERE entries of a browser log, one line each.
fn severe_entries(log: &[Value]) -> Vec<String> {
    log.iter()
        .filter(|entry| entry["level"] == json!("SEVERE"))
        .map(|entry| {
            format!(
                "{} {}",
                entry["source"].as_str().unwrap_or(""),
                entry["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

#[test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
fn dist_is_served_with_the_right_mime_types() {
    let dist = dist_dir();
    let server = StaticServer::start(dist.clone());
    let wasm = std::fs::read_dir(&dist)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| name.ends_with(".wasm"))
        .unwrap();
    for (path, expected) in [("/", "text/html"), (&*format!("/{wasm}"), "application/wasm")] {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let head = String::from_utf8_lossy(&raw[..raw.len().min(1024)]).to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 200"), "GET {path}: {head}");
        assert!(
            head.contains(&format!("content-type: {expected}")),
            "GET {path}: {head}"
        );
    }
}

/// The README's publishing claim: `dist/` works under any prefix of a static host (relative asset URLs).
#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn the_site_works_from_a_folder_of_a_static_host() {
    let host_root = std::env::temp_dir().join(format!("playground-host-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&host_root);
    std::fs::create_dir_all(&host_root).unwrap();
    std::os::unix::fs::symlink(dist_dir(), host_root.join("playground")).unwrap();
    let server = StaticServer::start(host_root.clone());
    let mut driver = Driver::start();
    let client = driver.connect().await;

    client.goto(&format!("{}playground/", server.url())).await.unwrap();
    let rendered = wait_for_resources(&client).await;
    let severe = severe_entries(&driver.browser_log());
    let _ = std::fs::remove_dir_all(&host_root);
    if let Err(message) = rendered {
        panic!("{message}\nbrowser console errors: {severe:#?}");
    }
    assert!(severe.is_empty(), "browser console errors: {severe:#?}");
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn the_page_lists_the_example_resources_without_console_errors() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;

    client.goto(&server.url()).await.expect("load the page");
    let rendered = wait_for_resources(&client).await;
    let console = driver.browser_log();
    let severe = severe_entries(&console);
    if let Err(message) = rendered {
        panic!("{message}\nbrowser console errors: {severe:#?}");
    }

    assert_eq!(client.title().await.unwrap(), "Serverless Playground");
    let product = client.find(Locator::Css("header h1")).await.expect("the header");
    assert_eq!(product.text().await.unwrap(), "Serverless Playground");

    // One round trip for the whole table: [logical id, type, simulated cell] per row.
    let rows = client
        .execute(
            "return Array.from(document.querySelectorAll('#resources tbody tr')).map(tr => \
             [tr.dataset.logicalId, tr.cells[1].textContent.trim(), tr.cells[2].textContent.trim()]);",
            vec![],
        )
        .await
        .expect("read the resources table");
    let rows: Vec<(String, String, String)> = serde_json::from_value(rows).expect("rows of three strings");
    let type_of = |logical_id: &str| {
        rows.iter()
            .find(|(id, _, _)| id == logical_id)
            .map(|(_, resource_type, _)| resource_type.as_str())
    };
    assert_eq!(
        type_of("HelloWorldFunction"),
        Some("AWS::Lambda::Function"),
        "rows: {rows:#?}"
    );
    assert_eq!(
        type_of("ServerlessRestApi"),
        Some("AWS::ApiGateway::RestApi"),
        "rows: {rows:#?}"
    );
    // The column says what the engine's service registry says.
    let cloud = serverless_playground::Cloud::default();
    for (logical_id, resource_type, simulated) in &rows {
        let expected = if cloud.services().simulates(resource_type) {
            "simulated"
        } else {
            "not simulated"
        };
        assert_eq!(simulated, expected, "{logical_id} ({resource_type})");
    }
    let api_url = client
        .find(Locator::Css("#outputs tr[data-output='HelloWorldApi'] .output-value"))
        .await
        .expect("the HelloWorldApi output")
        .text()
        .await
        .unwrap();
    assert!(
        api_url.starts_with("https://") && api_url.ends_with(".execute-api.us-east-1.amazonaws.com/Prod/hello/"),
        "HelloWorldApi output: {api_url}"
    );

    assert!(
        severe.is_empty(),
        "the browser console has errors:\n{}",
        severe.join("\n")
    );
    client.close().await.expect("end the session");
    driver.session_id = None;
}

// ---------------------------------------------------------------------------------------------------------------
// Share links, persistence, views and untrusted text
// ---------------------------------------------------------------------------------------------------------------

use serverless_playground::scenario::{share, Scenario, TemplateFile, TestEvent};

/// Where the app saves the scenario (`src/ui/browser.rs`).
const SCENARIO_KEY: &str = "serverless-playground.scenario";

/// Waits (bounded) for an element matching `css`; the panic shows the page and the console's errors.
async fn wait_for(client: &Client, driver: &Driver, css: &str) -> fantoccini::elements::Element {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            return element;
        }
        if Instant::now() >= deadline {
            let body = client.source().await.unwrap_or_default();
            let severe = severe_entries(&driver.browser_log());
            panic!("no {css} after {PAGE_TIMEOUT:?}; console errors: {severe:#?}\nthe page:\n{body}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of the first element matching `css`, once it exists.
async fn text_of(client: &Client, driver: &Driver, css: &str) -> String {
    wait_for(client, driver, css).await.text().await.unwrap_or_default()
}

/// Evaluates a JavaScript expression in the page.
async fn eval(client: &Client, expression: &str) -> Value {
    client
        .execute(&format!("return {expression};"), vec![])
        .await
        .unwrap_or_else(|e| panic!("{expression}: {e}"))
}

/// A SAM template (as JSON text) with one function behind `GET /shared`, returning `body`.
fn function_template(description: &str, logical_id: &str, body: &str) -> String {
    let code = format!(
        "exports.handler = async (event) => ({{ statusCode: 200, headers: {{ \"Content-Type\": \"text/html\" }}, \
         body: {} }});",
        serde_json::to_string(body).unwrap()
    );
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": description,
        "Resources": {
            logical_id: {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Handler": "index.handler",
                    "Runtime": "nodejs20.x",
                    "InlineCode": code,
                    "Events": {
                        "Shared": { "Type": "Api", "Properties": { "Path": "/shared", "Method": "get" } }
                    }
                }
            }
        },
        "Outputs": { "Said": { "Value": description } }
    });
    serde_json::to_string_pretty(&template).unwrap()
}

fn shared_scenario() -> Scenario {
    Scenario {
        template: TemplateFile {
            file_name: "shared.json".into(),
            body: function_template("a shared scenario", "SharedFunction", "shared!"),
        },
        test_events: vec![TestEvent {
            function: "SharedFunction".into(),
            name: "from-the-link".into(),
            event: "{\"from\": \"link\"}".into(),
        }],
        tutorial: None,
        code: Default::default(),
    }
}

/// Ends the session and ChromeDriver.
async fn finish(client: Client, mut driver: Driver) {
    client.close().await.expect("end the session");
    driver.session_id = None;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_share_url_restores_its_scenario_in_a_fresh_browser() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let scenario = shared_scenario();
    let link = format!("{}{}", server.url(), share::encode(&scenario));

    client.goto(&link).await.expect("open the share link");
    wait_for(&client, &driver, "#resources tr[data-logical-id='SharedFunction']").await;
    assert_eq!(
        text_of(&client, &driver, "#outputs tr[data-output='Said'] .output-value").await,
        "a shared scenario"
    );
    // Opened without asking (nothing local to lose), saved at once, and the address bar shows the view.
    assert!(client.find(Locator::Id("share-prompt")).await.is_err());
    let saved = eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await;
    assert_eq!(saved, json!(scenario.to_json()));
    assert_eq!(eval(&client, "location.hash").await, json!("#/"));

    // The saved test event travelled too, and the function runs in the page.
    client.goto(&format!("{}#/lambda", server.url())).await.unwrap();
    wait_for(&client, &driver, "#function-list a")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(
        text_of(&client, &driver, ".saved-event button.link").await,
        "from-the-link"
    );
    assert_eq!(
        wait_for(&client, &driver, "#event-json")
            .await
            .prop("value")
            .await
            .unwrap(),
        Some("{\"from\": \"link\"}".to_string())
    );
    wait_for(&client, &driver, "#invoke").await.click().await.unwrap();
    let payload = text_of(&client, &driver, "#invoke-payload").await;
    assert_eq!(
        payload,
        r#"{"statusCode":200,"headers":{"Content-Type":"text/html"},"body":"shared!"}"#
    );
    // The REPORT line is shown once, as the last line of the function's log.
    let logs = text_of(&client, &driver, "#invoke-logs").await;
    assert_eq!(logs.matches("REPORT RequestId: ").count(), 1, "{logs}");
    assert!(
        logs.lines()
            .last()
            .unwrap_or_default()
            .starts_with("REPORT RequestId: "),
        "{logs}"
    );
    let result = text_of(&client, &driver, "#invoke-result").await;
    assert_eq!(result.matches("REPORT RequestId: ").count(), 1, "{result}");

    // Share makes the same link back, with its length; a short link has no warning.
    wait_for(&client, &driver, "#share").await.click().await.unwrap();
    let made = wait_for(&client, &driver, "#share-link")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(made, link);
    assert_eq!(
        text_of(&client, &driver, "#share-length").await,
        format!("{} characters", link.chars().count())
    );
    assert!(client.find(Locator::Id("share-warning")).await.is_err());

    // After a reload the scenario comes back from local storage.
    client.refresh().await.unwrap();
    wait_for(&client, &driver, "#function-name").await;
    assert_eq!(
        text_of(&client, &driver, ".saved-event button.link").await,
        "from-the-link"
    );
    // A long scenario's link is flagged: 3,000 characters that deflate cannot shrink, typed at once.
    client.goto(&format!("{}#/template", server.url())).await.unwrap();
    wait_for(&client, &driver, "#template-editor").await;
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: String = (0..3000)
        .map(|_| {
            // xorshift64: a sequence deflate cannot shrink much.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[(state % 62) as usize])
        })
        .collect();
    client
        .execute(
            "const area = document.getElementById('template-editor'); area.value += '\\n# ' + arguments[0]; \
             area.dispatchEvent(new Event('input', { bubbles: true })); return null;",
            vec![json!(noise)],
        )
        .await
        .unwrap();
    wait_for(&client, &driver, "#share").await.click().await.unwrap();
    let warning = text_of(&client, &driver, "#share-warning").await;
    assert!(warning.contains("longer than 2000 characters"), "{warning}");

    let severe = severe_entries(&driver.browser_log());
    assert!(severe.is_empty(), "console errors: {severe:#?}");
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_broken_or_foreign_link_never_replaces_local_work() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let mine = Scenario::with_template("mine.json", &function_template("my work", "MyFunction", "mine"));
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, &driver, "#resources tbody tr").await;
    client
        .execute(
            "localStorage.setItem(arguments[0], arguments[1]); return null;",
            vec![json!(SCENARIO_KEY), json!(mine.to_json())],
        )
        .await
        .unwrap();

    // A cut link opened in a new page load: explained, and the local scenario stays.
    let link = share::encode(&shared_scenario());
    client.goto("about:blank").await.unwrap();
    client
        .goto(&format!("{}{}", server.url(), &link[..link.len() / 2]))
        .await
        .unwrap();
    let error = text_of(&client, &driver, "#share-error").await;
    assert!(error.contains("the link is damaged"), "{error}");
    wait_for(&client, &driver, "#resources tr[data-logical-id='MyFunction']").await;

    // A good link over local work asks first; keeping mine keeps it, in the page and in storage.
    client.goto(&format!("{}{}", server.url(), link)).await.unwrap();
    wait_for(&client, &driver, "#share-prompt").await;
    wait_for(&client, &driver, "#share-reject").await.click().await.unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='MyFunction']").await;
    assert_eq!(
        eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await,
        json!(mine.to_json())
    );

    // Asked again, opening it replaces mine.
    client.goto(&format!("{}#/lambda", server.url())).await.unwrap();
    client.goto(&format!("{}{}", server.url(), link)).await.unwrap();
    wait_for(&client, &driver, "#share-accept").await.click().await.unwrap();
    client.goto(&format!("{}#/", server.url())).await.unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='SharedFunction']").await;
    assert_eq!(
        eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await,
        json!(shared_scenario().to_json())
    );
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn markup_in_every_field_of_a_shared_scenario_executes_nothing() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let payload = "<img src=x onerror=\"window.__pwned=1;alert(1)\"><script>window.__pwned=2;alert(2)</script>\
                   <svg onload=\"window.__pwned=3\"></svg><a href=\"javascript:window.__pwned=4\">x</a>";
    let scenario = Scenario {
        template: TemplateFile {
            file_name: format!("{payload}.json"),
            body: function_template(payload, "XssFunction", payload),
        },
        test_events: vec![
            TestEvent {
                function: "XssFunction".into(),
                name: payload.into(),
                event: json!({ "html": payload }).to_string(),
            },
            TestEvent {
                function: payload.into(),
                name: payload.into(),
                event: payload.into(),
            },
        ],
        tutorial: None,
        code: Default::default(),
    };
    let link = format!("{}{}", server.url(), share::encode(&scenario));
    client.goto(&link).await.unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='XssFunction']").await;
    assert_eq!(text_of(&client, &driver, "#outputs .output-value").await, payload);

    let pwned = "typeof window.__pwned";
    // Every element a payload could inject; the Stack page's own architecture diagram is the one svg allowed (a
    // payload's svg inside it would still count).
    let injected =
        "document.querySelectorAll('main img, main script, main svg:not(#architecture-diagram), main iframe, \
                    main a[href^=javascript]').length";
    let visit = |fragment: &'static str| format!("{}{fragment}", server.url());
    for fragment in ["#/template", "#/lambda", "#/apigateway", "#/logs", "#/"] {
        client.goto(&visit(fragment)).await.unwrap();
        wait_for(&client, &driver, "main .card").await;
        assert_eq!(eval(&client, pwned).await, json!("undefined"), "{fragment}");
        assert_eq!(eval(&client, injected).await, json!(0), "{fragment}");
    }
    // The editor shows the template as text.
    client.goto(&visit("#/template")).await.unwrap();
    let editor = wait_for(&client, &driver, "#template-editor").await;
    assert_eq!(
        editor.prop("value").await.unwrap(),
        Some(scenario.template.body.clone())
    );

    // The function page: saved event names, the event, the response body, the logs.
    client.goto(&visit("#/lambda")).await.unwrap();
    wait_for(&client, &driver, "#function-list a")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(text_of(&client, &driver, ".saved-event button.link").await, payload);
    wait_for(&client, &driver, "#invoke").await.click().await.unwrap();
    let body = text_of(&client, &driver, "#invoke-payload").await;
    assert!(body.contains("<img src=x"), "{body}");
    assert_eq!(eval(&client, pwned).await, json!("undefined"));
    assert_eq!(eval(&client, injected).await, json!(0));

    // The API's Test panel (the Lambda proxy integration answers "not simulated" until its issue lands).
    client.goto(&visit("#/apigateway")).await.unwrap();
    wait_for(&client, &driver, "#api-list a").await.click().await.unwrap();
    wait_for(&client, &driver, ".method-link").await.click().await.unwrap();
    wait_for(&client, &driver, "#method-execution").await;
    wait_for(&client, &driver, "#test-invoke").await.click().await.unwrap();
    wait_for(&client, &driver, "#test-result, #test-error").await;
    assert_eq!(eval(&client, pwned).await, json!("undefined"));
    assert_eq!(eval(&client, injected).await, json!(0));

    assert!(client.get_alert_text().await.is_err(), "an alert is open");
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn the_console_and_the_keyboard_run_requests() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    // The seed's Hello World MOCK API (GET /message, stage test), opened from a share link.
    let mock = Scenario::with_template("hello-world-mock.yaml", include_str!("fixtures/hello-world-mock.yaml"));
    client
        .goto(&format!("{}{}", server.url(), share::encode(&mock)))
        .await
        .unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='MessageGet']").await;

    // Request console: GET /message on the test stage, with curl.
    client.goto(&format!("{}#/apigateway", server.url())).await.unwrap();
    wait_for(&client, &driver, "#api-list a").await.click().await.unwrap();
    wait_for(&client, &driver, "#open-console").await.click().await.unwrap();
    let path = wait_for(&client, &driver, "#console-path").await;
    path.clear().await.unwrap();
    // A path that repeats the stage chosen beside it is pointed out.
    path.send_keys("/test/message").await.unwrap();
    let repeated = text_of(&client, &driver, "#console-path-stage").await;
    assert!(
        repeated.contains("the request goes to /test/test/message"),
        "{repeated}"
    );
    path.clear().await.unwrap();
    path.send_keys("/message").await.unwrap();
    assert!(client.find(Locator::Id("console-path-stage")).await.is_err());
    wait_for(&client, &driver, "#console-send").await.click().await.unwrap();
    assert_eq!(text_of(&client, &driver, "#console-status").await, "200");
    assert_eq!(
        text_of(&client, &driver, "#console-body-out").await,
        r#"{"message": "Hello World!"}"#
    );
    let curl = text_of(&client, &driver, "#console-curl").await;
    assert!(
        curl.starts_with("curl 'https://") && curl.ends_with(".execute-api.us-east-1.amazonaws.com/test/message'"),
        "{curl}"
    );

    // Ctrl+Enter runs the method's Test from its body field.
    client.goto(&format!("{}#/apigateway", server.url())).await.unwrap();
    wait_for(&client, &driver, "#api-list a").await.click().await.unwrap();
    wait_for(&client, &driver, ".method-link").await.click().await.unwrap();
    let combo = format!(
        "{}{}",
        char::from(fantoccini::key::Key::Control),
        char::from(fantoccini::key::Key::Enter)
    );
    wait_for(&client, &driver, "#test-body")
        .await
        .send_keys(&combo)
        .await
        .unwrap();
    assert_eq!(text_of(&client, &driver, "#test-status").await, "200");
    assert_eq!(
        text_of(&client, &driver, "#test-body-out").await,
        r#"{"message": "Hello World!"}"#
    );
    let log = text_of(&client, &driver, "#test-log").await;
    assert!(log.starts_with("Execution log for request "), "{log}");
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_failed_deploy_keeps_the_previous_stack_and_points_at_the_line() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&format!("{}#/template", server.url())).await.unwrap();
    let editor = wait_for(&client, &driver, "#template-editor").await;
    editor.clear().await.unwrap();
    editor.send_keys("Resources:\n  Broken: [").await.unwrap();
    wait_for(&client, &driver, "#deploy").await.click().await.unwrap();
    let error = text_of(&client, &driver, "#deploy-error pre").await;
    assert!(
        error.starts_with("hello-world.yaml:3:1: Template format error: YAML not well-formed."),
        "{error}"
    );
    // What was typed is saved even though it does not deploy; the stack is the previous one.
    let saved = eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await;
    assert!(saved.as_str().unwrap_or("").contains("Broken: ["), "{saved}");
    client.goto(&format!("{}#/", server.url())).await.unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='HelloWorldFunction']").await;
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn the_shell_fits_a_1024_px_window_and_a_phone() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, &driver, "#resources tbody tr").await;
    for (width, height) in [(1024, 768), (390, 844)] {
        client.set_window_size(width, height).await.unwrap();
        for fragment in ["#/", "#/template", "#/lambda", "#/apigateway"] {
            client.goto(&format!("{}{fragment}", server.url())).await.unwrap();
            wait_for(&client, &driver, "main .card").await;
            let overflow = eval(&client, "document.documentElement.scrollWidth - window.innerWidth").await;
            assert!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "{width} px, {fragment}: overflow {overflow}"
            );
        }
        client.goto(&format!("{}#/lambda", server.url())).await.unwrap();
        wait_for(&client, &driver, "#function-list a")
            .await
            .click()
            .await
            .unwrap();
        wait_for(&client, &driver, "#function-name").await;
        let overflow = eval(&client, "document.documentElement.scrollWidth - window.innerWidth").await;
        assert!(
            overflow.as_i64().unwrap_or(1) <= 0,
            "{width} px, function: overflow {overflow}"
        );
    }
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn unreadable_saved_text_is_never_overwritten_without_asking() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, &driver, "#resources tbody tr").await;
    let garbage = "{\"version\": 1, \"template\": ";
    client
        .execute(
            "localStorage.setItem(arguments[0], arguments[1]); return null;",
            vec![json!(SCENARIO_KEY), json!(garbage)],
        )
        .await
        .unwrap();
    client.refresh().await.unwrap();
    let status = text_of(&client, &driver, "#storage-status").await;
    assert!(status.contains("could not be read"), "{status}");
    // The example runs in memory; editing it does not touch what is saved.
    wait_for(&client, &driver, "#resources tbody tr").await;
    client.goto(&format!("{}#/template", server.url())).await.unwrap();
    wait_for(&client, &driver, "#template-editor")
        .await
        .send_keys("# edit\n")
        .await
        .unwrap();
    let saved = eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await;
    assert_eq!(saved, json!(garbage));
    // Until the user says so.
    client
        .find(Locator::XPath(
            "//div[@id='storage-status']//button[contains(., 'Replace it')]",
        ))
        .await
        .expect("the replace button")
        .click()
        .await
        .unwrap();
    let saved = eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await;
    assert!(
        saved.as_str().unwrap_or("").starts_with(&format!(
            "{{\"version\":{},",
            serverless_playground::scenario::CURRENT_VERSION
        )),
        "{saved}"
    );
    assert!(client.find(Locator::Id("storage-status")).await.is_err());
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn an_imported_scenario_file_replaces_the_scenario_after_asking() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&server.url()).await.unwrap();
    wait_for(&client, &driver, "#resources tbody tr").await;
    let folder = tempfile::tempdir().unwrap();

    // Not a scenario: explained, nothing changes.
    let garbage = folder.path().join("garbage.json");
    std::fs::write(&garbage, "{\"version\": 7}").unwrap();
    let input = wait_for(&client, &driver, "#import-file").await;
    input.send_keys(&garbage.display().to_string()).await.unwrap();
    let problem = text_of(&client, &driver, "#problem").await;
    assert!(problem.contains("made by a newer playground"), "{problem}");
    wait_for(&client, &driver, "#resources tr[data-logical-id='HelloWorldFunction']").await;

    // A scenario file: the browser asks, and accepting replaces the scenario and saves it.
    let mine = Scenario::with_template("mine.json", &function_template("my work", "MyFunction", "mine"));
    let file = folder.path().join("mine.json");
    std::fs::write(&file, mine.to_json()).unwrap();
    let input = wait_for(&client, &driver, "#import-file").await;
    input.send_keys(&file.display().to_string()).await.unwrap();
    let deadline = Instant::now() + PAGE_TIMEOUT;
    while client.get_alert_text().await.is_err() {
        assert!(Instant::now() < deadline, "no confirmation was asked");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.accept_alert().await.unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='MyFunction']").await;
    assert_eq!(
        eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await,
        json!(mine.to_json())
    );
    finish(client, driver).await;
}

/// Where the app saves tutorial progress (`src/ui/tutorial.rs`).
const PROGRESS_KEY: &str = "serverless-playground.tutorial-progress";

/// Waits until the step's checks have all passed (and none failed).
async fn wait_for_step_done(client: &Client, driver: &Driver) {
    wait_for(client, driver, "#tutorial-step-done").await;
    assert!(client.find(Locator::Css("#tutorial-checks li.fail")).await.is_err());
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_learner_completes_lesson_1_by_typing_and_clicking() {
    use serverless_playground::tutorial;
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let lesson = tutorial::lessons().unwrap().remove(0);
    let started = Instant::now();
    // Every click and every field typed into is one learner step.
    let mut learner_steps = 0;

    // The lesson list, then lesson 1: opening its first step loads its starting template in place of the
    // untouched example (nothing of the learner's is lost, so nothing is asked) and says so.
    client.goto(&format!("{}#/", server.url())).await.unwrap();
    wait_for(&client, &driver, "#nav-tutorial").await.click().await.unwrap();
    wait_for(&client, &driver, "li[data-lesson='hello-world-mock'] a")
        .await
        .click()
        .await
        .unwrap();
    learner_steps += 2;
    let loaded = text_of(&client, &driver, "#tutorial-loaded").await;
    assert!(
        loaded.starts_with("✓ This step's starting template (")
            && loaded.contains("was loaded into the editor and deployed"),
        "{loaded}"
    );
    let missing = text_of(&client, &driver, "#tutorial-checks li.fail").await;
    assert_eq!(missing, "✗ The API has no /message resource yet.");

    // Steps 1 to 3: type the template in the editor, Deploy, follow the success line's link back to the step and
    // watch its check go green.
    for index in 0..3 {
        let text = lesson.solution_template(index).unwrap();
        wait_for(&client, &driver, "#nav-template").await.click().await.unwrap();
        let editor = wait_for(&client, &driver, "#template-editor").await;
        editor.clear().await.unwrap();
        editor.send_keys(&text).await.unwrap();
        wait_for(&client, &driver, "#deploy").await.click().await.unwrap();
        learner_steps += 3;
        assert!(
            client.find(Locator::Id("deploy-error")).await.is_err(),
            "step {} does not deploy",
            index + 1
        );
        let deployed = text_of(&client, &driver, "#deploy-success").await;
        assert!(
            deployed.starts_with("✓ Deployed hello-world.yaml to a fresh account: "),
            "{deployed}"
        );
        wait_for(&client, &driver, "#deploy-back").await.click().await.unwrap();
        learner_steps += 1;
        wait_for_step_done(&client, &driver).await;
        let passed = text_of(&client, &driver, "#tutorial-checks li.pass").await;
        assert!(passed.starts_with("✓ ") && passed != "✓ Done", "{passed}");
        wait_for(&client, &driver, "#tutorial-next")
            .await
            .click()
            .await
            .unwrap();
        learner_steps += 1;
        let step = wait_for(&client, &driver, "#tutorial-step").await;
        assert_eq!(step.attr("data-step").await.unwrap(), Some((index + 2).to_string()));
    }

    // Step 4: call the stage root from the request console (Stage test, Path and query /) and meet Missing
    // Authentication Token, then back to the step by the tutorial strip above the console.
    assert!(client.find(Locator::Css("#tutorial-checks li.fail")).await.is_ok());
    wait_for(&client, &driver, "#nav-apigateway")
        .await
        .click()
        .await
        .unwrap();
    wait_for(&client, &driver, "#api-list a").await.click().await.unwrap();
    wait_for(&client, &driver, "#open-console").await.click().await.unwrap();
    let path = wait_for(&client, &driver, "#console-path").await;
    path.clear().await.unwrap();
    path.send_keys("/").await.unwrap();
    wait_for(&client, &driver, "#console-send").await.click().await.unwrap();
    learner_steps += 5;
    assert_eq!(text_of(&client, &driver, "#console-status").await, "403");
    assert_eq!(
        text_of(&client, &driver, "#console-body-out").await,
        r#"{"message":"Missing Authentication Token"}"#
    );
    // The drawer stays closed: nothing covers the answer.
    assert!(client.find(Locator::Id("drawer-body")).await.is_err());
    let banner = text_of(&client, &driver, "#tutorial-banner").await;
    assert!(banner.contains("Step done"), "{banner}");
    wait_for(&client, &driver, "#tutorial-back")
        .await
        .click()
        .await
        .unwrap();
    learner_steps += 1;
    wait_for_step_done(&client, &driver).await;
    let finished = text_of(&client, &driver, "#tutorial-finished").await;
    assert!(
        finished.starts_with("Lesson finished: Hello World API with a Mock integration"),
        "{finished}"
    );
    let progress = eval(&client, &format!("localStorage.getItem('{PROGRESS_KEY}')")).await;
    assert_eq!(
        progress,
        json!("hello-world-mock/1\nhello-world-mock/2\nhello-world-mock/3\nhello-world-mock/4")
    );
    eprintln!(
        "lesson 1 completed in {learner_steps} learner steps, {:.1} s of browser time",
        started.elapsed().as_secs_f64()
    );
    finish(client, driver).await;
}

/// Clicks the element matching `css` once it exists.
async fn click(client: &Client, driver: &Driver, css: &str) {
    wait_for(client, driver, css).await.click().await.unwrap();
}

/// Replaces the text of the field matching `css` with `text`, as a user would type it.
async fn type_into(client: &Client, driver: &Driver, css: &str, text: &str) {
    let field = wait_for(client, driver, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Waits (bounded) until the text of `css` satisfies `ok`; returns it.
async fn wait_for_text(client: &Client, driver: &Driver, css: &str, ok: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            let text = element.text().await.unwrap_or_default();
            if ok(&text) {
                return text;
            }
            if Instant::now() >= deadline {
                panic!("{css} reads {text:?}");
            }
        } else if Instant::now() >= deadline {
            let _ = wait_for(client, driver, css).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn the_hello_world_api_is_built_by_clicking_in_the_api_gateway_views() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&format!("{}#/apigateway", server.url())).await.unwrap();

    // Create API (REST): its view opens. An editor takes the focus when it opens.
    click(&client, &driver, "#create-api").await;
    wait_for(&client, &driver, "#edit-name").await;
    assert_eq!(eval(&client, "document.activeElement.id").await, json!("edit-name"));
    type_into(&client, &driver, "#edit-name", "hello-world").await;
    click(&client, &driver, "#edit-submit").await;
    wait_for(&client, &driver, "#action-create-resource").await;
    assert!(text_of(&client, &driver, "h2").await.starts_with("hello-world"));

    // Create Resource /message under the root.
    click(&client, &driver, "#action-create-resource").await;
    type_into(&client, &driver, "#edit-path-part", "message").await;
    click(&client, &driver, "#edit-submit").await;
    wait_for(&client, &driver, "#resource-tree li[data-resource-path='/message']").await;

    // Create Method GET on /message with a MOCK integration: the Method Execution view opens.
    wait_for(&client, &driver, "#edit-resource")
        .await
        .select_by_label("/message")
        .await
        .unwrap();
    click(&client, &driver, "#action-create-method").await;
    wait_for(&client, &driver, "#edit-http-method")
        .await
        .select_by_value("GET")
        .await
        .unwrap();
    wait_for(&client, &driver, "#edit-integration")
        .await
        .select_by_value("MOCK")
        .await
        .unwrap();
    click(&client, &driver, "#edit-submit").await;
    wait_for(&client, &driver, "#method-execution").await;
    assert_eq!(text_of(&client, &driver, "h2").await, "GET /message - Method Execution");

    // Integration Request: the request template, with its live preview.
    click(&client, &driver, "#edit-integration-request").await;
    type_into(&client, &driver, "#edit-content-type", "application/json").await;
    type_into(&client, &driver, "#edit-template", "{\"statusCode\": 200").await;
    wait_for_text(&client, &driver, "#template-preview", |t| t == "{\"statusCode\": 200").await;
    wait_for(&client, &driver, "#edit-template")
        .await
        .send_keys("}")
        .await
        .unwrap();
    wait_for_text(&client, &driver, "#template-preview", |t| t == "{\"statusCode\": 200}").await;
    // A broken template is pointed at its line while typing.
    wait_for(&client, &driver, "#edit-template")
        .await
        .send_keys("\n#if(")
        .await
        .unwrap();
    let error = text_of(&client, &driver, "#template-preview-error").await;
    assert!(error.starts_with("Line 2, column"), "{error}");
    type_into(&client, &driver, "#edit-template", "{\"statusCode\": 200}").await;
    click(&client, &driver, "#edit-submit").await;
    wait_for(&client, &driver, "#edit-integration-request").await;
    assert!(
        client.find(Locator::Id("edit-form")).await.is_err(),
        "the editor closes once saved"
    );

    // Integration Response 200: the response template the caller gets.
    click(&client, &driver, "#edit-integration-response").await;
    assert_eq!(
        wait_for(&client, &driver, "#edit-status")
            .await
            .prop("value")
            .await
            .unwrap(),
        Some("200".to_string())
    );
    type_into(&client, &driver, "#edit-content-type", "application/json").await;
    type_into(&client, &driver, "#edit-template", "{\"message\": \"Hello World!\"}").await;
    wait_for_text(&client, &driver, "#template-preview", |t| {
        t == "{\"message\": \"Hello World!\"}"
    })
    .await;
    click(&client, &driver, "#edit-submit").await;
    let response_box = wait_for_text(&client, &driver, "#box-integration-response", |t| {
        t.contains("application/json")
    })
    .await;
    assert!(response_box.contains("Mapping template"), "{response_box}");

    // The Test panel answers from the draft.
    click(&client, &driver, "#test-invoke").await;
    assert_eq!(text_of(&client, &driver, "#test-status").await, "200");
    assert_eq!(
        text_of(&client, &driver, "#test-body-out").await,
        "{\"message\": \"Hello World!\"}"
    );

    // Deploy API to a new stage `test`: the invoke URL is shown.
    click(&client, &driver, ".breadcrumb a:nth-of-type(2)").await;
    click(&client, &driver, "#action-deploy-api").await;
    type_into(&client, &driver, "#edit-new-stage", "test").await;
    click(&client, &driver, "#edit-submit").await;
    let notice = text_of(&client, &driver, "#edit-notice p").await;
    assert!(
        notice.starts_with("Deployed to stage test. Invoke URL: https://")
            && notice.ends_with(".execute-api.us-east-1.amazonaws.com/test"),
        "{notice}"
    );

    // The request console calls the stage.
    click(&client, &driver, "#open-console").await;
    wait_for(&client, &driver, "#console-stage")
        .await
        .select_by_value("test")
        .await
        .unwrap();
    type_into(&client, &driver, "#console-path", "/message").await;
    click(&client, &driver, "#console-send").await;
    assert_eq!(text_of(&client, &driver, "#console-status").await, "200");
    assert_eq!(
        text_of(&client, &driver, "#console-body-out").await,
        "{\"message\": \"Hello World!\"}"
    );

    // What was built is in the template the user owns.
    let saved = eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await;
    let scenario = Scenario::from_json(saved.as_str().unwrap()).unwrap();
    assert!(
        scenario.template.body.contains("PathPart: message"),
        "{}",
        scenario.template.body
    );
    let severe = severe_entries(&driver.browser_log());
    assert!(severe.is_empty(), "{severe:#?}");
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn edited_function_code_is_saved_deployed_and_invoked() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&format!("{}#/lambda", server.url())).await.unwrap();
    click(&client, &driver, "#function-list a").await;

    // Tab indents by two spaces and keeps the focus in the editor.
    type_into(&client, &driver, "#code-editor", "//").await;
    wait_for(&client, &driver, "#code-editor")
        .await
        .send_keys("\u{e004}")
        .await
        .unwrap();
    let value = wait_for(&client, &driver, "#code-editor")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(value.as_deref(), Some("//  "));
    assert_eq!(eval(&client, "document.activeElement.id").await, json!("code-editor"));

    // A syntax error is located by Boa's parser and refused before anything is saved.
    type_into(
        &client,
        &driver,
        "#code-editor",
        "exports.handler = async (event) => ({ a: });",
    )
    .await;
    let error = text_of(&client, &driver, "#code-syntax-error").await;
    assert!(error.starts_with("Syntax error at line 1, column"), "{error}");
    click(&client, &driver, "#code-save").await;
    let refused = text_of(&client, &driver, "#code-error").await;
    assert!(refused.starts_with("Not saved: syntax error at line 1"), "{refused}");

    // The lexer highlights keywords and strings.
    let code = "exports.handler = async (event) => ({ statusCode: 200, body: \"edited \" + event.who });";
    type_into(&client, &driver, "#code-editor", code).await;
    assert_eq!(text_of(&client, &driver, ".code-highlight .tok-keyword").await, "async");
    assert_eq!(
        text_of(&client, &driver, ".code-highlight .tok-string").await,
        "\"edited \""
    );
    assert!(client.find(Locator::Id("code-syntax-error")).await.is_err());
    click(&client, &driver, "#code-save").await;
    let notice = text_of(&client, &driver, "#code-notice").await;
    assert!(notice.starts_with("Saved and deployed."), "{notice}");

    // Test runs the new code.
    type_into(&client, &driver, "#event-json", "{\"who\": \"tester\"}").await;
    click(&client, &driver, "#invoke").await;
    let payload = text_of(&client, &driver, "#invoke-payload").await;
    assert_eq!(payload, "{\"statusCode\":200,\"body\":\"edited tester\"}");

    // The template holds the code.
    let saved = eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await;
    let scenario = Scenario::from_json(saved.as_str().unwrap()).unwrap();
    assert!(scenario.template.body.contains(code), "{}", scenario.template.body);
    finish(client, driver).await;
}

/// Issue 9's "a runaway handler leaves the page responsive": loops nested through calls (which Boa's per-frame loop
/// limit alone would let spin for hours) end as Lambda's timeout, and the page answers afterwards.
#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_runaway_handler_times_out_and_leaves_the_page_responsive() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&format!("{}#/lambda", server.url())).await.unwrap();
    click(&client, &driver, "#function-list a").await;

    let code =
        "function spin() { for (let i = 0; i < 1e7; i++) {} }\nexports.handler = async () => { for (;;) spin(); };";
    type_into(&client, &driver, "#code-editor", code).await;
    click(&client, &driver, "#code-save").await;
    let notice = text_of(&client, &driver, "#code-notice").await;
    assert!(notice.starts_with("Saved and deployed."), "{notice}");

    let started = Instant::now();
    click(&client, &driver, "#invoke").await;
    let payload = wait_for_text(&client, &driver, "#invoke-payload", |t| t.contains("timed out")).await;
    eprintln!("runaway handler ended in {:?} of real time", started.elapsed());
    let payload: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(payload["errorType"], json!("Sandbox.Timedout"), "{payload}");
    assert!(
        payload["errorMessage"]
            .as_str()
            .unwrap()
            .ends_with("Task timed out after 3.00 seconds"),
        "{payload}"
    );

    // The page still answers: another view renders.
    client.goto(&format!("{}#/template", server.url())).await.unwrap();
    wait_for(&client, &driver, "#template-editor").await;
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_second_code_file_is_added_imported_saved_and_invoked() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&format!("{}#/lambda", server.url())).await.unwrap();
    click(&client, &driver, "#function-list a").await;
    wait_for(&client, &driver, "button[data-file='index.js'][aria-selected='true']").await;

    // A name leaving the function's folder is refused, saying why.
    type_into(&client, &driver, "#code-file-name", "../secret.js").await;
    click(&client, &driver, "#code-file-add").await;
    assert_eq!(
        text_of(&client, &driver, "#code-file-error").await,
        "The file name \"../secret.js\" is refused: it may not use . or .. (files stay inside the function's folder)."
    );

    // A JSON file is checked as JSON, its error located, and a save with it is refused.
    type_into(&client, &driver, "#code-file-name", "data.json").await;
    click(&client, &driver, "#code-file-add").await;
    wait_for(&client, &driver, "button[data-file='data.json'][aria-selected='true']").await;
    assert!(client.find(Locator::Id("code-file-error")).await.is_err());
    type_into(&client, &driver, "#code-editor", "{\"greeting\": \"hi\",}").await;
    assert_eq!(
        text_of(&client, &driver, "#code-syntax-error").await,
        "Syntax error at line 1, column 19 of data.json: trailing comma"
    );
    click(&client, &driver, "#code-save").await;
    assert_eq!(
        text_of(&client, &driver, "#code-error").await,
        "Not saved: syntax error at line 1, column 19 of data.json: trailing comma"
    );
    click(&client, &driver, "#code-file-delete").await;
    wait_for_text(&client, &driver, "#code-files", |t| !t.contains("data.json")).await;

    // A second module, imported by the handler once its file is renamed to .mjs.
    type_into(&client, &driver, "#code-file-name", "lib/util.mjs").await;
    click(&client, &driver, "#code-file-add").await;
    wait_for(
        &client,
        &driver,
        "button[data-file='lib/util.mjs'][aria-selected='true']",
    )
    .await;
    type_into(
        &client,
        &driver,
        "#code-editor",
        "export const greet = (who) => \"hello \" + who + \" from lib/util.mjs\";",
    )
    .await;
    click(&client, &driver, "button[data-file='index.js']").await;
    type_into(&client, &driver, "#code-file-name", "index.mjs").await;
    click(&client, &driver, "#code-file-rename").await;
    let tab = text_of(&client, &driver, "button[data-file='index.mjs'][aria-selected='true']").await;
    assert!(tab.starts_with("index.mjs (handler)"), "{tab}");
    type_into(
        &client,
        &driver,
        "#code-editor",
        "import { greet } from './lib/util.mjs';\nexport const handler = async (event) => ({ statusCode: 200, body: greet(event.who) });",
    )
    .await;
    assert!(client.find(Locator::Id("code-syntax-error")).await.is_err());
    click(&client, &driver, "#code-save").await;
    let notice = text_of(&client, &driver, "#code-notice").await;
    assert!(notice.starts_with("Saved and deployed."), "{notice}");
    assert!(
        notice.contains("the code moved to CodeUri: HelloWorldFunction/"),
        "{notice}"
    );

    // Invoke runs the handler, which runs the imported file.
    type_into(&client, &driver, "#event-json", "{\"who\": \"tester\"}").await;
    click(&client, &driver, "#invoke").await;
    let payload = text_of(&client, &driver, "#invoke-payload").await;
    assert_eq!(
        payload,
        "{\"statusCode\":200,\"body\":\"hello tester from lib/util.mjs\"}"
    );

    // The scenario keeps the folder's files; the template names the folder.
    let saved = eval(&client, &format!("localStorage.getItem('{SCENARIO_KEY}')")).await;
    let scenario = Scenario::from_json(saved.as_str().unwrap()).unwrap();
    let files: Vec<&String> = scenario.code["HelloWorldFunction"].keys().collect();
    assert_eq!(files, ["index.mjs", "lib/util.mjs"]);
    assert!(
        scenario.template.body.contains("CodeUri: HelloWorldFunction/"),
        "{}",
        scenario.template.body
    );
    assert!(
        !scenario.template.body.contains("InlineCode"),
        "{}",
        scenario.template.body
    );
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn the_template_editors_line_numbers_stay_beside_their_lines() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    client.goto(&format!("{}#/template", server.url())).await.unwrap();
    wait_for(&client, &driver, "#template-editor").await;
    // 150 lines with a YAML error on line 120, put in as typing would (an input event).
    let mut lines: Vec<String> = (1..=150).map(|n| format!("# line {n}")).collect();
    lines[0] = "Resources: {}".into();
    lines[119] = "  bad: [".into();
    let text = lines.join("\n");
    client
        .execute(
            "const area = document.getElementById('template-editor'); area.value = arguments[0]; \
             area.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(text)],
        )
        .await
        .unwrap();
    wait_for(&client, &driver, "#deploy").await.click().await.unwrap();
    let error = text_of(&client, &driver, "#deploy-error").await;
    assert!(error.contains("Go to line 120, column 6"), "{error}");
    wait_for(&client, &driver, "#deploy-error button")
        .await
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let geometry = eval(
        &client,
        "(() => { const a = document.getElementById('template-editor'); \
           const g = document.getElementById('template-gutter'); \
           const box = a.parentElement; \
           const lh = parseFloat(getComputedStyle(a).lineHeight); \
           const caretLine = a.value.slice(0, a.selectionStart).split('\\n').length; \
           return { text: a.scrollTop, gutter: g.scrollTop, textScrolls: a.scrollHeight > a.clientHeight, \
             boxScrolls: box.scrollHeight > box.clientHeight, lh, caretLine, \
             textPad: parseFloat(getComputedStyle(a).paddingTop), gutterPad: parseFloat(getComputedStyle(g).paddingTop), \
             top: a.getBoundingClientRect().top, gutterTop: g.getBoundingClientRect().top, \
             height: a.clientHeight }; })()",
    )
    .await;
    let number = |key: &str| geometry[key].as_f64().unwrap_or(f64::NAN);
    // One scrollbar: the text scrolls, its box does not.
    assert_eq!(geometry["textScrolls"], json!(true), "{geometry}");
    assert_eq!(geometry["boxScrolls"], json!(false), "{geometry}");
    // The numbers are scrolled with the text, and start at the same height with the same padding.
    assert!(number("text") > 0.0, "{geometry}");
    assert_eq!(number("text"), number("gutter"), "{geometry}");
    assert_eq!(number("top"), number("gutterTop"), "{geometry}");
    assert_eq!(number("textPad"), number("gutterPad"), "{geometry}");
    // The caret is on the error's line, and that line is in view: the number beside it is its own.
    let error_line = error
        .split("Go to line ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.trim().parse::<f64>().ok())
        .unwrap();
    assert_eq!(number("caretLine"), error_line, "{geometry}");
    let line_top = (error_line - 1.0) * number("lh") - number("text");
    assert!(line_top >= 0.0 && line_top < number("height"), "{geometry}");

    // Scrolled to the very end, the numbers still follow.
    client
        .execute("document.getElementById('template-editor').scrollTop = 1e9;", vec![])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let end = eval(
        &client,
        "[document.getElementById('template-editor').scrollTop, document.getElementById('template-gutter').scrollTop]",
    )
    .await;
    assert_eq!(end[0], end[1], "{end}");
    finish(client, driver).await;
}

// ---------------------------------------------------------------------------------------------------------------
// Data views and the hosted website (src/ui/dynamodb.rs, s3.rs, website.rs)
// ---------------------------------------------------------------------------------------------------------------

/// A website bucket `demo-site`, an API whose `GET /hello` allows any origin and whose `GET /nocors` does not,
/// and a table `items`.
const WEBSITE_DEMO: &str = include_str!("fixtures/website-demo.yaml");

/// Opens the website demo in a fresh browser (a share link opens without asking) and returns the API's URL.
async fn open_website_demo(client: &Client, driver: &Driver, server: &StaticServer) -> String {
    let scenario = Scenario::with_template("website-demo.yaml", WEBSITE_DEMO);
    client
        .goto(&format!("{}{}", server.url(), share::encode(&scenario)))
        .await
        .unwrap();
    text_of(client, driver, "#outputs tr[data-output='ApiUrl'] .output-value").await
}

/// Waits until the text of `css` inside the preview's iframe is no longer `loading`, and returns it.
async fn frame_text(client: &Client, driver: &Driver, css: &str) -> String {
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        client.enter_parent_frame().await.unwrap();
        let frame = wait_for(client, driver, "#website-frame").await;
        frame.enter_frame().await.unwrap();
        let text = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        client.enter_parent_frame().await.unwrap();
        if !text.is_empty() && text != "loading" {
            return text;
        }
        assert!(Instant::now() < deadline, "{css} in the preview still says {text:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_hosted_page_fetches_the_api_and_a_page_without_cors_fails_as_in_a_browser() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let api = open_website_demo(&client, &driver, &server).await;

    // index.html is uploaded as a file; it reads the API with fetch and with XMLHttpRequest, and links to a page
    // whose fetch goes to a method that sends no CORS header.
    let index = format!(
        "<!DOCTYPE html>\n<html><head><title>Demo</title><link rel=\"stylesheet\" href=\"style.css\"></head><body>\
         <h1>Demo site</h1><p id=\"out\">loading</p><p id=\"xhr\">loading</p>\
         <a id=\"to-nocors\" href=\"nocors.html\">No CORS</a><script>\
         fetch('{api}/hello').then(r => r.json()).then(d => {{ document.getElementById('out').textContent = \
         'API says: ' + d.message; }}).catch(e => {{ document.getElementById('out').textContent = 'failed: ' + e; }});\
         const x = new XMLHttpRequest(); x.open('GET', '{api}/hello'); x.onload = () => {{ \
         document.getElementById('xhr').textContent = x.status + ' ' + x.getResponseHeader('Content-Type'); }}; x.send();\
         </script></body></html>"
    );
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("index.html");
    std::fs::write(&file, &index).unwrap();
    client.goto(&format!("{}#/s3/demo-site", server.url())).await.unwrap();
    wait_for(&client, &driver, "#upload-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    wait_for(&client, &driver, "#object-list tr[data-key='index.html']").await;

    // nocors.html is typed in the text editor.
    let nocors = format!(
        "<!DOCTYPE html><p id=\"out\">loading</p><script>fetch('{api}/nocors').then(r => r.text())\
         .then(t => {{ document.getElementById('out').textContent = 'read: ' + t; }})\
         .catch(e => {{ document.getElementById('out').textContent = String(e); }});</script>"
    );
    wait_for(&client, &driver, "#new-object-key")
        .await
        .send_keys("nocors.html")
        .await
        .unwrap();
    wait_for(&client, &driver, "#new-object").await.click().await.unwrap();
    wait_for(&client, &driver, "#object-text")
        .await
        .send_keys(&nocors)
        .await
        .unwrap();
    wait_for(&client, &driver, "#object-save").await.click().await.unwrap();
    wait_for(&client, &driver, "#object-list tr[data-key='nocors.html']").await;

    // The preview: the page's fetch and XMLHttpRequest reached the simulated API.
    wait_for(&client, &driver, "#website-preview-link")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(
        frame_text(&client, &driver, "#out").await,
        "API says: Hello from the simulated API"
    );
    assert_eq!(frame_text(&client, &driver, "#xhr").await, "200 application/json");
    // The page's missing stylesheet is reported, not fetched from the playground's origin.
    assert_eq!(
        text_of(&client, &driver, "#website-notes li").await,
        "style.css: 403 from the website endpoint."
    );
    let calls = text_of(&client, &driver, "#website-calls li.ok").await;
    assert_eq!(calls, format!("GET {api}/hello → 200"));
    // The page has no access to the playground's storage: its origin is opaque.
    let frame = wait_for(&client, &driver, "#website-frame").await;
    assert_eq!(frame.attr("sandbox").await.unwrap(), Some("allow-scripts".to_string()));

    // A link in the page opens the other page; its fetch fails as Chrome's does, and the user sees why.
    frame.enter_frame().await.unwrap();
    client
        .find(Locator::Id("to-nocors"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client.enter_parent_frame().await.unwrap();
    assert_eq!(frame_text(&client, &driver, "#out").await, "TypeError: Failed to fetch");
    assert_eq!(
        eval(&client, "location.hash").await,
        json!("#/s3/demo-site/website/%2Fnocors.html")
    );
    let reason = text_of(&client, &driver, "#website-calls li.blocked .reason").await;
    assert_eq!(
        reason,
        format!(
            "Access to fetch at '{api}/nocors' from origin 'http://demo-site.s3-website-us-east-1.amazonaws.com' \
             has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested \
             resource."
        )
    );
    // The logs drawer has it too (it starts closed: the learner opens it).
    wait_for(&client, &driver, "#drawer-toggle")
        .await
        .click()
        .await
        .unwrap();
    let drawer = text_of(&client, &driver, "#drawer-body").await;
    assert!(drawer.contains(&reason), "{drawer}");
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn an_item_put_through_the_item_browser_is_listed() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    open_website_demo(&client, &driver, &server).await;
    wait_for(&client, &driver, "#nav-dynamodb").await.click().await.unwrap();
    wait_for(&client, &driver, "#table-list tr[data-table='items'] a")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(
        text_of(&client, &driver, "#items-summary").await,
        "Scan: 0 items returned, 0 scanned"
    );

    // An item without its key: DynamoDB's own error.
    let editor = wait_for(&client, &driver, "#item-json").await;
    editor.send_keys(r#"{"qty": {"N": "2"}}"#).await.unwrap();
    wait_for(&client, &driver, "#item-save").await.click().await.unwrap();
    assert_eq!(
        text_of(&client, &driver, "#dynamodb-error").await,
        "ValidationException: One or more parameter values were invalid: Missing the key id in the item"
    );

    let editor = wait_for(&client, &driver, "#item-json").await;
    editor.clear().await.unwrap();
    editor
        .send_keys(r#"{"id": {"S": "milk"}, "qty": {"N": "2"}}"#)
        .await
        .unwrap();
    wait_for(&client, &driver, "#item-save").await.click().await.unwrap();
    assert_eq!(text_of(&client, &driver, "#dynamodb-message").await, "Item saved.");
    assert_eq!(text_of(&client, &driver, "#items tbody tr td.key").await, "milk");
    assert_eq!(
        text_of(&client, &driver, "#items tbody tr code.item-json").await,
        r#"{"id":{"S":"milk"},"qty":{"N":"2"}}"#
    );
    assert_eq!(
        text_of(&client, &driver, "#items-summary").await,
        "Scan: 1 item returned, 1 scanned"
    );

    // A query with a key condition finds it.
    let operation = wait_for(&client, &driver, "#read-operation").await;
    operation.select_by_value("Query").await.unwrap();
    wait_for(&client, &driver, "#read-key-condition")
        .await
        .send_keys("id = :id")
        .await
        .unwrap();
    wait_for(&client, &driver, "#read-values")
        .await
        .send_keys(r#"{":id": {"S": "milk"}}"#)
        .await
        .unwrap();
    wait_for(&client, &driver, "#read-run").await.click().await.unwrap();
    assert_eq!(
        text_of(&client, &driver, "#items-summary").await,
        "Query: 1 item returned, 1 scanned"
    );
    finish(client, driver).await;
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_v2_link_opens_its_tutorial_step_and_the_load_view_completes_it() {
    use serverless_playground::scenario::TutorialPosition;
    use serverless_playground::tutorial;
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let lessons = tutorial::lessons().unwrap();
    let scaling = lessons.iter().find(|l| l.id == "why-serverless").unwrap();
    let scenario = Scenario {
        template: TemplateFile {
            file_name: "template.yaml".into(),
            body: scaling.start_template(0).unwrap(),
        },
        test_events: Vec::new(),
        tutorial: Some(TutorialPosition {
            lesson: "why-serverless".into(),
            step: 1,
        }),
        code: Default::default(),
    };
    let link = format!("{}{}", server.url(), share::encode(&scenario));
    client.goto(&link).await.expect("open the share link");
    // The work is restored (deployed) and the step the link names is open.
    wait_for(
        &client,
        &driver,
        "#tutorial-step[data-lesson='why-serverless'][data-step='1']",
    )
    .await;
    assert_eq!(
        eval(&client, "location.hash").await,
        json!("#/tutorial/why-serverless/1")
    );
    wait_for(&client, &driver, "#tutorial-checks li.fail").await;

    wait_for(&client, &driver, "#tutorial-open-load")
        .await
        .click()
        .await
        .unwrap();
    wait_for(&client, &driver, "#load-run").await.click().await.unwrap();
    wait_for(&client, &driver, "#load-result").await;
    let peak = client
        .find(Locator::Css("#load-summary [data-peak-concurrency]"))
        .await
        .unwrap()
        .attr("data-peak-concurrency")
        .await
        .unwrap();
    assert_eq!(peak.as_deref(), Some("10"));
    wait_for(&client, &driver, "#load-chart svg g.series.concurrency").await;
    wait_for(&client, &driver, "#bill-table tbody tr").await;
    let took = text_of(&client, &driver, "#load-summary li.muted").await;
    eprintln!("browser load test: {took}");

    client
        .goto(&format!("{}#/tutorial/why-serverless/1", server.url()))
        .await
        .unwrap();
    wait_for_step_done(&client, &driver).await;
    finish(client, driver).await;
}

/// Issue 9's traces: an API (Lambda proxy, `GET /items`) whose function puts an item in DynamoDB.
const TRACED_API: &str = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::Serverless::SimpleTable
    Properties:
      TableName: items
      PrimaryKey: {Name: id, Type: String}
  PutFn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: put-item
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
        const db = new DynamoDBClient({});
        exports.handler = async (event) => {
          await db.send(new PutItemCommand({ TableName: 'items', Item: { id: { S: event.httpMethod || 'console' } } }));
          return { statusCode: 200, body: 'stored' };
        };
      Policies:
        - DynamoDBCrudPolicy: {TableName: items}
      Events:
        Put: {Type: Api, Properties: {Path: /items, Method: get}}
"#;

/// The Traces view's rows: `[name, duration, depth]`.
async fn trace_rows(client: &Client) -> Value {
    eval(
        client,
        "Array.from(document.querySelectorAll('#trace-timeline tbody tr')).map(r => \
         [r.querySelector('.span-name').textContent, r.querySelector('.span-duration').textContent, r.dataset.depth])",
    )
    .await
}

/// The diagram's lit nodes and the kinds of its lit edges.
async fn lit_diagram(client: &Client) -> Value {
    eval(
        client,
        "[Array.from(document.querySelectorAll('#architecture-diagram g.node.lit')).map(n => n.dataset.node), \
         Array.from(document.querySelectorAll('#architecture-diagram path.edge.lit')).map(e => e.classList[1])]",
    )
    .await
}

#[tokio::test]
#[ignore = "browser test: run by scripts/test.sh after trunk build"]
async fn a_request_is_traced_span_by_span_and_its_path_lit_in_the_diagram() {
    let server = StaticServer::start(dist_dir());
    let mut driver = Driver::start();
    let client = driver.connect().await;
    let scenario = Scenario::with_template("traced.yaml", TRACED_API);
    client
        .goto(&format!("{}{}", server.url(), share::encode(&scenario)))
        .await
        .unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='PutFn']").await;
    client.goto(&format!("{}#/traces", server.url())).await.unwrap();
    wait_for(&client, &driver, "#traces-empty").await;

    // GET /items from the request console (stage Prod).
    client.goto(&format!("{}#/apigateway", server.url())).await.unwrap();
    click(&client, &driver, "#api-list a").await;
    click(&client, &driver, "#open-console").await;
    click(&client, &driver, "#console-stage option[value='Prod']").await;
    type_into(&client, &driver, "#console-path", "/items").await;
    click(&client, &driver, "#console-send").await;
    assert_eq!(text_of(&client, &driver, "#console-status").await, "200");

    client.goto(&format!("{}#/traces", server.url())).await.unwrap();
    wait_for(&client, &driver, "#trace-timeline").await;
    let api = eval(&client, "document.querySelector('#trace-list a').textContent").await;
    let api = api.as_str().unwrap().to_string();
    // `#1 API Gateway <api id>/Prod GET /items: 5 ms, ok`
    let api_id = api
        .strip_prefix("#1 API Gateway ")
        .and_then(|rest| rest.split_once("/Prod GET /items: 5 ms, ok"))
        .map(|(id, _)| id.to_string())
        .unwrap_or_else(|| panic!("{api}"));
    assert_eq!(
        trace_rows(&client).await,
        json!([
            [format!("API Gateway {api_id}/Prod GET /items"), "5 ms", "0"],
            ["Method request", "0 ms", "1"],
            ["Integration request", "0 ms", "1"],
            ["Integration", "5 ms", "1"],
            ["Lambda put-item", "5 ms", "2"],
            ["Initialization", "0 ms", "3"],
            ["Invocation", "5 ms", "3"],
            ["DynamoDB PutItem items", "5 ms", "4"],
            ["Method response", "0 ms", "1"],
        ])
    );
    // The table is the accessible form; the bars are hidden from screen readers.
    assert_eq!(
        eval(
            &client,
            "document.querySelectorAll('#trace-timeline td.span-bar[aria-hidden=\"true\"]').length"
        )
        .await,
        json!(9)
    );

    // The Stack page's diagram lights API → function → table.
    client.goto(&format!("{}#/", server.url())).await.unwrap();
    wait_for(&client, &driver, "#architecture-diagram").await;
    assert_eq!(
        lit_diagram(&client).await,
        json!([
            [format!("apigateway:{api_id}"), "lambda:put-item", "dynamodb:items"],
            ["edge-integration", "edge-roleaccess"]
        ])
    );
    let hint = text_of(&client, &driver, "#architecture-last").await;
    assert!(
        hint.starts_with("Highlighted: the last request (#1 API Gateway"),
        "{hint}"
    );
    click(&client, &driver, "#architecture-trace").await;
    wait_for(&client, &driver, "#trace-timeline[data-trace='1']").await;

    // A Lambda console invoke is the last request now: warm, no initialization; the diagram follows it.
    client
        .goto(&format!("{}#/lambda/put-item", server.url()))
        .await
        .unwrap();
    click(&client, &driver, "#invoke").await;
    wait_for(&client, &driver, "#invoke-payload").await;
    client.goto(&format!("{}#/traces", server.url())).await.unwrap();
    wait_for(&client, &driver, "#trace-timeline[data-trace='2']").await;
    assert_eq!(
        trace_rows(&client).await,
        json!([
            ["Lambda put-item", "5 ms", "0"],
            ["Invocation", "5 ms", "1"],
            ["DynamoDB PutItem items", "5 ms", "2"],
        ])
    );
    client.goto(&format!("{}#/", server.url())).await.unwrap();
    wait_for(&client, &driver, "#architecture-diagram").await;
    assert_eq!(
        lit_diagram(&client).await,
        json!([["lambda:put-item", "dynamodb:items"], ["edge-roleaccess"]])
    );
    finish(client, driver).await;
}
