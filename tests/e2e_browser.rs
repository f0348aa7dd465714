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
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() { "index.html" } else { relative };
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
    assert!(text_of(&client, &driver, "#invoke-report")
        .await
        .starts_with("REPORT RequestId: "));

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
    };
    let link = format!("{}{}", server.url(), share::encode(&scenario));
    client.goto(&link).await.unwrap();
    wait_for(&client, &driver, "#resources tr[data-logical-id='XssFunction']").await;
    assert_eq!(text_of(&client, &driver, "#outputs .output-value").await, payload);

    let pwned = "typeof window.__pwned";
    let injected =
        "document.querySelectorAll('main img, main script, main svg, main iframe, main a[href^=javascript]').length";
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
    path.send_keys("/message").await.unwrap();
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

    // The lesson list, then lesson 1; its first step loads its starting template (the browser asks first).
    client.goto(&format!("{}#/", server.url())).await.unwrap();
    wait_for(&client, &driver, "#nav-tutorial").await.click().await.unwrap();
    wait_for(&client, &driver, "li[data-lesson='hello-world-mock'] a")
        .await
        .click()
        .await
        .unwrap();
    wait_for(&client, &driver, "#tutorial-start")
        .await
        .click()
        .await
        .unwrap();
    learner_steps += 3;
    let deadline = Instant::now() + PAGE_TIMEOUT;
    while client.get_alert_text().await.is_err() {
        assert!(Instant::now() < deadline, "no confirmation was asked");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client.accept_alert().await.unwrap();
    learner_steps += 1;
    let missing = text_of(&client, &driver, "#tutorial-checks li.fail").await;
    assert_eq!(missing, "✗ The API has no /message resource yet.");

    // Steps 1 to 3: type the template in the editor, Deploy, come back to the step and watch its check go green.
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
        client.back().await.unwrap();
        learner_steps += 1;
        wait_for_step_done(&client, &driver).await;
        wait_for(&client, &driver, "#tutorial-next")
            .await
            .click()
            .await
            .unwrap();
        learner_steps += 1;
        let step = wait_for(&client, &driver, "#tutorial-step").await;
        assert_eq!(step.attr("data-step").await.unwrap(), Some((index + 2).to_string()));
    }

    // Step 4: call the stage root from the request console and meet Missing Authentication Token.
    assert!(client.find(Locator::Css("#tutorial-checks li.fail")).await.is_ok());
    wait_for(&client, &driver, "#nav-apigateway")
        .await
        .click()
        .await
        .unwrap();
    wait_for(&client, &driver, "#api-list a").await.click().await.unwrap();
    wait_for(&client, &driver, "#open-console").await.click().await.unwrap();
    wait_for(&client, &driver, "#console-send").await.click().await.unwrap();
    learner_steps += 4;
    assert_eq!(text_of(&client, &driver, "#console-status").await, "403");
    assert_eq!(
        text_of(&client, &driver, "#console-body-out").await,
        r#"{"message":"Missing Authentication Token"}"#
    );
    // Back to the lesson by its deep link.
    client
        .goto(&format!("{}#/tutorial/hello-world-mock/4", server.url()))
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
