//! The Lambda proxy integration's event (REST API, payload format 1.0).
//!
//! Source: "Set up Lambda proxy integrations in API Gateway", section "Input format of a Lambda function for
//! proxy integration" (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html),
//! and `sam local generate-event apigateway aws-proxy` (lambda-facts §5.4). The keys, in AWS's order:
//! `resource` (the resource path template), `path` (the path after the stage, percent-decoded), `httpMethod`,
//! `headers` (last value per name) and `multiValueHeaders`, `queryStringParameters` (decoded, last value wins) and
//! `multiValueQueryStringParameters`, `pathParameters` (as sent, not decoded), `stageVariables`, `requestContext`,
//! `body` (the raw text, `null` when empty) and `isBase64Encoded`. An empty map is `null`.
//!
//! `requestContext` holds the `$context` fields AWS puts there for a REST API without an authorizer
//! (`resourceId`, `resourcePath`, `httpMethod`, `extendedRequestId`, `requestTime`, `path` with the stage,
//! `accountId`, `protocol`, `stage`, `domainPrefix`, `requestTimeEpoch`, `requestId`, `identity`, `domainName`,
//! `deploymentId`, `apiId`); `identity` has every caller field, `null` for an unsigned request.
//!
//! A deployed (regional) API adds `Host`, `X-Amzn-Trace-Id` and `X-Forwarded-For/-Port/-Proto` to the headers a
//! client sent (AWS's sample event; the client is `127.0.0.1` on port 443); an edge-optimized API's CloudFront
//! headers (`CloudFront-*`, `Via`, `X-Amz-Cf-Id`) are not simulated. Test invoke sends only the given headers.

use crate::apigateway::http::{percent_decode, single_headers};
use crate::apigateway::invoke::MethodCall;
use crate::apigateway::router::bind_template_raw;
use crate::apigateway::test_invoke::TEST_INVOKE_STAGE;
use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

/// The event for `call`, as JSON text.
pub fn build(call: &MethodCall<'_>) -> String {
    event(call).to_string()
}

/// The event for `call`.
pub fn event(call: &MethodCall<'_>) -> Json {
    let context = call.context.get();
    let field = |name: &str| context.get(name).cloned().unwrap_or(Json::Null);
    let resource = context.get("resourcePath").and_then(Json::as_str).unwrap_or("/");
    let stage = context.get("stage").and_then(Json::as_str).unwrap_or_default();
    let headers = event_headers(call, context, stage);
    let path_parameters = bind_template_raw(resource, call.raw_path);
    json!({
        "resource": resource,
        "path": percent_decode(call.raw_path),
        "httpMethod": call.http_method,
        "headers": or_null(single_headers(&headers).into_iter().map(|(k, v)| (k, Json::String(v)))),
        "multiValueHeaders": or_null(multi(&headers).into_iter().map(|(k, v)| (k, json!(v)))),
        "queryStringParameters": or_null(call.querystring_single.iter().map(|(k, v)| (k.clone(), json!(v)))),
        "multiValueQueryStringParameters": or_null(call.querystring.iter().map(|(k, v)| (k.clone(), json!(v)))),
        "pathParameters": or_null(path_parameters.into_iter().map(|(k, v)| (k, Json::String(v)))),
        "stageVariables": or_null(call.stage_variables.iter().map(|(k, v)| (k.clone(), json!(v)))),
        "requestContext": {
            "resourceId": field("resourceId"),
            "resourcePath": field("resourcePath"),
            "httpMethod": field("httpMethod"),
            "extendedRequestId": field("extendedRequestId"),
            "requestTime": field("requestTime"),
            "path": field("path"),
            "accountId": field("accountId"),
            "protocol": field("protocol"),
            "stage": field("stage"),
            "domainPrefix": field("domainPrefix"),
            "requestTimeEpoch": field("requestTimeEpoch"),
            "requestId": field("requestId"),
            "identity": identity(context.get("identity")),
            "domainName": field("domainName"),
            "deploymentId": field("deploymentId"),
            "apiId": field("apiId"),
        },
        "body": if call.body.is_empty() { Json::Null } else { Json::String(call.body.to_string()) },
        "isBase64Encoded": false,
    })
}

/// The headers the function sees: the client's, plus what a deployed API adds.
fn event_headers(call: &MethodCall<'_>, context: &Json, stage: &str) -> Vec<(String, String)> {
    let mut headers = call.headers.to_vec();
    if stage == TEST_INVOKE_STAGE || context.get("domainName").is_none() {
        return headers;
    }
    let has = |headers: &[(String, String)], name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    let domain = context.get("domainName").and_then(Json::as_str).unwrap_or_default();
    let trace = call.context.ids().map(|ids| ids.trace_id.clone()).unwrap_or_default();
    for (name, value) in [
        ("Host", domain.to_string()),
        ("X-Amzn-Trace-Id", trace),
        ("X-Forwarded-For", "127.0.0.1".to_string()),
        ("X-Forwarded-Port", "443".to_string()),
        ("X-Forwarded-Proto", "https".to_string()),
    ] {
        if !has(&headers, name) {
            headers.push((name.to_string(), value));
        }
    }
    headers
}

/// Every value per header name, names grouped without regard to case (the first spelling kept).
fn multi(headers: &[(String, String)]) -> IndexMap<String, Vec<String>> {
    let mut out: IndexMap<String, Vec<String>> = IndexMap::new();
    for (k, v) in headers {
        match out.iter_mut().find(|(name, _)| name.eq_ignore_ascii_case(k)) {
            Some((_, values)) => values.push(v.clone()),
            None => {
                out.insert(k.clone(), vec![v.clone()]);
            }
        }
    }
    out
}

/// `identity` with every field of a REST proxy event, in AWS's order.
fn identity(identity: Option<&Json>) -> Json {
    let field = |name: &str| identity.and_then(|i| i.get(name)).cloned().unwrap_or(Json::Null);
    let mut out = Map::new();
    for name in [
        "cognitoIdentityPoolId",
        "accountId",
        "cognitoIdentityId",
        "caller",
        "sourceIp",
        "principalOrgId",
        "accessKey",
        "cognitoAuthenticationType",
        "cognitoAuthenticationProvider",
        "userArn",
        "userAgent",
        "user",
    ] {
        out.insert(name.to_string(), field(name));
    }
    Json::Object(out)
}

fn or_null(entries: impl Iterator<Item = (String, Json)>) -> Json {
    let map: Map<String, Json> = entries.collect();
    if map.is_empty() {
        Json::Null
    } else {
        Json::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::context::{ContextInput, RequestIds};
    use crate::apigateway::invoke::LazyContext;
    use crate::apigateway::model::{ApiDefinition, Method};

    #[test]
    fn the_event_has_aws_shape() {
        let def = ApiDefinition::default();
        let method = Method::default();
        let ids = RequestIds {
            request_id: "r-1".into(),
            extended_request_id: "e-1=".into(),
            trace_id: "Root=1-0-abc".into(),
        };
        let headers = vec![
            ("Accept".to_string(), "a".to_string()),
            ("accept".to_string(), "b".to_string()),
        ];
        let vars = IndexMap::new();
        let (single, multi) = crate::apigateway::http::parse_query("q=1&q=2+3&x=%41");
        let call = MethodCall {
            definition: &def,
            method: &method,
            http_method: "GET",
            raw_path: "/files/a%20b/c",
            path_parameters: IndexMap::new(),
            querystring: multi,
            querystring_single: single,
            headers: &headers,
            headers_single: single_headers(&headers),
            body: "",
            stage_variables: &vars,
            context: LazyContext::new(ContextInput {
                account_id: "123456789012",
                region: "us-east-1",
                api_id: "abc",
                stage: "test",
                deployment_id: "d1",
                ids: &ids,
                resource_id: "res1",
                resource_path: "/files/{proxy+}",
                http_method: "GET",
                path: "/test/files/a%20b/c",
                now_millis: 1_767_225_600_000,
                user_agent: None,
            }),
        };
        let e = event(&call);
        assert_eq!(e["resource"], "/files/{proxy+}");
        assert_eq!(e["path"], "/files/a b/c");
        assert_eq!(e["pathParameters"], json!({"proxy": "a%20b/c"}));
        assert_eq!(e["queryStringParameters"], json!({"q": "2 3", "x": "A"}));
        assert_eq!(
            e["multiValueQueryStringParameters"],
            json!({"q": ["1", "2 3"], "x": ["A"]})
        );
        assert_eq!(e["headers"]["Accept"], "b");
        assert_eq!(e["multiValueHeaders"]["Accept"], json!(["a", "b"]));
        assert_eq!(e["headers"]["Host"], "abc.execute-api.us-east-1.amazonaws.com");
        assert_eq!(e["headers"]["X-Amzn-Trace-Id"], "Root=1-0-abc");
        assert_eq!(e["stageVariables"], Json::Null);
        assert_eq!(e["body"], Json::Null);
        assert_eq!(e["isBase64Encoded"], false);
        let rc = &e["requestContext"];
        assert_eq!(rc["path"], "/test/files/a%20b/c");
        assert_eq!(rc["stage"], "test");
        assert_eq!(rc["deploymentId"], "d1");
        assert_eq!(rc["requestTime"], "01/Jan/2026:00:00:00 +0000");
        assert_eq!(rc["identity"]["sourceIp"], "127.0.0.1");
        assert_eq!(rc["identity"]["accessKey"], Json::Null);
        let keys: Vec<&String> = e.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "resource",
                "path",
                "httpMethod",
                "headers",
                "multiValueHeaders",
                "queryStringParameters",
                "multiValueQueryStringParameters",
                "pathParameters",
                "stageVariables",
                "requestContext",
                "body",
                "isBase64Encoded"
            ]
        );
    }
}
