//! Hash routes: every view has a URL (`#/lambda/<functionName>`), so views can be bookmarked, shared and opened
//! with the browser's back and forward buttons. The fragment never reaches a server, so the site stays plain
//! static files.

/// A view of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `#/`: the deployed stack (resources and outputs).
    Overview,
    /// `#/template`: the scenario editor.
    Template,
    /// `#/apigateway`: the REST APIs.
    Apis,
    /// `#/apigateway/<apiId>`: one API's resources and stages.
    Api {
        /// The API id.
        api_id: String,
    },
    /// `#/apigateway/<apiId>/resources/<resourceId>/methods/<METHOD>`: Method Execution and Test.
    Method {
        /// The API id.
        api_id: String,
        /// The resource id.
        resource_id: String,
        /// The HTTP method.
        http_method: String,
    },
    /// `#/apigateway/<apiId>/console`: send requests to a deployed stage.
    Console {
        /// The API id.
        api_id: String,
    },
    /// `#/lambda`: the functions.
    Functions,
    /// `#/lambda/<functionName>`: one function's code, test events and invoke.
    Function {
        /// The function name.
        name: String,
    },
    /// `#/dynamodb`: the tables.
    Tables,
    /// `#/dynamodb/<tableName>`: one table's item browser.
    Table {
        /// The table name.
        name: String,
    },
    /// `#/s3`: the buckets.
    Buckets,
    /// `#/s3/<bucket>`: one bucket's objects.
    Bucket {
        /// The bucket name.
        bucket: String,
    },
    /// `#/s3/<bucket>/website` (the index) or `#/s3/<bucket>/website/<path>`: the hosted website preview.
    Website {
        /// The bucket name.
        bucket: String,
        /// The path on the website endpoint, beginning with `/`.
        path: String,
    },
    /// `#/logs`: every log of this session.
    Logs,
    /// `#/traces` (the latest) or `#/traces/<number>`: the request traces' timelines.
    Traces {
        /// The trace's number; `None` for the latest.
        number: Option<u64>,
    },
    /// `#/tutorial`: the lesson list.
    Tutorial,
    /// A tutorial step: `#/tutorial/<lesson id>/<step number, from 1>`.
    TutorialStep {
        /// The lesson's id.
        lesson: String,
        /// The step's number, from 1.
        step: usize,
    },
    /// `#/load`: the load test and its bill.
    Load,
    /// Any other fragment.
    NotFound(String),
}

impl Route {
    /// The route of `fragment` (`location.hash`, with or without `#`).
    pub fn parse(fragment: &str) -> Route {
        let path = fragment.trim_start_matches('#');
        let path = path.strip_prefix('/').unwrap_or(path);
        let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        match parts.as_slice() {
            [] => Route::Overview,
            ["template"] => Route::Template,
            ["apigateway"] => Route::Apis,
            ["apigateway", api] => Route::Api {
                api_id: api.to_string(),
            },
            ["apigateway", api, "console"] => Route::Console {
                api_id: api.to_string(),
            },
            ["apigateway", api, "resources", resource, "methods", method] => Route::Method {
                api_id: api.to_string(),
                resource_id: resource.to_string(),
                http_method: method.to_string(),
            },
            ["lambda"] => Route::Functions,
            ["lambda", name] => Route::Function { name: name.to_string() },
            ["dynamodb"] => Route::Tables,
            ["dynamodb", name] => Route::Table { name: name.to_string() },
            ["s3"] => Route::Buckets,
            ["s3", bucket] => Route::Bucket {
                bucket: bucket.to_string(),
            },
            ["s3", bucket, "website"] => Route::Website {
                bucket: bucket.to_string(),
                path: "/".into(),
            },
            ["s3", bucket, "website", path] => Route::Website {
                bucket: bucket.to_string(),
                path: if path.starts_with('/') {
                    path.to_string()
                } else {
                    format!("/{path}")
                },
            },
            ["logs"] => Route::Logs,
            ["traces"] => Route::Traces { number: None },
            ["traces", n] if n.parse::<u64>().is_ok() => Route::Traces { number: n.parse().ok() },
            ["tutorial"] => Route::Tutorial,
            ["load"] => Route::Load,
            ["tutorial", lesson, step] => match step.parse::<usize>() {
                Ok(step) => Route::TutorialStep {
                    lesson: lesson.to_string(),
                    step,
                },
                Err(_) => Route::NotFound(path.to_string()),
            },
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The fragment of this route, `#/...`.
    pub fn href(&self) -> String {
        let e = percent_encode;
        match self {
            Route::Overview => "#/".into(),
            Route::Template => "#/template".into(),
            Route::Apis => "#/apigateway".into(),
            Route::Api { api_id } => format!("#/apigateway/{}", e(api_id)),
            Route::Console { api_id } => format!("#/apigateway/{}/console", e(api_id)),
            Route::Method {
                api_id,
                resource_id,
                http_method,
            } => format!(
                "#/apigateway/{}/resources/{}/methods/{}",
                e(api_id),
                e(resource_id),
                e(http_method)
            ),
            Route::Functions => "#/lambda".into(),
            Route::Function { name } => format!("#/lambda/{}", e(name)),
            Route::Tables => "#/dynamodb".into(),
            Route::Table { name } => format!("#/dynamodb/{}", e(name)),
            Route::Buckets => "#/s3".into(),
            Route::Bucket { bucket } => format!("#/s3/{}", e(bucket)),
            Route::Website { bucket, path } if path == "/" => format!("#/s3/{}/website", e(bucket)),
            Route::Website { bucket, path } => format!("#/s3/{}/website/{}", e(bucket), e(path)),
            Route::Logs => "#/logs".into(),
            Route::Traces { number: None } => "#/traces".into(),
            Route::Traces { number: Some(n) } => format!("#/traces/{n}"),
            Route::Tutorial => "#/tutorial".into(),
            Route::Load => "#/load".into(),
            Route::TutorialStep { lesson, step } => format!("#/tutorial/{}/{step}", e(lesson)),
            Route::NotFound(path) => format!("#/{path}"),
        }
    }

    /// The navigation section this route belongs to (for `aria-current`).
    pub fn section(&self) -> &'static str {
        match self {
            Route::Overview | Route::NotFound(_) => "overview",
            Route::Template => "template",
            Route::Apis | Route::Api { .. } | Route::Method { .. } | Route::Console { .. } => "apigateway",
            Route::Functions | Route::Function { .. } => "lambda",
            Route::Tables | Route::Table { .. } => "dynamodb",
            Route::Buckets | Route::Bucket { .. } | Route::Website { .. } => "s3",
            Route::Logs => "logs",
            Route::Traces { .. } => "traces",
            Route::Tutorial | Route::TutorialStep { .. } => "tutorial",
            Route::Load => "load",
        }
    }
}

/// Escapes everything but unreserved characters (RFC 3986 §2.3), so a name with `/` stays one segment.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~$".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes [`percent_encode`]; a malformed escape is kept as written.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(value) => {
                out.push(value);
                i += 3;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_round_trip_through_their_fragment() {
        let routes = [
            Route::Overview,
            Route::Template,
            Route::Apis,
            Route::Api {
                api_id: "abc123".into(),
            },
            Route::Console {
                api_id: "abc123".into(),
            },
            Route::Method {
                api_id: "abc123".into(),
                resource_id: "r1".into(),
                http_method: "GET".into(),
            },
            Route::Functions,
            Route::Function {
                name: "sam-app/odd name%".into(),
            },
            Route::Tables,
            Route::Table {
                name: "my table".into(),
            },
            Route::Buckets,
            Route::Bucket { bucket: "site".into() },
            Route::Website {
                bucket: "site".into(),
                path: "/".into(),
            },
            Route::Website {
                bucket: "site".into(),
                path: "/docs/a b.html".into(),
            },
            Route::Logs,
            Route::Traces { number: None },
            Route::Traces { number: Some(3) },
            Route::Tutorial,
            Route::Load,
            Route::TutorialStep {
                lesson: "hello-world-mock".into(),
                step: 2,
            },
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.href()), route, "{}", route.href());
        }
    }

    #[test]
    fn fragments_parse_as_documented() {
        assert_eq!(Route::parse(""), Route::Overview);
        assert_eq!(Route::parse("#"), Route::Overview);
        assert_eq!(
            Route::parse("#/apigateway/a1/resources/r9/methods/GET"),
            Route::Method {
                api_id: "a1".into(),
                resource_id: "r9".into(),
                http_method: "GET".into()
            }
        );
        assert_eq!(Route::parse("#/lambda/fn"), Route::Function { name: "fn".into() });
        assert_eq!(Route::parse("#/dynamodb"), Route::Tables);
        assert_eq!(Route::parse("#/sqs"), Route::NotFound("sqs".into()));
        assert_eq!(Route::parse("#/lambda/%zz%4"), Route::Function { name: "%zz%4".into() });
    }
}
