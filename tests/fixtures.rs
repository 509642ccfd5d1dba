//! The fixture corpus (`tests/fixtures/`), run natively: each file is read
//! with serde into the core's `Value`s, its settings parsed by
//! `Settings::parse` (through `Deserialize`), its calls run through the
//! rules, and the commands rendered as the binding sends them. The browser
//! tests (`tests/e2e/fixtures.test.mjs`) run the same files against the
//! built plugin and expect the same commands.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Prefs, Props, track, identify};
use convertro::rules::{Command, Id, Settings, Value};
use serde_json::{json, Map, Value as Json};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The field `key` of a JSON object, parsed into the core's `Value`.
fn value(json: &Json, key: &str) -> Value {
    json.get(key).map_or(Value::Undefined, |v| serde_json::from_value(v.clone()).expect("any JSON is a Value"))
}

/// A number as JavaScript's `String()` writes it (for the values the fixtures use).
fn js_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn id_json(id: &Id) -> Json {
    match id {
        Id::Text(s) => json!(s),
        Id::Number(n) => json!(js_string(*n)),
    }
}

/// What Convertro's queue receives for one call, as the binding builds it.
fn run(settings: &Settings, call: &Json) -> Vec<Json> {
    match call["type"].as_str() {
        Some("identify") => match identify(settings, &value(call, "userId"), &mut Prefs::of_context(settings, &value(call, "context"))) {
            Ok(Command::TrackUser { user_id }) => {
                let mut traits = match call.get("traits") {
                    Some(Json::Object(traits)) => traits.clone(),
                    _ => Map::new(),
                };
                traits.insert("id".into(), match user_id {
                    Id::Text(s) => json!(s),
                    Id::Number(n) => json!(n),
                });
                vec![json!(["trackUser", traits])]
            }
            _ => vec![],
        },
        Some("track") => {
            let name = call["event"].as_str().expect("a track call has an event name");
            let mut props = match value(call, "properties") {
                Value::Map(entries) => Props { entries, broken: None, reads: 0 },
                Value::Undefined => Props::broken(convertro::rules::Skip::NoProperties),
                other => panic!("properties must be an object in a fixture, not {other:?}"),
            };
            track(settings, name, &mut props, &mut Prefs::of_context(settings, &value(call, "context")))
                .commands
                .into_iter()
                .map(|command| match command {
                    Command::TrackEvent { kind, id, amount } => {
                        let mut payload = Map::new();
                        payload.insert("type".into(), json!(kind.name(settings)));
                        if let Some(id) = &id {
                            payload.insert("id".into(), id_json(id));
                        }
                        if let Some(amount) = amount {
                            payload.insert("amount".into(), json!(amount));
                        }
                        json!(["trackEvent", payload])
                    }
                    other => panic!("track gave {other:?}"),
                })
                .collect()
        }
        other => panic!("unknown call type {other:?}"),
    }
}

/// Numbers compared as numbers (50 and 50.0 are one amount).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Json::Object(x), Json::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

#[test]
fn every_fixture_case_gives_the_expected_commands() {
    let mut ran = 0;
    let mut files: Vec<_> = fs::read_dir(dir().join("cases")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let fixture: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in fixture["cases"].as_array().expect("a cases array") {
            let name = format!("{} / {}", file.file_name().unwrap().to_string_lossy(), case["name"].as_str().unwrap());
            let settings_json = match case.get("settingsFrom").and_then(Json::as_str) {
                Some(from) => fs::read_to_string(dir().join("settings").join(format!("{from}.json"))).unwrap(),
                None => case["settings"].to_string(),
            };
            // The one settings parser, through serde.
            let parsed: Result<Settings, _> = serde_json::from_str(&settings_json);
            match case.get("error").and_then(Json::as_str) {
                Some(message) => {
                    let error = parsed.expect_err(&name).to_string();
                    assert_eq!(error, message, "{name}");
                }
                None => {
                    let settings = parsed.unwrap_or_else(|e| panic!("{name}: {e}"));
                    let sent: Vec<Json> = case["calls"].as_array().unwrap().iter().flat_map(|call| run(&settings, call)).collect();
                    let expected = &case["expected"];
                    assert!(same(&Json::Array(sent.clone()), expected), "{name}\n  sent:     {}\n  expected: {expected}", Json::Array(sent));
                }
            }
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} fixture cases ran");
}

#[test]
fn the_apps_settings_object_parses_and_its_extra_keys_are_ignored() {
    let text = fs::read_to_string(dir().join("settings/segment-app.json")).unwrap();
    let settings: Settings = serde_json::from_str(&text).unwrap();
    assert_eq!(settings.account(), "acme");
    assert!(settings.hybrid());
    assert_eq!(settings.events().types(), ["signup", "cart", "trial", "lead"]);
    assert_eq!(settings.tag_url(), "https://d1ivexoxmp59q7.cloudfront.net/acme/live.js");
}
