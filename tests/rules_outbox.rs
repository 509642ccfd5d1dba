//! The outbox's rules: what is kept, merged, taken back and replayed, within
//! which limits, and which stored entries are well-formed.
#![cfg(not(target_arch = "wasm32"))]

use convertro::rules::outbox::{self, merge, new_id, stored, Entry, Note, Outbox, Sized, ID_LIMIT, MAX_AGE_MS, MAX_CHARS, MAX_ENTRIES};
use convertro::rules::Value;
use proptest::prelude::*;

const NOW: f64 = 1_764_000_000_000.0;

/// A numeric id for a test name (ids are whole numbers).
fn n(name: &str) -> f64 {
    name.bytes().fold(0.0, |id, b| id * 256.0 + f64::from(b)) % 9_007_199_254_740_992.0
}

fn entry(id: &str, at: f64) -> Entry<u32> {
    Entry { id: n(id), at, command: 0 }
}

fn named<T>(entries: &[Entry<T>]) -> Vec<f64> {
    entries.iter().map(|e| e.id).collect()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON")
}

/// An entry whose command is its JSON text, sized as JSON.stringify would size it.
fn written(id: &str, at: f64, command: &str) -> Sized<String> {
    let entry = Entry { id: n(id), at, command: command.to_string() };
    Sized { chars: to_json(&[entry.clone()]).len() - 2, entry }
}

/// What the binding writes: JSON.stringify of the entries as { id, at, command }.
fn to_json(entries: &[Entry<String>]) -> String {
    let items: Vec<String> = entries.iter().map(|e| format!(r#"{{"id":{},"at":{},"command":{}}}"#, e.id, e.at, e.command)).collect();
    format!("[{}]", items.join(","))
}

fn ids(entries: &[Entry<String>]) -> Vec<f64> {
    named(entries)
}

fn all(names: &[&str]) -> Vec<f64> {
    names.iter().map(|name| n(name)).collect()
}

const EVENT: &str = r#"["trackEvent",{"type":"sale","id":"o-1","amount":5}]"#;

#[test]
fn back_from_the_cache_keeps_only_what_is_still_stored() {
    let mut out = Outbox::default();
    for id in ["a", "b", "c"] {
        out.keep(entry(id, NOW));
    }
    let gone = out.keep_only(|id| id != n("b"));
    assert_eq!(named(&gone), all(&["b"]));
    assert_eq!(named(out.entries()), all(&["a", "c"]));
}

#[test]
fn kept_until_delivered_then_nothing_more() {
    let mut out = Outbox::default();
    assert_eq!(out.keep(entry("a", NOW)), 0);
    assert_eq!(out.keep(entry("b", NOW + 1.0)), 0);
    assert_eq!(named(out.entries()), all(&["a", "b"]));
    assert!(out.holds(n("a")) && !out.holds(n("c")));
    out.delivered();
    assert!(out.entries().is_empty() && out.is_delivered());
    assert_eq!(out.keep(entry("c", NOW + 2.0)), 0);
    assert!(out.entries().is_empty(), "nothing is kept once the tag has loaded");
}

#[test]
fn the_oldest_go_beyond_the_entry_limit() {
    let mut out = Outbox::default();
    let mut dropped = 0;
    for i in 0..MAX_ENTRIES + 7 {
        dropped += out.keep(entry(&format!("e{i}"), NOW + i as f64));
    }
    assert_eq!(dropped, 7);
    assert_eq!(out.entries().len(), MAX_ENTRIES);
    assert_eq!(out.entries()[0].id, n("e7"));
}

#[test]
fn stored_entries_of_the_exact_shape_are_taken_oldest_first() {
    let text = format!(
        r#"[{{"id":2,"at":{},"command":{EVENT}}},{{"id":1,"at":{},"command":["trackUser",{{"email":"x@y.z","nested":{{"k":[1]}},"id":"u-1"}}]}},{{"id":3,"at":{},"command":["trackUser",{{"id":7}}]}}]"#,
        NOW - 10.0,
        NOW - 20.0,
        NOW - 5.0
    );
    let taken = stored(&json(&text), NOW);
    assert_eq!(taken.dropped, 0);
    assert_eq!(taken.entries.iter().map(|e| (e.index, e.id)).collect::<Vec<_>>(), [(1, 1.0), (0, 2.0), (2, 3.0)]);
}

#[test]
fn anything_but_the_exact_shape_is_dropped() {
    let ok = |command: &str| format!(r#"{{"id":1,"at":{NOW},"command":{command}}}"#);
    for bad in [
        r#"["trackEvent",{"type":""}]"#,
        r#"["trackEvent",{"type":"sale","extra":1}]"#,
        r#"["trackEvent",{"type":"sale","id":5}]"#,
        r#"["trackEvent",{"id":"o"}]"#,
        r#"["trackEvent",{"type":"sale"},1]"#,
        r#"["trackUser",{"name":"no id"}]"#,
        r#"["trackUser",{"id":""}]"#,
        r#"["trackUser",[]]"#,
        r#"["eval",{"type":"sale"}]"#,
        r#"{"type":"sale"}"#,
        r#""trackEvent""#,
    ] {
        assert_eq!(stored(&json(&format!("[{}]", ok(bad))), NOW).entries, [], "{bad}");
    }
    for bad_entry in [
        format!(r#"{{"id":1,"at":{NOW},"command":{EVENT},"more":1}}"#),
        format!(r#"{{"id":"1","at":{NOW},"command":{EVENT}}}"#),
        format!(r#"{{"id":1.5,"at":{NOW},"command":{EVENT}}}"#),
        format!(r#"{{"id":-1,"at":{NOW},"command":{EVENT}}}"#),
        format!(r#"{{"id":1,"at":"{NOW}","command":{EVENT}}}"#),
        format!(r#"{{"id":1,"command":{EVENT}}}"#),
        format!(r#"{{"id":1e300,"at":{NOW},"command":{EVENT}}}"#),
        "null".into(),
        "[]".into(),
    ] {
        let taken = stored(&json(&format!("[{bad_entry}]")), NOW);
        assert_eq!((taken.entries.len(), taken.dropped), (0, 1), "{bad_entry}");
    }
    // Not a list at all: another version's format, or garbage.
    assert_eq!(stored(&json(r#"{"v":0,"entries":[]}"#), NOW).dropped, 1);
    assert_eq!(stored(&Value::Undefined, NOW), Default::default());
}

#[test]
fn expired_entries_are_dropped_when_taken() {
    let text = format!(r#"[{{"id":1,"at":{},"command":{EVENT}}},{{"id":2,"at":{},"command":{EVENT}}}]"#, NOW - MAX_AGE_MS - 1.0, NOW - MAX_AGE_MS + 1.0);
    let taken = stored(&json(&text), NOW);
    assert_eq!(taken.entries.iter().map(|e| e.id).collect::<Vec<_>>(), [2.0]);
    assert_eq!(taken.dropped, 1);
}

#[test]
fn taking_keeps_the_newest_within_the_entry_limit() {
    let items: Vec<String> = (0..MAX_ENTRIES + 3).map(|i| format!(r#"{{"id":{i},"at":{},"command":{EVENT}}}"#, NOW - 1000.0 + i as f64)).collect();
    let taken = stored(&json(&format!("[{}]", items.join(","))), NOW);
    assert_eq!(taken.entries.len(), MAX_ENTRIES);
    assert_eq!(taken.entries[0].id, 3.0);
    assert_eq!(taken.dropped, 3);
}

#[test]
fn merging_keeps_both_tabs_entries_once_oldest_first() {
    let theirs = vec![written("t1", NOW - 30.0, EVENT), written("m1", NOW - 20.0, EVENT)];
    let mine = vec![written("m1", NOW - 20.0, EVENT), written("m2", NOW - 10.0, EVENT)];
    let (entries, dropped) = merge(theirs.into_iter().chain(mine).collect(), NOW);
    assert_eq!(dropped, 0);
    assert_eq!(ids(&entries), all(&["t1", "m1", "m2"]));
    // What is written is taken back whole on the next page.
    let taken = stored(&json(&to_json(&entries)), NOW);
    assert_eq!(taken.entries.iter().map(|e| e.id).collect::<Vec<_>>(), all(&["t1", "m1", "m2"]));
}

#[test]
fn merging_keeps_this_pages_copy_of_an_entry_stored_before() {
    let theirs = written("m1", NOW - 20.0, r#"["trackUser",{"id":"stale"}]"#);
    let mine = written("m1", NOW - 20.0, EVENT);
    let (entries, dropped) = merge(vec![theirs, mine], NOW);
    assert_eq!(dropped, 0);
    assert_eq!(entries.iter().map(|e| e.command.as_str()).collect::<Vec<_>>(), [EVENT]);
}

#[test]
fn merging_nothing_stores_nothing() {
    assert_eq!(merge::<String>(vec![], NOW), (vec![], 0));
    assert_eq!(merge(vec![written("old", NOW - MAX_AGE_MS - 1.0, EVENT)], NOW), (vec![], 1));
}

#[test]
fn merging_drops_the_oldest_beyond_the_limits() {
    let mine: Vec<Sized<String>> = (0..MAX_ENTRIES + 5).map(|i| written(&format!("e{i}"), NOW + i as f64, EVENT)).collect();
    let (entries, dropped) = merge(mine, NOW);
    assert_eq!(dropped, 5);
    assert_eq!(entries.len(), MAX_ENTRIES);
    assert_eq!(entries[0].id, n("e5"));

    let big = format!(r#"["trackUser",{{"id":"u","blob":"{}"}}]"#, "x".repeat(MAX_CHARS / 4));
    let mine: Vec<Sized<String>> = (0..6).map(|i| written(&format!("b{i}"), NOW + i as f64, &big)).collect();
    let (entries, dropped) = merge(mine, NOW);
    let text = to_json(&entries);
    assert!(text.len() <= MAX_CHARS, "{}", text.len());
    assert_eq!(dropped, 3);
    assert_eq!(ids(&entries), all(&["b3", "b4", "b5"]));
}

#[test]
fn new_ids_are_whole_numbers_below_the_limit_that_stored_entries_accept() {
    for random in [0.0, 1e-300, 0.5, 1.0 - f64::EPSILON, 1.0, -1.0, f64::NAN] {
        let id = new_id(random);
        assert!((0.0..ID_LIMIT).contains(&id) && id.fract() == 0.0, "{random} gave {id}");
        let text = format!(r#"[{{"id":{id},"at":{NOW},"command":{EVENT}}}]"#);
        assert_eq!(stored(&json(&text), NOW).entries.len(), 1, "{id}");
    }
    assert_eq!(new_id(0.5), ID_LIMIT / 2.0);
}

#[test]
fn the_dropped_note_states_the_limits_the_rules_apply() {
    // MAX_CHARS as the message writes it, with thousands separators.
    let digits = MAX_CHARS.to_string();
    let mut chars = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            chars.push(',');
        }
        chars.push(digit);
    }
    let message = Note::Dropped.message();
    for limit in [format!("{MAX_ENTRIES} commands"), format!("{chars} characters"), format!("{} hours", MAX_AGE_MS / 3_600_000.0)] {
        assert!(message.contains(&limit), "{message:?} does not say {limit:?}");
    }
}

#[test]
fn one_versioned_key_per_account() {
    assert_eq!(outbox::storage_key("acme"), "convertro:v1:acme:outbox");
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<f64>().prop_filter("finite", |n| n.is_finite()).prop_map(|n| serde_json::json!(n)),
        prop_oneof![Just("trackEvent".to_string()), Just("trackUser".to_string()), Just("type".to_string()), Just("id".to_string()), Just("at".to_string()), Just("command".to_string()), "[a-z0-9_-]{0,8}", any::<String>()].prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::vec((prop_oneof![Just("type".to_string()), Just("id".to_string()), Just("at".to_string()), Just("command".to_string()), Just("amount".to_string()), "[a-z]{0,4}"], inner), 0..5)
                .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_stored_text_never_panics_nor_yields_a_malformed_command(text in any::<String>(), value in json_value(), now in any::<f64>()) {
        for parsed in [serde_json::from_str::<Value>(&text).ok(), serde_json::from_value::<Value>(value).ok()].into_iter().flatten() {
            let taken = stored(&parsed, now);
            let Value::List(items) = &parsed else { prop_assert!(taken.entries.is_empty()); continue };
            for kept in &taken.entries {
                let Some(Value::Map(fields)) = items.get(kept.index) else { return Err(TestCaseError::fail("index out of the list")) };
                let command = fields.iter().find(|(k, _)| k == "command").map(|(_, v)| v);
                prop_assert!(command.is_some_and(outbox::is_command));
            }
        }
    }
}
