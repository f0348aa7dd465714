//! Stage 2, method request: authorization type, API key, and request validation.
//!
//! Sources: "Require an API key on a method" and "Usage plans and API keys" (a method with `apiKeyRequired`
//! answers 403 `{"message":"Forbidden"}`, `x-amzn-ErrorType: ForbiddenException`, unless the `x-api-key` header
//! holds an enabled key of a usage plan for the stage); "Request validation for REST APIs" (400
//! `Missing required request parameters: [a, b]` and `Invalid request body`, AWS-validated in LocalStack's B11
//! parity test, which lists the missing names in sorted order).
//!
//! API keys and usage plans are not simulated yet, so no key is ever valid: a method that requires one answers
//! 403 whatever the header holds. IAM signatures and Lambda / Cognito authorizers are not simulated: an
//! unsigned request to an `AWS_IAM` method gets AWS's 403 `Missing Authentication Token`; anything else that
//! needs them fails loudly.

use crate::apigateway::http::header_value;
use crate::apigateway::invoke::{ChainError, GatewayError, MethodCall, NotSimulated};
use crate::apigateway::model::{ApiDefinition, Method};
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::schema;
use crate::apigateway::trace::{MethodRequestRecord, Trace};

/// Runs the method request checks, recording the request as the method saw it.
pub fn run(call: &MethodCall<'_>, trace: &mut Trace) -> Result<(), ChainError> {
    let validator = call
        .method
        .request_validator_id
        .as_ref()
        .and_then(|id| call.definition.request_validators.get(id));
    trace.method_request = Some(MethodRequestRecord {
        path: call.path_parameters.clone(),
        querystring: call.querystring_single.clone(),
        headers: call.headers_single.clone(),
        body: call.body.to_string(),
        validator: validator.map(|v| v.name.clone()),
    });
    authorize(call)?;
    check_api_key(call)?;
    if let Some(validator) = validator {
        if validator.validate_request_parameters {
            let missing = missing_parameters(call);
            if !missing.is_empty() {
                return Err(GatewayError {
                    response_type: GatewayResponseType::BAD_REQUEST_PARAMETERS,
                    message: format!("Missing required request parameters: [{}]", missing.join(", ")),
                    log: None,
                    status: None,
                }
                .into());
            }
        }
        if validator.validate_request_body {
            check_body(call.definition, call.method, call)?;
        }
    }
    Ok(())
}

fn authorize(call: &MethodCall<'_>) -> Result<(), ChainError> {
    match call.method.authorization_type.as_str() {
        "" | "NONE" => Ok(()),
        "AWS_IAM" if header_value(&call.headers_single, "Authorization").is_none() => {
            Err(GatewayError::of(GatewayResponseType::MISSING_AUTHENTICATION_TOKEN).into())
        }
        "AWS_IAM" => Err(NotSimulated("Signature Version 4 verification (AWS_IAM authorization)".into()).into()),
        other => Err(NotSimulated(format!("authorizers (authorizationType {other})")).into()),
    }
}

fn check_api_key(call: &MethodCall<'_>) -> Result<(), ChainError> {
    if !call.method.api_key_required {
        return Ok(());
    }
    if call.definition.api_key_source == "AUTHORIZER" {
        return Err(NotSimulated("API keys from a Lambda authorizer (apiKeySource AUTHORIZER)".into()).into());
    }
    // No API key or usage plan is simulated, so whatever x-api-key holds is not a valid key.
    Err(GatewayError::of(GatewayResponseType::INVALID_API_KEY).into())
}

/// The names of required parameters the request lacks, sorted by their full `method.request.*` name.
fn missing_parameters(call: &MethodCall<'_>) -> Vec<String> {
    let mut required: Vec<&String> = call
        .method
        .request_parameters
        .iter()
        .filter(|(_, required)| **required)
        .map(|(name, _)| name)
        .collect();
    required.sort();
    required
        .into_iter()
        .filter_map(|full| {
            let rest = full.strip_prefix("method.request.")?;
            let (kind, name) = rest.split_once('.')?;
            let present = match kind {
                "path" => call.path_parameters.contains_key(name),
                "querystring" | "multivaluequerystring" => call.querystring.contains_key(name),
                "header" | "multivalueheader" => header_value(&call.headers_single, name).is_some(),
                _ => true,
            };
            (!present).then(|| name.to_string())
        })
        .collect()
}

/// Validates the body against the request model for its content type (`Empty` when none): an empty body is
/// read as `{}` and a body that is not JSON is invalid (LocalStack's AWS-validated reading).
fn check_body(definition: &ApiDefinition, method: &Method, call: &MethodCall<'_>) -> Result<(), ChainError> {
    let content_type = header_value(&call.headers_single, "Content-Type")
        .map(crate::apigateway::invoke::integration_request::media_type)
        .unwrap_or_else(|| "application/json".to_string());
    let Some(model_name) = method
        .request_models
        .get(&content_type)
        .or_else(|| method.request_models.get("$default"))
    else {
        return Ok(());
    };
    let invalid = |why: String| GatewayError {
        response_type: GatewayResponseType::BAD_REQUEST_BODY,
        message: "Invalid request body".to_string(),
        log: Some(format!(
            "Request body does not match model schema for content type {content_type}: {why}"
        )),
        status: None,
    };
    let body = if call.body.trim().is_empty() { "{}" } else { call.body };
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| ChainError::from(invalid(e.to_string())))?;
    let schema_json = match definition.models.get(model_name) {
        Some(model) => model.schema.clone(),
        None => schema::builtin_model(model_name).unwrap_or(serde_json::Value::Bool(true)),
    };
    schema::validate(&schema_json, &value, definition).map_err(|errors| ChainError::from(invalid(errors.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::model::{Model, RequestValidator};
    use indexmap::IndexMap;
    use serde_json::json;

    fn call<'a>(
        definition: &'a ApiDefinition,
        method: &'a Method,
        headers: &'a [(String, String)],
        body: &'a str,
        vars: &'a IndexMap<String, String>,
    ) -> MethodCall<'a> {
        MethodCall {
            definition,
            method,
            http_method: "POST",
            raw_path: "/",
            path_parameters: IndexMap::new(),
            querystring: IndexMap::new(),
            querystring_single: IndexMap::new(),
            headers,
            headers_single: crate::apigateway::http::single_headers(headers),
            body,
            stage_variables: vars,
            context: crate::apigateway::invoke::LazyContext::fixed(json!({})),
        }
    }

    fn setup() -> (ApiDefinition, Method) {
        let mut def = ApiDefinition::default();
        def.request_validators.insert(
            "v".into(),
            RequestValidator {
                id: "v".into(),
                name: "all".into(),
                validate_request_body: true,
                validate_request_parameters: true,
            },
        );
        def.models.insert(
            "Pet".into(),
            Model {
                name: "Pet".into(),
                content_type: "application/json".into(),
                schema: json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}),
                description: None,
            },
        );
        let method = Method {
            http_method: "POST".into(),
            request_validator_id: Some("v".into()),
            request_parameters: [
                ("method.request.querystring.q".to_string(), true),
                ("method.request.header.X-B".to_string(), true),
                ("method.request.header.X-Opt".to_string(), false),
            ]
            .into_iter()
            .collect(),
            request_models: [("application/json".to_string(), "Pet".to_string())]
                .into_iter()
                .collect(),
            ..Method::default()
        };
        (def, method)
    }

    #[test]
    fn missing_required_parameters_are_listed_sorted() {
        let (def, method) = setup();
        let vars = IndexMap::new();
        let err = run(&call(&def, &method, &[], "{}", &vars), &mut Trace::default()).unwrap_err();
        let ChainError::Gateway(err) = err else { panic!() };
        assert_eq!(err.response_type, GatewayResponseType::BAD_REQUEST_PARAMETERS);
        assert_eq!(err.message, "Missing required request parameters: [X-B, q]");
    }

    #[test]
    fn bodies_are_validated_against_the_model() {
        let (def, mut method) = setup();
        method.request_parameters.clear();
        let vars = IndexMap::new();
        let mut trace = Trace::default();
        assert!(run(&call(&def, &method, &[], r#"{"name":"rex"}"#, &vars), &mut trace).is_ok());
        assert_eq!(trace.method_request.unwrap().validator.as_deref(), Some("all"));
        for body in [r#"{"name":1}"#, "", "not json"] {
            let ChainError::Gateway(err) =
                run(&call(&def, &method, &[], body, &vars), &mut Trace::default()).unwrap_err()
            else {
                panic!()
            };
            assert_eq!(err.response_type, GatewayResponseType::BAD_REQUEST_BODY);
            assert_eq!(err.message, "Invalid request body");
        }
    }

    #[test]
    fn api_keys_and_authorizers() {
        let def = ApiDefinition::default();
        let vars = IndexMap::new();
        let keyed = Method {
            api_key_required: true,
            ..Method::default()
        };
        let headers = [("x-api-key".to_string(), "k".to_string())];
        let ChainError::Gateway(err) =
            run(&call(&def, &keyed, &headers, "", &vars), &mut Trace::default()).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(
            (err.response_type, err.message.as_str()),
            (GatewayResponseType::INVALID_API_KEY, "Forbidden")
        );
        let iam = Method {
            authorization_type: "AWS_IAM".into(),
            ..Method::default()
        };
        let ChainError::Gateway(err) = run(&call(&def, &iam, &[], "", &vars), &mut Trace::default()).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(err.message, "Missing Authentication Token");
        let custom = Method {
            authorization_type: "CUSTOM".into(),
            ..Method::default()
        };
        let err = run(&call(&def, &custom, &[], "", &vars), &mut Trace::default()).unwrap_err();
        assert!(matches!(err, ChainError::NotSimulated(_)));
    }
}
