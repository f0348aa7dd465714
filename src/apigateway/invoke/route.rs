//! Stage 1, route: the resource and method for the request's path and HTTP method.
//!
//! An unknown path, or a resource without the method (and without `ANY`), is answered 403
//! `{"message":"Missing Authentication Token"}` (gateway response `MISSING_AUTHENTICATION_TOKEN`). Source:
//! "Gateway response types" and AWS's recorded answers (LocalStack parity test B10; the course's warning about the
//! stage root without a method).

use crate::apigateway::invoke::GatewayError;
use crate::apigateway::model::{ApiDefinition, Method, Resource};
use crate::apigateway::responses::GatewayResponseType;
use crate::apigateway::router::Router;
use crate::apigateway::trace::{RouteRecord, Trace};
use indexmap::IndexMap;

/// What routing found.
#[derive(Debug, Clone)]
pub struct Routed<'a> {
    /// The resource.
    pub resource: &'a Resource,
    /// The method (the resource's `http_method`, else its `ANY`).
    pub method: &'a Method,
    /// Path parameters.
    pub path_parameters: IndexMap<String, String>,
}

/// Routes `http_method path` (path after the stage) in `definition`.
pub fn route<'a>(
    definition: &'a ApiDefinition,
    router: &Router,
    http_method: &str,
    path: &str,
    trace: &mut Trace,
) -> Result<Routed<'a>, GatewayError> {
    let missing = || GatewayError::of(GatewayResponseType::MISSING_AUTHENTICATION_TOKEN);
    let found = router.route(path).ok_or_else(missing)?;
    let resource = definition.resources.get(&found.resource_id).ok_or_else(missing)?;
    let (method_key, method) = find_method(resource, http_method).ok_or_else(missing)?;
    trace.route = Some(RouteRecord {
        http_method: http_method.to_string(),
        path: path.to_string(),
        resource_id: resource.id.clone(),
        resource_path: resource.path.clone(),
        method_key: method_key.to_string(),
    });
    Ok(Routed {
        resource,
        method,
        path_parameters: found.path_parameters,
    })
}

/// The resource's method for `http_method` (exact, case-sensitive as HTTP methods are), else its `ANY`.
pub fn find_method<'a>(resource: &'a Resource, http_method: &str) -> Option<(&'a str, &'a Method)> {
    resource
        .resource_methods
        .get_key_value(http_method)
        .or_else(|| resource.resource_methods.get_key_value("ANY"))
        .map(|(k, m)| (k.as_str(), m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigateway::model::RestApi;

    #[test]
    fn a_missing_method_or_path_is_missing_authentication_token() {
        let mut api = RestApi::new("a", "root", "t");
        api.create_resource("r", "root", "message").unwrap();
        let get = Method {
            http_method: "GET".into(),
            ..Method::default()
        };
        api.put_method("r", get).unwrap();
        let router = Router::new(&api.definition);
        let mut trace = Trace::default();
        let ok = route(&api.definition, &router, "GET", "/message", &mut trace).unwrap();
        assert_eq!(ok.resource.path, "/message");
        assert_eq!(trace.route.unwrap().method_key, "GET");
        for (method, path) in [
            ("POST", "/message"),
            ("GET", "/"),
            ("GET", "/nope"),
            ("get", "/message"),
        ] {
            let err = route(&api.definition, &router, method, path, &mut Trace::default()).unwrap_err();
            assert_eq!(err.response_type, GatewayResponseType::MISSING_AUTHENTICATION_TOKEN);
            assert_eq!(err.message, "Missing Authentication Token");
        }
    }

    #[test]
    fn any_answers_every_method_but_an_explicit_one_wins() {
        let mut api = RestApi::new("a", "root", "t");
        for m in ["ANY", "POST"] {
            let method = Method {
                http_method: m.into(),
                ..Method::default()
            };
            api.put_method("root", method).unwrap();
        }
        let root = &api.definition.resources["root"];
        assert_eq!(find_method(root, "DELETE").unwrap().0, "ANY");
        assert_eq!(find_method(root, "POST").unwrap().0, "POST");
    }
}
