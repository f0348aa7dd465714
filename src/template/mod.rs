//! CloudFormation and SAM templates: reading, the SAM transform, intrinsic functions, and the resulting stack.
//!
//! [`load`] turns a template text into a [`Stack`]: every resource with its evaluated properties, the physical
//! id its `Ref` returns and its `Fn::GetAtt` attributes, in the order CloudFormation would create them, plus the
//! evaluated outputs. The steps, one module each:
//!
//! 1. [`node`]: YAML or JSON text to a located tree; short-form tags to long-form intrinsics.
//! 2. [`sam`]: the `AWS::Serverless-2016-10-31` transform, expanding `AWS::Serverless::*` resources.
//! 3. [`parameters`]: parameter values from defaults and overrides, checked against their constraints.
//! 4. [`dependencies`]: creation order from `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn`; cycles refused.
//! 5. [`intrinsics`]: conditions, then each resource's properties and the outputs, with [`physical`] ids.
//!
//! Which resource types are simulated is the Cloud's business ([`crate::cloud::ServiceRegistry`]); loading never
//! fails on a type it does not know.

pub mod code;
pub mod dependencies;
pub mod edit;
pub mod error;
pub mod intrinsics;
pub mod node;
pub mod parameters;
pub mod physical;
pub mod sam;
pub mod sam_policies;

pub use code::{CodeFolders, CodeLoader, FolderCodeLoader, NoCodeLoader, ScenarioCodeLoader};
pub use error::{Span, TemplateError};

use crate::cloud::Cloud;
use indexmap::IndexMap;
use serde_json::Value as Json;

/// How to load a template.
pub struct LoadOptions<'a> {
    /// The stack name (`AWS::StackName`, and part of generated physical names). `sam` uses `sam-app` by default.
    pub stack_name: String,
    /// `--parameter-overrides Key=Value` pairs, applied over the parameters' defaults.
    pub parameter_overrides: Vec<(String, String)>,
    /// Reads the local folders a `CodeUri` names.
    pub code: &'a dyn CodeLoader,
}

impl Default for LoadOptions<'_> {
    fn default() -> Self {
        LoadOptions {
            stack_name: "sam-app".to_string(),
            parameter_overrides: Vec::new(),
            code: &NoCodeLoader,
        }
    }
}

/// A loaded template: what CloudFormation would create, in creation order.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// The template's file name as given to [`load`]: services name it in the errors they raise when deployed.
    pub file_name: String,
    /// `AWS::StackName`.
    pub stack_name: String,
    /// The template's `Description`.
    pub description: Option<String>,
    /// Parameter names and the values in force (after defaults and overrides), in template order.
    pub parameters: Vec<(String, Json)>,
    /// The resources whose `Condition` holds, in creation order (dependencies first, else template order).
    pub resources: Vec<StackResource>,
    /// The outputs whose `Condition` holds, in template order.
    pub outputs: Vec<Output>,
}

/// One resource of a [`Stack`].
#[derive(Debug, Clone, PartialEq)]
pub struct StackResource {
    /// The logical id in the (transformed) template.
    pub logical_id: String,
    /// The resource type, e.g. `AWS::Lambda::Function`.
    pub resource_type: String,
    /// The properties with every intrinsic function evaluated (a JSON object; empty when there are none).
    pub properties: Json,
    /// What `Ref` returns for this resource (a name, an id or an ARN, depending on the type).
    pub physical_id: String,
    /// What `Fn::GetAtt` returns for each attribute the type documents.
    pub attributes: IndexMap<String, Json>,
    /// Where the resource is written in the template (for SAM-generated resources, the SAM resource).
    pub span: Span,
    /// For resources the SAM transform generated, the logical id of the `AWS::Serverless::*` resource.
    pub generated_by: Option<String>,
}

/// One evaluated output.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// The output's logical id.
    pub name: String,
    /// The evaluated `Value`.
    pub value: Json,
    /// The `Description`, if any.
    pub description: Option<String>,
    /// The evaluated `Export.Name`, if any.
    pub export_name: Option<String>,
}

/// Loads the template `text` (YAML or JSON) named `file_name` into a [`Stack`], drawing physical ids from `cloud`.
///
/// Errors carry the file, line, column and logical id; see [`TemplateError`].
pub fn load(file_name: &str, text: &str, options: &LoadOptions<'_>, cloud: &mut Cloud) -> Result<Stack, TemplateError> {
    let root = node::parse(text).map_err(|e| e.in_file(file_name))?;
    let root = sam::transform(root, options.code).map_err(|e| e.in_file(file_name))?;
    let mut stack = intrinsics::evaluate_stack(&root, options, cloud).map_err(|e| e.in_file(file_name))?;
    stack.file_name = file_name.to_string();
    Ok(stack)
}
