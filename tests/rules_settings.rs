//! Settings validation: every setting's rule, its default and its message.
#![cfg(not(target_arch = "wasm32"))]

use convertro::rules::{ConvertroType, Native, Settings, SettingsError, Value};

fn text(s: &str) -> Value {
    Value::String(s.into())
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn parse(entries: &[(&str, Value)]) -> Result<Settings, SettingsError> {
    Settings::parse(&map(entries))
}

fn error(entries: &[(&str, Value)]) -> String {
    parse(entries).expect_err("settings should be rejected").message()
}

fn types(settings: &Settings, name: &str) -> Vec<String> {
    settings.events().lookup(name, &Native).into_iter().map(|i| ConvertroType::Mapped(i).name(settings).to_string()).collect()
}

#[test]
fn minimal_settings_use_defaults() {
    let settings = parse(&[("account", text("acme"))]).unwrap();
    assert_eq!(settings.account(), "acme");
    assert_eq!(settings.tag_url(), "https://d1ivexoxmp59q7.cloudfront.net/acme/live.js");
    assert_eq!(settings.nonce(), None);
    assert!(!settings.hybrid());
    assert!(settings.events().is_empty());
}

#[test]
fn settings_must_be_an_object() {
    for (value, got) in [(Value::Null, "null"), (Value::Undefined, "undefined"), (text("acme"), "a string"), (Value::List(vec![]), "an array"), (Value::Unreadable, "a value that throws when read")] {
        let message = Settings::parse(&value).unwrap_err().message();
        assert!(message.contains("settings must be an object"), "{message}");
        assert!(message.contains(got), "{message}");
    }
}

#[test]
fn account_is_required_and_restricted_to_url_safe_characters() {
    for ok in ["acme", "ACME-eu_2", "a.b", "x"] {
        assert_eq!(parse(&[("account", text(ok))]).unwrap().account(), ok);
    }
    for bad in ["", "a b", "acme/../evil", "a?b", "a#b", "évian", ".", "..", "a/b", "a\\b", "acme%2f"] {
        let message = error(&[("account", text(bad))]);
        assert!(message.contains("setting `account` must be a non-empty string of letters, digits"), "{bad}: {message}");
    }
    assert!(error(&[]).contains("`account`") && error(&[]).contains("got undefined"));
    assert!(error(&[("account", Value::Number(42.0))]).contains("got a number"));
    assert!(error(&[("account", text(&"a".repeat(129)))]).contains("`account`"));
}

#[test]
fn messages_quote_short_bad_strings_and_cut_long_ones() {
    assert!(error(&[("account", text("a b"))]).contains("(got \"a b\")"));
    let long = error(&[("account", text(&"é".repeat(100)))]);
    assert!(long.contains(&format!("\"{}…\"", "é".repeat(40))), "{long}");
}

#[test]
fn hybrid_attribution_model_is_a_boolean() {
    assert!(parse(&[("account", text("a")), ("hybridAttributionModel", Value::Bool(true))]).unwrap().hybrid());
    assert!(!parse(&[("account", text("a")), ("hybridAttributionModel", Value::Bool(false))]).unwrap().hybrid());
    for bad in [text("true"), Value::Number(1.0), Value::Null, Value::Map(vec![])] {
        let message = error(&[("account", text("a")), ("hybridAttributionModel", bad.clone())]);
        assert!(message.contains("setting `hybridAttributionModel` must be true or false"), "{message}");
    }
}

#[test]
fn tag_url_accepts_http_https_and_same_site_paths() {
    for ok in ["https://cdn.example.com/cvo/live.js", "http://localhost:8080/live.js", "HTTPS://EXAMPLE.COM/x.js", "/convertro/live.js", "/live.js?v=2#x"] {
        assert_eq!(parse(&[("account", text("a")), ("tagUrl", text(ok))]).unwrap().tag_url(), ok);
    }
}

#[test]
fn tag_url_cannot_be_bent_into_another_origin_or_scheme() {
    for bad in [
        "javascript:alert(1)", "data:text/javascript,alert(1)", "JavaScript:alert(1)", "//evil.example/x.js",
        "/\\evil.example/x.js", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", " https://a.example/x.js",
        "https:evil.example", "https://", "https:///x.js", "ftp://a.example/x.js", "live.js", "./live.js",
        "blob:https://a.example/x", "https://a.example/\u{0}x.js", "https://a.example/x.js\u{2028}",
    ] {
        let message = error(&[("account", text("a")), ("tagUrl", text(bad))]);
        assert!(message.contains("setting `tagUrl` must be an absolute https: or http: URL"), "{bad:?}: {message}");
    }
    assert!(error(&[("account", text("a")), ("tagUrl", Value::Number(1.0))]).contains("`tagUrl`"));
}

#[test]
fn empty_or_null_optional_strings_are_unset() {
    let settings = parse(&[("account", text("a")), ("tagUrl", text("")), ("nonce", Value::Null), ("events", Value::Null)]).unwrap();
    assert_eq!(settings.tag_url(), "https://d1ivexoxmp59q7.cloudfront.net/a/live.js");
    assert_eq!(settings.nonce(), None);
    let settings = parse(&[("account", text("a")), ("nonce", text("r4nd0m"))]).unwrap();
    assert_eq!(settings.nonce(), Some("r4nd0m"));
    assert!(error(&[("account", text("a")), ("nonce", Value::Bool(true))]).contains("setting `nonce` must be a string"));
}

#[test]
fn unknown_and_server_side_keys_are_ignored() {
    let settings = parse(&[
        ("account", text("a")),
        ("clientName", Value::Number(3.0)),
        ("siteId", text("1")),
        ("domain", Value::Null),
        ("versionSettings", Value::Unreadable),
        ("type", text("browser")),
    ]);
    assert!(settings.is_ok());
}

#[test]
fn events_as_an_object() {
    let events = map(&[("Signed Up", text("signup")), ("Viewed Pricing", text("pricing"))]);
    let settings = parse(&[("account", text("a")), ("events", events)]).unwrap();
    assert_eq!(types(&settings, "signed_up"), ["signup"]);
    assert_eq!(types(&settings, "viewedPricing"), ["pricing"]);
    assert!(types(&settings, "Other").is_empty());
}

#[test]
fn events_as_key_value_entries() {
    let entry = |k: &str, v: &str| map(&[("key", text(k)), ("value", text(v))]);
    let events = Value::List(vec![entry("Signed Up", "signup"), entry("signed_up", "lead"), entry("Trial", "trial")]);
    let settings = parse(&[("account", text("a")), ("events", events)]).unwrap();
    // One name may map to several types, sent in mapping order.
    assert_eq!(types(&settings, "SIGNED UP"), ["signup", "lead"]);
    assert_eq!(types(&settings, "trial"), ["trial"]);
}

#[test]
fn events_as_names_that_map_to_themselves() {
    let settings = parse(&[("account", text("a")), ("events", Value::List(vec![text("Signed Up"), text("lead")]))]).unwrap();
    assert_eq!(types(&settings, "signedUp"), ["Signed Up"]);
    assert_eq!(types(&settings, "Lead"), ["lead"]);
}

#[test]
fn events_of_another_shape_are_rejected_with_the_entry_named() {
    let with = |events: Value| error(&[("account", text("a")), ("events", events)]);
    assert!(with(text("Signed Up")).contains("setting `events` must be an object"));
    assert!(with(Value::Bool(true)).contains("setting `events` must be"));
    let message = with(map(&[("Signed Up", Value::Number(1.0))]));
    assert!(message.contains("setting `events[\"Signed Up\"]` must be a non-empty string (a Convertro event type)") && message.contains("got a number"), "{message}");
    assert!(with(map(&[("Signed Up", text(""))])).contains("`events[\"Signed Up\"]`"));
    assert!(with(map(&[("", text("x"))])).contains("a non-empty string (a Segment event name)"));
    let message = with(Value::List(vec![text("ok"), Value::Number(2.0)]));
    assert!(message.contains("setting `events[1]` must be an event name or an object { key"), "{message}");
    let message = with(Value::List(vec![map(&[("key", Value::Null), ("value", text("x"))])]));
    assert!(message.contains("`events[0].key` must be a non-empty string (a Segment event name)"), "{message}");
    let message = with(Value::List(vec![map(&[("key", text("A")), ("value", Value::List(vec![]))])]));
    assert!(message.contains("`events[0].value` must be a non-empty string (a Convertro event type)") && message.contains("got an array"), "{message}");
    assert!(with(Value::List(vec![text("")])).contains("`events[0]`"));
    // A name that is too long is shown (cut short), not its type.
    let long = "e".repeat(5000);
    let message = with(map(&[(long.as_str(), text("t"))]));
    assert!(message.contains("a non-empty string (a Segment event name)") && message.contains(&format!("(got \"{}…\")", "e".repeat(40))), "{message}");
    assert!(with(Value::List(vec![Value::Unreadable])).contains("`events[0]`"));
}

#[test]
fn events_with_more_than_a_thousand_entries_are_rejected() {
    let many = Value::List((0..1001).map(|i| text(&format!("e{i}"))).collect());
    assert!(error(&[("account", text("a")), ("events", many)]).contains("setting `events` must be"));
    let enough = Value::List((0..1000).map(|i| text(&format!("e{i}"))).collect());
    let settings = parse(&[("account", text("a")), ("events", enough)]).unwrap();
    assert_eq!(types(&settings, "E999"), ["e999"]);
}
