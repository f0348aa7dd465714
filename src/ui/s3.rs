//! S3 views: the buckets, and one bucket's objects by prefix (folders), with upload, edit of text objects,
//! download and delete. Every action is an API call through [`crate::Cloud::call`] as the account's root user
//! (`ListBuckets`, `ListObjectsV2`, `PutObject`, `GetObject`, `DeleteObject`, `GetBucketWebsite`), so errors are
//! S3's own. A bucket with website hosting links to its preview ([`super::website`]).
//!
//! Objects are the account's live state, not part of the scenario: a Deploy or a reload starts from the
//! template's empty buckets. The view says so.

use super::route::Route;
use super::{event_value, App, Msg as AppMsg};
use crate::api::{ApiRequest, Caller};
use crate::Cloud;
use base64::Engine as _;
use serde_json::{json, Value as Json};
use wasm_bindgen::JsCast as _;
use yew::html::Scope;
use yew::prelude::*;

/// The largest file the upload reads (the simulator keeps objects in memory).
pub const MAX_UPLOAD_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// The notice shown on the S3 views.
pub const LIVE_STATE_NOTICE: &str = "Objects are the account's live state: they are not saved in the scenario \
     (which holds your template and test events) and are not in share links. Deploy or a reload starts again from \
     the template's empty buckets.";

/// One bucket of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketRow {
    /// The name.
    pub name: String,
    /// Its website endpoint, when website hosting is on.
    pub website: Option<String>,
}

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRow {
    /// The full key.
    pub key: String,
    /// Bytes.
    pub size: u64,
}

/// A listing of one prefix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing {
    /// The folders (common prefixes, full).
    pub folders: Vec<String>,
    /// The objects.
    pub objects: Vec<ObjectRow>,
}

/// A text object open in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    /// The key.
    pub key: String,
    /// The text.
    pub text: String,
    /// The content type it is saved with.
    pub content_type: String,
}

/// The views' state.
#[derive(Debug, Default)]
pub struct State {
    /// The buckets.
    pub buckets: Vec<BucketRow>,
    /// The prefix listed.
    pub prefix: String,
    /// The listing, or S3's error.
    pub listing: Option<Result<Listing, String>>,
    /// The bucket's website endpoint, when hosting is on.
    pub website: Option<String>,
    /// The object being edited.
    pub editing: Option<Editing>,
    /// The new text object's key.
    pub new_key: String,
    /// The last error.
    pub error: Option<String>,
    /// The last success.
    pub message: Option<String>,
}

/// What the views react to.
pub enum Msg {
    /// List `prefix`.
    Open(String),
    /// A file was read for upload (its name, its bytes or why not).
    Uploaded(String, Result<Vec<u8>, String>),
    /// Open a text object in the editor.
    Edit(String),
    /// The editor's text.
    SetText(String),
    /// The new object's key.
    SetNewKey(String),
    /// Start a new, empty text object at the key typed.
    NewText,
    /// PutObject with the editor's text.
    Save,
    /// Close the editor.
    Cancel,
    /// Download an object.
    Download(String),
    /// Delete an object.
    Delete(String),
    /// List again.
    Refresh,
}

fn call(cloud: &mut Cloud, operation: &str, input: &Json) -> Result<Json, String> {
    let caller = Caller::root(&cloud.account_id);
    cloud
        .call(&ApiRequest {
            service: "s3",
            operation,
            input,
            caller: &caller,
        })
        .map_err(|e| e.to_string())
}

/// Loads what the route's view shows.
pub(super) fn enter(app: &mut App) {
    let Some(deployed) = app.deployed.as_mut() else {
        return;
    };
    match app.route.clone() {
        Route::Buckets => match list_buckets(&mut deployed.cloud) {
            Ok(buckets) => {
                app.s3.buckets = buckets;
                app.s3.error = None;
            }
            Err(e) => app.s3.error = Some(e),
        },
        Route::Bucket { bucket } => {
            app.s3 = State::default();
            app.s3.website = website_of(&mut deployed.cloud, &bucket);
            list(app, &bucket);
        }
        _ => {}
    }
}

fn website_of(cloud: &mut Cloud, bucket: &str) -> Option<String> {
    call(cloud, "GetBucketWebsite", &json!({ "Bucket": bucket })).ok()?;
    Some(super::website::page_url(cloud, bucket, "/"))
}

/// The buckets, with their website endpoints.
pub fn list_buckets(cloud: &mut Cloud) -> Result<Vec<BucketRow>, String> {
    let out = call(cloud, "ListBuckets", &json!({}))?;
    let names: Vec<String> = out["Buckets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["Name"].as_str().map(str::to_string))
        .collect();
    Ok(names
        .into_iter()
        .map(|name| BucketRow {
            website: website_of(cloud, &name),
            name,
        })
        .collect())
}

/// Lists `prefix` of `bucket` with `/` as the delimiter, every page.
pub fn list_prefix(cloud: &mut Cloud, bucket: &str, prefix: &str) -> Result<Listing, String> {
    let mut listing = Listing::default();
    let mut input = json!({ "Bucket": bucket, "Prefix": prefix, "Delimiter": "/" });
    for _ in 0..100 {
        let out = call(cloud, "ListObjectsV2", &input)?;
        listing.folders.extend(
            out["CommonPrefixes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["Prefix"].as_str().map(str::to_string)),
        );
        listing
            .objects
            .extend(out["Contents"].as_array().into_iter().flatten().filter_map(|o| {
                Some(ObjectRow {
                    key: o["Key"].as_str()?.to_string(),
                    size: o["Size"].as_u64().unwrap_or(0),
                })
            }));
        match out.get("NextContinuationToken").and_then(Json::as_str) {
            Some(token) if out["IsTruncated"] == json!(true) => input["ContinuationToken"] = json!(token),
            _ => break,
        }
    }
    Ok(listing)
}

fn list(app: &mut App, bucket: &str) {
    if let Some(deployed) = app.deployed.as_mut() {
        app.s3.listing = Some(list_prefix(&mut deployed.cloud, bucket, &app.s3.prefix));
    }
}

/// The `Content-Type` for a file name, by extension: the same table as the CLI's `website --upload` (Python's
/// `mimetypes`, which `aws s3 cp` uses); `None` for others (S3 then stores `binary/octet-stream`).
pub fn guess_content_type(file_name: &str) -> Option<&'static str> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "txt" => "text/plain",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/vnd.microsoft.icon",
        "xml" => "text/xml",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => return None,
    })
}

fn put(cloud: &mut Cloud, bucket: &str, key: &str, body: &[u8], content_type: Option<&str>) -> Result<Json, String> {
    let mut input = json!({
        "Bucket": bucket,
        "Key": key,
        "Body": base64::engine::general_purpose::STANDARD.encode(body),
    });
    if let Some(content_type) = content_type {
        input["ContentType"] = json!(content_type);
    }
    call(cloud, "PutObject", &input)
}

fn get(cloud: &mut Cloud, bucket: &str, key: &str) -> Result<(Vec<u8>, String), String> {
    let out = call(cloud, "GetObject", &json!({ "Bucket": bucket, "Key": key }))?;
    let body = base64::engine::general_purpose::STANDARD
        .decode(out["Body"].as_str().unwrap_or_default())
        .map_err(|e| format!("the body is not base64: {e}"))?;
    Ok((body, out["ContentType"].as_str().unwrap_or_default().to_string()))
}

/// Handles a message of the views.
pub(super) fn update(app: &mut App, msg: Msg) {
    if let Msg::Refresh = msg {
        let prefix = app.s3.prefix.clone();
        enter(app);
        if let Route::Bucket { bucket } = app.route.clone() {
            app.s3.prefix = prefix;
            list(app, &bucket);
        }
        return;
    }
    let Route::Bucket { bucket } = app.route.clone() else {
        return;
    };
    let Some(deployed) = app.deployed.as_mut() else {
        return;
    };
    let cloud = &mut deployed.cloud;
    let state = &mut app.s3;
    let result: Result<Option<String>, String> = match msg {
        Msg::Refresh => Ok(None),
        Msg::Open(prefix) => {
            state.prefix = prefix;
            state.editing = None;
            Ok(None)
        }
        Msg::Uploaded(name, bytes) => bytes.and_then(|bytes| {
            let key = format!("{}{name}", state.prefix);
            put(cloud, &bucket, &key, &bytes, guess_content_type(&name))
                .map(|_| Some(format!("Uploaded {key} ({} bytes).", bytes.len())))
        }),
        Msg::Edit(key) => get(cloud, &bucket, &key).and_then(|(body, content_type)| {
            let text = String::from_utf8(body).map_err(|_| format!("{key} is not UTF-8 text: download it instead."))?;
            state.editing = Some(Editing {
                key,
                text,
                content_type,
            });
            Ok(None)
        }),
        Msg::SetText(text) => {
            if let Some(editing) = &mut state.editing {
                editing.text = text;
            }
            return;
        }
        Msg::SetNewKey(key) => {
            state.new_key = key;
            return;
        }
        Msg::NewText => {
            let key = format!("{}{}", state.prefix, state.new_key.trim());
            if state.new_key.trim().is_empty() {
                Err("Type the new object's name first.".to_string())
            } else {
                state.editing = Some(Editing {
                    content_type: guess_content_type(&key).unwrap_or("text/plain").to_string(),
                    key,
                    text: String::new(),
                });
                Ok(None)
            }
        }
        Msg::Save => match state.editing.take() {
            None => Ok(None),
            Some(editing) => {
                let content_type = (!editing.content_type.is_empty()).then_some(editing.content_type.as_str());
                let saved = put(cloud, &bucket, &editing.key, editing.text.as_bytes(), content_type)
                    .map(|_| Some(format!("Saved {}.", editing.key)));
                if saved.is_err() {
                    state.editing = Some(editing);
                }
                saved
            }
        },
        Msg::Cancel => {
            state.editing = None;
            Ok(None)
        }
        Msg::Download(key) => get(cloud, &bucket, &key).and_then(|(body, content_type)| {
            let name = key.rsplit('/').next().unwrap_or(&key).to_string();
            download_bytes(&name, &content_type, &body).map(|()| None)
        }),
        Msg::Delete(key) => {
            if !super::browser::confirm(&format!("Delete s3://{bucket}/{key}?")) {
                return;
            }
            call(cloud, "DeleteObject", &json!({ "Bucket": bucket, "Key": key }))
                .map(|_| Some(format!("Deleted {key}.")))
        }
    };
    match result {
        Ok(message) => {
            app.s3.error = None;
            if message.is_some() {
                app.s3.message = message;
            }
        }
        Err(e) => {
            app.s3.error = Some(e);
            app.s3.message = None;
        }
    }
    list(app, &bucket);
}

/// Offers `body` as a download named `file_name`.
fn download_bytes(file_name: &str, content_type: &str, body: &[u8]) -> Result<(), String> {
    let fail = |what: &str| format!("The download could not start ({what}).");
    let bytes = js_sys::Uint8Array::from(body);
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("object URL"))?;
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| fail("no document"))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Reads each chosen file as bytes and hands it to `done` with its name (files over [`MAX_UPLOAD_BYTES`] are
/// refused before reading).
fn read_files(input: &web_sys::HtmlInputElement, done: Callback<(String, Result<Vec<u8>, String>)>) {
    let Some(files) = input.files() else {
        return;
    };
    for index in 0..files.length() {
        let Some(file) = files.get(index) else {
            continue;
        };
        let name = file.name();
        if file.size() > MAX_UPLOAD_BYTES {
            done.emit((
                name.clone(),
                Err(format!("{name} is larger than {MAX_UPLOAD_BYTES} bytes")),
            ));
            continue;
        }
        let Ok(reader) = web_sys::FileReader::new() else {
            done.emit((name, Err("the browser cannot read files".into())));
            continue;
        };
        let finished = reader.clone();
        let emit = done.clone();
        let file_name = name.clone();
        let on_load_end = wasm_bindgen::closure::Closure::once_into_js(move || {
            let bytes = finished
                .result()
                .ok()
                .filter(|v| v.is_object())
                .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
            emit.emit((
                file_name.clone(),
                bytes.ok_or_else(|| format!("{file_name} could not be read")),
            ));
        });
        reader.set_onloadend(Some(on_load_end.unchecked_ref()));
        if reader.read_as_array_buffer(&file).is_err() {
            reader.set_onloadend(None);
            done.emit((name.clone(), Err(format!("{name} could not be read"))));
        }
    }
}

/// The buckets list.
pub(super) fn buckets_view(app: &App, link: &Scope<App>) -> Html {
    html! {
        <section class="card" id="s3-buckets">
            <h2>{ "S3 buckets" }</h2>
            <p class="notice">{ LIVE_STATE_NOTICE }</p>
            <button onclick={ link.callback(|_| AppMsg::S3(Msg::Refresh)) }>{ "Refresh" }</button>
            if let Some(error) = &app.s3.error {
                <p class="error" role="alert">{ error }</p>
            }
            if app.s3.buckets.is_empty() {
                <p class="empty">{ "The template defines no buckets." }</p>
            } else {
                <table id="bucket-list">
                    <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Website" }</th></tr></thead>
                    <tbody>
                        { for app.s3.buckets.iter().map(|b| html! {
                            <tr key={ b.name.clone() } data-bucket={ b.name.clone() }>
                                <td><a href={ Route::Bucket { bucket: b.name.clone() }.href() }>{ &b.name }</a></td>
                                <td>{ match &b.website {
                                    Some(url) => html! {
                                        <a href={ Route::Website { bucket: b.name.clone(), path: "/".into() }.href() }>{ format!("Preview {url}") }</a>
                                    },
                                    None => html! { <span class="muted">{ "off" }</span> },
                                } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

/// One bucket's objects.
pub(super) fn bucket_view(app: &App, link: &Scope<App>, bucket: &str) -> Html {
    let state = &app.s3;
    let upload = {
        let done = link.callback(|(name, bytes)| AppMsg::S3(Msg::Uploaded(name, bytes)));
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                read_files(&input, done.clone());
                input.set_value("");
            }
        })
    };
    let open = |prefix: String| link.callback(move |_| AppMsg::S3(Msg::Open(prefix.clone())));
    // The breadcrumbs: the bucket, then each folder of the prefix.
    let mut crumbs = vec![(bucket.to_string(), String::new())];
    let mut so_far = String::new();
    for part in state.prefix.split_terminator('/') {
        so_far.push_str(part);
        so_far.push('/');
        crumbs.push((format!("{part}/"), so_far.clone()));
    }
    html! {
        <section class="card" id="s3-bucket" data-bucket={ bucket.to_string() }>
            <h2>{ "Bucket: " }<code>{ bucket }</code></h2>
            <p class="notice">{ LIVE_STATE_NOTICE }</p>
            <p><a href={ Route::Buckets.href() }>{ "All buckets" }</a></p>
            if let Some(url) = &state.website {
                <p id="website-endpoint">{ "Website endpoint: " }<code>{ url }</code>{ " " }
                    <a id="website-preview-link" href={ Route::Website { bucket: bucket.to_string(), path: "/".into() }.href() }>{ "Preview the website" }</a></p>
            }
            if let Some(error) = &state.error {
                <p id="s3-error" class="error" role="alert">{ error }</p>
            }
            if let Some(message) = &state.message {
                <p id="s3-message" role="status">{ message }</p>
            }
            <nav class="row crumbs" aria-label="Folders">
                { for crumbs.into_iter().map(|(label, prefix)| html! {
                    <button class="crumb" onclick={ open(prefix) }>{ label }</button>
                }) }
            </nav>
            <div class="row">
                <span class="file-button">
                    <label for="upload-file">{ format!("Upload files to /{}", state.prefix) }</label>
                    <input id="upload-file" class="visually-hidden" type="file" multiple=true onchange={ upload } />
                </span>
                <label for="new-object-key">{ "New text object" }</label>
                <input id="new-object-key" type="text" value={ state.new_key.clone() } placeholder="index.html"
                    oninput={ link.callback(|e: InputEvent| AppMsg::S3(Msg::SetNewKey(event_value(&e)))) } />
                <button id="new-object" onclick={ link.callback(|_| AppMsg::S3(Msg::NewText)) }>{ "Create" }</button>
                <button onclick={ link.callback(|_| AppMsg::S3(Msg::Refresh)) }>{ "Refresh" }</button>
            </div>
            if let Some(editing) = &state.editing {
                <div class="field" id="object-editor">
                    <label for="object-text">{ format!("{} ({})", editing.key, editing.content_type) }</label>
                    <textarea id="object-text" rows="12" spellcheck="false" value={ editing.text.clone() }
                        oninput={ link.callback(|e: InputEvent| AppMsg::S3(Msg::SetText(event_value(&e)))) } />
                    <div class="row">
                        <button id="object-save" class="primary" onclick={ link.callback(|_| AppMsg::S3(Msg::Save)) }>{ "Save (PutObject)" }</button>
                        <button onclick={ link.callback(|_| AppMsg::S3(Msg::Cancel)) }>{ "Cancel" }</button>
                    </div>
                </div>
            }
            { match &state.listing {
                None => html! {},
                Some(Err(e)) => html! { <p class="error" role="alert">{ e }</p> },
                Some(Ok(listing)) if listing.folders.is_empty() && listing.objects.is_empty() => html! {
                    <p class="empty">{ "No objects here." }</p>
                },
                Some(Ok(listing)) => html! {
                    <table id="object-list">
                        <thead><tr>
                            <th scope="col">{ "Name" }</th><th scope="col">{ "Size" }</th><th scope="col">{ "Actions" }</th>
                        </tr></thead>
                        <tbody>
                            { for listing.folders.iter().map(|folder| html! {
                                <tr class="folder" data-prefix={ folder.clone() }>
                                    <td><button class="link" onclick={ open(folder.clone()) }>{ folder.strip_prefix(state.prefix.as_str()).unwrap_or(folder) }</button></td>
                                    <td>{ "folder" }</td><td></td>
                                </tr>
                            }) }
                            { for listing.objects.iter().map(|object| {
                                let key = object.key.clone();
                                let (edit, download, delete) = (key.clone(), key.clone(), key.clone());
                                html! {
                                    <tr data-key={ key.clone() }>
                                        <td><code>{ key.strip_prefix(state.prefix.as_str()).unwrap_or(&key) }</code></td>
                                        <td>{ format!("{} B", object.size) }</td>
                                        <td class="actions">
                                            <button class="object-edit" aria-label={ format!("Edit {key}") } onclick={ link.callback(move |_| AppMsg::S3(Msg::Edit(edit.clone()))) }>{ "Edit" }</button>
                                            <button class="object-download" aria-label={ format!("Download {key}") } onclick={ link.callback(move |_| AppMsg::S3(Msg::Download(download.clone()))) }>{ "Download" }</button>
                                            <button class="object-delete" aria-label={ format!("Delete {key}") } onclick={ link.callback(move |_| AppMsg::S3(Msg::Delete(delete.clone()))) }>{ "Delete" }</button>
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_cli_table() {
        assert_eq!(guess_content_type("index.HTML"), Some("text/html"));
        assert_eq!(guess_content_type("app.js"), Some("text/javascript"));
        assert_eq!(guess_content_type("README"), None);
    }

    #[test]
    fn listings_roll_folders_up() {
        let mut cloud = Cloud::default();
        call(&mut cloud, "CreateBucket", &json!({"Bucket": "site"})).unwrap();
        for key in ["index.html", "css/a.css", "css/b.css"] {
            put(&mut cloud, "site", key, b"x", guess_content_type(key)).unwrap();
        }
        let root = list_prefix(&mut cloud, "site", "").unwrap();
        assert_eq!(root.folders, vec!["css/"]);
        assert_eq!(
            root.objects,
            vec![ObjectRow {
                key: "index.html".into(),
                size: 1
            }]
        );
        assert_eq!(list_prefix(&mut cloud, "site", "css/").unwrap().objects.len(), 2);
        assert_eq!(
            get(&mut cloud, "site", "css/a.css").unwrap(),
            (b"x".to_vec(), "text/css".to_string())
        );
        assert_eq!(
            list_prefix(&mut cloud, "nope", "").unwrap_err(),
            "NoSuchBucket: The specified bucket does not exist"
        );
    }
}
