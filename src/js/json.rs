//! `JSON.parse` without Boa's slow path for the common case.
//!
//! Boa 0.22's `JSON.parse` validates the text with `serde_json`, then parses it again with its JavaScript parser,
//! compiles it and runs it (about 250 us per KB here), so a handler parsing a 100 KB body spent most of its time
//! there. This native `JSON.parse` parses with
//! `serde_json` and builds the value with `JsValue::from_json` when that gives exactly what the specification's
//! `JSON.parse` gives (ECMA-262 25.5.1; [`super::exact_in_js`]: integers only, nesting within bounds, no lone
//! surrogates), and otherwise calls Boa's own `JSON.parse`, so a reviver, a float, `-0` or a syntax error behave and
//! read exactly as before (Boa's messages are `serde_json`'s, which is also why nesting deeper than 128 is refused). Key order and duplicate keys match: `serde_json`'s `preserve_order` map keeps the first
//! position of a key and its last value, as `CreateDataProperty` does.

use boa_engine::native_function::NativeFunction;
use boa_engine::object::FunctionObjectBuilder;
use boa_engine::{js_string, Context, JsObject, JsResult, JsValue};

/// Replaces the global `JSON.parse` with the fast path (same `name` "parse" and `length` 2 as the built-in).
pub(super) fn install(context: &mut Context) -> JsResult<()> {
    let json = context.global_object().get(js_string!("JSON"), context)?;
    let Some(json) = json.as_object() else { return Ok(()) };
    let original = json.get(js_string!("parse"), context)?;
    let Some(original) = original.as_object() else {
        return Ok(());
    };
    let function = NativeFunction::from_copy_closure_with_captures(parse, original);
    let parse = FunctionObjectBuilder::new(context.realm(), function)
        .name(js_string!("parse"))
        .length(2)
        .constructor(false)
        .build();
    json.set(js_string!("parse"), parse, true, context)?;
    Ok(())
}

/// `JSON.parse(text, reviver)`: the text is converted with `ToString` once (as the specification does first), then
/// parsed here or handed, already a string, to Boa's `JSON.parse` (`original`).
fn parse(this: &JsValue, args: &[JsValue], original: &JsObject, context: &mut Context) -> JsResult<JsValue> {
    super::checkpoint(context)?;
    let reviver = args.get(1).cloned().unwrap_or_default();
    let text = args.first().cloned().unwrap_or_default().to_string(context)?;
    if !reviver.is_callable() {
        if let Some(value) = text
            .to_std_string()
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .filter(|value| super::exact_in_js(value, 0))
        {
            return JsValue::from_json(&value, context);
        }
    }
    original.call(this, &[text.into(), reviver], context)
}
