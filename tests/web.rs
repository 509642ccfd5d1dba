//! The browser-facing Rust, in headless Chromium (`wasm-pack test --headless
//! --chrome`): the `$CVO` queue, tag injection, `isLoaded` and load failure.
#![cfg(target_arch = "wasm32")]

use convertro::wasm::{identify, is_loaded, make, track};
use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export function reset() {
  delete globalThis.$CVO;
  for (const s of [...document.scripts]) if (s.src.includes('/cvo-test/')) s.remove();
}
export function scripts(src) { return [...document.scripts].filter((s) => s.src === src); }
export function cvo() { return globalThis.$CVO; }
export function setCvo(value) { globalThis.$CVO = value; }
export function addScript(src) { const s = document.createElement('script'); s.src = src; document.head.append(s); return s; }
export function noop() { return () => {}; }
export function ctx(event) { return { event, logs: [], log(level, message) { this.logs.push([level, message]); } }; }
")]
extern "C" {
    fn reset();
    fn scripts(src: &str) -> Array;
    fn cvo() -> JsValue;
    #[wasm_bindgen(js_name = setCvo)]
    fn set_cvo(value: &JsValue);
    #[wasm_bindgen(js_name = addScript)]
    fn add_script(src: &str) -> JsValue;
    fn ctx(event: &JsValue) -> JsValue;
    fn noop() -> Function;
}

/// A URL on a closed port: the script fails to load, quickly.
fn dead_url(name: &str) -> String {
    format!("http://127.0.0.1:9/cvo-test/{name}.js")
}

/// A destination for page `1` of storage, whose outbox timer does nothing: its number.
fn new_destination(settings: &JsValue) -> Result<u32, js_sys::Error> {
    make(settings, false, "1".into(), noop())
}

fn destination(settings: &str) -> u32 {
    new_destination(&JSON::parse(settings).unwrap()).unwrap_or_else(|e| panic!("{:?}", JsValue::from(e)))
}

fn load(destination: u32) -> JsFuture {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| convertro::wasm::load(destination, &resolve, &reject));
    JsFuture::from(promise)
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn settings_errors_name_the_setting() {
    let error: JsValue = new_destination(&JSON::parse(r#"{"account":"a b"}"#).unwrap()).err().unwrap().into();
    let message = get(&error, "message").as_string().unwrap();
    assert!(message.contains("setting `account`"), "{message}");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert!(new_destination(&JsValue::NULL).is_err());
    assert!(new_destination(&JSON::parse(r#"{"account":"acme"}"#).unwrap()).is_ok());
}

#[wasm_bindgen_test]
async fn load_injects_one_async_script_with_the_nonce() {
    reset();
    let url = dead_url("one");
    let settings = format!(r#"{{"account":"acme","tagUrl":"{url}","nonce":"n0nce"}}"#);
    let first = destination(&settings);
    let pending = load(first);
    let found = scripts(&url);
    assert_eq!(found.length(), 1);
    let script = found.get(0);
    assert_eq!(get(&script, "async"), JsValue::TRUE);
    assert_eq!(get(&script, "nonce").as_string().as_deref(), Some("n0nce"));
    // Another destination for the same tag (a second analytics instance) reuses the script.
    let second = destination(&settings);
    let _ = load(second);
    assert_eq!(scripts(&url).length(), 1);
    assert!(pending.await.is_err());
}

#[wasm_bindgen_test]
async fn a_failing_tag_rejects_with_an_error_naming_the_url() {
    reset();
    let url = dead_url("fails");
    let error = load(destination(&format!(r#"{{"account":"acme","tagUrl":"{url}"}}"#))).await.unwrap_err();
    assert!(error.is_instance_of::<js_sys::Error>());
    let message = get(&error, "message").as_string().unwrap();
    assert!(message.contains(&url), "{message}");
    assert!(!is_loaded());
}

#[wasm_bindgen_test]
async fn a_script_already_on_the_page_is_not_injected_again() {
    reset();
    let url = dead_url("existing");
    add_script(&url);
    let result = load(destination(&format!(r#"{{"account":"acme","tagUrl":"{url}"}}"#))).await;
    assert_eq!(scripts(&url).length(), 1);
    // The page's own script is still loading when load() runs: load waits
    // for it, and it fails.
    let message = get(&result.unwrap_err(), "message").as_string().unwrap();
    assert!(message.contains(&url), "{message}");
}

#[wasm_bindgen_test]
async fn a_loaded_tag_is_not_injected_and_load_resolves() {
    reset();
    let queue = Array::new();
    Reflect::set(&queue, &"trackEvent".into(), &noop()).unwrap();
    set_cvo(&queue);
    let url = dead_url("loaded");
    let d = destination(&format!(r#"{{"account":"acme","tagUrl":"{url}"}}"#));
    assert!(is_loaded());
    assert!(load(d).await.is_ok());
    assert_eq!(scripts(&url).length(), 0);
}

#[wasm_bindgen_test]
fn is_loaded_only_once_the_tag_defines_track_event() {
    reset();
    assert!(!is_loaded());
    set_cvo(&Array::new());
    assert!(!is_loaded());
    Reflect::set(&cvo(), &"trackEvent".into(), &JsValue::from(1)).unwrap();
    assert!(!is_loaded());
    Reflect::set(&cvo(), &"trackEvent".into(), &noop()).unwrap();
    assert!(is_loaded());
}

#[wasm_bindgen_test]
fn events_before_load_are_queued_on_a_new_cvo_array() {
    reset();
    let d = destination(r#"{"account":"acme","events":{"Signed Up":"signup"}}"#);
    identify(d, &ctx(&JSON::parse(r#"{"userId":"u1","traits":{"email":"a@b.c"}}"#).unwrap()));
    track(d, &ctx(&JSON::parse(r#"{"event":"Order Completed","properties":{"orderId":12345,"total":"$50.99","repeat":true}}"#).unwrap()));
    track(d, &ctx(&JSON::parse(r#"{"event":"signed_up","properties":{}}"#).unwrap()));
    let queue = cvo();
    assert!(Array::is_array(&queue));
    let sent = JSON::stringify(&queue).unwrap().as_string().unwrap();
    assert_eq!(
        sent,
        r#"[["trackUser",{"email":"a@b.c","id":"u1"}],["trackEvent",{"type":"sale.repeat","id":"12345","amount":50.99}],["trackEvent",{"type":"signup"}]]"#
    );
}

#[wasm_bindgen_test]
fn an_existing_cvo_queue_is_kept() {
    reset();
    let mine = Array::of1(&"page's own".into());
    set_cvo(&mine);
    let d = destination(r#"{"account":"acme"}"#);
    let _ = load(d);
    track(d, &ctx(&JSON::parse(r#"{"event":"Order Completed","properties":{"id":"o1"}}"#).unwrap()));
    assert!(Object::is(&cvo(), &mine));
    assert_eq!(mine.length(), 2);
}

#[wasm_bindgen_test]
fn bad_input_is_logged_not_thrown() {
    reset();
    let d = destination(r#"{"account":"acme"}"#);
    let c = ctx(&JSON::parse(r#"{"event":"Order Completed","properties":{"total":5}}"#).unwrap());
    track(d, &c);
    let logs = JSON::stringify(&get(&c, "logs")).unwrap().as_string().unwrap();
    assert!(logs.contains("debug") && logs.contains("no order id"), "{logs}");
    track(d, &JsValue::NULL);
    identify(d, &JsValue::from(5));
    track(d, &ctx(&JsValue::UNDEFINED));
    assert!(cvo().is_undefined() || Array::from(&cvo()).length() == 0);
}

#[wasm_bindgen_test]
fn a_key_holding_nul_is_one_key() {
    reset();
    let d = destination(r#"{"account":"acme"}"#);
    let order = |properties: &str| track(d, &ctx(&JSON::parse(&format!(r#"{{"event":"Order Completed","properties":{properties}}}"#)).unwrap()));
    order(r#"{"a":1,"id":"first"}"#);
    // One key "a\0id", not the keys "a" and "id": no id.
    order(r#"{"a\u0000id":"second"}"#);
    order(r#"{"a":2,"id":"third"}"#);
    let sent = JSON::stringify(&cvo()).unwrap().as_string().unwrap();
    assert_eq!(sent, r#"[["trackEvent",{"type":"sale","id":"first"}],["trackEvent",{"type":"sale","id":"third"}]]"#);
}

#[wasm_bindgen_test]
fn many_distinct_names_and_shapes_keep_working() {
    reset();
    let d = destination(r#"{"account":"acme","events":["Signed Up"]}"#);
    for i in 0..1500 {
        track(d, &ctx(&JSON::parse(&format!(r#"{{"event":"Unmapped {i}","properties":{{"k{i}":1}}}}"#)).unwrap()));
    }
    track(d, &ctx(&JSON::parse(r#"{"event":"signed_up","properties":{"k1":1,"orderId":"o"}}"#).unwrap()));
    let sent = JSON::stringify(&cvo()).unwrap().as_string().unwrap();
    assert_eq!(sent, r#"[["trackEvent",{"type":"Signed Up","id":"o"}]]"#);
}
