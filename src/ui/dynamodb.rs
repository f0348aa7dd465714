//! DynamoDB views: the tables, and one table's item browser (items as DynamoDB JSON, add / edit / delete an
//! item, Query and Scan forms). Every action is an API call through [`crate::Cloud::call`] as the account's root
//! user, the path the CLI's `sdk` line takes, so errors are DynamoDB's own (`ValidationException: ...`).
//!
//! Items are the account's live state, not part of the scenario (which holds only the template and the saved test
//! events): a Deploy or a reload starts again from the template's empty tables. The view says so.

use super::route::Route;
use super::{event_value, App, Msg as AppMsg};
use crate::api::{ApiRequest, Caller};
use crate::Cloud;
use serde_json::{json, Map, Value as Json};
use yew::html::Scope;
use yew::prelude::*;

/// Items shown per page of the item browser (a page renders well within 50 ms; 1,000 items are 20 pages).
pub const PAGE_SIZE: usize = 50;
/// The most items one Query or Scan collects (following `LastEvaluatedKey`); the summary says when it stopped.
pub const MAX_ITEMS: usize = 10_000;

/// The notice shown on the data views.
pub const LIVE_STATE_NOTICE: &str = "Items are the account's live state: they are not saved in the scenario (which \
     holds your template and test events) and are not in share links. Deploy or a reload starts again from the \
     template's empty tables.";

/// Query or Scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Operation {
    /// Scan.
    #[default]
    Scan,
    /// Query.
    Query,
}

/// The read form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadForm {
    /// Query or Scan.
    pub operation: Operation,
    /// `IndexName` (empty: the table).
    pub index: String,
    /// `KeyConditionExpression` (Query).
    pub key_condition: String,
    /// `FilterExpression`.
    pub filter: String,
    /// `ExpressionAttributeNames`, as JSON.
    pub names: String,
    /// `ExpressionAttributeValues`, as DynamoDB JSON.
    pub values: String,
}

/// A field of the forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    /// The item editor.
    Item,
    /// Query or Scan.
    Operation,
    /// `IndexName`.
    Index,
    /// `KeyConditionExpression`.
    KeyCondition,
    /// `FilterExpression`.
    Filter,
    /// `ExpressionAttributeNames`.
    Names,
    /// `ExpressionAttributeValues`.
    Values,
}

/// One row of the tables list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// The table name.
    pub name: String,
    /// `partition (S), sort (N)`.
    pub keys: String,
    /// `ItemCount`.
    pub item_count: u64,
}

/// The views' state.
#[derive(Debug, Default)]
pub struct State {
    /// The tables (the list view).
    pub tables: Vec<TableRow>,
    /// Why the tables could not be listed.
    pub tables_error: Option<String>,
    /// The table's key attribute names (partition first).
    pub key_names: Vec<String>,
    /// The item editor's text.
    pub item_text: String,
    /// The read form.
    pub form: ReadForm,
    /// The items of the last read.
    pub items: Vec<Json>,
    /// What the last read was (`Scan: 3 items`).
    pub summary: String,
    /// The page shown, from 0.
    pub page: usize,
    /// The last error, as DynamoDB words it.
    pub error: Option<String>,
    /// The last success.
    pub message: Option<String>,
}

/// What the views react to.
pub enum Msg {
    /// A field was edited.
    Set(FormField, String),
    /// PutItem with the editor's item.
    SaveItem,
    /// Empty the editor.
    NewItem,
    /// Put item `index` (of the items read) in the editor.
    EditItem(usize),
    /// DeleteItem for item `index`.
    DeleteItem(usize),
    /// Run the Query or Scan.
    RunRead,
    /// Show page `n`.
    Page(usize),
    /// List again / read again.
    Refresh,
}

fn call(cloud: &mut Cloud, operation: &str, input: &Json) -> Result<Json, String> {
    let caller = Caller::root(&cloud.account_id);
    cloud
        .call(&ApiRequest {
            service: "dynamodb",
            operation,
            input,
            caller: &caller,
        })
        .map_err(|e| e.to_string())
}

/// Loads what the route's view shows (called when the route changes or the account is deployed again).
pub(super) fn enter(app: &mut App) {
    let Some(deployed) = app.deployed.as_mut() else {
        return;
    };
    match app.route.clone() {
        Route::Tables => match list_tables(&mut deployed.cloud) {
            Ok(tables) => {
                app.dynamodb.tables = tables;
                app.dynamodb.tables_error = None;
            }
            Err(e) => app.dynamodb.tables_error = Some(e),
        },
        Route::Table { name } => {
            app.dynamodb = State::default();
            match describe(&mut deployed.cloud, &name) {
                Ok(row) => {
                    app.dynamodb.key_names = row.0;
                    run_read(app);
                }
                Err(e) => app.dynamodb.error = Some(e),
            }
        }
        _ => {}
    }
}

/// The tables, with their keys and item counts.
pub fn list_tables(cloud: &mut Cloud) -> Result<Vec<TableRow>, String> {
    let mut names = Vec::new();
    let mut start: Option<String> = None;
    loop {
        let mut input = json!({});
        if let Some(s) = &start {
            input["ExclusiveStartTableName"] = json!(s);
        }
        let out = call(cloud, "ListTables", &input)?;
        names.extend(
            out["TableNames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .map(str::to_string),
        );
        match out.get("LastEvaluatedTableName").and_then(Json::as_str) {
            Some(next) if names.len() < 10_000 => start = Some(next.to_string()),
            _ => break,
        }
    }
    names
        .into_iter()
        .map(|name| {
            let (keys, text, item_count) = describe(cloud, &name)?;
            let _ = keys;
            Ok(TableRow {
                name,
                keys: text,
                item_count,
            })
        })
        .collect()
}

/// DescribeTable: the key names, `pk (S), sk (N)`, and `ItemCount`.
fn describe(cloud: &mut Cloud, name: &str) -> Result<(Vec<String>, String, u64), String> {
    let out = call(cloud, "DescribeTable", &json!({ "TableName": name }))?;
    let table = &out["Table"];
    let type_of = |attr: &str| {
        table["AttributeDefinitions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|d| d["AttributeName"] == attr)
            .and_then(|d| d["AttributeType"].as_str())
            .unwrap_or("?")
            .to_string()
    };
    let keys: Vec<String> = table["KeySchema"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k["AttributeName"].as_str().map(str::to_string))
        .collect();
    let text = keys
        .iter()
        .map(|k| format!("{k} ({})", type_of(k)))
        .collect::<Vec<_>>()
        .join(", ");
    Ok((keys, text, table["ItemCount"].as_u64().unwrap_or(0)))
}

/// Handles a message of the views.
pub(super) fn update(app: &mut App, msg: Msg) {
    let Route::Table { name } = app.route.clone() else {
        if matches!(msg, Msg::Refresh) {
            enter(app);
        }
        return;
    };
    let state = &mut app.dynamodb;
    match msg {
        Msg::Set(field, value) => match field {
            FormField::Item => state.item_text = value,
            FormField::Operation => {
                state.form.operation = if value == "Query" {
                    Operation::Query
                } else {
                    Operation::Scan
                }
            }
            FormField::Index => state.form.index = value,
            FormField::KeyCondition => state.form.key_condition = value,
            FormField::Filter => state.form.filter = value,
            FormField::Names => state.form.names = value,
            FormField::Values => state.form.values = value,
        },
        Msg::NewItem => {
            state.item_text.clear();
            state.message = None;
            state.error = None;
        }
        Msg::EditItem(index) => {
            if let Some(item) = state.items.get(index) {
                state.item_text = serde_json::to_string_pretty(item).unwrap_or_default();
            }
        }
        Msg::Page(page) => state.page = page,
        Msg::RunRead => run_read(app),
        Msg::Refresh => enter(app),
        Msg::SaveItem => {
            let Some(deployed) = app.deployed.as_mut() else {
                return;
            };
            let result = serde_json::from_str::<Json>(&app.dynamodb.item_text)
                .map_err(|e| format!("The item is not JSON: {e}."))
                .and_then(|item| {
                    call(
                        &mut deployed.cloud,
                        "PutItem",
                        &json!({ "TableName": name, "Item": item }),
                    )
                });
            finish_write(app, result, "Item saved.");
        }
        Msg::DeleteItem(index) => {
            let Some(item) = app.dynamodb.items.get(index) else {
                return;
            };
            if !super::browser::confirm(&format!("Delete this item from {name}?\n{item}")) {
                return;
            }
            let key: Map<String, Json> = app
                .dynamodb
                .key_names
                .iter()
                .filter_map(|k| Some((k.clone(), item.get(k)?.clone())))
                .collect();
            let Some(deployed) = app.deployed.as_mut() else {
                return;
            };
            let result = call(
                &mut deployed.cloud,
                "DeleteItem",
                &json!({ "TableName": name, "Key": key }),
            );
            finish_write(app, result, "Item deleted.");
        }
    }
}

fn finish_write(app: &mut App, result: Result<Json, String>, done: &str) {
    match result {
        Ok(_) => {
            let page = app.dynamodb.page;
            run_read(app);
            app.dynamodb.page = page.min(last_page(app.dynamodb.items.len()));
            app.dynamodb.message = Some(done.to_string());
            app.dynamodb.error = None;
        }
        Err(e) => {
            app.dynamodb.error = Some(e);
            app.dynamodb.message = None;
        }
    }
}

fn last_page(count: usize) -> usize {
    count.saturating_sub(1) / PAGE_SIZE
}

/// The Query or Scan input of the form, or why the form is not valid.
pub fn read_input(table: &str, form: &ReadForm) -> Result<Json, String> {
    let mut input = json!({ "TableName": table });
    if !form.index.trim().is_empty() {
        input["IndexName"] = json!(form.index.trim());
    }
    if form.operation == Operation::Query {
        input["KeyConditionExpression"] = json!(form.key_condition);
    }
    if !form.filter.trim().is_empty() {
        input["FilterExpression"] = json!(form.filter);
    }
    for (text, member) in [
        (&form.names, "ExpressionAttributeNames"),
        (&form.values, "ExpressionAttributeValues"),
    ] {
        if !text.trim().is_empty() {
            let value: Json = serde_json::from_str(text).map_err(|e| format!("{member} is not JSON: {e}."))?;
            input[member] = value;
        }
    }
    Ok(input)
}

/// Runs the form's Query or Scan, following `LastEvaluatedKey` up to [`MAX_ITEMS`].
pub(super) fn run_read(app: &mut App) {
    let Route::Table { name } = app.route.clone() else {
        return;
    };
    let Some(deployed) = app.deployed.as_mut() else {
        return;
    };
    let state = &mut app.dynamodb;
    let result = read_input(&name, &state.form).and_then(|input| read_all(&mut deployed.cloud, &state.form, input));
    state.page = 0;
    state.message = None;
    match result {
        Ok((items, scanned, complete)) => {
            let operation = match state.form.operation {
                Operation::Scan => "Scan",
                Operation::Query => "Query",
            };
            state.summary = format!(
                "{operation}: {} {} returned, {scanned} scanned{}",
                items.len(),
                if items.len() == 1 { "item" } else { "items" },
                if complete {
                    String::new()
                } else {
                    format!(" (stopped at {MAX_ITEMS} items)")
                }
            );
            state.items = items;
            state.error = None;
        }
        Err(e) => state.error = Some(e),
    }
}

fn read_all(cloud: &mut Cloud, form: &ReadForm, mut input: Json) -> Result<(Vec<Json>, u64, bool), String> {
    let operation = match form.operation {
        Operation::Scan => "Scan",
        Operation::Query => "Query",
    };
    let mut items = Vec::new();
    let mut scanned = 0;
    loop {
        let out = call(cloud, operation, &input)?;
        items.extend(out["Items"].as_array().into_iter().flatten().cloned());
        scanned += out["ScannedCount"].as_u64().unwrap_or(0);
        match out.get("LastEvaluatedKey") {
            Some(key) if items.len() < MAX_ITEMS => input["ExclusiveStartKey"] = key.clone(),
            Some(_) => return Ok((items, scanned, false)),
            None => return Ok((items, scanned, true)),
        }
    }
}

/// The text of an attribute value in a table cell: the scalar of `S`, `N`, `B`, `BOOL`, `NULL`, else its JSON.
pub fn cell_text(value: Option<&Json>) -> String {
    let Some(Json::Object(map)) = value else {
        return String::new();
    };
    match map.iter().next() {
        Some((kind, Json::String(s))) if matches!(kind.as_str(), "S" | "N" | "B") => s.clone(),
        Some((_, other)) if map.len() == 1 && !other.is_object() && !other.is_array() => other.to_string(),
        _ => Json::Object(map.clone()).to_string(),
    }
}

fn set(link: &Scope<App>, field: FormField) -> Callback<InputEvent> {
    link.callback(move |e: InputEvent| AppMsg::Dynamo(Msg::Set(field, event_value(&e))))
}

/// The tables list.
pub(super) fn tables_view(app: &App, link: &Scope<App>) -> Html {
    let refresh = link.callback(|_| AppMsg::Dynamo(Msg::Refresh));
    html! {
        <section class="card" id="dynamodb-tables">
            <h2>{ "DynamoDB tables" }</h2>
            <p class="notice">{ LIVE_STATE_NOTICE }</p>
            <button onclick={ refresh }>{ "Refresh" }</button>
            if let Some(e) = &app.dynamodb.tables_error {
                <p class="error" role="alert">{ e }</p>
            }
            { match &app.dynamodb.tables {
                tables if tables.is_empty() => html! { <p class="empty">{ "The template defines no tables." }</p> },
                tables => html! {
                    <table id="table-list">
                        <thead><tr>
                            <th scope="col">{ "Name" }</th>
                            <th scope="col">{ "Keys" }</th>
                            <th scope="col">{ "Items" }</th>
                        </tr></thead>
                        <tbody>
                            { for tables.iter().map(|t| html! {
                                <tr key={ t.name.clone() } data-table={ t.name.clone() }>
                                    <td><a href={ Route::Table { name: t.name.clone() }.href() }>{ &t.name }</a></td>
                                    <td><code>{ &t.keys }</code></td>
                                    <td>{ t.item_count }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </section>
    }
}

/// One table's item browser.
pub(super) fn table_view(app: &App, link: &Scope<App>, name: &str) -> Html {
    let state = &app.dynamodb;
    let form = &state.form;
    let is_query = form.operation == Operation::Query;
    let on_operation = link.callback(|e: Event| AppMsg::Dynamo(Msg::Set(FormField::Operation, event_value(&e))));
    let pages = last_page(state.items.len()) + 1;
    let page = state.page.min(pages - 1);
    let first = page * PAGE_SIZE;
    let shown = state.items.iter().enumerate().skip(first).take(PAGE_SIZE);
    html! {
        <section class="card" id="dynamodb-table" data-table={ name.to_string() }>
            <h2>{ "Table: " }<code>{ name }</code></h2>
            <p class="notice">{ LIVE_STATE_NOTICE }</p>
            <p><a href={ Route::Tables.href() }>{ "All tables" }</a>{ format!("  Keys: {}", state.key_names.join(", ")) }</p>
            if let Some(error) = &state.error {
                <p id="dynamodb-error" class="error" role="alert">{ error }</p>
            }
            if let Some(message) = &state.message {
                <p id="dynamodb-message" role="status">{ message }</p>
            }
            <h3>{ "Item" }</h3>
            <div class="field">
                <label for="item-json">{ "Item (DynamoDB JSON, e.g. {\"id\": {\"S\": \"1\"}})" }</label>
                <textarea id="item-json" rows="6" spellcheck="false" value={ state.item_text.clone() }
                    oninput={ set(link, FormField::Item) } />
            </div>
            <div class="row">
                <button id="item-save" class="primary" onclick={ link.callback(|_| AppMsg::Dynamo(Msg::SaveItem)) }>{ "Save item (PutItem)" }</button>
                <button id="item-new" onclick={ link.callback(|_| AppMsg::Dynamo(Msg::NewItem)) }>{ "New item" }</button>
            </div>
            <h3>{ "Query or scan" }</h3>
            <form class="read-form" onsubmit={ link.callback(|e: SubmitEvent| { e.prevent_default(); AppMsg::Dynamo(Msg::RunRead) }) }>
                <div class="row">
                    <label for="read-operation">{ "Operation" }</label>
                    <select id="read-operation" onchange={ on_operation }>
                        <option value="Scan" selected={ !is_query }>{ "Scan" }</option>
                        <option value="Query" selected={ is_query }>{ "Query" }</option>
                    </select>
                    <label for="read-index">{ "Index (optional)" }</label>
                    <input id="read-index" type="text" value={ form.index.clone() } oninput={ set(link, FormField::Index) } />
                </div>
                if is_query {
                    <div class="field">
                        <label for="read-key-condition">{ "KeyConditionExpression" }</label>
                        <input id="read-key-condition" type="text" value={ form.key_condition.clone() }
                            placeholder="id = :id" oninput={ set(link, FormField::KeyCondition) } />
                    </div>
                }
                <div class="field">
                    <label for="read-filter">{ "FilterExpression (optional)" }</label>
                    <input id="read-filter" type="text" value={ form.filter.clone() } oninput={ set(link, FormField::Filter) } />
                </div>
                <div class="field">
                    <label for="read-names">{ "ExpressionAttributeNames (JSON, optional)" }</label>
                    <input id="read-names" type="text" value={ form.names.clone() } placeholder="{\"#n\": \"name\"}"
                        oninput={ set(link, FormField::Names) } />
                </div>
                <div class="field">
                    <label for="read-values">{ "ExpressionAttributeValues (DynamoDB JSON, optional)" }</label>
                    <input id="read-values" type="text" value={ form.values.clone() } placeholder="{\":id\": {\"S\": \"1\"}}"
                        oninput={ set(link, FormField::Values) } />
                </div>
                <button id="read-run" type="submit">{ if is_query { "Run query" } else { "Run scan" } }</button>
            </form>
            <p id="items-summary" role="status">{ &state.summary }</p>
            if !state.items.is_empty() {
                <table id="items">
                    <thead><tr>
                        { for state.key_names.iter().map(|k| html! { <th scope="col">{ k }</th> }) }
                        <th scope="col">{ "Item" }</th>
                        <th scope="col">{ "Actions" }</th>
                    </tr></thead>
                    <tbody>
                        { for shown.map(|(index, item)| {
                            let label = state.key_names.iter().map(|k| cell_text(item.get(k))).collect::<Vec<_>>().join(", ");
                            html! {
                            <tr data-index={ index.to_string() }>
                                { for state.key_names.iter().map(|k| html! { <td class="key">{ cell_text(item.get(k)) }</td> }) }
                                <td><code class="item-json">{ item.to_string() }</code></td>
                                <td class="actions">
                                    <button class="item-edit" aria-label={ format!("Edit item {label}") }
                                        onclick={ link.callback(move |_| AppMsg::Dynamo(Msg::EditItem(index))) }>{ "Edit" }</button>
                                    <button class="item-delete" aria-label={ format!("Delete item {label}") }
                                        onclick={ link.callback(move |_| AppMsg::Dynamo(Msg::DeleteItem(index))) }>{ "Delete" }</button>
                                </td>
                            </tr>
                        }}) }
                    </tbody>
                </table>
                if pages > 1 {
                    <nav class="row pager" aria-label="Item pages">
                        <button id="items-prev" disabled={ page == 0 }
                            onclick={ link.callback(move |_| AppMsg::Dynamo(Msg::Page(page.saturating_sub(1)))) }>{ "Previous" }</button>
                        <span id="items-page">{ format!("Items {}–{} of {}", first + 1, (first + PAGE_SIZE).min(state.items.len()), state.items.len()) }</span>
                        <button id="items-next" disabled={ page + 1 >= pages }
                            onclick={ link.callback(move |_| AppMsg::Dynamo(Msg::Page(page + 1))) }>{ "Next" }</button>
                    </nav>
                }
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_read_form_makes_the_api_input() {
        let form = ReadForm {
            operation: Operation::Query,
            index: " byName ".into(),
            key_condition: "#n = :n".into(),
            filter: String::new(),
            names: r##"{"#n": "name"}"##.into(),
            values: r#"{":n": {"S": "a"}}"#.into(),
        };
        assert_eq!(
            read_input("t", &form),
            Ok(
                json!({"TableName": "t", "IndexName": "byName", "KeyConditionExpression": "#n = :n",
                "ExpressionAttributeNames": {"#n": "name"}, "ExpressionAttributeValues": {":n": {"S": "a"}}})
            )
        );
        let bad = ReadForm {
            values: "{".into(),
            ..ReadForm::default()
        };
        assert!(read_input("t", &bad)
            .unwrap_err()
            .starts_with("ExpressionAttributeValues is not JSON:"));
        assert_eq!(read_input("t", &ReadForm::default()), Ok(json!({"TableName": "t"})));
    }

    #[test]
    fn cells_show_scalars() {
        assert_eq!(cell_text(Some(&json!({"S": "a"}))), "a");
        assert_eq!(cell_text(Some(&json!({"N": "1.5"}))), "1.5");
        assert_eq!(cell_text(Some(&json!({"BOOL": true}))), "true");
        assert_eq!(cell_text(Some(&json!({"L": []}))), r#"{"L":[]}"#);
        assert_eq!(cell_text(None), "");
    }

    #[test]
    fn errors_are_dynamodbs_own() {
        let mut cloud = Cloud::default();
        let error = call(&mut cloud, "Scan", &json!({"TableName": "missing"})).unwrap_err();
        assert_eq!(error, "ResourceNotFoundException: Requested resource not found");
    }
}
