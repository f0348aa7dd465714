//! The few browser APIs the app uses, each failing softly: local storage, the location fragment, downloads and
//! the clipboard. Every function returns an error or nothing rather than panicking (storage may be disabled,
//! full, or missing in a sandboxed frame).

use wasm_bindgen::JsCast as _;
use wasm_bindgen::JsValue;

/// Where the scenario is saved.
pub const SCENARIO_KEY: &str = "serverless-playground.scenario";
/// Where the theme choice is saved.
pub const THEME_KEY: &str = "serverless-playground.theme";

/// A JavaScript error as text.
fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("local storage is not available in this browser".into()),
        Err(e) => Err(format!("local storage is disabled ({})", describe(&e))),
    }
}

/// The text saved under `key`: `Ok(None)` when nothing is saved.
pub fn load(key: &str) -> Result<Option<String>, String> {
    storage()?
        .get_item(key)
        .map_err(|e| format!("local storage could not be read ({})", describe(&e)))
}

/// Saves `text` under `key`.
pub fn save(key: &str, text: &str) -> Result<(), String> {
    storage()?
        .set_item(key, text)
        .map_err(|e| format!("local storage refused the save; it may be full ({})", describe(&e)))
}

/// `location.hash`, with its `#`.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// `origin + pathname`: the page's address without query and fragment.
pub fn page_address() -> String {
    web_sys::window()
        .map(|w| {
            let location = w.location();
            format!(
                "{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Replaces the fragment without a history entry and without a `hashchange` event.
pub fn replace_hash(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(fragment));
    }
}

/// Offers `text` as a download named `file_name`.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| describe(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads the file chosen in `input` as UTF-8 text and hands it to `done` (or why it could not be read). Files
/// larger than `max_bytes` are refused before reading.
pub fn read_chosen_file(
    input: &web_sys::HtmlInputElement,
    max_bytes: usize,
    done: yew::Callback<Result<String, String>>,
) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    if file.size() > max_bytes as f64 {
        done.emit(Err(format!(
            "{} is {} bytes; the largest scenario file is {max_bytes} bytes",
            file.name(),
            file.size()
        )));
        return;
    }
    let reader = match web_sys::FileReader::new() {
        Ok(reader) => reader,
        Err(e) => {
            done.emit(Err(describe(&e)));
            return;
        }
    };
    let finished = reader.clone();
    let failed = done.clone();
    // Called once by the browser, which then owns it.
    let on_load_end = wasm_bindgen::closure::Closure::once_into_js(move || {
        let text = finished.result().ok().and_then(|value| value.as_string());
        done.emit(text.ok_or_else(|| "the file could not be read as text".to_string()));
    });
    reader.set_onloadend(Some(on_load_end.unchecked_ref()));
    if let Err(e) = reader.read_as_text(&file) {
        // The handler will not run: say why here.
        reader.set_onloadend(None);
        failed.emit(Err(describe(&e)));
    }
}

/// Puts `text` on the clipboard (best effort: the browser may refuse without telling).
pub fn copy(text: &str) {
    if let Some(window) = web_sys::window() {
        let promise = window.navigator().clipboard().write_text(text);
        // A refused write is not worth a console error: the text stays selectable on the page. The handler
        // must outlive this call, so it is leaked on purpose: a few bytes per click on a Copy button.
        let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
        let _ = promise.catch(&ignore);
        ignore.forget();
    }
}

/// Asks the user to confirm `question` (false when the browser cannot ask).
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Sets `data-theme` on the root element (`None` removes it: the system's preference applies).
pub fn apply_theme(theme: Option<&str>) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            Some(theme) => root.set_attribute("data-theme", theme),
            None => root.remove_attribute("data-theme"),
        };
    }
}

/// Whether the system asks for a dark theme.
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Adds a `performance.mark` named `name` (read by scripts/measure.sh; nothing happens without the API).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
