//! Physical ids and attributes: what `Ref` and `Fn::GetAtt` return for each resource.
//!
//! Source: the "Return values" section of each type's page in the CloudFormation resource reference (for example
//! `AWS::Lambda::Function`: `Ref` returns the function name, `Fn::GetAtt Arn` its ARN). A name property the
//! template sets (`FunctionName`, `TableName`, ...) is used as given; otherwise the name is generated the way the
//! "Name type" page describes: the stack name, the logical id and a random suffix, drawn here from the Cloud's
//! seeded ids. A type this table does not know gets a generated id and placeholder attributes that say so.

use crate::cloud::{Cloud, LOWER_ALPHANUMERIC, UPPER_ALPHANUMERIC};
use indexmap::IndexMap;
use serde_json::{json, Value as Json};
use std::collections::HashMap;

/// What `Ref` and `Fn::GetAtt` return for one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioned {
    /// The `Ref` value.
    pub physical_id: String,
    /// The `Fn::GetAtt` attributes, by name.
    pub attributes: IndexMap<String, Json>,
    /// `false` when the type is not in this table, so the attributes are placeholders.
    pub known_type: bool,
}

/// Names and ids for the resources of one stack.
pub struct Provisioner<'a> {
    cloud: &'a mut Cloud,
    stack_name: String,
    /// Versions published so far per function name (`AWS::Lambda::Version` numbers count from 1).
    versions: HashMap<String, u32>,
}

impl<'a> Provisioner<'a> {
    /// A provisioner for the stack `stack_name` in `cloud`.
    pub fn new(cloud: &'a mut Cloud, stack_name: &str) -> Provisioner<'a> {
        Provisioner {
            cloud,
            stack_name: stack_name.to_string(),
            versions: HashMap::new(),
        }
    }

    /// The account, region and partition of the Cloud.
    pub fn cloud(&self) -> &Cloud {
        self.cloud
    }

    /// The physical id and attributes of `logical_id`, a `resource_type` with evaluated `properties`.
    pub fn provision(&mut self, logical_id: &str, resource_type: &str, properties: &Json) -> Provisioned {
        let prop = |name: &str| properties.get(name).and_then(Json::as_str).map(str::to_string);
        let (partition, region, account) = (
            self.cloud.partition(),
            self.cloud.region.clone(),
            self.cloud.account_id.clone(),
        );
        let arn = |service: &str, region: &str, account: &str, rest: &str| {
            format!("arn:{partition}:{service}:{region}:{account}:{rest}")
        };
        let mut attributes = IndexMap::new();
        let physical_id = match resource_type {
            "AWS::ApiGateway::RestApi" => {
                let id = self.id(10);
                attributes.insert("RootResourceId".into(), json!(self.id(10)));
                attributes.insert("RestApiId".into(), json!(id));
                id
            }
            "AWS::ApiGateway::Resource" => self.id_attribute(6, "ResourceId", &mut attributes),
            "AWS::ApiGateway::Deployment" => self.id_attribute(6, "DeploymentId", &mut attributes),
            "AWS::ApiGateway::RequestValidator" => self.id_attribute(6, "RequestValidatorId", &mut attributes),
            "AWS::ApiGateway::ApiKey" => self.id_attribute(10, "APIKeyId", &mut attributes),
            "AWS::ApiGateway::Authorizer" => self.id_attribute(6, "AuthorizerId", &mut attributes),
            "AWS::ApiGateway::UsagePlan" => self.id_attribute(6, "Id", &mut attributes),
            "AWS::ApiGateway::Stage" => prop("StageName").unwrap_or_else(|| self.id(6)),
            "AWS::ApiGateway::Model" => prop("Name").unwrap_or_else(|| self.generated_name(logical_id, 64)),
            "AWS::ApiGateway::Method" | "AWS::ApiGateway::GatewayResponse" => {
                format!(
                    "{}-{}-{}",
                    self.short(&self.stack_name),
                    self.short(logical_id),
                    self.id(12)
                )
            }
            "AWS::Lambda::Function" => {
                let name = prop("FunctionName").unwrap_or_else(|| self.generated_name(logical_id, 64));
                attributes.insert(
                    "Arn".into(),
                    json!(arn("lambda", &region, &account, &format!("function:{name}"))),
                );
                name
            }
            "AWS::Lambda::Version" => {
                let function = prop("FunctionName").unwrap_or_default();
                let function_arn = self.function_arn(&function);
                let number = self.versions.entry(function_arn.clone()).or_insert(0);
                *number += 1;
                attributes.insert("Version".into(), json!(number.to_string()));
                format!("{function_arn}:{number}")
            }
            "AWS::Lambda::Alias" => {
                let function_arn = self.function_arn(&prop("FunctionName").unwrap_or_default());
                let alias_arn = format!("{function_arn}:{}", prop("Name").unwrap_or_default());
                attributes.insert("AliasArn".into(), json!(alias_arn));
                alias_arn
            }
            "AWS::Lambda::EventSourceMapping" => {
                let id = self.cloud.ids.uuid();
                attributes.insert("Id".into(), json!(id));
                id
            }
            "AWS::Lambda::LayerVersion" => {
                let name = prop("LayerName").unwrap_or_else(|| self.generated_name(logical_id, 64));
                let layer_arn = arn("lambda", &region, &account, &format!("layer:{name}:1"));
                attributes.insert("LayerVersionArn".into(), json!(layer_arn));
                layer_arn
            }
            "AWS::IAM::Role" => {
                let name = prop("RoleName").unwrap_or_else(|| self.generated_name(logical_id, 64));
                let path = prop("Path").unwrap_or_else(|| "/".into());
                attributes.insert(
                    "Arn".into(),
                    json!(arn("iam", "", &account, &format!("role{path}{name}"))),
                );
                attributes.insert(
                    "RoleId".into(),
                    json!(format!("AROA{}", self.cloud.ids.string(17, UPPER_ALPHANUMERIC))),
                );
                name
            }
            "AWS::IAM::ManagedPolicy" => {
                let name = prop("ManagedPolicyName").unwrap_or_else(|| self.generated_name(logical_id, 128));
                let policy_arn = arn("iam", "", &account, &format!("policy/{name}"));
                attributes.insert("PolicyArn".into(), json!(policy_arn));
                policy_arn
            }
            "AWS::DynamoDB::Table" => {
                let name = prop("TableName").unwrap_or_else(|| self.generated_name(logical_id, 255));
                let table_arn = arn("dynamodb", &region, &account, &format!("table/{name}"));
                attributes.insert("Arn".into(), json!(table_arn));
                if properties.get("StreamSpecification").is_some() {
                    let label = self.stream_label();
                    attributes.insert("StreamArn".into(), json!(format!("{table_arn}/stream/{label}")));
                }
                name
            }
            "AWS::S3::Bucket" => {
                let name = prop("BucketName").unwrap_or_else(|| self.generated_name(logical_id, 63).to_lowercase());
                let suffix = self.cloud.url_suffix();
                attributes.insert("Arn".into(), json!(format!("arn:{partition}:s3:::{name}")));
                attributes.insert("DomainName".into(), json!(format!("{name}.s3.{suffix}")));
                attributes.insert(
                    "RegionalDomainName".into(),
                    json!(format!("{name}.s3.{region}.{suffix}")),
                );
                attributes.insert(
                    "DualStackDomainName".into(),
                    json!(format!("{name}.s3.dualstack.{region}.{suffix}")),
                );
                attributes.insert(
                    "WebsiteURL".into(),
                    // The dash or dot form by region ("Website endpoints", S3 user guide).
                    json!(format!(
                        "http://{}",
                        crate::s3::website::endpoint_host(&name, &region, suffix)
                    )),
                );
                name
            }
            "AWS::SNS::Topic" => {
                let name =
                    prop("TopicName").unwrap_or_else(|| self.fifo_aware_name(logical_id, properties, "FifoTopic", 256));
                let topic_arn = arn("sns", &region, &account, &name);
                attributes.insert("TopicArn".into(), json!(topic_arn));
                attributes.insert("TopicName".into(), json!(name));
                topic_arn
            }
            "AWS::SNS::Subscription" => {
                let topic = prop("TopicArn").unwrap_or_default();
                format!("{topic}:{}", self.cloud.ids.uuid())
            }
            "AWS::SQS::Queue" => {
                let name =
                    prop("QueueName").unwrap_or_else(|| self.fifo_aware_name(logical_id, properties, "FifoQueue", 80));
                let url = format!("https://sqs.{region}.{}/{account}/{name}", self.cloud.url_suffix());
                attributes.insert("Arn".into(), json!(arn("sqs", &region, &account, &name)));
                attributes.insert("QueueName".into(), json!(name));
                attributes.insert("QueueUrl".into(), json!(url));
                url
            }
            "AWS::Logs::LogGroup" => {
                let name = prop("LogGroupName").unwrap_or_else(|| self.generated_name(logical_id, 512));
                attributes.insert(
                    "Arn".into(),
                    json!(arn("logs", &region, &account, &format!("log-group:{name}:*"))),
                );
                name
            }
            "AWS::Events::Rule" => {
                let name = prop("Name").unwrap_or_else(|| self.generated_name(logical_id, 64));
                attributes.insert(
                    "Arn".into(),
                    json!(arn("events", &region, &account, &format!("rule/{name}"))),
                );
                name
            }
            _ => {
                return Provisioned {
                    physical_id: self.generated_name(logical_id, 255),
                    attributes,
                    known_type: false,
                }
            }
        };
        Provisioned {
            physical_id,
            attributes,
            known_type: true,
        }
    }

    /// `{stack}-{logical}-{13 random}`, shortened to `max` characters by trimming the stack and logical id parts
    /// (CloudFormation's "Name type": stack name, logical id and a random string).
    fn generated_name(&mut self, logical_id: &str, max: usize) -> String {
        let suffix = self.cloud.ids.string(13, UPPER_ALPHANUMERIC);
        let room = max.saturating_sub(suffix.len() + 2);
        let stack: String = self.stack_name.chars().take(room / 2).collect();
        let logical: String = logical_id.chars().take(room - stack.len()).collect();
        format!("{stack}-{logical}-{suffix}")
    }

    /// A generated name that ends in `.fifo` when the `fifo_flag` property is true (SQS and SNS FIFO names must).
    fn fifo_aware_name(&mut self, logical_id: &str, properties: &Json, fifo_flag: &str, max: usize) -> String {
        let fifo = matches!(properties.get(fifo_flag), Some(Json::Bool(true)))
            || properties.get(fifo_flag) == Some(&json!("true"));
        if fifo {
            format!("{}.fifo", self.generated_name(logical_id, max - 5))
        } else {
            self.generated_name(logical_id, max)
        }
    }

    fn id(&mut self, len: usize) -> String {
        self.cloud.ids.string(len, LOWER_ALPHANUMERIC)
    }

    fn id_attribute(&mut self, len: usize, attribute: &str, attributes: &mut IndexMap<String, Json>) -> String {
        let id = self.id(len);
        attributes.insert(attribute.into(), json!(id));
        id
    }

    fn short(&self, s: &str) -> String {
        s.chars().take(5).collect::<String>().to_lowercase()
    }

    /// The ARN of a function given by name, or the ARN itself when one is given.
    fn function_arn(&self, name_or_arn: &str) -> String {
        if name_or_arn.starts_with("arn:") {
            return name_or_arn.to_string();
        }
        format!(
            "arn:{}:lambda:{}:{}:function:{name_or_arn}",
            self.cloud.partition(),
            self.cloud.region,
            self.cloud.account_id
        )
    }

    /// A stream label: the creation time, `YYYY-MM-DDTHH:MM:SS.mmm` in UTC, as DynamoDB Streams labels are.
    fn stream_label(&self) -> String {
        let millis = self.cloud.clock.now_millis() as i128;
        let format =
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]");
        time::OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
            .ok()
            .and_then(|t| t.format(&format).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provision(ty: &str, props: Json) -> Provisioned {
        let mut cloud = Cloud::default();
        Provisioner::new(&mut cloud, "sam-app").provision("MyRes", ty, &props)
    }

    #[test]
    fn names_given_in_properties_are_used() {
        let f = provision("AWS::Lambda::Function", json!({"FunctionName": "hello"}));
        assert_eq!(f.physical_id, "hello");
        assert_eq!(
            f.attributes["Arn"],
            json!("arn:aws:lambda:us-east-1:123456789012:function:hello")
        );
        let t = provision("AWS::DynamoDB::Table", json!({"TableName": "Orders"}));
        assert_eq!(
            t.attributes["Arn"],
            json!("arn:aws:dynamodb:us-east-1:123456789012:table/Orders")
        );
        let r = provision("AWS::IAM::Role", json!({"RoleName": "r", "Path": "/service-role/"}));
        assert_eq!(
            r.attributes["Arn"],
            json!("arn:aws:iam::123456789012:role/service-role/r")
        );
        let q = provision("AWS::SQS::Queue", json!({"QueueName": "q"}));
        assert_eq!(q.physical_id, "https://sqs.us-east-1.amazonaws.com/123456789012/q");
        assert_eq!(q.attributes["Arn"], json!("arn:aws:sqs:us-east-1:123456789012:q"));
        let b = provision("AWS::S3::Bucket", json!({"BucketName": "site"}));
        assert_eq!(
            b.attributes["WebsiteURL"],
            json!("http://site.s3-website-us-east-1.amazonaws.com")
        );
        assert_eq!(b.attributes["Arn"], json!("arn:aws:s3:::site"));
    }

    #[test]
    fn generated_names_follow_stack_logical_random() {
        let f = provision("AWS::Lambda::Function", json!({}));
        let parts: Vec<&str> = f.physical_id.rsplitn(2, '-').collect();
        assert_eq!(parts[1], "sam-app-MyRes");
        assert_eq!(parts[0].len(), 13);
        let fifo = provision("AWS::SQS::Queue", json!({"FifoQueue": true}));
        assert!(fifo.physical_id.ends_with(".fifo"), "{}", fifo.physical_id);
        let api = provision("AWS::ApiGateway::RestApi", json!({}));
        assert_eq!(api.physical_id.len(), 10);
        assert_eq!(api.attributes["RootResourceId"].as_str().unwrap().len(), 10);
    }

    #[test]
    fn versions_count_per_function_and_streams_are_labelled_with_the_clock() {
        let mut cloud = Cloud::default();
        let mut p = Provisioner::new(&mut cloud, "s");
        let v1 = p.provision("V1", "AWS::Lambda::Version", &json!({"FunctionName": "f"}));
        let v2 = p.provision("V2", "AWS::Lambda::Version", &json!({"FunctionName": "f"}));
        assert_eq!(v1.physical_id, "arn:aws:lambda:us-east-1:123456789012:function:f:1");
        assert_eq!(v2.attributes["Version"], json!("2"));
        let t = p.provision(
            "T",
            "AWS::DynamoDB::Table",
            &json!({"TableName": "t", "StreamSpecification": {}}),
        );
        assert_eq!(
            t.attributes["StreamArn"],
            json!("arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000")
        );
    }

    #[test]
    fn unknown_types_are_marked() {
        let p = provision("AWS::StepFunctions::StateMachine", json!({}));
        assert!(!p.known_type);
        assert!(p.physical_id.starts_with("sam-app-MyRes-"));
    }
}
