//! The simulated services, in the order a stack is handed to them ([`crate::Cloud::deploy`]).
//!
//! Each service issue adds its service here; a resource type no service lists is reported "not simulated".

use crate::cloud::Service;

/// A fresh instance of every simulated service.
pub fn all() -> Vec<Box<dyn Service>> {
    vec![
        // IAM first: roles exist before the services whose resources use them.
        Box::<crate::iam::Iam>::default(),
        Box::<crate::apigateway::ApiGateway>::default(),
        Box::<crate::lambda::Lambda>::default(),
        // CloudWatch Logs: Lambda writes each invocation's lines here (src/logs/lambda.rs).
        Box::<crate::logs::Logs>::default(),
        Box::<crate::dynamodb::DynamoDb>::default(),
        // After Lambda: bucket notifications check the functions' permissions.
        Box::<crate::s3::S3>::default(),
        Box::<crate::sqs::Sqs>::default(),
        Box::<crate::sns::Sns>::default(),
        // After Lambda: rules check the functions' permissions when they fire.
        Box::<crate::events::Events>::default(),
    ]
}
