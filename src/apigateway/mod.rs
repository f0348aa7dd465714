//! API Gateway REST APIs: the model, the control-plane operations, the request chain, test invoke, and OpenAPI.
//!
//! - [`model`]: `RestApi`, `Resource`, `Method`, `Integration`, `Deployment`, `Stage`, ... as AWS names them.
//! - [`operations`]: `create_resource`, `put_method`, `put_integration`, ... with AWS's validation messages.
//! - [`stack`]: creates the `AWS::ApiGateway::*` resources of a loaded template through those operations.
//! - [`openapi`]: OpenAPI 3 / Swagger 2 import (with `x-amazon-apigateway-*` extensions) and OpenAPI 3 export.
//! - [`router`], [`invoke`]: a request through route -> method request -> integration request -> integration
//!   -> integration response -> method response, recorded in a [`trace::Trace`].
//! - [`responses`]: gateway response types and defaults; [`test_invoke`]: the console's Test button.

pub mod context;
pub mod cors;
pub mod errors;
pub mod http;
pub mod invoke;
pub mod model;
pub mod openapi;
pub mod operations;
pub mod parameters;
pub mod responses;
pub mod router;
pub mod schema;
pub mod stack;
pub mod test_invoke;
pub mod trace;

use crate::cloud::{Cloud, Service};
use crate::template::{Stack, TemplateError};
use indexmap::IndexMap;
use model::RestApi;
use std::any::Any;

/// The API Gateway service of a Cloud: its REST APIs by id.
#[derive(Debug, Default)]
pub struct ApiGateway {
    /// REST APIs by id, in creation order.
    pub rest_apis: IndexMap<String, RestApi>,
    /// The logical id each API was created from, by API id (for `--api LOGICAL_ID`).
    pub logical_ids: IndexMap<String, String>,
}

/// The CloudFormation types this service creates.
pub const RESOURCE_TYPES: &[&str] = &[
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Deployment",
    "AWS::ApiGateway::Stage",
    "AWS::ApiGateway::GatewayResponse",
    "AWS::ApiGateway::RequestValidator",
    "AWS::ApiGateway::Model",
];

impl ApiGateway {
    /// `CreateRestApi`: a new API named `name` with its root resource, ids drawn from `ids` (10 characters, as
    /// AWS's are).
    pub fn create_rest_api(&mut self, ids: &mut crate::cloud::IdGenerator, name: &str) -> &mut RestApi {
        let id = ids.string(10, crate::cloud::LOWER_ALPHANUMERIC);
        let root = ids.string(10, crate::cloud::LOWER_ALPHANUMERIC);
        self.rest_apis
            .entry(id.clone())
            .or_insert_with(|| RestApi::new(&id, &root, name))
    }

    /// `GetExport` as OpenAPI 3 with API Gateway's extensions (`exportType oas30`, `extensions=integrations`).
    ///
    /// Errors: an unknown API.
    pub fn get_export(&self, account_id: &str, api_id: &str) -> Result<serde_json::Value, errors::ApiGatewayError> {
        let api = self
            .rest_apis
            .get(api_id)
            .ok_or_else(|| errors::invalid_rest_api("GetExport", account_id, api_id))?;
        Ok(openapi::export(&api.name, api.description.as_deref(), &api.definition))
    }

    /// The API created from the template resource `logical_id`.
    pub fn api_by_logical_id(&self, logical_id: &str) -> Option<&RestApi> {
        let (id, _) = self.logical_ids.iter().find(|(_, l)| l.as_str() == logical_id)?;
        self.rest_apis.get(id)
    }

    /// The invoke URL of a stage: `https://{restApiId}.execute-api.{region}.amazonaws.com/{stage}`. Source:
    /// "Invoke REST APIs in API Gateway".
    pub fn invoke_url(api_id: &str, region: &str, url_suffix: &str, stage: &str) -> String {
        format!("https://{api_id}.execute-api.{region}.{url_suffix}/{stage}")
    }
}

impl Service for ApiGateway {
    fn name(&self) -> &'static str {
        "API Gateway"
    }

    fn resource_types(&self) -> &'static [&'static str] {
        RESOURCE_TYPES
    }

    fn deploy(&mut self, stack: &Stack, cloud: &mut Cloud) -> Result<(), TemplateError> {
        stack::deploy(self, stack, cloud)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apis_are_created_with_seeded_ids_and_exported() {
        let mut ids = crate::cloud::IdGenerator::from_seed(3);
        let mut gateway = ApiGateway::default();
        let api = gateway.create_rest_api(&mut ids, "pets");
        assert_eq!(api.id.len(), 10);
        assert_eq!(api.definition.resources[&api.definition.root_resource_id].path, "/");
        let id = api.id.clone();
        let export = gateway.get_export("123456789012", &id).unwrap();
        assert_eq!(export["info"]["title"], "pets");
        assert_eq!(export["paths"], serde_json::json!({}));
        assert_eq!(
            gateway.get_export("123456789012", "nope").unwrap_err().message,
            "Invalid API identifier specified 123456789012:nope"
        );
        let mut again = crate::cloud::IdGenerator::from_seed(3);
        assert_eq!(ApiGateway::default().create_rest_api(&mut again, "pets").id, id);
    }
}
