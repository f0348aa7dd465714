//! ES modules (`.mjs`, and `.js` under a `package.json` with `"type": "module"`), loaded with Boa's module API.
//!
//! Relative specifiers resolve against the importing module's path inside `/var/task` (an ES module import names
//! the file exactly, extension included, as in Node). Bare specifiers resolve through `node_modules` like `require`.
//! A CommonJS file imported from an ES module becomes a synthetic module whose `default` export is `module.exports`
//! and whose named exports are its own enumerable keys (Node's CommonJS interop, docs "Modules: ECMAScript modules,
//! CommonJS namespaces"). A missing module throws Node's `ERR_MODULE_NOT_FOUND` error:
//! `Cannot find module '/var/task/x.mjs' imported from /var/task/index.mjs`.

use boa_engine::builtins::promise::PromiseState;
use boa_engine::module::{Module, ModuleLoader, ModuleRequest, Referrer, SyntheticModuleInitializer};
use boa_engine::{js_string, Context, JsError, JsNativeError, JsObject, JsResult, JsString, JsValue, Source};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The module loader of one engine: ES modules parsed once per path, CommonJS files wrapped on demand.
#[derive(Debug, Default)]
pub struct TaskModules {
    files: BTreeMap<String, String>,
    cache: RefCell<BTreeMap<String, Module>>,
    /// The prelude's `{ loadCjs, resolveBare }` functions, set once the prelude has run.
    pub runtime: RefCell<Option<JsObject>>,
}

impl TaskModules {
    /// A loader over the code files (absolute paths under `/var/task`).
    pub fn new(files: BTreeMap<String, String>) -> TaskModules {
        TaskModules {
            files,
            ..TaskModules::default()
        }
    }

    fn is_esm(&self, path: &str, context: &mut Context) -> JsResult<bool> {
        if path.ends_with(".mjs") {
            return Ok(true);
        }
        if !path.ends_with(".js") {
            return Ok(false);
        }
        let value = self.call_runtime("packageType", &[js_string!(dirname(path)).into()], context)?;
        Ok(value.as_string().is_some_and(|s| s.to_std_string_escaped() == "module"))
    }

    fn call_runtime(&self, name: &str, args: &[JsValue], context: &mut Context) -> JsResult<JsValue> {
        let runtime = self
            .runtime
            .borrow()
            .clone()
            .ok_or_else(|| JsNativeError::typ().with_message("the module runtime is not ready"))?;
        let f = runtime
            .get(js_string!(name), context)?
            .as_callable()
            .ok_or_else(|| JsNativeError::typ().with_message(format!("runtime.{name} is missing")))?;
        f.call(&JsValue::undefined(), args, context)
    }

    /// The module at `path` (absolute), parsed or wrapped, cached by path.
    pub fn module_at(&self, path: &str, context: &mut Context) -> JsResult<Module> {
        if let Some(m) = self.cache.borrow().get(path) {
            return Ok(m.clone());
        }
        let module = if self.is_esm(path, context)? {
            let text = self.files.get(path).cloned().unwrap_or_default();
            let file = PathBuf::from(path);
            Module::parse(Source::from_bytes(text.as_str()).with_path(&file), None, context)?
        } else {
            let exports = self.call_runtime("loadCjs", &[js_string!(path).into()], context)?;
            commonjs_module(exports, path, context)?
        };
        self.cache.borrow_mut().insert(path.to_string(), module.clone());
        Ok(module)
    }

    fn resolve(&self, specifier: &str, referrer: Option<&Path>, context: &mut Context) -> JsResult<String> {
        let from = referrer
            .and_then(Path::to_str)
            .map_or_else(|| format!("{}/index.mjs", super::TASK_ROOT), str::to_string);
        if specifier.starts_with("./") || specifier.starts_with("../") || specifier.starts_with('/') {
            let joined = if specifier.starts_with('/') {
                specifier.to_string()
            } else {
                format!("{}/{specifier}", dirname(&from))
            };
            let path = normalize(&joined);
            if self.files.contains_key(&path) {
                return Ok(path);
            }
            return Err(not_found(
                &format!("Cannot find module '{path}' imported from {from}"),
                context,
            ));
        }
        let resolved = self.call_runtime(
            "resolveBare",
            &[js_string!(specifier).into(), js_string!(from.as_str()).into()],
            context,
        );
        if let Err(e) = &resolved {
            if e.to_string().contains("not simulated") {
                return Err(e.clone());
            }
        }
        match resolved.ok().and_then(|v| v.as_string()) {
            Some(path) => Ok(path.to_std_string_escaped()),
            None => Err(not_found(
                &format!("Cannot find package '{specifier}' imported from {from}"),
                context,
            )),
        }
    }
}

fn not_found(message: &str, context: &mut Context) -> JsError {
    let error: JsError = JsNativeError::error().with_message(message.to_string()).into();
    match error.clone().into_opaque(context) {
        Ok(value) => {
            if let Some(object) = value.as_object() {
                let _ = object.set(js_string!("code"), js_string!("ERR_MODULE_NOT_FOUND"), false, context);
            }
            JsError::from_opaque(value)
        }
        Err(_) => error,
    }
}

impl ModuleLoader for TaskModules {
    async fn load_imported_module(
        self: Rc<Self>,
        referrer: Referrer,
        request: ModuleRequest,
        context: &RefCell<&mut Context>,
    ) -> JsResult<Module> {
        let specifier = request.specifier().to_std_string_escaped();
        let context = &mut context.borrow_mut();
        let path = self.resolve(&specifier, referrer.path(), context)?;
        self.module_at(&path, context)
    }
}

/// A synthetic module for a CommonJS file's `module.exports`.
fn commonjs_module(exports: JsValue, path: &str, context: &mut Context) -> JsResult<Module> {
    let mut names: Vec<JsString> = vec![js_string!("default")];
    if let Some(object) = exports.as_object() {
        for key in object.own_property_keys(context)? {
            let name = key.to_string();
            if name != "default" {
                names.push(js_string!(name.as_str()));
            }
        }
    }
    let init = SyntheticModuleInitializer::from_copy_closure_with_captures(
        |module, exports: &JsValue, context| {
            module.set_export(&js_string!("default"), exports.clone())?;
            if let Some(object) = exports.as_object() {
                for key in object.own_property_keys(context)? {
                    let name = key.to_string();
                    if name != "default" {
                        let value = object.get(key, context)?;
                        module.set_export(&js_string!(name.as_str()), value)?;
                    }
                }
            }
            Ok(())
        },
        exports,
    );
    Ok(Module::synthetic(
        &names,
        init,
        Some(PathBuf::from(path)),
        None,
        context,
    ))
}

/// Loads, links and evaluates the ES module at `path` and returns its namespace object. Top-level `await` may
/// wait on promises; one that waits on a timer or an SDK call is not simulated (init runs neither).
pub fn import(loader: &TaskModules, path: &str, context: &mut Context) -> JsResult<JsValue> {
    let module = loader.module_at(path, context)?;
    let promise = module.load_link_evaluate(context);
    context.run_jobs()?;
    match promise.state() {
        PromiseState::Fulfilled(_) => Ok(module.namespace(context).into()),
        PromiseState::Rejected(e) => Err(JsError::from_opaque(e)),
        PromiseState::Pending => Err(JsNativeError::error()
            .with_message(format!(
                "not simulated: top-level await that waits for a timer or an AWS SDK call during init ({path})"
            ))
            .into()),
    }
}

fn dirname(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => path.get(..i).unwrap_or("/"),
    }
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}
