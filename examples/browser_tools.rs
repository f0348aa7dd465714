//! Screenshots and measurements of the built site (`dist/`) in headless Chromium, for `scripts/screenshots.sh` and
//! `scripts/measure.sh`:
//!
//! ```text
//! cargo run --example browser_tools -- screenshots docs/screenshots
//! cargo run --example browser_tools -- measure
//! ```
//!
//! Like `tests/e2e_browser.rs`, it serves `dist/` on a loopback port and drives Debian's `/usr/bin/chromium`
//! through `/usr/bin/chromedriver`, with a fresh profile per session (so every session starts with a cold cache).
//! The scenario is `tests/fixtures/website-demo.yaml` (an API, a website bucket, a table and a function that puts
//! 1,000 items), opened with a share link.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use serverless_playground::scenario::{share, Scenario};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const TIMEOUT: Duration = Duration::from_secs(60);
const DEMO: &str = include_str!("../tests/fixtures/website-demo.yaml");

/// Targets of issue 9's "Measure".
const TARGET_INTERACTIVE_MS: f64 = 1500.0;
const TARGET_GZIP_BYTES: usize = 2 * 1024 * 1024;
const TARGET_VIEW_MS: f64 = 50.0;

type Result<T> = std::result::Result<T, String>;

/// Serves a folder on a free loopback port (a thread per server; it lives as long as the program).
fn serve(root: PathBuf) -> Result<SocketAddr> {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").map_err(|e| e.to_string())?);
    let addr = server.server_addr().to_ip().ok_or("no IP address")?;
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split(['?', '#']).next().unwrap_or("/").to_string();
            let relative = path.trim_start_matches('/');
            let relative = if relative.is_empty() { "index.html" } else { relative };
            let safe = relative.split('/').all(|p| !p.is_empty() && p != "." && p != "..");
            let file = root.join(relative);
            let response = match std::fs::read(&file) {
                Ok(bytes) if safe => {
                    let mime = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
                        "html" => "text/html; charset=utf-8",
                        "js" => "text/javascript; charset=utf-8",
                        "wasm" => "application/wasm",
                        "css" => "text/css; charset=utf-8",
                        _ => "application/octet-stream",
                    };
                    let header = tiny_http::Header::from_bytes("Content-Type", mime).expect("a valid header");
                    tiny_http::Response::from_data(bytes).with_header(header)
                }
                _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    Ok(addr)
}

/// ChromeDriver with one Chromium session in a fresh profile; both end on drop.
struct Browser {
    driver: Child,
    client: Option<Client>,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start() -> Result<Browser> {
        for program in [CHROMEDRIVER, CHROMIUM] {
            if !Path::new(program).is_file() {
                return Err(format!("{program} not found: run `bash scripts/setup.sh --browser`"));
            }
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("{CHROMEDRIVER}: {e}"))?;
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut browser = Browser {
            driver,
            client: None,
            _profile: profile,
        };
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    "--disable-dev-shm-usage", "--window-size=1280,900", "--hide-scrollbars",
                    format!("--user-data-dir={}", browser._profile.path().join("profile").display()),
                ],
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await;
            match attempt {
                Ok(client) => {
                    browser.client = Some(client);
                    return Ok(browser);
                }
                Err(e) if Instant::now() > deadline => return Err(format!("no Chromium session: {e}")),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

async fn wait_for(client: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            return Ok(element);
        }
        if Instant::now() > deadline {
            return Err(format!("no {css} after {TIMEOUT:?}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn click(client: &Client, css: &str) -> Result<()> {
    wait_for(client, css)
        .await?
        .click()
        .await
        .map_err(|e| format!("click {css}: {e}"))
}

async fn eval(client: &Client, script: &str) -> Result<Value> {
    client
        .execute(script, vec![])
        .await
        .map_err(|e| format!("{script}: {e}"))
}

async fn goto(client: &Client, url: &str) -> Result<()> {
    client.goto(url).await.map_err(|e| format!("{url}: {e}"))
}

/// Opens the demo scenario (share link) and returns the API's URL.
async fn open_demo(client: &Client, base: &str) -> Result<String> {
    let scenario = Scenario::with_template("website-demo.yaml", DEMO);
    goto(client, &format!("{base}{}", share::encode(&scenario))).await?;
    let cell = wait_for(client, "#outputs tr[data-output='ApiUrl'] .output-value").await?;
    cell.text().await.map_err(|e| e.to_string())
}

/// The href of the first method link of the first API (Method Execution's route).
async fn method_route(client: &Client, base: &str) -> Result<String> {
    goto(client, &format!("{base}#/apigateway")).await?;
    click(client, "#api-list a").await?;
    let link = wait_for(client, "a.method-link").await?;
    link.attr("href")
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "a method link without href".to_string())
}

/// Invokes `seed-items` (1,000 items) from the Lambda view.
async fn seed_items(client: &Client, base: &str) -> Result<()> {
    invoke_seed_items(client, base, 1000).await
}

/// Invokes `seed-items` from the Lambda console with `{"count": count}` and checks its answer.
async fn invoke_seed_items(client: &Client, base: &str, count: u32) -> Result<()> {
    goto(client, &format!("{base}#/lambda/seed-items")).await?;
    let event = wait_for(client, "#event-json").await?;
    event.clear().await.map_err(|e| e.to_string())?;
    event
        .send_keys(&format!("{{\"count\": {count}}}"))
        .await
        .map_err(|e| e.to_string())?;
    click(client, "#invoke").await?;
    let expected = format!("{{\"written\":{count}}}");
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let payload = wait_for(client, "#invoke-payload")
            .await?
            .text()
            .await
            .unwrap_or_default();
        if payload == expected {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!("seed-items answered {payload}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The index page of the demo website: it calls the API and shows the answer.
fn demo_page(api: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><title>Items</title><style>body{{font-family:sans-serif;margin:2rem}}\
         h1{{color:#d45b07}}</style></head><body><h1>My serverless site</h1><p>Served by the bucket's website \
         endpoint; the text below comes from the API through <code>fetch</code>.</p><p id=\"out\">loading</p>\
         <script>fetch('{api}/hello').then(r => r.json()).then(d => {{ document.getElementById('out')\
         .textContent = 'API says: ' + d.message; }}).catch(e => {{ document.getElementById('out').textContent = \
         String(e); }});</script></body></html>"
    )
}

/// Saves a screenshot of the window as `<folder>/<name>.png`, with the main area scrolled to its top, or to
/// `element` (an id) when given.
async fn shot(client: &Client, folder: &Path, name: &str, element: Option<&str>) -> Result<()> {
    client
        .execute(
            "const main = document.getElementById('main'); if (main) main.scrollTop = 0; \
             const el = arguments[0] && document.getElementById(arguments[0]); if (el) el.scrollIntoView(); return null;",
            vec![json!(element)],
        )
        .await
        .map_err(|e| e.to_string())?;
    // Two frames, so that what was rendered is painted.
    let _ = client
        .execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(null)));",
            vec![],
        )
        .await;
    let png = client
        .screenshot()
        .await
        .map_err(|e| format!("screenshot {name}: {e}"))?;
    let path = folder.join(format!("{name}.png"));
    std::fs::write(&path, png).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

async fn screenshots(base: &str, folder: &Path) -> Result<()> {
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let browser = Browser::start().await?;
    let client = browser.client();
    let api = open_demo(client, base).await?;

    goto(client, &format!("{base}#/apigateway")).await?;
    wait_for(client, "#api-list a").await?;
    shot(client, folder, "api-list", None).await?;

    let method = method_route(client, base).await?;
    goto(client, &format!("{base}{method}")).await?;
    wait_for(client, "#method-execution").await?;
    shot(client, folder, "method-execution", None).await?;
    click(client, "#test-invoke").await?;
    wait_for(client, "#test-result").await?;
    shot(client, folder, "test-panel", Some("test-result")).await?;

    goto(client, &format!("{base}#/lambda/hello")).await?;
    click(client, "#invoke").await?;
    wait_for(client, "#invoke-report-note").await?;
    shot(client, folder, "lambda-invoke", None).await?;

    seed_items(client, base).await?;
    goto(client, &format!("{base}#/dynamodb/items")).await?;
    wait_for(client, "#items tbody tr").await?;
    shot(client, folder, "dynamodb-items", Some("items-summary")).await?;

    let file = tempfile::tempdir().map_err(|e| e.to_string())?;
    let index = file.path().join("index.html");
    std::fs::write(&index, demo_page(&api)).map_err(|e| e.to_string())?;
    goto(client, &format!("{base}#/s3/demo-site")).await?;
    wait_for(client, "#upload-file")
        .await?
        .send_keys(&index.display().to_string())
        .await
        .map_err(|e| e.to_string())?;
    wait_for(client, "#object-list tr[data-key='index.html']").await?;
    shot(client, folder, "s3-objects", None).await?;
    click(client, "#website-preview-link").await?;
    wait_for(client, "#website-calls li.ok").await?;
    shot(client, folder, "hosted-website", None).await?;

    // The hosted page's fetch is the last request: the Stack page's diagram lights its path.
    goto(client, &format!("{base}#/")).await?;
    wait_for(client, "#architecture-diagram .node.lit").await?;
    shot(client, folder, "architecture", Some("architecture")).await?;
    // A function putting three items: its trace's SDK calls follow one another on the virtual clock.
    invoke_seed_items(client, base, 3).await?;
    goto(client, &format!("{base}#/traces")).await?;
    wait_for(client, "#trace-timeline").await?;
    shot(client, folder, "traces", None).await?;

    goto(client, &format!("{base}#/tutorial/hello-world-mock/1")).await?;
    wait_for(client, "#tutorial-step").await?;
    shot(client, folder, "tutorial-step", None).await?;

    // Both themes of one view: the toggle goes system -> light -> dark.
    goto(client, &format!("{base}{method}")).await?;
    wait_for(client, "#method-execution").await?;
    click(client, "#theme-toggle").await?;
    shot(client, folder, "method-execution-light", None).await?;
    click(client, "#theme-toggle").await?;
    shot(client, folder, "method-execution-dark", None).await?;
    goto(client, &format!("{base}#/traces")).await?;
    wait_for(client, "#trace-timeline").await?;
    shot(client, folder, "traces-dark", None).await?;
    browser.close().await;
    Ok(())
}

/// Milliseconds from setting `hash` to the first DOM state where `selector` matches (Yew renders synchronously
/// within that task), and to the next animation frame after it (the view painted).
async fn time_view(client: &Client, hash: &str, selector: &str) -> Result<(f64, f64)> {
    let script = "const [hash, selector, done] = arguments; \
        const t0 = performance.now(); \
        const finish = () => { const t1 = performance.now(); \
            requestAnimationFrame(() => done([t1 - t0, performance.now() - t0])); }; \
        const observer = new MutationObserver(() => { \
            if (document.querySelector(selector)) { observer.disconnect(); finish(); } }); \
        observer.observe(document.body, { childList: true, subtree: true }); \
        location.hash = hash;";
    let value = client
        .execute_async(script, vec![json!(hash), json!(selector)])
        .await
        .map_err(|e| format!("timing {hash}: {e}"))?;
    let pair: (f64, f64) = serde_json::from_value(value).map_err(|e| e.to_string())?;
    Ok(pair)
}

/// Gzip size of `bytes` at level 9 (miniz_oxide; within 0.2% of `gzip -9`): deflate plus gzip's 18 bytes of header and trailer.
fn gzip_size(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 9).len() + 18
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "OVER TARGET"
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

async fn measure(base: &str, dist: &Path) -> Result<()> {
    // Interactive: navigation start to the app's first render (`performance.mark('playground-interactive')`),
    // each run in a fresh profile (cold cache).
    let mut interactive = Vec::new();
    let mut loaded: Vec<String> = Vec::new();
    for _ in 0..3 {
        let browser = Browser::start().await?;
        let client = browser.client();
        goto(client, base).await?;
        let deadline = Instant::now() + TIMEOUT;
        let ms = loop {
            let value = eval(
                client,
                "const m = performance.getEntriesByName('playground-interactive')[0]; return m ? m.startTime : null;",
            )
            .await?;
            if let Some(ms) = value.as_f64() {
                break ms;
            }
            if Instant::now() > deadline {
                return Err("the page never became interactive".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        interactive.push(ms);
        let names = eval(
            client,
            "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));",
        )
        .await?;
        loaded = serde_json::from_value(names).map_err(|e| e.to_string())?;
        browser.close().await;
    }
    let runs = interactive
        .iter()
        .map(|ms| format!("{ms:.0}"))
        .collect::<Vec<_>>()
        .join(", ");
    let interactive_ms = median(&mut interactive);
    println!(
        "interactive (cold cache, median of 3: {runs} ms): {interactive_ms:.0} ms  (target ≤ {TARGET_INTERACTIVE_MS:.0} ms: {})",
        verdict(interactive_ms <= TARGET_INTERACTIVE_MS)
    );

    // What the page loaded, by its file in dist/.
    let mut total = 0;
    for url in &loaded {
        let path = url
            .strip_prefix(base)
            .unwrap_or(url)
            .split(['?', '#'])
            .next()
            .unwrap_or("");
        let file = dist.join(if path.is_empty() { "index.html" } else { path });
        match std::fs::read(&file) {
            Ok(bytes) => {
                let gz = gzip_size(&bytes);
                total += gz;
                println!(
                    "  loaded {:<44} {:>10} bytes raw {:>9} gzip",
                    path_or_root(path),
                    bytes.len(),
                    gz
                );
            }
            Err(_) => println!("  loaded {url} (not a file of dist/)"),
        }
    }
    println!(
        "everything the page loads, gzip (deflate level 9): {total} bytes = {:.2} MB  (target ≤ 2 MB: {})",
        total as f64 / 1024.0 / 1024.0,
        verdict(total <= TARGET_GZIP_BYTES)
    );

    // Views: Method Execution, and a 1,000-item table.
    let browser = Browser::start().await?;
    let client = browser.client();
    open_demo(client, base).await?;
    let method = method_route(client, base).await?;
    seed_items(client, base).await?;
    let mut method_times = Vec::new();
    let mut table_times = Vec::new();
    for _ in 0..5 {
        goto(client, &format!("{base}#/")).await?;
        wait_for(client, "#resources").await?;
        method_times.push(time_view(client, &method, "#method-execution").await?);
        goto(client, &format!("{base}#/")).await?;
        wait_for(client, "#resources").await?;
        table_times.push(time_view(client, "#/dynamodb/items", "#items tbody tr").await?);
    }
    let rows = eval(client, "return document.querySelectorAll('#items tbody tr').length;").await?;
    let summary = wait_for(client, "#items-summary")
        .await?
        .text()
        .await
        .unwrap_or_default();
    browser.close().await;
    for (name, times) in [
        ("Method Execution view", method_times),
        (
            &*format!("1,000-item table ({summary}; {rows} rows on the first page)"),
            table_times,
        ),
    ] {
        let mut dom: Vec<f64> = times.iter().map(|t| t.0).collect();
        let mut painted: Vec<f64> = times.iter().map(|t| t.1).collect();
        let (dom, painted) = (median(&mut dom), median(&mut painted));
        println!(
            "{name}: rendered in {dom:.1} ms, next frame at {painted:.1} ms (median of 5)  (target ≤ {TARGET_VIEW_MS:.0} ms: {})",
            verdict(dom <= TARGET_VIEW_MS)
        );
    }
    Ok(())
}

fn path_or_root(path: &str) -> &str {
    if path.is_empty() {
        "/"
    } else {
        path
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    if !dist.join("index.html").is_file() {
        eprintln!(
            "{} has no built site: run `trunk build --release` first",
            dist.display()
        );
        std::process::exit(1);
    }
    let addr = match serve(dist.clone()) {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("could not serve dist/: {e}");
            std::process::exit(1);
        }
    };
    let base = format!("http://{addr}/");
    let result = match args.first().map(String::as_str) {
        Some("screenshots") => {
            let folder = args
                .get(1)
                .map_or_else(|| PathBuf::from("docs/screenshots"), PathBuf::from);
            screenshots(&base, &folder).await
        }
        Some("measure") => measure(&base, &dist).await,
        _ => Err("usage: browser_tools screenshots [FOLDER] | measure".into()),
    };
    if let Err(e) = result {
        eprintln!("browser_tools: {e}");
        std::process::exit(1);
    }
}
