//! Serverless Playground: a simulated AWS account for learning serverless.
//!
//! The engine (everything outside `ui`) is plain Rust with no browser dependency, so the CLI, the tests and the
//! browser all drive the same code. The request flow and the rules the engine follows are described in the
//! project's design notes; the module map mirrors it:
//!
//! - [`api`]: AWS API calls inside the account (a handler's SDK call): caller, error shape, dispatch.
//! - [`apigateway`]: API Gateway REST APIs: model, request chain, test invoke, OpenAPI.
//! - [`cloud`]: the simulated account ([`Cloud`]): account id, region, virtual clock, seeded ids, services.
//! - [`dynamodb`]: DynamoDB tables, items, expressions, queries, batches and transactions (the JSON 1.0 API).
//! - [`events`]: EventBridge scheduled rules (`rate(...)`, `cron(...)`) invoking Lambda on the virtual clock.
//! - [`iam`]: who may do what: the check every service makes for a caller.
//! - [`js`]: the Node.js runtime on Boa: CommonJS modules, console, timers on virtual time, the handler contract.
//! - [`lambda`]: Lambda functions, versions, aliases, execution environments and the `Invoke` API.
//! - [`pricing`]: what a run would cost on AWS (Lambda requests and GB-seconds, API Gateway REST calls).
//! - [`s3`]: S3 buckets and objects, bucket policies, static website hosting, event notifications to Lambda.
//! - [`scenario`]: the playground's scenario file (versioned JSON with migrations) and its share-URL codec.
//! - [`simulation`]: load tests on virtual time (concurrency, cold starts, throttles, latency).
//! - [`sns`]: SNS topics, subscriptions (SQS, Lambda) with filter policies, Publish and fan-out.
//! - [`sqs`]: SQS standard and FIFO queues: messages, visibility, delay, retention, redrive, deduplication.
//! - [`trace`]: per-request traces (X-Ray's segments and subsegments): gateway stages, Lambda phases, SDK calls.
//! - [`template`]: CloudFormation / SAM templates, YAML or JSON, with intrinsic functions and the SAM transform.
//! - [`tutorial`]: the guided lessons and their step checks.
//! - [`vtl`]: Velocity mapping templates with API Gateway's `$input`, `$util`, `$context`, `$stageVariables`.
//! - `ui` (feature `web`): the Yew single-page app.

pub mod api;
pub mod apigateway;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod cloud;
pub mod dynamodb;
pub mod events;
pub mod iam;
pub mod js;
pub mod lambda;
pub mod logs;
pub mod pricing;
pub mod s3;
pub mod scenario;
pub mod services;
pub mod simulation;
pub mod sns;
pub mod sqs;
pub mod template;
pub mod trace;
pub mod tutorial;
pub mod vtl;

#[cfg(feature = "web")]
pub mod ui;

pub use cloud::Cloud;
