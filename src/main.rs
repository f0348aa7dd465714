//! `serverless-playground`: the engine on the command line, like `sam local` with the integrations it lacks.
//!
//! ```text
//! serverless-playground validate -t TEMPLATE [--parameter-overrides K=V ...]
//! serverless-playground request -t TEMPLATE [--api LOGICAL_ID] METHOD PATH [-H 'Name: value']... [-d BODY]
//! serverless-playground request -t TEMPLATE --script REQUESTS.jsonl
//! serverless-playground invoke -t TEMPLATE FUNCTION [-e EVENT_FILE|-] [--invocation-type ...] [--log-type Tail]
//! serverless-playground test-invoke -t TEMPLATE [--api ID] --resource-path P --http-method M [...]
//! serverless-playground website -t TEMPLATE [--upload DIR] BUCKET PATH [-H 'Name: value']...
//! ```
//! Exit status: 0 on success, 1 when the template or the request is wrong (the error goes to stderr).

use clap::{Parser, Subcommand};
use serverless_playground::apigateway::http::HttpRequest;
use serverless_playground::cli;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "serverless-playground",
    version,
    about = "A simulated AWS serverless account on the command line"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand shares: the template and its parameters.
#[derive(clap::Args)]
struct TemplateArgs {
    /// The SAM or CloudFormation template (YAML or JSON).
    #[arg(short = 't', long = "template")]
    template: std::path::PathBuf,
    /// Parameter values, as `Key=Value` (several may follow one flag, as with `sam`).
    #[arg(long = "parameter-overrides", num_args = 1..)]
    parameter_overrides: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Load the template; print each resource (logical id, type, simulated or not) and the outputs.
    Validate {
        #[command(flatten)]
        template: TemplateArgs,
    },
    /// Send HTTP requests to a deployed REST API.
    Request {
        #[command(flatten)]
        template: TemplateArgs,
        /// The logical id of the `AWS::ApiGateway::RestApi`, when the template has several.
        #[arg(long)]
        api: Option<String>,
        /// A file of requests, one JSON object per line (the conformance-case format), plus `{"invoke": FUNCTION}`,
        /// `{"advance": "90s"}` (move the virtual clock; prints `{"now": ...}`) and `{"sdk": {"service",
        /// "operation", "input"}}` (one API call as the account's root) lines; each prints one JSON line.
        #[arg(long)]
        script: Option<std::path::PathBuf>,
        /// Headers, as `Name: value`.
        #[arg(short = 'H', long = "header")]
        headers: Vec<String>,
        /// The request body.
        #[arg(short = 'd', long = "data")]
        body: Option<String>,
        /// METHOD PATH, e.g. `GET /test/pets/1?x=1`.
        request: Vec<String>,
    },
    /// GET a path from a bucket's S3 website endpoint (index and error documents, redirects, S3's 403/404 pages).
    Website {
        #[command(flatten)]
        template: TemplateArgs,
        /// Upload this folder's files into the bucket first (as `aws s3 sync DIR s3://BUCKET`).
        #[arg(long)]
        upload: Option<std::path::PathBuf>,
        /// Headers, as `Name: value` (`If-None-Match`, ...).
        #[arg(short = 'H', long = "header")]
        headers: Vec<String>,
        /// The bucket's logical id or name.
        bucket: String,
        /// The path, e.g. `/` or `/docs/page.html`.
        path: String,
    },
    /// Invoke a function as `aws lambda invoke` does.
    Invoke {
        #[command(flatten)]
        template: TemplateArgs,
        /// The function's logical id.
        function: String,
        /// The event file, or `-` for standard input.
        #[arg(short = 'e', long = "event")]
        event: Option<String>,
        /// RequestResponse, Event or DryRun.
        #[arg(long = "invocation-type", default_value = "RequestResponse")]
        invocation_type: String,
        /// None, or Tail to add `LogResult` (the last 4 KB of the log, base64) to the output.
        #[arg(long = "log-type", default_value = "None")]
        log_type: String,
    },
    /// Call a method as the API Gateway console's Test button does, printing the execution log.
    TestInvoke {
        #[command(flatten)]
        template: TemplateArgs,
        #[arg(long)]
        api: Option<String>,
        #[arg(long = "resource-path")]
        resource_path: String,
        #[arg(long = "http-method")]
        http_method: String,
        #[arg(long = "path-with-query-string")]
        path_with_query_string: Option<String>,
        #[arg(short = 'H', long = "header")]
        headers: Vec<String>,
        #[arg(short = 'd', long = "data")]
        body: Option<String>,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match &args.command {
        Command::Validate { template } => load(template).map(|(stack, cloud)| cli::validate_report(&stack, &cloud)),
        Command::Request {
            template,
            api,
            script,
            headers,
            body,
            request,
        } => load(template).and_then(|(_, mut cloud)| match script {
            Some(file) => {
                if !request.is_empty() || !headers.is_empty() || body.is_some() {
                    return Err("request: --script takes no METHOD PATH, -H or -d".to_string());
                }
                let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
                let (out, logs) = cli::request_script(&mut cloud, api.as_deref(), &text)?;
                print_logs(&logs);
                Ok(out)
            }
            None => {
                let [method, path] = request.as_slice() else {
                    return Err("request: expected METHOD PATH, e.g. GET /test/pets/1".to_string());
                };
                let http = HttpRequest {
                    method: method.clone(),
                    path: path.clone(),
                    headers: cli::parse_headers(headers)?,
                    body: body.clone().unwrap_or_default(),
                };
                cli::request(&mut cloud, api.as_deref(), &http)
            }
        }),
        Command::Website {
            template,
            upload,
            headers,
            bucket,
            path,
        } => load(template).and_then(|(stack, mut cloud)| {
            let headers = cli::parse_headers(headers)?;
            if let Some(dir) = upload {
                let name = cli::select_bucket(&stack, bucket);
                cli::upload_folder(&mut cloud, &name, dir)?;
            }
            Ok(cli::website(&mut cloud, &stack, bucket, path, &headers))
        }),
        Command::Invoke {
            template,
            function,
            event,
            invocation_type,
            log_type,
        } => load(template).and_then(|(_, mut cloud)| {
            let payload = match event.as_deref() {
                None => String::new(),
                Some("-") => std::io::read_to_string(std::io::stdin()).map_err(|e| format!("standard input: {e}"))?,
                Some(file) => std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?,
            };
            let (out, logs) = cli::invoke_with_log_type(&mut cloud, function, invocation_type, &payload, log_type)?;
            print_logs(&logs);
            Ok(out)
        }),
        Command::TestInvoke {
            template,
            api,
            resource_path,
            http_method,
            path_with_query_string,
            headers,
            body,
        } => load(template).and_then(|(_, mut cloud)| {
            let args = cli::TestInvokeArgs {
                api: api.clone(),
                resource_path: resource_path.clone(),
                http_method: http_method.clone(),
                path_with_query_string: path_with_query_string.clone(),
                headers: cli::parse_headers(headers)?,
                body: body.clone().unwrap_or_default(),
            };
            cli::test_invoke(&mut cloud, &args)
        }),
    };
    match result {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Log lines go to stderr, one per line, as `sam local invoke` prints them.
fn print_logs(lines: &[String]) {
    for line in lines {
        eprintln!("{line}");
    }
}

fn load(args: &TemplateArgs) -> Result<(serverless_playground::template::Stack, serverless_playground::Cloud), String> {
    let overrides = cli::parse_parameter_overrides(&args.parameter_overrides)?;
    cli::load_template_file(&args.template, overrides)
}
