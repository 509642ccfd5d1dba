//! Consent: the rule (`rules::allows`) and the `consentSettings` setting.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Prefs, Props, track, identify};
use convertro::rules::{allows, NoPreferences, Preferences, Settings, Skip, Value, MAX_CATEGORIES};

fn text(s: &str) -> Value {
    Value::String(s.into())
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn settings(categories: &[&str]) -> Settings {
    let list = Value::List(categories.iter().map(|c| text(c)).collect());
    let consent = Value::Map(vec![("categories".into(), list)]);
    Settings::parse(&Value::Map(vec![("account".into(), text("acme")), ("consentSettings".into(), consent)])).unwrap()
}

/// `allows` with preferences given as an object's entries; returns the
/// answer and which categories were read, in order.
fn decide(categories: &[&str], preferences: &[(&str, Value)]) -> (bool, Vec<String>) {
    let settings = settings(categories);
    let mut prefs = Prefs::object(&settings, preferences);
    (allows(settings.categories(), &mut prefs), prefs.read)
}

fn with(kind: Preferences, categories: &[&str]) -> (bool, Vec<String>) {
    let settings = settings(categories);
    let mut prefs = Prefs::object(&settings, &[("C0004", Value::Bool(true))]);
    prefs.kind = kind;
    (allows(settings.categories(), &mut prefs), prefs.read)
}

#[test]
fn without_categories_every_event_is_sent_and_nothing_is_read() {
    for kind in [Preferences::Absent, Preferences::Object, Preferences::Other] {
        assert_eq!(with(kind, &[]), (true, vec![]));
    }
}

#[test]
fn an_event_without_preferences_is_sent() {
    assert_eq!(with(Preferences::Absent, &["C0004"]), (true, vec![]));
    assert!(allows(settings(&["C0004"]).categories(), &mut NoPreferences));
}

#[test]
fn preferences_that_are_not_an_object_grant_nothing() {
    assert_eq!(with(Preferences::Other, &["C0004"]), (false, vec![]));
}

#[test]
fn every_category_must_be_true() {
    assert_eq!(decide(&["C0004"], &[("C0004", Value::Bool(true))]), (true, names(&["C0004"])));
    assert_eq!(decide(&["C0002", "C0004"], &[("C0004", Value::Bool(true)), ("C0002", Value::Bool(true))]).0, true);
    // The first category not granted decides; the rest are not read.
    assert_eq!(decide(&["C0002", "C0004"], &[("C0002", Value::Bool(false)), ("C0004", Value::Bool(true))]), (false, names(&["C0002"])));
    assert_eq!(decide(&["C0002", "C0004"], &[("C0002", Value::Bool(true)), ("C0004", Value::Bool(false))]).0, false);
}

#[test]
fn an_empty_preferences_object_or_a_missing_category_is_no_consent() {
    assert_eq!(decide(&["C0004"], &[]).0, false);
    assert_eq!(decide(&["C0004"], &[("C0001", Value::Bool(true)), ("c0004", Value::Bool(true))]).0, false, "names are compared exactly");
}

#[test]
fn only_the_boolean_true_grants() {
    for value in [text("true"), text("yes"), Value::Number(1.0), Value::Null, Value::Undefined, Value::Other("an object"), Value::Unreadable, Value::Bool(false)] {
        assert_eq!(decide(&["C0004"], &[("C0004", value.clone())]).0, false, "{value:?}");
    }
}

#[test]
fn many_categories_are_all_checked() {
    let many: Vec<String> = (0..MAX_CATEGORIES).map(|i| format!("C{i:04}")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let all: Vec<(&str, Value)> = refs.iter().map(|c| (*c, Value::Bool(true))).collect();
    assert_eq!(decide(&refs, &all), (true, many.clone()));
    let mut last_denied = all.clone();
    last_denied.last_mut().unwrap().1 = Value::Bool(false);
    assert_eq!(decide(&refs, &last_denied).0, false);
}

#[test]
fn an_event_held_back_reads_no_property_and_says_why() {
    let settings = settings(&["C0004"]);
    let mut props = Props::new(&[("order_id", text("o-1")), ("total", Value::Number(5.0))]);
    let mut denied = Prefs::object(&settings, &[("C0004", Value::Bool(false))]);
    let out = track(&settings, "Order Completed", &mut props, &mut denied);
    assert!(out.commands.is_empty());
    assert_eq!(out.skipped, Some(Skip::NoConsent));
    assert_eq!(props.reads, 0);
    let mut granted = Prefs::object(&settings, &[("C0004", Value::Bool(true))]);
    assert_eq!(track(&settings, "Order Completed", &mut props, &mut granted).commands.len(), 1);
    assert_eq!(identify(&settings, &text("u-1"), &mut denied), Err(Skip::NoConsent));
    assert_eq!(identify(&settings, &text(""), &mut denied), Err(Skip::NoUserId));
    assert!(identify(&settings, &text("u-1"), &mut granted).is_ok());
    // An event with no mapping reads no consent either.
    let mut untouched = Prefs::object(&settings, &[]);
    assert!(track(&settings, "Product Viewed", &mut props, &mut untouched).commands.is_empty());
    assert!(untouched.read.is_empty());
}

fn parse(consent: Value) -> Result<Settings, String> {
    Settings::parse(&Value::Map(vec![("account".into(), text("acme")), ("consentSettings".into(), consent)])).map_err(|e| e.message())
}

fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

#[test]
fn consent_settings_take_the_apps_shape() {
    let settings = parse(map(&[("categories", Value::List(vec![text("C0004"), text("Advertising")])), ("other", Value::Null)])).unwrap();
    assert_eq!(settings.categories(), ["C0004", "Advertising"]);
    for none in [Value::Undefined, Value::Null, map(&[]), map(&[("categories", Value::Null)]), map(&[("categories", Value::List(vec![]))])] {
        assert!(parse(none.clone()).unwrap().categories().is_empty(), "{none:?}");
    }
    assert!(Settings::parse(&map(&[("account", text("acme"))])).unwrap().categories().is_empty());
}

#[test]
fn consent_settings_errors_name_the_setting() {
    assert_eq!(
        parse(text("C0004")).unwrap_err(),
        "Convertro: setting `consentSettings` must be an object { categories: [\"category\", …] } (the consent categories set for Convertro in Segment) (got \"C0004\")."
    );
    assert_eq!(
        parse(map(&[("categories", text("C0004"))])).unwrap_err(),
        "Convertro: setting `consentSettings.categories` must be an array of at most 100 consent category names (got \"C0004\")."
    );
    assert_eq!(
        parse(map(&[("categories", Value::List(vec![text("C0001"), Value::Number(2.0)]))])).unwrap_err(),
        "Convertro: setting `consentSettings.categories[1]` must be a non-empty string (a consent category) (got a number)."
    );
    assert!(parse(map(&[("categories", Value::List(vec![text("")]))])).unwrap_err().contains("`consentSettings.categories[0]`"));
    let too_many = Value::List((0..=MAX_CATEGORIES).map(|i| text(&format!("C{i}"))).collect());
    // The message states the limit the rule applies.
    assert!(parse(map(&[("categories", too_many)])).unwrap_err().contains(&format!("`consentSettings.categories` must be an array of at most {MAX_CATEGORIES} ")));
}
