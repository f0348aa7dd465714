//! OpenAPI 3 / Swagger 2 with API Gateway's extensions: import into a [`RestApi`], export back to OpenAPI 3.
//!
//! Source: "Working with API Gateway extensions to OpenAPI"
//! (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html):
//! `x-amazon-apigateway-integration` (`type`, `uri`, `httpMethod`, `requestTemplates`, `requestParameters`,
//! `passthroughBehavior`, `contentHandling`, `timeoutInMillis`, `responses` keyed by selection pattern, with
//! `default` for the default response), `x-amazon-apigateway-any-method`, `x-amazon-apigateway-gateway-responses`,
//! `x-amazon-apigateway-request-validators`, `x-amazon-apigateway-request-validator` (API-wide or per
//! operation), `x-amazon-apigateway-binary-media-types`, `x-amazon-apigateway-api-key-source`. Models come from
//! `definitions` (Swagger 2) or `components.schemas` (OpenAPI 3); references between them become the
//! `https://apigateway.amazonaws.com/restapis/{id}/models/{name}` form AWS stores. The base path is ignored
//! (the `basepath=ignore` import default).

use crate::apigateway::errors::ApiGatewayError;
use crate::apigateway::model::*;
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::stack::string_map;
use crate::cloud::{IdGenerator, LOWER_ALPHANUMERIC};
use indexmap::IndexMap;
use serde_json::{json, Map, Value as Json};
use std::fmt;

/// The operation keys of a path item, and the HTTP method each stands for.
const OPERATIONS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("put", "PUT"),
    ("post", "POST"),
    ("delete", "DELETE"),
    ("options", "OPTIONS"),
    ("head", "HEAD"),
    ("patch", "PATCH"),
    ("x-amazon-apigateway-any-method", "ANY"),
];

/// An import failure: AWS's message and where in the definition it is (a JSON-pointer-like path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// Where, e.g. `paths./pets.get`.
    pub location: String,
    /// What AWS says.
    pub message: String,
}

impl fmt::Display for ImportError {
    /// AWS's import wording: `Errors found during import: <message>`, then our location.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Errors found during import: {} (at {})", self.message, self.location)
    }
}

impl std::error::Error for ImportError {}

fn err(location: impl Into<String>, message: impl Into<String>) -> ImportError {
    ImportError {
        location: location.into(),
        message: message.into(),
    }
}

fn aws(location: &str) -> impl Fn(ApiGatewayError) -> ImportError + '_ {
    move |e| err(location, e.message)
}

/// Imports `document` into `api` (its root resource exists), drawing new ids from `ids`.
///
/// Errors: a document that is neither Swagger 2.0 nor OpenAPI 3.x, and every control-plane error of the
/// resources it describes, located.
pub fn import(api: &mut RestApi, document: &Json, ids: &mut IdGenerator) -> Result<(), ImportError> {
    let oas3 = match (
        document.get("swagger").and_then(Json::as_str),
        document.get("openapi").and_then(Json::as_str),
    ) {
        (Some("2.0"), _) => false,
        (_, Some(v)) if v.starts_with("3.") => true,
        _ => {
            return Err(err(
                "",
                "Invalid OpenAPI input: the document must declare swagger: \"2.0\" or openapi: \"3.x\"",
            ))
        }
    };
    if let Some(title) = document.pointer("/info/title").and_then(Json::as_str) {
        api.name = title.to_string();
    }
    if let Some(d) = document.pointer("/info/description").and_then(Json::as_str) {
        api.description = Some(d.to_string());
    }
    if let Some(types) = document
        .get("x-amazon-apigateway-binary-media-types")
        .and_then(Json::as_array)
    {
        api.definition.binary_media_types = types.iter().filter_map(Json::as_str).map(str::to_string).collect();
    }
    if let Some(source) = document
        .get("x-amazon-apigateway-api-key-source")
        .and_then(Json::as_str)
    {
        api.definition.api_key_source = source.to_string();
    }
    import_models(api, document, oas3)?;
    let validators = import_validators(api, document, ids);
    let default_validator = document
        .get("x-amazon-apigateway-request-validator")
        .and_then(Json::as_str)
        .and_then(|name| validators.get(name).cloned());
    import_gateway_responses(api, document)?;
    let api_key_schemes = api_key_schemes(document, oas3);
    let global_security = document.get("security");
    for (path, item) in document.get("paths").and_then(Json::as_object).into_iter().flatten() {
        let resource_id = ensure_path(api, path, ids).map_err(aws(&format!("paths.{path}")))?;
        for (key, http_method) in OPERATIONS {
            let Some(operation) = item.get(*key) else { continue };
            let at = format!("paths.{path}.{key}");
            let context = OperationContext {
                oas3,
                path_item: item,
                validators: &validators,
                default_validator: default_validator.as_deref(),
                api_key_schemes: &api_key_schemes,
                global_security,
                consumes: document.get("consumes"),
            };
            import_operation(api, &resource_id, http_method, operation, &context).map_err(aws(&at))?;
        }
    }
    Ok(())
}

/// The resource for `path`, creating missing parts.
fn ensure_path(api: &mut RestApi, path: &str, ids: &mut IdGenerator) -> Result<String, ApiGatewayError> {
    let mut current = api.definition.root_resource_id.clone();
    let mut current_path = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        current_path.push('/');
        current_path.push_str(part);
        match api.definition.resource_by_path(&current_path) {
            Some(existing) => current = existing.id.clone(),
            None => {
                let id = ids.string(6, LOWER_ALPHANUMERIC);
                current = api.create_resource(&id, &current, part)?.id.clone();
            }
        }
    }
    Ok(current)
}

struct OperationContext<'a> {
    oas3: bool,
    path_item: &'a Json,
    validators: &'a IndexMap<String, String>,
    default_validator: Option<&'a str>,
    api_key_schemes: &'a [String],
    global_security: Option<&'a Json>,
    consumes: Option<&'a Json>,
}

fn import_operation(
    api: &mut RestApi,
    resource_id: &str,
    http_method: &str,
    operation: &Json,
    cx: &OperationContext<'_>,
) -> Result<(), ApiGatewayError> {
    let mut request_parameters = IndexMap::new();
    let mut request_models = IndexMap::new();
    let parameters = cx
        .path_item
        .get("parameters")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .chain(
            operation
                .get("parameters")
                .and_then(Json::as_array)
                .into_iter()
                .flatten(),
        );
    for parameter in parameters {
        let name = parameter.get("name").and_then(Json::as_str).unwrap_or_default();
        let required = parameter.get("required").and_then(Json::as_bool).unwrap_or(false);
        let kind = match parameter.get("in").and_then(Json::as_str) {
            Some("path") => "path",
            Some("query") => "querystring",
            Some("header") => "header",
            Some("body") => {
                if let Some(model) = parameter
                    .pointer("/schema/$ref")
                    .and_then(Json::as_str)
                    .and_then(model_name)
                {
                    for content_type in consumes(operation, cx.consumes) {
                        request_models.insert(content_type, model.to_string());
                    }
                }
                continue;
            }
            _ => continue,
        };
        request_parameters.insert(format!("method.request.{kind}.{name}"), required || kind == "path");
    }
    if cx.oas3 {
        for (content_type, media) in operation
            .pointer("/requestBody/content")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(model) = media
                .pointer("/schema/$ref")
                .and_then(Json::as_str)
                .and_then(model_name)
            {
                request_models.insert(content_type.clone(), model.to_string());
            }
        }
    }
    let validator = operation
        .get("x-amazon-apigateway-request-validator")
        .and_then(Json::as_str)
        .and_then(|n| cx.validators.get(n).map(String::as_str))
        .or(cx.default_validator);
    let security = operation.get("security").or(cx.global_security);
    let api_key_required = security
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .any(|requirement| {
            requirement
                .as_object()
                .is_some_and(|r| r.keys().any(|k| cx.api_key_schemes.contains(k)))
        });
    let method = Method {
        http_method: http_method.to_string(),
        authorization_type: "NONE".to_string(),
        api_key_required,
        request_parameters,
        request_validator_id: validator.map(str::to_string),
        request_models,
        operation_name: operation.get("operationId").and_then(Json::as_str).map(str::to_string),
        ..Method::default()
    };
    api.put_method(resource_id, method)?;
    for (status, response) in operation
        .get("responses")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        if status.parse::<u16>().is_err() {
            continue;
        }
        let response_parameters = response
            .get("headers")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| (format!("method.response.header.{name}"), false))
            .collect();
        let mut response_models = IndexMap::new();
        if let Some(model) = response
            .pointer("/schema/$ref")
            .and_then(Json::as_str)
            .and_then(model_name)
        {
            response_models.insert("application/json".to_string(), model.to_string());
        }
        for (ct, media) in response.get("content").and_then(Json::as_object).into_iter().flatten() {
            if let Some(model) = media
                .pointer("/schema/$ref")
                .and_then(Json::as_str)
                .and_then(model_name)
            {
                response_models.insert(ct.clone(), model.to_string());
            }
        }
        api.put_method_response(
            resource_id,
            http_method,
            MethodResponse {
                status_code: status.clone(),
                response_parameters,
                response_models,
            },
        )?;
    }
    if let Some(spec) = operation.get("x-amazon-apigateway-integration") {
        import_integration(api, resource_id, http_method, spec)?;
    }
    Ok(())
}

fn import_integration(
    api: &mut RestApi,
    resource_id: &str,
    http_method: &str,
    spec: &Json,
) -> Result<(), ApiGatewayError> {
    let op = "PutIntegration";
    let type_name = spec.get("type").and_then(Json::as_str).unwrap_or_default();
    let integration_type = IntegrationType::parse(type_name)
        .ok_or_else(|| ApiGatewayError::bad_request(op, format!("Invalid integration type specified: {type_name}")))?;
    let mut integration = Integration::new(integration_type);
    integration.uri = spec.get("uri").and_then(Json::as_str).map(str::to_string);
    integration.http_method = spec.get("httpMethod").and_then(Json::as_str).map(str::to_string);
    integration.credentials = spec.get("credentials").and_then(Json::as_str).map(str::to_string);
    integration.request_templates = string_map(spec.get("requestTemplates"));
    integration.request_parameters = string_map(spec.get("requestParameters"));
    if let Some(b) = spec.get("passthroughBehavior").and_then(Json::as_str) {
        integration.passthrough_behavior = PassthroughBehavior::parse(b)
            .ok_or_else(|| ApiGatewayError::bad_request(op, format!("Invalid passthrough behavior specified: {b}")))?;
    }
    integration.content_handling = spec.get("contentHandling").and_then(Json::as_str).map(str::to_string);
    if let Some(t) = spec.get("timeoutInMillis") {
        integration.timeout_in_millis = t
            .as_u64()
            .or_else(|| t.as_str().and_then(|s| s.parse().ok()))
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0);
    }
    api.put_integration(resource_id, http_method, integration)?;
    for (pattern, response) in spec.get("responses").and_then(Json::as_object).into_iter().flatten() {
        let status = match response.get("statusCode") {
            Some(Json::String(s)) => s.clone(),
            Some(Json::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let method_has_status = api
            .definition
            .resources
            .get(resource_id)
            .and_then(|r| r.resource_methods.get(http_method))
            .is_some_and(|m| m.method_responses.contains_key(&status));
        if !method_has_status {
            // AWS's importer adds the method response an integration response maps to.
            api.put_method_response(
                resource_id,
                http_method,
                MethodResponse {
                    status_code: status.clone(),
                    ..MethodResponse::default()
                },
            )?;
        }
        api.put_integration_response(
            resource_id,
            http_method,
            IntegrationResponse {
                status_code: status,
                selection_pattern: (pattern != "default").then(|| pattern.clone()),
                response_templates: string_map(response.get("responseTemplates")),
                response_parameters: string_map(response.get("responseParameters")),
                content_handling: response
                    .get("contentHandling")
                    .and_then(Json::as_str)
                    .map(str::to_string),
            },
        )?;
    }
    Ok(())
}

fn import_models(api: &mut RestApi, document: &Json, oas3: bool) -> Result<(), ImportError> {
    let (pointer, label) = if oas3 {
        ("/components/schemas", "components.schemas")
    } else {
        ("/definitions", "definitions")
    };
    let api_id = api.id.clone();
    for (name, schema) in document
        .pointer(pointer)
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        let mut schema = schema.clone();
        rewrite_refs(&mut schema, &api_id);
        api.create_model(Model {
            name: name.clone(),
            content_type: "application/json".to_string(),
            schema,
            description: None,
        })
        .map_err(aws(&format!("{label}.{name}")))?;
    }
    Ok(())
}

/// `#/definitions/X` and `#/components/schemas/X` -> `https://apigateway.amazonaws.com/restapis/{id}/models/X`.
fn rewrite_refs(schema: &mut Json, api_id: &str) {
    match schema {
        Json::Object(map) => {
            for (k, v) in map.iter_mut() {
                if k == "$ref" {
                    if let Some(name) = v.as_str().and_then(model_name) {
                        *v = Json::String(format!(
                            "https://apigateway.amazonaws.com/restapis/{api_id}/models/{name}"
                        ));
                    }
                } else {
                    rewrite_refs(v, api_id);
                }
            }
        }
        Json::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, api_id)),
        _ => {}
    }
}

/// The model a `$ref` names.
fn model_name(reference: &str) -> Option<&str> {
    reference
        .strip_prefix("#/definitions/")
        .or_else(|| reference.strip_prefix("#/components/schemas/"))
        .or_else(|| reference.rsplit_once("/models/").map(|(_, n)| n))
}

fn consumes(operation: &Json, global: Option<&Json>) -> Vec<String> {
    let list: Vec<String> = operation
        .get("consumes")
        .or(global)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_string)
        .collect();
    if list.is_empty() {
        vec!["application/json".to_string()]
    } else {
        list
    }
}

/// Validator name -> new id.
fn import_validators(api: &mut RestApi, document: &Json, ids: &mut IdGenerator) -> IndexMap<String, String> {
    let mut by_name = IndexMap::new();
    for (name, spec) in document
        .get("x-amazon-apigateway-request-validators")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        let id = ids.string(6, LOWER_ALPHANUMERIC);
        api.create_request_validator(RequestValidator {
            id: id.clone(),
            name: name.clone(),
            validate_request_body: spec.get("validateRequestBody").and_then(Json::as_bool).unwrap_or(false),
            validate_request_parameters: spec
                .get("validateRequestParameters")
                .and_then(Json::as_bool)
                .unwrap_or(false),
        });
        by_name.insert(name.clone(), id);
    }
    by_name
}

fn import_gateway_responses(api: &mut RestApi, document: &Json) -> Result<(), ImportError> {
    for (type_name, spec) in document
        .get("x-amazon-apigateway-gateway-responses")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        let response_type = GatewayResponseType::parse(type_name).ok_or_else(|| {
            err(
                format!("x-amazon-apigateway-gateway-responses.{type_name}"),
                format!("Invalid gateway response type specified: {type_name}"),
            )
        })?;
        let status_code = match spec.get("statusCode") {
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        api.put_gateway_response(
            response_type,
            GatewayResponse {
                status_code,
                response_parameters: string_map(spec.get("responseParameters")),
                response_templates: string_map(spec.get("responseTemplates")),
            },
        );
    }
    Ok(())
}

/// Security schemes that are API keys in the `x-api-key` header.
fn api_key_schemes(document: &Json, oas3: bool) -> Vec<String> {
    let pointer = if oas3 {
        "/components/securitySchemes"
    } else {
        "/securityDefinitions"
    };
    document
        .pointer(pointer)
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| {
            s.get("type").and_then(Json::as_str) == Some("apiKey")
                && s.get("name")
                    .and_then(Json::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case("x-api-key"))
                && s.get("in").and_then(Json::as_str) == Some("header")
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Exports `definition` as OpenAPI 3.0.1 with API Gateway's extensions (the `oas30` export with
/// `extensions=integrations`), which [`import`] reads back to the same model.
pub fn export(name: &str, description: Option<&str>, definition: &ApiDefinition) -> Json {
    let mut doc = Map::new();
    doc.insert("openapi".into(), json!("3.0.1"));
    let mut info = Map::new();
    info.insert("title".into(), json!(name));
    if let Some(d) = description {
        info.insert("description".into(), json!(d));
    }
    info.insert("version".into(), json!("1.0"));
    doc.insert("info".into(), Json::Object(info));
    let mut paths = Map::new();
    let validator_names: IndexMap<&str, &str> = definition
        .request_validators
        .values()
        .map(|v| (v.id.as_str(), v.name.as_str()))
        .collect();
    let mut uses_api_key = false;
    for resource in definition.resources.values() {
        if resource.resource_methods.is_empty() {
            continue;
        }
        let mut item = Map::new();
        for (method_key, method) in &resource.resource_methods {
            let key = OPERATIONS
                .iter()
                .find(|(_, m)| m == method_key)
                .map_or_else(|| method_key.to_ascii_lowercase(), |(k, _)| k.to_string());
            uses_api_key |= method.api_key_required;
            item.insert(key, export_operation(method, &validator_names));
        }
        paths.insert(resource.path.clone(), Json::Object(item));
    }
    doc.insert("paths".into(), Json::Object(paths));
    let mut components = Map::new();
    if !definition.models.is_empty() {
        let schemas: Map<String, Json> = definition
            .models
            .iter()
            .map(|(n, m)| (n.clone(), export_refs(m.schema.clone())))
            .collect();
        components.insert("schemas".into(), Json::Object(schemas));
    }
    if uses_api_key {
        components.insert(
            "securitySchemes".into(),
            json!({"api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"}}),
        );
    }
    if !components.is_empty() {
        doc.insert("components".into(), Json::Object(components));
    }
    if !definition.request_validators.is_empty() {
        let validators: Map<String, Json> = definition
            .request_validators
            .values()
            .map(|v| {
                (
                    v.name.clone(),
                    json!({"validateRequestBody": v.validate_request_body, "validateRequestParameters": v.validate_request_parameters}),
                )
            })
            .collect();
        doc.insert(
            "x-amazon-apigateway-request-validators".into(),
            Json::Object(validators),
        );
    }
    if !definition.gateway_responses.is_empty() {
        let responses: Map<String, Json> = definition
            .gateway_responses
            .iter()
            .map(|(t, r)| {
                let mut spec = Map::new();
                if let Some(s) = &r.status_code {
                    spec.insert("statusCode".into(), json!(s));
                }
                if !r.response_parameters.is_empty() {
                    spec.insert("responseParameters".into(), str_map(&r.response_parameters));
                }
                if !r.response_templates.is_empty() {
                    spec.insert("responseTemplates".into(), str_map(&r.response_templates));
                }
                (t.as_str().to_string(), Json::Object(spec))
            })
            .collect();
        doc.insert("x-amazon-apigateway-gateway-responses".into(), Json::Object(responses));
    }
    if !definition.binary_media_types.is_empty() {
        doc.insert(
            "x-amazon-apigateway-binary-media-types".into(),
            json!(definition.binary_media_types),
        );
    }
    if definition.api_key_source != "HEADER" && !definition.api_key_source.is_empty() {
        doc.insert(
            "x-amazon-apigateway-api-key-source".into(),
            json!(definition.api_key_source),
        );
    }
    Json::Object(doc)
}

fn export_operation(method: &Method, validator_names: &IndexMap<&str, &str>) -> Json {
    let mut op = Map::new();
    if let Some(name) = &method.operation_name {
        op.insert("operationId".into(), json!(name));
    }
    let parameters: Vec<Json> = method
        .request_parameters
        .iter()
        .filter_map(|(full, required)| {
            let (kind, name) = full.strip_prefix("method.request.")?.split_once('.')?;
            let location = match kind {
                "path" => "path",
                "querystring" => "query",
                "header" => "header",
                _ => return None,
            };
            Some(json!({"name": name, "in": location, "required": required, "schema": {"type": "string"}}))
        })
        .collect();
    if !parameters.is_empty() {
        op.insert("parameters".into(), Json::Array(parameters));
    }
    if !method.request_models.is_empty() {
        let content: Map<String, Json> = method
            .request_models
            .iter()
            .map(|(ct, model)| {
                (
                    ct.clone(),
                    json!({"schema": {"$ref": format!("#/components/schemas/{model}")}}),
                )
            })
            .collect();
        op.insert("requestBody".into(), json!({"content": content, "required": true}));
    }
    let responses: Map<String, Json> = method
        .method_responses
        .iter()
        .map(|(status, r)| {
            let mut response = Map::new();
            response.insert("description".into(), json!(format!("{status} response")));
            if !r.response_parameters.is_empty() {
                let headers: Map<String, Json> = r
                    .response_parameters
                    .keys()
                    .filter_map(|k| k.strip_prefix("method.response.header."))
                    .map(|h| (h.to_string(), json!({"schema": {"type": "string"}})))
                    .collect();
                response.insert("headers".into(), Json::Object(headers));
            }
            if !r.response_models.is_empty() {
                let content: Map<String, Json> = r
                    .response_models
                    .iter()
                    .map(|(ct, model)| {
                        (
                            ct.clone(),
                            json!({"schema": {"$ref": format!("#/components/schemas/{model}")}}),
                        )
                    })
                    .collect();
                response.insert("content".into(), Json::Object(content));
            }
            (status.clone(), Json::Object(response))
        })
        .collect();
    op.insert("responses".into(), Json::Object(responses));
    if method.api_key_required {
        op.insert("security".into(), json!([{"api_key": []}]));
    }
    if let Some(name) = method
        .request_validator_id
        .as_deref()
        .and_then(|id| validator_names.get(id))
    {
        op.insert("x-amazon-apigateway-request-validator".into(), json!(name));
    }
    if let Some(i) = &method.method_integration {
        op.insert("x-amazon-apigateway-integration".into(), export_integration(i));
    }
    Json::Object(op)
}

fn export_integration(i: &Integration) -> Json {
    let mut spec = Map::new();
    spec.insert("type".into(), json!(i.integration_type.as_str().to_ascii_lowercase()));
    if let Some(uri) = &i.uri {
        spec.insert("uri".into(), json!(uri));
    }
    if let Some(m) = &i.http_method {
        spec.insert("httpMethod".into(), json!(m));
    }
    if let Some(c) = &i.credentials {
        spec.insert("credentials".into(), json!(c));
    }
    let responses: Map<String, Json> = i
        .integration_responses
        .values()
        .map(|r| {
            let key = r
                .selection_pattern
                .clone()
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "default".to_string());
            let mut response = Map::new();
            response.insert("statusCode".into(), json!(r.status_code));
            if !r.response_templates.is_empty() {
                response.insert("responseTemplates".into(), str_map(&r.response_templates));
            }
            if !r.response_parameters.is_empty() {
                response.insert("responseParameters".into(), str_map(&r.response_parameters));
            }
            if let Some(c) = &r.content_handling {
                response.insert("contentHandling".into(), json!(c));
            }
            (key, Json::Object(response))
        })
        .collect();
    if !responses.is_empty() {
        spec.insert("responses".into(), Json::Object(responses));
    }
    if !i.request_templates.is_empty() {
        spec.insert("requestTemplates".into(), str_map(&i.request_templates));
    }
    if !i.request_parameters.is_empty() {
        spec.insert("requestParameters".into(), str_map(&i.request_parameters));
    }
    spec.insert(
        "passthroughBehavior".into(),
        json!(i.passthrough_behavior.as_str().to_ascii_lowercase()),
    );
    if let Some(c) = &i.content_handling {
        spec.insert("contentHandling".into(), json!(c));
    }
    if i.timeout_in_millis != DEFAULT_TIMEOUT_MILLIS {
        spec.insert("timeoutInMillis".into(), json!(i.timeout_in_millis));
    }
    Json::Object(spec)
}

/// Model URLs back to `#/components/schemas/X`.
fn export_refs(mut schema: Json) -> Json {
    fn walk(v: &mut Json) {
        match v {
            Json::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == "$ref" {
                        if let Some(name) = v.as_str().and_then(model_name) {
                            *v = Json::String(format!("#/components/schemas/{name}"));
                        }
                    } else {
                        walk(v);
                    }
                }
            }
            Json::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut schema);
    schema
}

/// A string map as a JSON object.
fn str_map(map: &IndexMap<String, String>) -> Json {
    Json::Object(map.iter().map(|(k, v)| (k.clone(), Json::String(v.clone()))).collect())
}
