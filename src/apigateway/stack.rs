//! Creates a stack's `AWS::ApiGateway::*` resources through the control-plane operations, in creation order.
//!
//! Property names follow the CloudFormation resource reference (`AWS::ApiGateway::RestApi`, `::Resource`,
//! `::Method`, `::Deployment`, `::Stage`, `::GatewayResponse`, `::RequestValidator`, `::Model`). An API
//! Gateway error becomes a template error at the resource, worded as CloudFormation reports a failed resource
//! handler (`Resource handler returned message: "<AWS message> (Service: ApiGateway, Status Code: 404)"`).

use crate::apigateway::errors::{invalid_rest_api, ApiGatewayError, ErrorCode};
use crate::apigateway::model::*;
use crate::apigateway::openapi;
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::ApiGateway;
use crate::cloud::Cloud;
use crate::template::{Stack, StackResource, TemplateError};
use indexmap::IndexMap;
use serde_json::Value as Json;

/// Creates every API Gateway resource of `stack` in `gateway`.
pub fn deploy(gateway: &mut ApiGateway, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
    for resource in &stack.resources {
        create(gateway, resource, cloud).map_err(|e| e.at(&stack.file_name, resource))?;
    }
    Ok(())
}

/// Why a resource could not be created.
#[derive(Debug)]
enum Failure {
    Property(String),
    Aws(ApiGatewayError),
    Import(openapi::ImportError),
}

impl From<ApiGatewayError> for Failure {
    fn from(e: ApiGatewayError) -> Failure {
        Failure::Aws(e)
    }
}

impl Failure {
    fn at(self, file: &str, resource: &StackResource) -> TemplateError {
        let message = match self {
            Failure::Property(m) => format!(
                "Properties validation failed for resource {} with message: {m}",
                resource.logical_id
            ),
            Failure::Aws(e) => {
                let (status, handler) = match e.code {
                    ErrorCode::BadRequestException => (400, "InvalidRequest"),
                    ErrorCode::NotFoundException => (404, "NotFound"),
                    ErrorCode::ConflictException => (409, "AlreadyExists"),
                };
                format!(
                    "Resource handler returned message: \"{} (Service: ApiGateway, Status Code: {status})\" (HandlerErrorCode: {handler})",
                    e.message
                )
            }
            Failure::Import(e) => e.to_string(),
        };
        TemplateError {
            file: file.to_string(),
            span: resource.span,
            logical_id: Some(resource.logical_id.clone()),
            message,
        }
    }
}

fn create(gateway: &mut ApiGateway, resource: &StackResource, cloud: &mut Cloud) -> Result<(), Failure> {
    let p = &resource.properties;
    match resource.resource_type.as_str() {
        "AWS::ApiGateway::RestApi" => rest_api(gateway, resource, cloud),
        "AWS::ApiGateway::Resource" => {
            let api = api_mut(gateway, p, cloud, "CreateResource")?;
            api.create_resource(
                &resource.physical_id,
                &required(p, "ParentId")?,
                &required(p, "PathPart")?,
            )?;
            Ok(())
        }
        "AWS::ApiGateway::Method" => method(api_mut(gateway, p, cloud, "PutMethod")?, p),
        "AWS::ApiGateway::Deployment" => {
            let now = cloud.clock.now_millis();
            let api = api_mut(gateway, p, cloud, "CreateDeployment")?;
            api.create_deployment(&resource.physical_id, string(p, "Description"), now)?;
            if let Some(stage_name) = string(p, "StageName") {
                let description = p.get("StageDescription");
                let stage = Stage {
                    stage_name,
                    deployment_id: resource.physical_id.clone(),
                    description: description.and_then(|d| string(d, "Description")),
                    variables: string_map(description.and_then(|d| d.get("Variables"))),
                };
                put_stage(api, stage)?;
            }
            Ok(())
        }
        "AWS::ApiGateway::Stage" => {
            let api = api_mut(gateway, p, cloud, "CreateStage")?;
            let stage = Stage {
                stage_name: required(p, "StageName")?,
                deployment_id: required(p, "DeploymentId")?,
                description: string(p, "Description"),
                variables: string_map(p.get("Variables")),
            };
            api.create_stage(stage)?;
            Ok(())
        }
        "AWS::ApiGateway::GatewayResponse" => {
            let api = api_mut(gateway, p, cloud, "PutGatewayResponse")?;
            let type_name = required(p, "ResponseType")?;
            let response_type = GatewayResponseType::parse(&type_name).ok_or_else(|| {
                Failure::Aws(ApiGatewayError::bad_request(
                    "PutGatewayResponse",
                    format!("1 validation error detected: Value '{type_name}' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set"),
                ))
            })?;
            api.put_gateway_response(
                response_type,
                GatewayResponse {
                    status_code: string(p, "StatusCode"),
                    response_parameters: string_map(p.get("ResponseParameters")),
                    response_templates: string_map(p.get("ResponseTemplates")),
                },
            );
            Ok(())
        }
        "AWS::ApiGateway::RequestValidator" => {
            let api = api_mut(gateway, p, cloud, "CreateRequestValidator")?;
            api.create_request_validator(RequestValidator {
                id: resource.physical_id.clone(),
                name: string(p, "Name").unwrap_or_else(|| resource.physical_id.clone()),
                validate_request_body: boolean(p, "ValidateRequestBody"),
                validate_request_parameters: boolean(p, "ValidateRequestParameters"),
            });
            Ok(())
        }
        "AWS::ApiGateway::Model" => {
            let api = api_mut(gateway, p, cloud, "CreateModel")?;
            let schema = match p.get("Schema") {
                Some(Json::String(text)) => serde_json::from_str(text).map_err(|e| {
                    Failure::Aws(ApiGatewayError::bad_request(
                        "CreateModel",
                        format!("Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified: {e}]"),
                    ))
                })?,
                Some(other) => other.clone(),
                None => serde_json::json!({}),
            };
            api.create_model(Model {
                name: resource.physical_id.clone(),
                content_type: string(p, "ContentType").unwrap_or_else(|| "application/json".to_string()),
                schema,
                description: string(p, "Description"),
            })?;
            Ok(())
        }
        _ => Ok(()),
    }
}

fn rest_api(gateway: &mut ApiGateway, resource: &StackResource, cloud: &mut Cloud) -> Result<(), Failure> {
    let p = &resource.properties;
    if p.get("BodyS3Location").is_some() {
        return Err(Failure::Property(
            "not simulated: BodyS3Location (put the definition inline in Body)".to_string(),
        ));
    }
    let root = resource
        .attributes
        .get("RootResourceId")
        .and_then(Json::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| cloud.ids.string(10, crate::cloud::LOWER_ALPHANUMERIC));
    let name = string(p, "Name").unwrap_or_else(|| resource.logical_id.clone());
    let mut api = RestApi::new(&resource.physical_id, &root, &name);
    api.description = string(p, "Description");
    if let Some(types) = p.get("BinaryMediaTypes").and_then(Json::as_array) {
        api.definition.binary_media_types = types.iter().filter_map(Json::as_str).map(str::to_string).collect();
    }
    if let Some(source) = string(p, "ApiKeySourceType") {
        api.definition.api_key_source = source;
    }
    if let Some(body) = p.get("Body") {
        openapi::import(&mut api, body, &mut cloud.ids).map_err(Failure::Import)?;
        if p.get("Name").is_some() {
            api.name = name;
        }
    }
    gateway.logical_ids.insert(api.id.clone(), resource.logical_id.clone());
    gateway.rest_apis.insert(api.id.clone(), api);
    Ok(())
}

fn method(api: &mut RestApi, p: &Json) -> Result<(), Failure> {
    let resource_id = required(p, "ResourceId")?;
    let http_method = required(p, "HttpMethod")?;
    let method = Method {
        http_method: http_method.clone(),
        authorization_type: string(p, "AuthorizationType").unwrap_or_else(|| "NONE".to_string()),
        api_key_required: boolean(p, "ApiKeyRequired"),
        request_parameters: bool_map(p.get("RequestParameters")),
        request_validator_id: string(p, "RequestValidatorId"),
        request_models: string_map(p.get("RequestModels")),
        operation_name: string(p, "OperationName"),
        ..Method::default()
    };
    let http_method = api.put_method(&resource_id, method)?.http_method.clone();
    for response in p.get("MethodResponses").and_then(Json::as_array).into_iter().flatten() {
        api.put_method_response(
            &resource_id,
            &http_method,
            MethodResponse {
                status_code: required(response, "StatusCode")?,
                response_parameters: bool_map(response.get("ResponseParameters")),
                response_models: string_map(response.get("ResponseModels")),
            },
        )?;
    }
    let Some(spec) = p.get("Integration") else {
        return Ok(());
    };
    let type_name = required(spec, "Type")?;
    let integration_type = IntegrationType::parse(&type_name).ok_or_else(|| {
        Failure::Aws(ApiGatewayError::bad_request(
            "PutIntegration",
            format!("1 validation error detected: Value '{type_name}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, AWS, MOCK, HTTP_PROXY, AWS_PROXY]"),
        ))
    })?;
    let mut integration = Integration::new(integration_type);
    integration.uri = string(spec, "Uri");
    integration.http_method = string(spec, "IntegrationHttpMethod");
    integration.credentials = string(spec, "Credentials");
    integration.request_templates = string_map(spec.get("RequestTemplates"));
    integration.request_parameters = string_map(spec.get("RequestParameters"));
    if let Some(b) = string(spec, "PassthroughBehavior") {
        integration.passthrough_behavior = PassthroughBehavior::parse(&b).ok_or_else(|| {
            Failure::Aws(ApiGatewayError::bad_request(
                "PutIntegration",
                format!("Invalid passthrough behavior specified: {b}"),
            ))
        })?;
    }
    integration.content_handling = string(spec, "ContentHandling");
    if let Some(t) = spec.get("TimeoutInMillis") {
        integration.timeout_in_millis = number(t).unwrap_or(0);
    }
    let responses: Vec<Json> = spec
        .get("IntegrationResponses")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    api.put_integration(&resource_id, &http_method, integration)?;
    for r in &responses {
        api.put_integration_response(
            &resource_id,
            &http_method,
            IntegrationResponse {
                status_code: required(r, "StatusCode")?,
                selection_pattern: string(r, "SelectionPattern"),
                response_templates: string_map(r.get("ResponseTemplates")),
                response_parameters: string_map(r.get("ResponseParameters")),
                content_handling: string(r, "ContentHandling"),
            },
        )?;
    }
    Ok(())
}

/// Creates the stage, or points an existing one at the new deployment (a Deployment's `StageName` does that).
fn put_stage(api: &mut RestApi, stage: Stage) -> Result<(), Failure> {
    if api.stages.contains_key(&stage.stage_name) {
        api.update_stage_deployment(&stage.stage_name, &stage.deployment_id)?;
        if let Some(existing) = api.stages.get_mut(&stage.stage_name) {
            existing.variables.extend(stage.variables);
        }
    } else {
        api.create_stage(stage)?;
    }
    Ok(())
}

fn api_mut<'a>(
    gateway: &'a mut ApiGateway,
    p: &Json,
    cloud: &Cloud,
    op: &'static str,
) -> Result<&'a mut RestApi, Failure> {
    let id = required(p, "RestApiId")?;
    gateway
        .rest_apis
        .get_mut(&id)
        .ok_or_else(|| Failure::Aws(invalid_rest_api(op, &cloud.account_id, &id)))
}

fn required(p: &Json, name: &str) -> Result<String, Failure> {
    string(p, name).ok_or_else(|| Failure::Property(format!("#: required key [{name}] not found")))
}

/// A string property; numbers and booleans are read as CloudFormation reads them (as their text).
fn string(p: &Json, name: &str) -> Option<String> {
    match p.get(name)? {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn boolean(p: &Json, name: &str) -> bool {
    matches!(p.get(name), Some(Json::Bool(true))) || string(p, name).as_deref() == Some("true")
}

fn number(v: &Json) -> Option<u32> {
    match v {
        Json::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Json::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A map of strings (non-string values as their text).
pub fn string_map(v: Option<&Json>) -> IndexMap<String, String> {
    v.and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let text = match v {
                Json::String(s) => s.clone(),
                Json::Null => return None,
                other => other.to_string(),
            };
            Some((k.clone(), text))
        })
        .collect()
}

/// A map of booleans (`true`/`"true"` are true).
pub fn bool_map(v: Option<&Json>) -> IndexMap<String, bool> {
    v.and_then(Json::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), matches!(v, Json::Bool(true)) || v.as_str() == Some("true")))
        .collect()
}
