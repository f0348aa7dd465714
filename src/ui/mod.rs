//! The Yew single-page app (feature `web`).
//!
//! The UI only renders what the engine computes: it loads the bundled example scenario with
//! [`crate::template::load`] and asks the [`Cloud`]'s service registry which resource types it simulates.

use crate::template::{self, LoadOptions};
use crate::Cloud;
use yew::prelude::*;

/// The product name, shown in the header and the page title.
pub const PRODUCT_NAME: &str = "Serverless Playground";

/// The file name of the bundled example scenario (used in load error messages).
pub const EXAMPLE_FILE: &str = "hello-world.yaml";

/// The bundled example scenario: a SAM hello world (one function behind `GET /hello`).
pub const EXAMPLE_TEMPLATE: &str = include_str!("../../static/examples/hello-world.yaml");

/// One row of the resources table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRow {
    /// The logical id in the (transformed) template.
    pub logical_id: String,
    /// The CloudFormation resource type.
    pub resource_type: String,
    /// Whether the account simulates this resource type.
    pub simulated: bool,
}

/// What loading a scenario gave: its description and resources, or the engine's error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedScenario {
    /// The template's `Description`, if any.
    pub description: Option<String>,
    /// The stack's resources, in creation order.
    pub resources: Vec<ResourceRow>,
    /// The evaluated outputs: name and value (strings as they are, other values as JSON).
    pub outputs: Vec<(String, String)>,
}

/// Loads `text` (named `file_name`) into a fresh [`Cloud`] and lists its resources.
pub fn load_scenario(file_name: &str, text: &str) -> Result<LoadedScenario, String> {
    let mut cloud = Cloud::default();
    let stack = template::load(file_name, text, &LoadOptions::default(), &mut cloud).map_err(|e| e.to_string())?;
    cloud.deploy(&stack).map_err(|e| e.to_string())?;
    let resources = stack
        .resources
        .iter()
        .map(|r| ResourceRow {
            logical_id: r.logical_id.clone(),
            resource_type: r.resource_type.clone(),
            simulated: cloud.services().simulates(&r.resource_type),
        })
        .collect();
    let outputs = stack
        .outputs
        .iter()
        .map(|o| {
            let value = match &o.value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (o.name.clone(), value)
        })
        .collect();
    Ok(LoadedScenario {
        description: stack.description.clone(),
        resources,
        outputs,
    })
}

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let loaded = use_memo((), |_| load_scenario(EXAMPLE_FILE, EXAMPLE_TEMPLATE));

    html! {
        <>
            <header class="site-header">
                <h1 id="product-name">{ PRODUCT_NAME }</h1>
                <p class="tagline">{ "A simulated AWS serverless account, running in your browser." }</p>
            </header>
            <main>
                <section class="card" id="scenario">
                    <h2>{ "Example scenario: " }<code>{ EXAMPLE_FILE }</code></h2>
                    { scenario_view(&loaded) }
                </section>
                <section class="card">
                    <details>
                        <summary>{ "Template source" }</summary>
                        <pre class="template-source"><code>{ EXAMPLE_TEMPLATE }</code></pre>
                    </details>
                </section>
            </main>
        </>
    }
}

fn scenario_view(loaded: &Result<LoadedScenario, String>) -> Html {
    match loaded {
        Err(message) => html! {
            <div id="load-error" class="error" role="alert">
                <strong>{ "The template could not be loaded." }</strong>
                <pre>{ message }</pre>
            </div>
        },
        Ok(scenario) => html! {
            <>
                if let Some(description) = &scenario.description {
                    <p class="description">{ description.trim() }</p>
                }
                <table id="resources">
                    <thead>
                        <tr>
                            <th scope="col">{ "Logical ID" }</th>
                            <th scope="col">{ "Type" }</th>
                            <th scope="col">{ "Simulated" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for scenario.resources.iter().map(resource_row) }
                    </tbody>
                </table>
                if scenario.resources.is_empty() {
                    <p class="empty">{ "The template defines no resources." }</p>
                }
                if !scenario.outputs.is_empty() {
                    <h3>{ "Outputs" }</h3>
                    <table id="outputs">
                        <thead>
                            <tr>
                                <th scope="col">{ "Name" }</th>
                                <th scope="col">{ "Value" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for scenario.outputs.iter().map(|(name, value)| html! {
                                <tr key={ name.clone() } data-output={ name.clone() }>
                                    <td><code>{ name }</code></td>
                                    <td class="output-value"><code>{ value }</code></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
            </>
        },
    }
}

fn resource_row(row: &ResourceRow) -> Html {
    let (status, class) = if row.simulated {
        ("simulated", "status simulated")
    } else {
        ("not simulated", "status not-simulated")
    };
    html! {
        <tr key={ row.logical_id.clone() }
            data-logical-id={ row.logical_id.clone() }
            data-resource-type={ row.resource_type.clone() }
            data-simulated={ row.simulated.to_string() }>
            <td class="logical-id"><code>{ &row.logical_id }</code></td>
            <td class="resource-type"><code>{ &row.resource_type }</code></td>
            <td><span class={ class }>{ status }</span></td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_loads_without_error() {
        let scenario = load_scenario(EXAMPLE_FILE, EXAMPLE_TEMPLATE).expect("the bundled example loads");
        let type_of = |id: &str| {
            scenario
                .resources
                .iter()
                .find(|r| r.logical_id == id)
                .map(|r| r.resource_type.as_str())
        };
        assert_eq!(
            type_of("HelloWorldFunction"),
            Some("AWS::Lambda::Function"),
            "{scenario:#?}"
        );
        assert_eq!(
            type_of("ServerlessRestApi"),
            Some("AWS::ApiGateway::RestApi"),
            "{scenario:#?}"
        );
    }

    #[test]
    fn the_example_outputs_are_evaluated() {
        let scenario = load_scenario(EXAMPLE_FILE, EXAMPLE_TEMPLATE).expect("the bundled example loads");
        let (name, url) = &scenario.outputs[0];
        assert_eq!(name, "HelloWorldApi");
        assert!(
            url.starts_with("https://") && url.ends_with(".execute-api.us-east-1.amazonaws.com/Prod/hello/"),
            "{url}"
        );
    }

    #[test]
    fn a_broken_template_is_an_error_not_a_panic() {
        assert!(load_scenario("broken.yaml", "Resources: [").is_err());
    }
}
