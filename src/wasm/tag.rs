//! Convertro's tag and queue: `window.$CVO`, the `<script async>` that loads
//! the tag, and `isLoaded()`.

use js_sys::{Error, Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::{Document, HtmlScriptElement};

use super::js::{Global, Queue};
use crate::rules::Settings;

fn global() -> Global {
    js_sys::global().unchecked_into()
}

/// `window.$CVO`, made an array first if it is not defined; an existing one
/// (the tag's, or one the page made) is never replaced.
pub fn queue() -> Result<Queue, JsValue> {
    let global = global();
    let queue = global.cvo()?;
    if !queue.is_undefined() && !queue.is_null() {
        return Ok(queue.unchecked_into());
    }
    let array = js_sys::Array::new();
    global.set_cvo(&array)?;
    Ok(array.unchecked_into())
}

/// Whether Convertro's tag has defined `$CVO.trackEvent`.
pub fn is_loaded() -> bool {
    match global().cvo() {
        Ok(cvo) if cvo.is_object() => cvo.unchecked_ref::<Queue>().track_event().is_ok_and(|f| f.is_function()),
        _ => false,
    }
}

/// Makes the queue and injects the tag, unless it is loaded or its script is
/// already on the page. Resolves when the script loads; rejects with an
/// `Error` naming the URL when it fails.
pub fn load(settings: &Settings) -> Promise {
    let url = settings.tag_url();
    let failed = || Error::new(&["Convertro: the tag at ", url, " failed to load (blocked by an ad blocker or the network, or not found)."].concat());
    if queue().is_err() {
        return Promise::reject(&Error::new("Convertro: window.$CVO could not be set up."));
    }
    if is_loaded() {
        return Promise::resolve(&JsValue::UNDEFINED);
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return Promise::reject(&Error::new("Convertro: there is no document to load the tag into."));
    };
    let (script, fresh) = match existing_script(&document, url) {
        Some(script) if document.ready_state() == "complete" => {
            // It has had its chance to load; the queue keeps every command either way.
            drop(script);
            return Promise::resolve(&JsValue::UNDEFINED);
        }
        Some(script) => (script, false),
        None => match new_script(&document, settings) {
            Ok(script) => (script, true),
            Err(_) => return Promise::reject(&failed()),
        },
    };
    let mut inserted = Ok(());
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        // The listeners are the promise's own functions: no Rust closure to keep alive.
        let on_load: Function = resolve.bind1(&JsValue::UNDEFINED, &JsValue::UNDEFINED).unchecked_into();
        let on_error: Function = reject.bind1(&JsValue::UNDEFINED, &failed()).unchecked_into();
        let listened = script.add_event_listener_with_callback("load", &on_load).is_ok()
            && script.add_event_listener_with_callback("error", &on_error).is_ok();
        if !listened {
            inserted = Err(());
        } else if fresh {
            let parent = document.head().map(JsValue::from).or_else(|| document.document_element().map(JsValue::from));
            let parent: Option<web_sys::Node> = parent.map(JsCast::unchecked_into);
            inserted = parent.ok_or(()).and_then(|p| p.append_child(&script).map(drop).map_err(drop));
        }
    });
    match inserted {
        Ok(()) => promise,
        Err(()) => Promise::reject(&failed()),
    }
}

/// A `<script>` on the page whose `src` is the tag URL.
fn existing_script(document: &Document, url: &str) -> Option<HtmlScriptElement> {
    let absolute = web_sys::Url::new_with_base(url, &document.base_uri().ok().flatten()?).ok()?.href();
    let scripts = document.scripts();
    (0..scripts.length())
        .filter_map(|i| scripts.item(i)?.dyn_into::<HtmlScriptElement>().ok())
        .find(|script| script.src() == absolute)
}

/// `<script async src=url nonce=…>`, not yet on the page.
fn new_script(document: &Document, settings: &Settings) -> Result<HtmlScriptElement, JsValue> {
    let script: HtmlScriptElement = document.create_element("script")?.unchecked_into();
    script.set_async(true);
    if let Some(nonce) = settings.nonce() {
        script.set_attribute("nonce", nonce)?;
    }
    script.set_src(settings.tag_url());
    Ok(script)
}
