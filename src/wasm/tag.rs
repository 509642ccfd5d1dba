//! Convertro's tag: the `<script async>` that loads it, and `isLoaded()`,
//! through web-sys's DOM types. (The `$CVO` queue itself is made by
//! `bridge.js`'s `queue()`.)
//!
//! Every DOM call that can fail for a reason a page controls has a `catch`
//! in web-sys (`createElement`, `setAttribute`, `addEventListener`,
//! `appendChild`, `setTimeout`) and its failure rejects the load. The `src`
//! is set with `setAttribute`, not web-sys's `set_src`, which does not
//! catch: a Trusted Types policy makes both throw. Getters that only a page
//! replacing the DOM's own prototypes could make throw are called without
//! a catch; js/index.js calls `load` inside a promise executor, so such a
//! throw still rejects the load.

use js_sys::{Error, Function};
use wasm_bindgen::prelude::*;
use web_sys::{Document, EventTarget, HtmlScriptElement};

use super::bridge;
use crate::rules::Settings;
use crate::text::concat;

/// How long `load` waits for a tag script that was already on the page when
/// the browser has no record of its fetch.
const EXISTING_SCRIPT_PATIENCE_MS: i32 = 30_000;

/// Makes the queue and injects the tag, unless it is loaded or its script is
/// already on the page. Calls `resolve()` when the script loads (at once when
/// there is nothing to wait for) and `reject(error)` with an `Error` naming
/// the URL when it fails.
pub fn load(settings: &Settings, resolve: &Function, reject: &Function) {
    let fail = |message: &str| drop(reject.call1(&JsValue::UNDEFINED, &Error::new(message)));
    // `resolve(undefined)`: one kind of call for both (one import fewer).
    let done = || drop(resolve.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED));
    let failed = concat(&["Convertro: the tag at ", settings.tag_url(), " failed to load (blocked by an ad blocker or the network, or not found)."]);
    if bridge::queue().is_undefined() {
        return fail("Convertro: window.$CVO could not be set up.");
    }
    if bridge::is_loaded() {
        return done();
    }
    let Some(document) = document() else {
        return fail("Convertro: there is no document to load the tag into.");
    };
    let Ok(script) = new_script(&document, settings) else { return fail(&failed) };
    let src = script.src();
    let existing = existing_script(&document, &src);
    if existing.is_some() {
        // Its load or error event may have fired already. If the browser has
        // finished fetching it, it had its chance: resolve (the queue keeps
        // every command either way). Otherwise wait for its events, with a
        // timer as a backstop for a fetch the browser did not record.
        if bridge::global().performance().is_some_and(|timing| timing.get_entries_by_name(&src).length() > 0) {
            return done();
        }
        drop(bridge::global().set_timeout_with_callback_and_timeout_and_arguments_0(resolve, EXISTING_SCRIPT_PATIENCE_MS));
    }
    let on_error: Function = reject.bind1(&JsValue::UNDEFINED, &Error::new(&failed)).unchecked_into();
    let target: &EventTarget = existing.as_ref().unwrap_or(&script);
    let listening = target.add_event_listener_with_callback("load", resolve).is_ok()
        && target.add_event_listener_with_callback("error", &on_error).is_ok();
    let inserted = existing.is_some() || (listening && insert(&document, &script).is_ok());
    if !listening || !inserted {
        fail(&failed);
    }
}

/// The page's document.
fn document() -> Option<Document> {
    bridge::global().document()
}

/// `<script async src=… nonce=…>`, not yet on the page.
fn new_script(document: &Document, settings: &Settings) -> Result<HtmlScriptElement, JsValue> {
    let script: HtmlScriptElement = document.create_element("script")?.unchecked_into();
    script.set_async(true);
    if let Some(nonce) = settings.nonce() {
        script.set_attribute("nonce", nonce)?;
    }
    script.set_attribute("src", settings.tag_url())?;
    Ok(script)
}

/// A script on the page whose (resolved) `src` is `src`.
fn existing_script(document: &Document, src: &str) -> Option<HtmlScriptElement> {
    let scripts = document.scripts();
    (0..).map_while(|i| scripts.item(i)).map(JsCast::unchecked_into::<HtmlScriptElement>).find(|s| s.src() == src)
}

/// Appends the script to `<head>`, or to the root element without one.
fn insert(document: &Document, script: &HtmlScriptElement) -> Result<(), JsValue> {
    let parent = match document.head() {
        Some(head) => head.unchecked_into(),
        None => document.document_element().ok_or(JsValue::UNDEFINED)?,
    };
    parent.append_child(script).map(drop)
}
