//! SQS and SNS through an `AWS` integration, in their query protocol: parameters come from the integration
//! request's query string and, when its mapped `Content-Type` is `application/x-www-form-urlencoded`, from the
//! form body the request template wrote (`Action=SendMessage&MessageBody=...`, the SQS tutorial's template).
//!
//! - SQS: `path/<account id>/<queue name>` (the queue's URL path) or `action/SendMessage` with `QueueUrl`;
//!   `SendMessage` with `MessageBody`, `DelaySeconds`, `MessageGroupId`, `MessageDeduplicationId` and
//!   `MessageAttribute.N.Name` / `.Value.DataType` / `.Value.StringValue`.
//! - SNS: `action/Publish` with `TopicArn` (or `TargetArn`), `Message`, `Subject`, `MessageStructure`,
//!   `MessageGroupId`, `MessageDeduplicationId` and `MessageAttributes.entry.N.Name` / `.Value.DataType` /
//!   `.Value.StringValue`.
//!
//! Answers: the query protocol answers XML, or JSON when the request's `Accept` is `application/json`, which API
//! Gateway sends unless the integration maps another `Accept` (its endpoint request headers, apigateway-facts (d)).
//! JSON: `{"SendMessageResponse":{"ResponseMetadata":{"RequestId":..},"SendMessageResult":{"MD5OfMessageAttributes":
//! ..,"MD5OfMessageBody":..,"MD5OfMessageSystemAttributes":..,"MessageId":..,"SequenceNumber":..}}}` with `null`
//! for absent members, and `{"PublishResponse":{"PublishResult":{"MessageId":..,"SequenceNumber":..},
//! "ResponseMetadata":{"RequestId":..}}}` (the bodies API Gateway's SQS and SNS integrations return in AWS's
//! tutorials and users' reports); XML: the API references' response examples (`<SendMessageResponse>` with
//! `MD5OfMessageBody`, `MD5OfMessageAttributes`, `MessageId`; `<PublishResponse>`). Errors: `{"Error":{"Code",
//! "Message","Type"},"RequestId"}` / `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`,
//! `Type` `Sender` for 4xx and `Receiver` otherwise, with the query protocol's codes (SQS's
//! `AWS.SimpleQueueService.NonExistentQueue` for `QueueDoesNotExist`, services.js aliases).

use super::{endpoint_host, xml_escape, EndpointRequest, ServiceAnswer, ServiceApi, ServiceCall};
use crate::api::AwsError;
use crate::apigateway::invoke::NotSimulated;
use crate::cloud::Cloud;
use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};

/// The SQS query API's XML namespace.
const SQS_XMLNS: &str = "http://queue.amazonaws.com/doc/2012-11-05/";
/// The SNS query API's XML namespace.
const SNS_XMLNS: &str = "http://sns.amazonaws.com/doc/2010-03-31/";

/// The query parameters of the request: query string, then the form body.
fn parameters(call: &ServiceCall<'_>) -> IndexMap<String, String> {
    let mut params: IndexMap<String, String> = call.request.querystring.clone();
    let form = call
        .header("Content-Type")
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if form {
        params.extend(
            form_urlencoded::parse(call.request.body.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())),
        );
    }
    params
}

/// The action: the URI's `action/<Action>`, else the `Action` parameter.
fn action(call: &ServiceCall<'_>, params: &IndexMap<String, String>) -> Result<String, NotSimulated> {
    match &call.uri.api {
        ServiceApi::Action(a) => Ok(a.clone()),
        ServiceApi::Path(_) => params.get("Action").cloned().ok_or_else(|| {
            NotSimulated(format!(
                "{} query request without an Action parameter (map integration.request.header.Content-Type to 'application/x-www-form-urlencoded' and write Action=... in the request template)",
                call.uri.service.to_uppercase()
            ))
        }),
    }
}

/// The endpoint request: `https://<service>.<region>.amazonaws.com/<path or ?Action=...>` plus the query string.
pub fn endpoint(call: &ServiceCall<'_>) -> Result<EndpointRequest, NotSimulated> {
    let host = endpoint_host(&call.uri.service, &call.uri.region);
    let mut query = form_urlencoded::Serializer::new(String::new());
    let base = match &call.uri.api {
        ServiceApi::Action(action) => {
            query.append_pair("Action", action);
            format!("{host}/")
        }
        ServiceApi::Path(path) => format!("{host}/{path}"),
    };
    for (k, v) in &call.request.querystring {
        query.append_pair(k, v);
    }
    let query = query.finish();
    let url = if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    };
    Ok(EndpointRequest {
        url,
        headers: IndexMap::new(),
    })
}

/// The message attributes written `<prefix>.N.Name`, `<prefix>.N.Value.DataType`, `.Value.StringValue` as the
/// JSON `MessageAttributes` map.
fn attributes(params: &IndexMap<String, String>, prefix: &str) -> Map<String, Json> {
    let mut out = Map::new();
    for n in 1..=10 {
        let get = |suffix: &str| params.get(&format!("{prefix}.{n}.{suffix}"));
        let Some(name) = get("Name") else {
            continue;
        };
        let mut value = Map::new();
        for (member, key) in [
            ("DataType", "DataType"),
            ("StringValue", "StringValue"),
            ("BinaryValue", "BinaryValue"),
        ] {
            if let Some(v) = get(&format!("Value.{member}")) {
                value.insert(key.to_string(), json!(v));
            }
        }
        out.insert(name.clone(), Json::Object(value));
    }
    out
}

fn copy(params: &IndexMap<String, String>, input: &mut Map<String, Json>, names: &[&str]) {
    for name in names {
        if let Some(v) = params.get(*name) {
            input.insert((*name).to_string(), json!(v));
        }
    }
}

/// SendMessage's JSON input from the query parameters.
fn sqs_input(call: &ServiceCall<'_>, params: &IndexMap<String, String>) -> Json {
    let mut input = Map::new();
    let url = match &call.uri.api {
        ServiceApi::Path(path) => Some(format!("{}/{path}", endpoint_host("sqs", &call.uri.region))),
        ServiceApi::Action(_) => params.get("QueueUrl").cloned(),
    };
    if let Some(url) = url {
        input.insert("QueueUrl".into(), json!(url));
    }
    copy(
        params,
        &mut input,
        &["MessageBody", "MessageGroupId", "MessageDeduplicationId"],
    );
    if let Some(delay) = params.get("DelaySeconds") {
        input.insert(
            "DelaySeconds".into(),
            delay.parse::<u64>().map_or_else(|_| json!(delay), |d| json!(d)),
        );
    }
    let attrs = attributes(params, "MessageAttribute");
    if !attrs.is_empty() {
        input.insert("MessageAttributes".into(), Json::Object(attrs));
    }
    Json::Object(input)
}

/// Publish's JSON input from the query parameters.
fn sns_input(params: &IndexMap<String, String>) -> Json {
    let mut input = Map::new();
    copy(
        params,
        &mut input,
        &[
            "TopicArn",
            "TargetArn",
            "Message",
            "Subject",
            "MessageStructure",
            "MessageGroupId",
            "MessageDeduplicationId",
        ],
    );
    let attrs = attributes(params, "MessageAttributes.entry");
    if !attrs.is_empty() {
        input.insert("MessageAttributes".into(), Json::Object(attrs));
    }
    Json::Object(input)
}

/// The query protocol's code for an error of the simulated service (module docs).
fn wire_code(service: &str, code: &str) -> String {
    match (service, code) {
        ("sqs", "QueueDoesNotExist") => "AWS.SimpleQueueService.NonExistentQueue".to_string(),
        ("sqs", "QueueDeletedRecently") => "AWS.SimpleQueueService.QueueDeletedRecently".to_string(),
        _ => code.to_string(),
    }
}

/// Sends the action to the simulated SQS or SNS as the role and renders its answer.
pub fn send(cloud: &mut Cloud, call: &ServiceCall<'_>) -> Result<ServiceAnswer, NotSimulated> {
    let params = parameters(call);
    let action = action(call, &params)?;
    let service = call.uri.service.as_str();
    let input = match (service, action.as_str()) {
        ("sqs", "SendMessage") => sqs_input(call, &params),
        ("sns", "Publish") => sns_input(&params),
        _ => {
            return Err(NotSimulated(format!(
                "the {} action {action} through an AWS integration (simulated: SQS SendMessage, SNS Publish)",
                service.to_uppercase()
            )))
        }
    };
    let request_id = cloud.ids.uuid();
    let result = call.api(cloud, service, &action, &input)?;
    let json_answer = call
        .header("Accept")
        .is_none_or(|a| a.to_ascii_lowercase().contains("application/json"));
    let (status, body) = match result {
        Ok(output) => (200, success_body(service, &action, &output, &request_id, json_answer)),
        Err(error) => (error.status, error_body(service, &error, &request_id, json_answer)),
    };
    let mut headers = IndexMap::new();
    headers.insert("x-amzn-RequestId".to_string(), request_id);
    let content_type = if json_answer { "application/json" } else { "text/xml" };
    headers.insert("Content-Type".to_string(), content_type.to_string());
    Ok(ServiceAnswer { status, headers, body })
}

fn member(output: &Json, name: &str) -> Json {
    output.get(name).cloned().unwrap_or(Json::Null)
}

fn success_body(service: &str, action: &str, output: &Json, request_id: &str, json_answer: bool) -> String {
    let members: &[&str] = if service == "sqs" {
        &[
            "MD5OfMessageAttributes",
            "MD5OfMessageBody",
            "MD5OfMessageSystemAttributes",
            "MessageId",
            "SequenceNumber",
        ]
    } else {
        &["MessageId", "SequenceNumber"]
    };
    if json_answer {
        let result: Map<String, Json> = members.iter().map(|m| ((*m).to_string(), member(output, m))).collect();
        let metadata = json!({"RequestId": request_id});
        let response = if service == "sqs" {
            json!({"ResponseMetadata": metadata, format!("{action}Result"): result})
        } else {
            json!({format!("{action}Result"): result, "ResponseMetadata": metadata})
        };
        return json!({ format!("{action}Response"): response }).to_string();
    }
    // XML members in the API references' example order.
    let xml_order: &[&str] = if service == "sqs" {
        &[
            "MD5OfMessageBody",
            "MD5OfMessageAttributes",
            "MD5OfMessageSystemAttributes",
            "MessageId",
            "SequenceNumber",
        ]
    } else {
        &["MessageId", "SequenceNumber"]
    };
    let xmlns = if service == "sqs" { SQS_XMLNS } else { SNS_XMLNS };
    let fields: String = xml_order
        .iter()
        .filter_map(|m| {
            output
                .get(*m)
                .and_then(Json::as_str)
                .map(|v| format!("<{m}>{}</{m}>", xml_escape(v)))
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><{action}Response xmlns=\"{xmlns}\"><{action}Result>{fields}</{action}Result><ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{action}Response>"
    )
}

fn error_body(service: &str, error: &AwsError, request_id: &str, json_answer: bool) -> String {
    let code = wire_code(service, &error.code);
    let kind = if error.status < 500 { "Sender" } else { "Receiver" };
    if json_answer {
        return json!({"Error": {"Code": code, "Message": error.message, "Type": kind}, "RequestId": request_id})
            .to_string();
    }
    let xmlns = if service == "sqs" { SQS_XMLNS } else { SNS_XMLNS };
    format!(
        "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"{xmlns}\"><Error><Type>{kind}</Type><Code>{}</Code><Message>{}</Message><Detail/></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
        xml_escape(&code),
        xml_escape(&error.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_attributes_read_the_query_forms() {
        let params: IndexMap<String, String> = [
            ("MessageAttribute.1.Name", "kind"),
            ("MessageAttribute.1.Value.DataType", "String"),
            ("MessageAttribute.1.Value.StringValue", "order"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            Json::Object(attributes(&params, "MessageAttribute")),
            json!({"kind": {"DataType": "String", "StringValue": "order"}})
        );
    }

    #[test]
    fn queue_errors_use_the_query_codes() {
        let error = AwsError::client("QueueDoesNotExist", "The specified queue does not exist.");
        assert_eq!(
            error_body("sqs", &error, "r-1", true),
            r#"{"Error":{"Code":"AWS.SimpleQueueService.NonExistentQueue","Message":"The specified queue does not exist.","Type":"Sender"},"RequestId":"r-1"}"#
        );
        assert_eq!(
            error_body("sns", &AwsError::client("NotFound", "Topic does not exist"), "r-2", false),
            "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message><Detail/></Error><RequestId>r-2</RequestId></ErrorResponse>"
        );
    }
}
