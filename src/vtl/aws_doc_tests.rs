//! Tests transcribed from AWS's own API Gateway documentation: each test takes a documented mapping template with
//! its documented input and checks the documented output exactly. Each test names the page it comes from
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/<page>.html; the Markdown source of the older
//! page versions is in github.com/awsdocs/amazon-api-gateway-developer-guide, `doc_source/<page>.md`). Where a
//! page's printed output cannot be what the template produces, the test says so and asserts what API Gateway's
//! documented rules give instead.

use super::*;
use indexmap::IndexMap;
use serde_json::json;

/// A string map from pairs.
fn map(pairs: &[(&str, &str)]) -> IndexMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Renders `template` against `input`, failing the test on an error.
fn render(template: &str, input: &MappingInput<'_>) -> MappingOutput {
    match render_mapping_template(template, input) {
        Ok(out) => out,
        Err(e) => panic!("render failed: {e}"),
    }
}

/// Renders `template` with the body `body` and nothing else.
fn render_body(template: &str, body: &str) -> String {
    render(
        template,
        &MappingInput {
            body,
            ..MappingInput::default()
        },
    )
    .body
}

/// Parses JSON output, failing the test with the text when it is not JSON.
fn as_json(text: &str) -> serde_json::Value {
    match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {text}"),
    }
}

// ---- api-gateway-mapping-template-reference ("Variables for data transformations") ------------------------

#[test]
fn reference_util_parse_json_example() {
    // $util.parseJson(): the payload, the template (note the space in `#set (`) and the output, as printed.
    let body = r#"{"errorMessage":"{\"key1\":\"var1\",\"key2\":{\"arr\":[1,2,3]}}"}"#;
    let t = "#set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))\n{\n   \"errorMessageObjKey2ArrVal\" : $errorMessageObj.key2.arr[0]\n}\n";
    assert_eq!(render_body(t, body), "{\n   \"errorMessageObjKey2ArrVal\" : 1\n}\n");
}

#[test]
fn reference_input_path_size_example() {
    // $input.path(x): for the pets array, `$input.path('$.pets').size()` returns "3".
    let body = r#"{"pets": [{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}, {"id": 3, "type": "fish", "price": 0.99}]}"#;
    assert_eq!(render_body("$input.path('$.pets').size()", body), "3");
    // $input.json('$.pets') "returns a JSON string representing the pets structure".
    assert_eq!(
        render_body("$input.json('$.pets')", body),
        r#"[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]"#
    );
}

#[test]
fn reference_input_json_name_and_body_examples() {
    // "Example JSON mapping template using $input" and "Example mapping template using $input": the name from
    // the query string, the whole body or one key of it.
    let input = MappingInput {
        body: r#"{"mykey": {"a": [1, "x"]}, "other": true}"#,
        querystring: map(&[("name", "Ada")]),
        ..MappingInput::default()
    };
    let whole = "{\n    \"name\" : \"$input.params('name')\",\n    \"body\" : $input.json('$') \n}";
    assert_eq!(
        render(whole, &input).body,
        "{\n    \"name\" : \"Ada\",\n    \"body\" : {\"mykey\":{\"a\":[1,\"x\"]},\"other\":true} \n}"
    );
    let key = "{\n    \"name\" : \"$input.params('name')\",\n    \"body\" : $input.json('$.mykey')  \n}";
    assert_eq!(
        render(key, &input).body,
        "{\n    \"name\" : \"Ada\",\n    \"body\" : {\"a\":[1,\"x\"]}  \n}"
    );
    let escaped =
        "{\n    \"name\" : \"$input.params('name')\",\n    \"body\" : $util.escapeJavaScript($input.json('$.mykey')) \n}";
    assert_eq!(
        render(escaped, &input).body,
        "{\n    \"name\" : \"Ada\",\n    \"body\" : {\\\"a\\\":[1,\\\"x\\\"]} \n}"
    );
}

#[test]
fn reference_things_request_and_response_example() {
    // "Example request and response using $input": POST /things/abc with three things. The page prints the
    // response as {"id": "abc", "count": "3", "things": {"1": {}, "2": {}, "3": {}}}. The "things" value there
    // is inconsistent with the template: $util.escapeJavaScript escapes every double quote of the JSON that
    // $input.json returns ("Escapes the characters in a string using JavaScript string rules"), so the text is
    // {\"1\":{},\"2\":{},\"3\":{}}; the id and count are as printed.
    let t = "{\n    \"id\" : \"$input.params('id')\",\n    \"count\" : \"$input.path('$.things').size()\",\n    \"things\" : $util.escapeJavaScript($input.json('$.things'))\n}";
    let input = MappingInput {
        body: "{\n    \"things\" : {\n        \"1\" : {},\n        \"2\" : {},\n        \"3\" : {}\n    }\n}",
        path: map(&[("id", "abc")]),
        ..MappingInput::default()
    };
    assert_eq!(
        render(t, &input).body,
        "{\n    \"id\" : \"abc\",\n    \"count\" : \"3\",\n    \"things\" : {\\\"1\\\":{},\\\"2\\\":{},\\\"3\\\":{}}\n}"
    );
    // Without the escaping the output is the documented JSON.
    let plain = t.replace(
        "$util.escapeJavaScript($input.json('$.things'))",
        "$input.json('$.things')",
    );
    assert_eq!(
        as_json(&render(&plain, &input).body),
        json!({"id": "abc", "count": "3", "things": {"1": {}, "2": {}, "3": {}}})
    );
}

#[test]
fn reference_all_params_example() {
    // "Parameter mapping template example": every path, query string and header parameter in a JSON payload.
    // The page shows the output only in outline ("path_name" : "path_value", ...), so the JSON is what is
    // documented; the exact text below is this engine's whitespace rule (a line holding `#if(..),#end` is not
    // a directive-only line, so its indentation and newline stay when the condition is false).
    let t = "#set($allParams = $input.params())\n{\n  \"params\" : {\n    #foreach($type in $allParams.keySet())\n    #set($params = $allParams.get($type))\n    \"$type\" : {\n      #foreach($paramName in $params.keySet())\n      \"$paramName\" : \"$util.escapeJavaScript($params.get($paramName))\"\n      #if($foreach.hasNext),#end\n      #end\n    }\n    #if($foreach.hasNext),#end\n    #end\n  }\n}";
    let input = MappingInput {
        path: map(&[("path_name", "path_value")]),
        querystring: map(&[("querystring_name", "querystring_value")]),
        header: map(&[("header_name", "header_value"), ("quote", "say \"hi\"")]),
        ..MappingInput::default()
    };
    let out = render(t, &input).body;
    assert_eq!(
        out,
        "{\n  \"params\" : {\n    \"path\" : {\n      \"path_name\" : \"path_value\"\n      \n    }\n    ,\n    \"querystring\" : {\n      \"querystring_name\" : \"querystring_value\"\n      \n    }\n    ,\n    \"header\" : {\n      \"header_name\" : \"header_value\"\n      ,\n      \"quote\" : \"say \\\"hi\\\"\"\n      \n    }\n    \n  }\n}"
    );
    assert_eq!(
        as_json(&out),
        json!({"params": {"path": {"path_name": "path_value"}, "querystring": {"querystring_name": "querystring_value"},
               "header": {"header_name": "header_value", "quote": "say \"hi\""}}})
    );
}

#[test]
fn reference_stage_variables_notations() {
    // "$stageVariables": the three documented notations.
    let input = MappingInput {
        stage_variables: map(&[("variable_name", "v1")]),
        ..MappingInput::default()
    };
    let out = render(
        "$stageVariables.variable_name|$stageVariables['variable_name']|${stageVariables['variable_name']}",
        &input,
    );
    assert_eq!(out.body, "v1|v1|v1");
}

#[test]
fn reference_authorizer_context_values_are_strings() {
    // $context.authorizer.property: for the context {"key": "value", "numKey": 1, "boolKey": true} the page says
    // the calls return the strings "value", "1" and "true".
    let input = MappingInput {
        context: json!({"authorizer": {"key": "value", "numKey": 1, "boolKey": true}}),
        ..MappingInput::default()
    };
    let out = render(
        "$context.authorizer.key|$context.authorizer.numKey|$context.authorizer.boolKey|$context.authorizer.numKey.length()",
        &input,
    );
    assert_eq!(out.body, "value|1|true|1");
}

// ---- api-gateway-mapping-variable-examples ("Examples using variables for mapping template transformations") --

#[test]
fn variable_examples_context_example_1() {
    // Example 1: pass $context variables under other names. The values are the ones on the page's sample output.
    let t = "{\n    \"stage\" : \"$context.stage\",\n    \"request_id\" : \"$context.requestId\",\n    \"api_id\" : \"$context.apiId\",\n    \"resource_path\" : \"$context.resourcePath\",\n    \"resource_id\" : \"$context.resourceId\",\n    \"http_method\" : \"$context.httpMethod\",\n    \"source_ip\" : \"$context.identity.sourceIp\",\n    \"user-agent\" : \"$context.identity.userAgent\",\n    \"account_id\" : \"$context.identity.accountId\",\n    \"api_key\" : \"$context.identity.apiKey\",\n    \"caller\" : \"$context.identity.caller\",\n    \"user\" : \"$context.identity.user\",\n    \"user_arn\" : \"$context.identity.userArn\"\n}";
    let input = MappingInput {
        context: json!({
            "stage": "prod", "requestId": "abcdefg-000-000-0000-abcdefg", "apiId": "abcd1234", "resourcePath": "/",
            "resourceId": "efg567", "httpMethod": "GET",
            "identity": {"sourceIp": "192.0.2.1", "userAgent": "curl/7.84.0", "accountId": "111122223333",
                         "apiKey": "MyTestKey", "caller": "ABCD-0000-12345", "user": "ABCD-0000-12345",
                         "userArn": "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar"}
        }),
        ..MappingInput::default()
    };
    assert_eq!(
        as_json(&render(t, &input).body),
        json!({"stage": "prod", "request_id": "abcdefg-000-000-0000-abcdefg", "api_id": "abcd1234",
               "resource_path": "/", "resource_id": "efg567", "http_method": "GET", "source_ip": "192.0.2.1",
               "user-agent": "curl/7.84.0", "account_id": "111122223333", "api_key": "MyTestKey",
               "caller": "ABCD-0000-12345", "user": "ABCD-0000-12345",
               "user_arn": "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar"})
    );
}

// ---- example-photos ("Photos example" / "Additional mapping template example") -----------------------------

#[test]
fn photos_example_output_mapping_template() {
    let body = r#"{"photos": {"page": 1, "pages": "1234", "perpage": 100, "total": "123398", "photo": [
        {"id": "12345678901", "owner": "23456789@A12", "photographer_first_name" : "Saanvi", "photographer_last_name" : "Sarkar",
         "secret": "abc123d456", "server": "1234", "farm": 1, "title": "Sample photo 1", "ispublic": true, "isfriend": false, "isfamily": false},
        {"id": "23456789012", "owner": "34567890@B23", "photographer_first_name" : "Richard", "photographer_last_name" : "Roe",
         "secret": "bcd234e567", "server": "2345", "farm": 2, "title": "Sample photo 2", "ispublic": true, "isfriend": false, "isfamily": false}]}}"#;
    let t = "#set($inputRoot = $input.path('$'))\n{\n  \"photos\": [\n#foreach($elem in $inputRoot.photos.photo)\n    {\n      \"id\": \"$elem.id\",\n      \"photographedBy\": \"$elem.photographer_first_name $elem.photographer_last_name\",\n      \"title\": \"$elem.title\",\n      \"ispublic\": $elem.ispublic,\n      \"isfriend\": $elem.isfriend,\n      \"isfamily\": $elem.isfamily\n    }#if($foreach.hasNext),#end\n\t\t\n#end\n  ]\n}";
    let out = render_body(t, body);
    assert_eq!(
        out,
        "{\n  \"photos\": [\n    {\n      \"id\": \"12345678901\",\n      \"photographedBy\": \"Saanvi Sarkar\",\n      \"title\": \"Sample photo 1\",\n      \"ispublic\": true,\n      \"isfriend\": false,\n      \"isfamily\": false\n    },\n\t\t\n    {\n      \"id\": \"23456789012\",\n      \"photographedBy\": \"Richard Roe\",\n      \"title\": \"Sample photo 2\",\n      \"ispublic\": true,\n      \"isfriend\": false,\n      \"isfamily\": false\n    }\n\t\t\n  ]\n}"
    );
    assert_eq!(
        as_json(&out),
        json!({"photos": [
            {"id": "12345678901", "photographedBy": "Saanvi Sarkar", "title": "Sample photo 1", "ispublic": true, "isfriend": false, "isfamily": false},
            {"id": "23456789012", "photographedBy": "Richard Roe", "title": "Sample photo 2", "ispublic": true, "isfriend": false, "isfamily": false}
        ]})
    );
}

// ---- apigateway-override-request-response-parameters ------------------------------------------------------

#[test]
fn override_status_code_from_integration_body() {
    // "Override the status code based on the integration body": the PetStore error body for petId -1 comes back
    // unchanged, and the status becomes 400.
    let t = "#set($inputRoot = $input.path('$'))\n$input.json(\"$\")\n#if($inputRoot.toString().contains(\"error\"))\n#set($context.responseOverride.status = 400)\n#end";
    let body = "{\n  \"errors\": [\n    {\n      \"key\": \"GetPetRequest.petId\",\n      \"message\": \"The value is out of range.\"\n    }\n  ]\n}";
    let out = render_body_output(t, body);
    assert_eq!(
        out.body,
        "{\"errors\":[{\"key\":\"GetPetRequest.petId\",\"message\":\"The value is out of range.\"}]}\n"
    );
    assert_eq!(out.response_override.status, Some(400));
    // A pet without an error keeps the integration's status.
    let ok = render_body_output(t, r#"{"id": 1, "type": "dog", "price": 249.99}"#);
    assert_eq!(ok.body, "{\"id\":1,\"type\":\"dog\",\"price\":249.99}\n");
    assert_eq!(ok.response_override.status, None);
}

/// Renders `template` with the body `body`, returning the whole output.
fn render_body_output(template: &str, body: &str) -> MappingOutput {
    render(
        template,
        &MappingInput {
            body,
            ..MappingInput::default()
        },
    )
}

#[test]
fn override_request_headers_from_two_headers() {
    // "Override an API's request parameters and headers": header3 = header1 + header2, header1 replaced by "foo";
    // the page's log shows {header3=header1Valheader2Val, header2=header2Val, ..., header1=foo}.
    let t = "#set($header1Override = \"foo\")\n#set($header3Value = \"$input.params('header1')$input.params('header2')\")\n$input.json(\"$\")\n#set($context.requestOverride.header.header3 = $header3Value)\n#set($context.requestOverride.header.header1 = $header1Override)";
    let input = MappingInput {
        header: map(&[("header1", "header1Val"), ("header2", "header2Val")]),
        ..MappingInput::default()
    };
    let out = render(t, &input);
    assert_eq!(out.body, "{}\n");
    assert_eq!(
        out.request_override.header,
        map(&[("header3", "header1Valheader2Val"), ("header1", "foo")])
    );
}

#[test]
fn override_body_field_to_header_and_status() {
    // The override page's list of uses: "iterate over the contents of a json body and remap key value pairs to
    // headers or query strings" and override a header on the response.
    let t = "#set($body = $input.path('$'))#foreach($k in $body.keySet())#set($context.requestOverride.querystring[$k] = $body.get($k))#end#set($context.responseOverride.header.X-Count = $body.size())$input.json('$.a')";
    let out = render_body_output(t, r#"{"a": "1", "b": 2}"#);
    assert_eq!(out.body, "\"1\"");
    assert_eq!(out.request_override.querystring, map(&[("a", "1"), ("b", "2")]));
    assert_eq!(out.response_override.header, map(&[("X-Count", "2")]));
}
