//! Control-plane operations on one [`RestApi`], named after the AWS operations (`create_resource`, `put_method`,
//! `put_integration`, `put_integration_response`, `create_deployment`, ...), with AWS's validation errors.
//!
//! Ids are passed in by the caller (a template's physical ids, or fresh ones from the Cloud's seeded
//! generator), so the same scenario always gives the same ids.

use crate::apigateway::errors::{
    invalid_integration, invalid_method, invalid_resource, invalid_response_status_code, ApiGatewayError,
};
use crate::apigateway::model::*;
use crate::apigateway::responses::GatewayResponseType;
use indexmap::IndexMap;
use std::sync::Arc;

/// The largest integration timeout, and the smallest. Source: "Amazon API Gateway quotas" (50 ms - 29 s).
pub const TIMEOUT_RANGE_MILLIS: std::ops::RangeInclusive<u32> = 50..=29_000;

impl RestApi {
    /// A new API with only its root resource `/`. Source: "CreateRestApi" (the root resource is created with it).
    pub fn new(id: &str, root_resource_id: &str, name: &str) -> RestApi {
        let mut resources = IndexMap::new();
        resources.insert(
            root_resource_id.to_string(),
            Resource {
                id: root_resource_id.to_string(),
                parent_id: None,
                path_part: String::new(),
                path: "/".to_string(),
                resource_methods: IndexMap::new(),
            },
        );
        RestApi {
            id: id.to_string(),
            name: name.to_string(),
            description: None,
            definition: ApiDefinition {
                root_resource_id: root_resource_id.to_string(),
                resources,
                api_key_source: "HEADER".to_string(),
                ..ApiDefinition::default()
            },
            deployments: IndexMap::new(),
            stages: IndexMap::new(),
        }
    }

    /// `CreateResource`: a child `path_part` under `parent_id`, with id `id`.
    ///
    /// Errors (AWS's text, from the responses LocalStack records in its AWS parity snapshots and from user
    /// reports): an invalid path part, a second variable among siblings, a child under a greedy variable, a
    /// duplicate path part under one parent (`ConflictException`), an unknown parent.
    pub fn create_resource(
        &mut self,
        id: &str,
        parent_id: &str,
        path_part: &str,
    ) -> Result<&Resource, ApiGatewayError> {
        const OP: &str = "CreateResource";
        let parent = self
            .definition
            .resources
            .get(parent_id)
            .ok_or_else(|| invalid_resource(OP))?;
        if !valid_path_part(path_part) {
            return Err(ApiGatewayError::bad_request(
                OP,
                "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
            ));
        }
        if let PathPart::Greedy(_) = parent.part() {
            return Err(ApiGatewayError::bad_request(
                OP,
                format!(
                    "Cannot create a child of a resource with a greedy path variable: {}",
                    parent.path_part
                ),
            ));
        }
        let parent_path = parent.path.clone();
        for sibling in self.definition.children(parent_id) {
            if sibling.path_part == path_part {
                return Err(ApiGatewayError::conflict(
                    OP,
                    format!("Another resource with the same parent already has this name: {path_part}"),
                ));
            }
            let both_variable =
                !matches!(sibling.part(), PathPart::Literal(_)) && !matches!(classify(path_part), PathPart::Literal(_));
            if both_variable {
                return Err(ApiGatewayError::bad_request(
                    OP,
                    format!(
                        "A sibling ({}) of this resource already has a variable path part -- only one is allowed",
                        sibling.path_part
                    ),
                ));
            }
        }
        let path = if parent_path == "/" {
            format!("/{path_part}")
        } else {
            format!("{parent_path}/{path_part}")
        };
        let resource = Resource {
            id: id.to_string(),
            parent_id: Some(parent_id.to_string()),
            path_part: path_part.to_string(),
            path,
            resource_methods: IndexMap::new(),
        };
        Ok(self.definition.resources.entry(id.to_string()).or_insert(resource))
    }

    /// `PutMethod`: `method.http_method` on `resource_id`.
    ///
    /// Errors: an unknown resource; an HTTP method AWS does not accept; a method that already exists
    /// (`ConflictException: Method already exists for this resource`, AWS-recorded in LocalStack's snapshots);
    /// an unknown request validator or model.
    pub fn put_method(&mut self, resource_id: &str, mut method: Method) -> Result<&Method, ApiGatewayError> {
        const OP: &str = "PutMethod";
        method.http_method = method.http_method.to_ascii_uppercase();
        if !HTTP_METHODS.contains(&method.http_method.as_str()) {
            // AWS's text is not known to us; this is LocalStack's reading.
            return Err(ApiGatewayError::bad_request(
                OP,
                "Invalid HttpMethod specified. Valid options are ANY,DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT",
            ));
        }
        if let Some(validator) = &method.request_validator_id {
            if !self.definition.request_validators.contains_key(validator) {
                return Err(ApiGatewayError::bad_request(
                    OP,
                    "Invalid Request Validator identifier specified",
                ));
            }
        }
        for model in method.request_models.values() {
            if !self.definition.models.contains_key(model) && !is_builtin_model(model) {
                return Err(ApiGatewayError::bad_request(
                    OP,
                    format!("Invalid model identifier specified: {model}"),
                ));
            }
        }
        for name in method.request_parameters.keys() {
            check_method_request_parameter(OP, name)?;
        }
        let resource = self
            .definition
            .resources
            .get_mut(resource_id)
            .ok_or_else(|| invalid_resource(OP))?;
        if resource.resource_methods.contains_key(&method.http_method) {
            return Err(ApiGatewayError::conflict(OP, "Method already exists for this resource"));
        }
        let key = method.http_method.clone();
        Ok(resource.resource_methods.entry(key).or_insert(method))
    }

    /// `PutMethodResponse`: `response.status_code` on the method.
    pub fn put_method_response(
        &mut self,
        resource_id: &str,
        http_method: &str,
        response: MethodResponse,
    ) -> Result<(), ApiGatewayError> {
        const OP: &str = "PutMethodResponse";
        check_status_code(OP, &response.status_code)?;
        let method = self.method_mut(OP, resource_id, http_method)?;
        method.method_responses.insert(response.status_code.clone(), response);
        Ok(())
    }

    /// `PutIntegration`: the method's integration (replacing any).
    ///
    /// Errors: an unknown resource or method; a timeout outside 50..=29000 ms (`Timeout should be between 50 ms
    /// and 29000 ms`, AWS's text as users report it); a non-MOCK integration without a URI or, for `AWS`/`HTTP`
    /// types, without an integration HTTP method (AWS's texts, as LocalStack's snapshots record them).
    pub fn put_integration(
        &mut self,
        resource_id: &str,
        http_method: &str,
        integration: Integration,
    ) -> Result<(), ApiGatewayError> {
        const OP: &str = "PutIntegration";
        if !TIMEOUT_RANGE_MILLIS.contains(&integration.timeout_in_millis) {
            return Err(ApiGatewayError::bad_request(
                OP,
                "Timeout should be between 50 ms and 29000 ms",
            ));
        }
        if integration.integration_type != IntegrationType::Mock {
            if integration.http_method.as_deref().is_none_or(str::is_empty) {
                return Err(ApiGatewayError::bad_request(
                    OP,
                    "Enumeration value for HttpMethod must be non-empty",
                ));
            }
            if integration.uri.as_deref().is_none_or(str::is_empty) {
                return Err(ApiGatewayError::bad_request(OP, "Invalid integration URI specified"));
            }
        }
        let method = self.method_mut(OP, resource_id, http_method)?;
        method.method_integration = Some(integration);
        Ok(())
    }

    /// `PutIntegrationResponse`: `response.status_code` on the method's integration.
    ///
    /// Errors: no integration; no method response for the status; a selection pattern that is not a regular
    /// expression.
    pub fn put_integration_response(
        &mut self,
        resource_id: &str,
        http_method: &str,
        response: IntegrationResponse,
    ) -> Result<(), ApiGatewayError> {
        const OP: &str = "PutIntegrationResponse";
        check_status_code(OP, &response.status_code)?;
        if let Some(pattern) = response.selection_pattern.as_deref().filter(|p| !p.is_empty()) {
            if regex::Regex::new(pattern).is_err() {
                // AWS's text is not known to us.
                return Err(ApiGatewayError::bad_request(
                    OP,
                    format!("Invalid selection pattern specified: {pattern}"),
                ));
            }
        }
        let method = self.method_mut(OP, resource_id, http_method)?;
        if !method.method_responses.contains_key(&response.status_code) {
            return Err(invalid_response_status_code(OP));
        }
        let integration = method
            .method_integration
            .as_mut()
            .ok_or_else(|| invalid_integration(OP))?;
        integration
            .integration_responses
            .insert(response.status_code.clone(), response);
        Ok(())
    }

    /// `CreateDeployment`: freezes the current definition as deployment `id`, and points `stage_name` at it
    /// when given.
    ///
    /// Errors (AWS's texts, recorded in LocalStack's snapshots): `The REST API doesn't contain any methods`;
    /// `No integration defined for method` when some method has none.
    pub fn create_deployment(
        &mut self,
        id: &str,
        description: Option<String>,
        created_date: u64,
    ) -> Result<&Deployment, ApiGatewayError> {
        const OP: &str = "CreateDeployment";
        let methods = || {
            self.definition
                .resources
                .values()
                .flat_map(|r| r.resource_methods.values())
        };
        if methods().next().is_none() {
            return Err(ApiGatewayError::bad_request(
                OP,
                "The REST API doesn't contain any methods",
            ));
        }
        if methods().any(|m| m.method_integration.is_none()) {
            return Err(ApiGatewayError::bad_request(OP, "No integration defined for method"));
        }
        let deployment = Deployment {
            id: id.to_string(),
            description,
            created_date,
            snapshot: Arc::new(self.definition.clone()),
            router: Arc::new(crate::apigateway::router::Router::new(&self.definition)),
        };
        Ok(self.deployments.entry(id.to_string()).or_insert(deployment))
    }

    /// `CreateStage`: `stage.stage_name` serving `stage.deployment_id`.
    ///
    /// Errors: a name with characters other than `a-zA-Z0-9_-` (`Stage name only allows a-zA-Z0-9_`, AWS's text
    /// as recorded by LocalStack), an unknown deployment, an existing stage (`Stage already exists`).
    pub fn create_stage(&mut self, stage: Stage) -> Result<&Stage, ApiGatewayError> {
        const OP: &str = "CreateStage";
        let name_ok = !stage.stage_name.is_empty()
            && stage
                .stage_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !name_ok {
            return Err(ApiGatewayError::bad_request(OP, "Stage name only allows a-zA-Z0-9_"));
        }
        if !self.deployments.contains_key(&stage.deployment_id) {
            return Err(ApiGatewayError::not_found(
                OP,
                "Invalid Deployment identifier specified",
            ));
        }
        if self.stages.contains_key(&stage.stage_name) {
            return Err(ApiGatewayError::conflict(OP, "Stage already exists"));
        }
        let name = stage.stage_name.clone();
        Ok(self.stages.entry(name).or_insert(stage))
    }

    /// Points an existing stage at another deployment (what "Deploy API" to an existing stage does).
    pub fn update_stage_deployment(&mut self, stage_name: &str, deployment_id: &str) -> Result<(), ApiGatewayError> {
        const OP: &str = "UpdateStage";
        if !self.deployments.contains_key(deployment_id) {
            return Err(ApiGatewayError::not_found(
                OP,
                "Invalid Deployment identifier specified",
            ));
        }
        let stage = self
            .stages
            .get_mut(stage_name)
            .ok_or_else(|| ApiGatewayError::not_found(OP, "Invalid Stage identifier specified"))?;
        stage.deployment_id = deployment_id.to_string();
        Ok(())
    }

    /// `PutGatewayResponse`: a custom response for `response_type`.
    pub fn put_gateway_response(&mut self, response_type: GatewayResponseType, response: GatewayResponse) {
        self.definition.gateway_responses.insert(response_type, response);
    }

    /// `CreateRequestValidator`.
    pub fn create_request_validator(&mut self, validator: RequestValidator) -> &RequestValidator {
        let id = validator.id.clone();
        self.definition.request_validators.entry(id).or_insert(validator)
    }

    /// `CreateModel`.
    ///
    /// Errors: a name that is not alphanumeric (`Model name must be alphanumeric: <name>`, LocalStack's reading
    /// of AWS), an existing name (`Model name already exists for this REST API`), a schema that is not a JSON
    /// object.
    pub fn create_model(&mut self, model: Model) -> Result<&Model, ApiGatewayError> {
        const OP: &str = "CreateModel";
        if model.name.is_empty() || !model.name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ApiGatewayError::bad_request(
                OP,
                format!("Model name must be alphanumeric: {}", model.name),
            ));
        }
        if self.definition.models.contains_key(&model.name) {
            return Err(ApiGatewayError::conflict(
                OP,
                "Model name already exists for this REST API",
            ));
        }
        if !model.schema.is_object() {
            return Err(ApiGatewayError::bad_request(
                OP,
                "Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]",
            ));
        }
        let name = model.name.clone();
        Ok(self.definition.models.entry(name).or_insert(model))
    }

    fn method_mut(
        &mut self,
        op: &'static str,
        resource_id: &str,
        http_method: &str,
    ) -> Result<&mut Method, ApiGatewayError> {
        self.definition
            .resources
            .get_mut(resource_id)
            .ok_or_else(|| invalid_resource(op))?
            .resource_methods
            .get_mut(&http_method.to_ascii_uppercase())
            .ok_or_else(|| invalid_method(op))
    }
}

/// The models every API has: `Empty` and `Error`. Source: "Data models for REST APIs".
pub fn is_builtin_model(name: &str) -> bool {
    name == "Empty" || name == "Error"
}

/// A literal of `a-zA-Z0-9._-`, or `{name}` / `{name+}` of the same characters.
fn valid_path_part(part: &str) -> bool {
    let chars_ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    match classify(part) {
        PathPart::Literal(s) => chars_ok(s),
        PathPart::Variable(name) | PathPart::Greedy(name) => chars_ok(name),
    }
}

/// `method.request.{path|querystring|header|multivaluequerystring|multivalueheader}.<name>`.
fn check_method_request_parameter(op: &'static str, name: &str) -> Result<(), ApiGatewayError> {
    let ok = name.strip_prefix("method.request.").is_some_and(|rest| {
        rest.split_once('.').is_some_and(|(kind, n)| {
            !n.is_empty()
                && [
                    "path",
                    "querystring",
                    "header",
                    "multivaluequerystring",
                    "multivalueheader",
                ]
                .contains(&kind)
        })
    });
    if ok {
        Ok(())
    } else {
        // AWS's text for this case, as LocalStack records it.
        Err(ApiGatewayError::bad_request(
            op,
            format!("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid method request parameter name specified: {name}]"),
        ))
    }
}

/// A three-digit status code 100..=599.
fn check_status_code(op: &'static str, status: &str) -> Result<(), ApiGatewayError> {
    match status.parse::<u16>() {
        Ok(code) if (100..=599).contains(&code) && status.len() == 3 => Ok(()),
        // AWS's text is not known to us.
        _ => Err(ApiGatewayError::bad_request(
            op,
            format!("Invalid status code specified: {status}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::errors::ErrorCode;
    use serde_json::json;

    fn api() -> RestApi {
        let mut api = RestApi::new("abc123defg", "root", "t");
        api.create_resource("pets", "root", "pets").unwrap();
        api
    }

    fn get() -> Method {
        Method {
            http_method: "get".into(),
            authorization_type: "NONE".into(),
            ..Method::default()
        }
    }

    fn fails(result: Result<impl std::fmt::Debug, ApiGatewayError>, code: ErrorCode, message: &str) {
        let e = result.unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (code, message));
    }

    #[test]
    fn resources_get_full_paths_and_aws_errors() {
        let mut a = api();
        assert_eq!(
            a.create_resource("id", "pets", "{petId}").unwrap().path,
            "/pets/{petId}"
        );
        fails(
            a.create_resource("x", "nope", "a"),
            ErrorCode::NotFoundException,
            "Invalid Resource identifier specified",
        );
        fails(
            a.create_resource("x", "pets", "{other}"),
            ErrorCode::BadRequestException,
            "A sibling ({petId}) of this resource already has a variable path part -- only one is allowed",
        );
        fails(
            a.create_resource("x", "root", "pets"),
            ErrorCode::ConflictException,
            "Another resource with the same parent already has this name: pets",
        );
        a.create_resource("g", "id", "{proxy+}").unwrap();
        fails(
            a.create_resource("x", "g", "child"),
            ErrorCode::BadRequestException,
            "Cannot create a child of a resource with a greedy path variable: {proxy+}",
        );
        for bad in ["", "a/b", "{}", "{a", "a b", "{+}"] {
            assert!(a.create_resource("x", "root", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn methods_and_integrations_validate_as_aws() {
        let mut a = api();
        assert_eq!(a.put_method("pets", get()).unwrap().http_method, "GET");
        fails(
            a.put_method("pets", get()),
            ErrorCode::ConflictException,
            "Method already exists for this resource",
        );
        fails(
            a.put_method("nope", get()),
            ErrorCode::NotFoundException,
            "Invalid Resource identifier specified",
        );
        let trace = Method {
            http_method: "TRACE".into(),
            ..Method::default()
        };
        fails(
            a.put_method("pets", trace),
            ErrorCode::BadRequestException,
            "Invalid HttpMethod specified. Valid options are ANY,DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT",
        );
        let validated = Method {
            http_method: "POST".into(),
            request_validator_id: Some("v".into()),
            ..Method::default()
        };
        fails(
            a.put_method("pets", validated),
            ErrorCode::BadRequestException,
            "Invalid Request Validator identifier specified",
        );
        let modelled = Method {
            http_method: "PUT".into(),
            request_models: [("application/json".to_string(), "Nope".to_string())]
                .into_iter()
                .collect(),
            ..Method::default()
        };
        fails(
            a.put_method("pets", modelled),
            ErrorCode::BadRequestException,
            "Invalid model identifier specified: Nope",
        );
        let mut slow = Integration::new(IntegrationType::Mock);
        slow.timeout_in_millis = 29_001;
        fails(
            a.put_integration("pets", "GET", slow),
            ErrorCode::BadRequestException,
            "Timeout should be between 50 ms and 29000 ms",
        );
        let lambda = Integration::new(IntegrationType::Aws);
        fails(
            a.put_integration("pets", "GET", lambda),
            ErrorCode::BadRequestException,
            "Enumeration value for HttpMethod must be non-empty",
        );
        fails(
            a.put_integration("pets", "DELETE", Integration::new(IntegrationType::Mock)),
            ErrorCode::NotFoundException,
            "Invalid Method identifier specified",
        );
        let response = IntegrationResponse {
            status_code: "200".into(),
            ..IntegrationResponse::default()
        };
        fails(
            a.put_integration_response("pets", "GET", response.clone()),
            ErrorCode::NotFoundException,
            "Invalid Response status code specified",
        );
        a.put_method_response(
            "pets",
            "GET",
            MethodResponse {
                status_code: "200".into(),
                ..MethodResponse::default()
            },
        )
        .unwrap();
        fails(
            a.put_integration_response("pets", "GET", response.clone()),
            ErrorCode::NotFoundException,
            "Invalid Integration identifier specified",
        );
        a.put_integration("pets", "GET", Integration::new(IntegrationType::Mock))
            .unwrap();
        a.put_integration_response("pets", "GET", response).unwrap();
    }

    #[test]
    fn deployments_snapshot_and_stages_validate() {
        let mut a = api();
        fails(
            a.create_deployment("d", None, 0),
            ErrorCode::BadRequestException,
            "The REST API doesn't contain any methods",
        );
        a.put_method("pets", get()).unwrap();
        fails(
            a.create_deployment("d", None, 0),
            ErrorCode::BadRequestException,
            "No integration defined for method",
        );
        a.put_integration("pets", "GET", Integration::new(IntegrationType::Mock))
            .unwrap();
        let snapshot = Arc::clone(&a.create_deployment("d", None, 5).unwrap().snapshot);
        a.create_resource("later", "root", "later").unwrap();
        assert!(
            snapshot.resource_by_path("/later").is_none(),
            "a deployment is immutable"
        );
        let stage = |name: &str, deployment: &str| Stage {
            stage_name: name.into(),
            deployment_id: deployment.into(),
            ..Stage::default()
        };
        fails(
            a.create_stage(stage("bad name", "d")),
            ErrorCode::BadRequestException,
            "Stage name only allows a-zA-Z0-9_",
        );
        fails(
            a.create_stage(stage("s", "zz")),
            ErrorCode::NotFoundException,
            "Invalid Deployment identifier specified",
        );
        a.create_stage(stage("s", "d")).unwrap();
        fails(
            a.create_stage(stage("s", "d")),
            ErrorCode::ConflictException,
            "Stage already exists",
        );
    }

    #[test]
    fn models_validate_names_and_schemas() {
        let mut a = api();
        let model = |name: &str, schema| Model {
            name: name.into(),
            content_type: "application/json".into(),
            schema,
            description: None,
        };
        a.create_model(model("Pet", json!({"type": "object"}))).unwrap();
        fails(
            a.create_model(model("Pet", json!({}))),
            ErrorCode::ConflictException,
            "Model name already exists for this REST API",
        );
        fails(
            a.create_model(model("my-pet", json!({}))),
            ErrorCode::BadRequestException,
            "Model name must be alphanumeric: my-pet",
        );
        assert!(a.create_model(model("Str", json!("x"))).is_err());
    }

    #[test]
    fn errors_print_as_the_aws_cli_does() {
        let e = ApiGatewayError::conflict("CreateStage", "Stage already exists");
        assert_eq!(
            e.to_string(),
            "An error occurred (ConflictException) when calling the CreateStage operation: Stage already exists"
        );
    }
}
