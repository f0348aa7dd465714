//! The migration chain: one function per released version, turning a version-N file into a version-N+1 file.
//!
//! Steps work on plain JSON, so each one only knows the two shapes it joins; the last step's output is parsed by
//! [`super::Scenario`]. A step is never edited once released (files and links of its version exist in the wild);
//! a new version adds a step and a golden test in [`super::share`].

use super::{ScenarioError, CURRENT_VERSION};
use serde_json::Value as Json;

/// One step: a version-N file to a version-N+1 file, or why it cannot be upgraded.
pub type Migration = fn(Json) -> Result<Json, String>;

/// The released steps: `MIGRATIONS[i]` upgrades version `i + 1` to `i + 2`; its length is always
/// `CURRENT_VERSION - 1`.
pub const MIGRATIONS: &[Migration] = &[v1_to_v2, v2_to_v3];

/// Version 1 to 2: version 2 only adds the optional `tutorial` field, so a version-1 file is a version-2 file
/// without it. A version-1 file holding a `tutorial` field was never valid (version 1 refused unknown fields), and
/// is still refused.
fn v1_to_v2(value: Json) -> Result<Json, String> {
    if value.as_object().is_some_and(|o| o.contains_key("tutorial")) {
        return Err("version 1 has no field `tutorial`".to_string());
    }
    Ok(value)
}

/// Version 2 to 3: version 3 only adds the optional `code` field (the `CodeUri` folders' files), so a version-2
/// file is a version-3 file without it. A version-2 file holding a `code` field was never valid, and is still
/// refused.
fn v2_to_v3(value: Json) -> Result<Json, String> {
    if value.as_object().is_some_and(|o| o.contains_key("code")) {
        return Err("version 2 has no field `code`".to_string());
    }
    Ok(value)
}

/// Runs `steps` from version `from` to the end of the chain (`steps.len() + 1`), setting `version` after each.
///
/// Errors: `from` outside `1..=steps.len() + 1`, or a step's refusal (named by the version it starts from).
pub fn migrate(mut value: Json, from: u32, steps: &[Migration]) -> Result<Json, ScenarioError> {
    let last = steps.len() + 1;
    let start = usize::try_from(from).unwrap_or(usize::MAX);
    if start == 0 || start > last {
        return Err(ScenarioError::UnknownVersion(u64::from(from)));
    }
    for (index, step) in steps.iter().enumerate().skip(start - 1) {
        // index + 1 is the version the step starts from; the chain is short, so it fits a u32.
        let version = u32::try_from(index + 1).unwrap_or(u32::MAX);
        value = step(value).map_err(|message| ScenarioError::Migration { from: version, message })?;
        match value.as_object_mut() {
            Some(object) => {
                object.insert("version".into(), Json::from(version + 1));
            }
            None => {
                return Err(ScenarioError::Migration {
                    from: version,
                    message: "the step did not produce an object".into(),
                })
            }
        }
    }
    Ok(value)
}

/// Whether the released chain ends at [`CURRENT_VERSION`] (checked by a test).
pub fn chain_is_complete() -> bool {
    MIGRATIONS.len() + 1 == CURRENT_VERSION as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A made-up v1 -> v2 step: `template` becomes `templates` (a list).
    fn to_v2(mut value: Json) -> Result<Json, String> {
        let object = value.as_object_mut().ok_or("not an object")?;
        let template = object.remove("template").ok_or("no template")?;
        object.insert("templates".into(), json!([template]));
        Ok(value)
    }

    /// A made-up v2 -> v3 step: a `seed` field appears.
    fn to_v3(mut value: Json) -> Result<Json, String> {
        value
            .as_object_mut()
            .ok_or("not an object")?
            .insert("seed".into(), json!(0));
        Ok(value)
    }

    const CHAIN: &[Migration] = &[to_v2, to_v3];

    #[test]
    fn the_released_chain_ends_at_the_current_version() {
        assert!(chain_is_complete());
    }

    #[test]
    fn a_file_walks_every_step_from_its_version() {
        let v1 = json!({"version": 1, "template": "t"});
        assert_eq!(
            migrate(v1, 1, CHAIN).unwrap(),
            json!({"version": 3, "templates": ["t"], "seed": 0})
        );
        let v2 = json!({"version": 2, "templates": []});
        assert_eq!(
            migrate(v2, 2, CHAIN).unwrap(),
            json!({"version": 3, "templates": [], "seed": 0})
        );
        let v3 = json!({"version": 3, "x": 1});
        assert_eq!(migrate(v3.clone(), 3, CHAIN).unwrap(), v3);
    }

    #[test]
    fn a_refusing_step_names_its_version() {
        let v1 = json!({"version": 1});
        assert_eq!(
            migrate(v1, 1, CHAIN).unwrap_err().to_string(),
            "the scenario could not be upgraded from version 1: no template"
        );
    }

    #[test]
    fn versions_outside_the_chain_are_refused() {
        assert_eq!(migrate(json!({}), 0, CHAIN), Err(ScenarioError::UnknownVersion(0)));
        assert_eq!(migrate(json!({}), 4, CHAIN), Err(ScenarioError::UnknownVersion(4)));
        assert_eq!(migrate(json!({}), 2, &[]), Err(ScenarioError::UnknownVersion(2)));
    }
}
