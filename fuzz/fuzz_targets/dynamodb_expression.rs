//! DynamoDB expressions: parse, check and evaluate arbitrary condition, update, projection and key condition
//! expressions against a fixed item. Must never panic or hang; bad input is a ValidationException.
//!
//! Input layout: the first byte picks the kind (condition, update, projection, key condition, all through the
//! Query path); the rest (UTF-8, lossy) is the expression. The placeholders `#a #b #c` and `:s :n :l :m :ss :b :z`
//! are always defined, so the evaluators run on most parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_playground::dynamodb::names::Placeholders;
use serverless_playground::dynamodb::value::item_from_json;
use serverless_playground::dynamodb::{condition, key_condition, projection, update};

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let input = serde_json::json!({
        "ExpressionAttributeNames": {"#a": "a", "#b": "b", "#c": "pk"},
        "ExpressionAttributeValues": {":s": {"S": "ab"}, ":n": {"N": "9.99999999999999999999999999999999999E+125"},
            ":l": {"L": [{"N": "1"}, {"S": "x"}]}, ":m": {"M": {"a": {"NULL": true}}}, ":ss": {"SS": ["ab", "c"]},
            ":b": {"B": "AAE="}, ":z": {"NS": ["0", "-1e-130"]}}
    });
    let item = item_from_json(&serde_json::json!({
        "pk": {"S": "k"}, "a": {"N": "9.99999999999999999999999999999999999E+125"},
        "b": {"M": {"c": {"L": [{"S": "ab"}, {"SS": ["ab"]}, {"M": {}}]}, "d": {"BS": ["AAE="]}}},
        "c": {"L": []}, "n": {"NS": ["1"]}
    }))
    .expect("the fixed item is valid");
    let Ok(mut names) = Placeholders::from_input(&input) else { return };
    match kind % 4 {
        0 => {
            if let Ok(c) = names.condition(&text, "ConditionExpression") {
                let _ = condition::evaluate(&c, Some(&item), &names, "ConditionExpression");
                let _ = condition::evaluate(&c, None, &names, "ConditionExpression");
            }
        }
        1 => {
            if let Ok(u) = names.update(&text) {
                if update::check(&u, &names, &["pk"]).is_ok() {
                    let mut copy = item.clone();
                    let _ = update::apply(&u, &mut copy, &names);
                }
            }
        }
        2 => {
            if let Ok(paths) = names.projection(&text) {
                let _ = projection::project(&item, &paths);
            }
        }
        _ => {
            if let Ok(c) = names.condition(&text, "KeyConditionExpression") {
                let _ = key_condition::key_condition(&c, &names, ("pk", "S"), Some(("a", "N")));
            }
        }
    }
    let _ = names.finish();
});
