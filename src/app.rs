//! `app`: paths, name, version and command-line switches. Readiness and
//! events are JavaScript-side (`lib/app.js`).

use std::path::Path;

use electron_session_core::app::App as CoreApp;
use napi::bindgen_prelude::*;
use napi::{Env, Unknown};
use napi_derive::napi;

use crate::args;

fn core() -> &'static CoreApp {
    CoreApp::global()
}

#[napi]
pub struct App {}

#[napi]
impl App {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(
            &env,
            "App objects cannot be created with 'new'",
        ))
    }

    /// The path called `name` (`userData`, `sessionData`, `downloads`, …).
    #[napi(catch_unwind)]
    pub fn get_path(&self, env: Env, name: Unknown) -> Result<String> {
        let name = args::string(&env, &name, 0)?;
        let path = core()
            .get_path(&name)
            .map_err(|e| args::throw_core(&env, e))?;
        Ok(path.to_string_lossy().into_owned())
    }

    #[napi(catch_unwind)]
    pub fn set_path(&self, env: Env, name: Unknown, path: Unknown) -> Result<()> {
        let name = args::string(&env, &name, 0)?;
        let path = args::string(&env, &path, 1)?;
        core()
            .set_path(&name, Path::new(&path))
            .map_err(|e| args::throw_core(&env, e))
    }

    #[napi(catch_unwind)]
    pub fn get_name(&self) -> String {
        core().name()
    }

    #[napi(catch_unwind)]
    pub fn set_name(&self, env: Env, name: Unknown) -> Result<()> {
        let name = args::string(&env, &name, 0)?;
        core().set_name(&name);
        Ok(())
    }

    #[napi(catch_unwind)]
    pub fn get_version(&self) -> String {
        core().version()
    }

    #[napi(getter, catch_unwind)]
    pub fn command_line(&self) -> CommandLine {
        CommandLine {}
    }
}

/// `app.commandLine`.
#[napi]
pub struct CommandLine {}

#[napi]
impl CommandLine {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(
            &env,
            "CommandLine objects cannot be created with 'new'",
        ))
    }

    /// Adds `switch` (without leading dashes), with an optional value.
    #[napi(catch_unwind)]
    pub fn append_switch(&self, env: Env, the_switch: Unknown, value: Unknown) -> Result<()> {
        let name = args::string(&env, &the_switch, 0)?;
        let value = args::optional_string(&env, &value, 1)?;
        core()
            .command_line()
            .append_switch(&name, value.as_deref().unwrap_or(""));
        Ok(())
    }

    #[napi(catch_unwind)]
    pub fn has_switch(&self, env: Env, the_switch: Unknown) -> Result<bool> {
        Ok(core()
            .command_line()
            .has_switch(&args::string(&env, &the_switch, 0)?))
    }

    /// The switch's value, or `''` when it is absent.
    #[napi(catch_unwind)]
    pub fn get_switch_value(&self, env: Env, the_switch: Unknown) -> Result<String> {
        Ok(core()
            .command_line()
            .switch_value(&args::string(&env, &the_switch, 0)?))
    }

    /// Adds a plain argument; it never becomes a switch.
    #[napi(catch_unwind)]
    pub fn append_argument(&self, env: Env, value: Unknown) -> Result<()> {
        core()
            .command_line()
            .append_argument(&args::string(&env, &value, 0)?);
        Ok(())
    }

    #[napi(catch_unwind)]
    pub fn remove_switch(&self, env: Env, the_switch: Unknown) -> Result<()> {
        core()
            .command_line()
            .remove_switch(&args::string(&env, &the_switch, 0)?);
        Ok(())
    }
}

#[napi(js_name = "_app", catch_unwind)]
pub fn app() -> App {
    App {}
}
