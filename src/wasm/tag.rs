//! Convertro's tag: the `<script async>` that loads it, and `isLoaded()`.
//! (The `$CVO` queue itself is made by `safe.js`'s `queue()`.)

use js_sys::{Error, Function};
use wasm_bindgen::prelude::*;

use super::js::{self, Document, Global, Script, GLOBAL};
use crate::text::cat;
use crate::rules::Settings;

/// Whether Convertro's tag has defined `$CVO.trackEvent` (`track_event` is
/// the JS string `"trackEvent"`, made once by the caller).
pub fn is_loaded(track_event: &JsValue) -> bool {
    js::cvo().is_ok_and(|cvo| defines_track_event(&cvo, track_event))
}

/// Whether `cvo` is an object whose `trackEvent` is a function.
fn defines_track_event(cvo: &JsValue, track_event: &JsValue) -> bool {
    cvo.is_object() && js::get(cvo, track_event).is_ok_and(|f| f.is_function())
}

/// How long `load` waits for a tag script that was already on the page when
/// the browser has no record of its fetch.
const EXISTING_SCRIPT_PATIENCE_MS: i32 = 30_000;

/// Makes the queue and injects the tag, unless it is loaded or its script is
/// already on the page. Calls `resolve()` when the script loads (at once when
/// there is nothing to wait for) and `reject(error)` with an `Error` naming
/// the URL when it fails.
pub fn load(settings: &Settings, track_event: &JsValue, resolve: &Function, reject: &Function) {
    let fail = |message: &str| drop(reject.call1(&JsValue::UNDEFINED, &Error::new(message)));
    let failed = cat(&["Convertro: the tag at ", settings.tag_url(), " failed to load (blocked by an ad blocker or the network, or not found)."]);
    let queue = js::queue();
    if queue.is_undefined() {
        return fail("Convertro: window.$CVO could not be set up.");
    }
    if defines_track_event(&queue, track_event) {
        return drop(resolve.call0(&JsValue::UNDEFINED));
    }
    let document = match GLOBAL.with(Global::document) {
        Ok(document) if document.is_object() => document.unchecked_into::<Document>(),
        _ => return fail("Convertro: there is no document to load the tag into."),
    };
    let Ok(script) = new_script(&document, settings) else { return fail(&failed) };
    let existing = existing_script(&document, &script);
    if let Some(existing) = &existing {
        // Its load or error event may have fired already. If the browser has
        // finished fetching it, it had its chance: resolve (the queue keeps
        // every command either way). Otherwise wait for its events, with a
        // timer as a backstop for a fetch the browser did not record.
        let src = existing.src().ok().and_then(|src| src.as_string()).unwrap_or_default();
        if js::resource_entries(&src).is_ok_and(|entries| entries.length() > 0) {
            return drop(resolve.call0(&JsValue::UNDEFINED));
        }
        drop(js::set_timeout(resolve, EXISTING_SCRIPT_PATIENCE_MS));
    }
    let on_error = reject.bind1(&JsValue::UNDEFINED, &Error::new(&failed)).unchecked_into::<Function>();
    let target = existing.as_ref().unwrap_or(&script);
    let listening = target.add_event_listener("load", resolve).is_ok() && target.add_event_listener("error", &on_error).is_ok();
    let inserted = existing.is_some() || (listening && insert(&document, &script).is_ok());
    if !listening || !inserted {
        fail(&failed);
    }
}

/// `<script async src=… nonce=…>`, not yet on the page.
fn new_script(document: &Document, settings: &Settings) -> Result<Script, JsValue> {
    let script = document.create_element("script")?;
    script.set_async(true)?;
    if let Some(nonce) = settings.nonce() {
        script.set_attribute("nonce", nonce)?;
    }
    script.set_src(settings.tag_url())?;
    Ok(script)
}

/// A script on the page with the same (resolved) `src` as `ours`.
fn existing_script(document: &Document, ours: &Script) -> Option<Script> {
    let src = ours.src().ok()?.as_string()?;
    let scripts = document.scripts().ok()?;
    (0..scripts.length()).map(|i| scripts.item(i)).find(|s| s.src().ok().and_then(|v| v.as_string()).as_deref() == Some(&src))
}

/// Appends the script to `<head>`, or to the root element without one.
fn insert(document: &Document, script: &Script) -> Result<(), JsValue> {
    let parent = document.head()?;
    let parent = if parent.is_object() { parent } else { document.document_element()? };
    parent.unchecked_into::<Script>().append_child(script)
}
