//! Reading JS values (`rules::read`, `rules::read_settings`, `rules::value`,
//! `rules::preferences_at`) over a model of JS values: what each kind
//! becomes, how deep and how much is read, what a throwing read gives.
#![cfg(not(target_arch = "wasm32"))]

use convertro::rules::{preferences_at, read, read_settings, value, Js, Kind, Preferences, Settings, Value, MAX_READ_CHARS, MAX_READ_ENTRIES};
use proptest::prelude::*;

/// A JS value, as far as reading it goes.
#[derive(Clone, Debug)]
enum Fake {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Fake>),
    Object(Vec<(String, Fake)>),
    /// A bigint, a symbol or a function.
    Opaque(Kind),
    /// A getter that throws.
    Throws,
    /// A revoked proxy: reading anything from it, or listing its keys, throws.
    Revoked,
}

use Fake::*;

impl Js for Fake {
    fn kind(&self) -> Kind {
        match self {
            Undefined => Kind::Undefined,
            Null => Kind::Null,
            Bool(true) => Kind::True,
            Bool(false) => Kind::False,
            Number(_) => Kind::Number,
            Text(_) => Kind::String,
            List(_) => Kind::Array,
            Object(_) | Revoked => Kind::Object,
            Opaque(kind) => *kind,
            Throws => Kind::Threw,
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Text(text) => Some(text.clone()),
            _ => None,
        }
    }

    fn number(&self) -> f64 {
        match self {
            Number(n) => *n,
            _ => f64::NAN,
        }
    }

    fn get(&self, key: &Fake) -> Fake {
        match (self, key) {
            (Undefined | Null | Throws | Revoked, _) => Throws,
            (Text(text), Text(name)) if name == "length" => Number(text.encode_utf16().count() as f64),
            (List(items), Text(name)) if name == "length" => Number(items.len() as f64),
            (List(items), Number(i)) => items.get(*i as usize).cloned().unwrap_or(Undefined),
            (Object(entries), Text(name)) => entries.iter().find(|(k, _)| k == name).map_or(Undefined, |(_, v)| v.clone()),
            _ => Undefined,
        }
    }

    fn name(name: &str) -> Fake {
        Text(name.into())
    }

    fn index(index: u32) -> Fake {
        Number(index.into())
    }

    fn keys(&self) -> Option<Fake> {
        match self {
            Revoked => None,
            Object(entries) => Some(List(entries.iter().map(|(k, _)| Text(k.clone())).collect())),
            _ => Some(List(vec![])),
        }
    }
}

fn object(entries: &[(&str, Fake)]) -> Fake {
    Object(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn text(s: &str) -> Fake {
    Text(s.into())
}

#[test]
fn kinds_are_numbered_in_bridge_js_order_and_any_other_number_cannot_be_read() {
    let order = [Kind::Undefined, Kind::Null, Kind::True, Kind::False, Kind::Number, Kind::String, Kind::Bigint, Kind::Symbol, Kind::Function, Kind::Object, Kind::Array];
    for (n, kind) in order.into_iter().enumerate() {
        assert_eq!(Kind::numbered(n as u32), kind);
    }
    for n in [11, 12, u32::MAX] {
        assert_eq!(Kind::numbered(n), Kind::Threw);
    }
    // The numbers bridge.js's `type` gives.
    let bridge = include_str!("../src/wasm/bridge.js");
    assert!(bridge.contains("const KINDS = ['undefined', 'null', 'true', 'false', 'number', 'string', 'bigint', 'symbol', 'function', 'object', 'array'];"));
    assert!(bridge.contains("return 11;"));
}

#[test]
fn an_events_values_are_read_and_its_objects_and_arrays_only_named() {
    let long = "x".repeat(MAX_READ_CHARS as usize * 2);
    let cases = [
        (Undefined, Value::Undefined),
        (Null, Value::Null),
        (Bool(true), Value::Bool(true)),
        (Bool(false), Value::Bool(false)),
        (Number(-0.5), Value::Number(-0.5)),
        (text(&long), Value::String(long.clone())),
        (List(vec![Number(1.0)]), Value::Other("an array")),
        (object(&[("a", Number(1.0))]), Value::Other("an object")),
        (Opaque(Kind::Bigint), Value::Other("a bigint")),
        (Opaque(Kind::Symbol), Value::Other("a symbol")),
        (Opaque(Kind::Function), Value::Other("a function")),
        (Throws, Value::Unreadable),
    ];
    for (js, expected) in cases {
        assert_eq!(value(&js), expected, "{js:?}");
    }
    assert!(matches!(value(&Number(f64::NAN)), Value::Number(n) if n.is_nan()));
}

#[test]
fn the_settings_are_read_by_their_keys_two_levels_deep() {
    let settings = object(&[
        ("account", text("acme")),
        ("somethingElse", Throws),
        ("events", object(&[("Signed Up", text("signup"))])),
        ("consentSettings", object(&[("categories", List(vec![text("C0004"), object(&[])]))])),
    ]);
    let Value::Map(read) = read_settings(&settings) else { panic!("not a map") };
    let keys: Vec<&str> = read.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, Settings::KEYS, "only the settings' keys, in their order");
    assert_eq!(read[0].1, Value::String("acme".into()));
    assert_eq!(read[1].1, Value::Map(vec![("Signed Up".into(), Value::String("signup".into()))]));
    assert_eq!(read[2].1, Value::Undefined);
    // Below two levels, an object is only named.
    let categories = Value::List(vec![Value::String("C0004".into()), Value::Other("an object")]);
    assert_eq!(read[5].1, Value::Map(vec![("categories".into(), categories)]));
}

#[test]
fn settings_that_are_not_an_object_or_cannot_be_listed() {
    assert_eq!(read_settings(&text("acme")), Value::String("acme".into()));
    assert_eq!(read_settings(&List(vec![])), Value::Other("an array"));
    assert_eq!(read_settings(&Undefined), Value::Undefined);
    assert_eq!(read_settings(&Revoked), Value::Unreadable);
    // A throwing getter spoils its own setting only.
    let Value::Map(read) = read_settings(&object(&[("account", Throws), ("nonce", text("n"))])) else { panic!() };
    assert_eq!((&read[0].1, &read[4].1), (&Value::Unreadable, &Value::String("n".into())));
}

#[test]
fn what_is_too_large_to_read_is_only_named() {
    let max = MAX_READ_CHARS as usize;
    assert_eq!(read(&text(&"é".repeat(max)), 1), Value::String("é".repeat(max)));
    assert_eq!(read(&text(&"x".repeat(max + 1)), 1), Value::Other("a string that is too long"));
    let entries = MAX_READ_ENTRIES as usize;
    let list = |n| List(vec![Null; n]);
    assert_eq!(read(&list(entries), 1), Value::List(vec![Value::Null; entries]));
    assert_eq!(read(&list(entries + 1), 1), Value::Other("an array that is too long"));
    let map = |n: usize| Object((0..n).map(|i| (i.to_string(), Null)).collect());
    assert!(matches!(read(&map(entries), 1), Value::Map(read) if read.len() == entries));
    assert_eq!(read(&map(entries + 1), 1), Value::Other("an object with too many keys"));
    assert_eq!(read(&Revoked, 1), Value::Unreadable);
}

#[test]
fn consent_preferences_are_found_along_their_path() {
    let path = [text("context"), text("consent"), text("categoryPreferences")];
    let find = |event: Fake| {
        let (found, at) = preferences_at(&event, [&path[0], &path[1], &path[2]]);
        (found, at.map(|at| value(&at.get(&text("C0004")))))
    };
    let event = |consent: Fake| object(&[("context", object(&[("consent", consent)]))]);
    let preferences = |p: Fake| event(object(&[("categoryPreferences", p)]));
    assert_eq!(find(object(&[])), (Preferences::Absent, None));
    assert_eq!(find(object(&[("context", text("no"))])), (Preferences::Absent, None));
    assert_eq!(find(event(Null)), (Preferences::Absent, None));
    assert_eq!(find(event(Number(1.0))), (Preferences::Absent, None));
    assert_eq!(find(event(Throws)), (Preferences::Other, None));
    assert_eq!(find(preferences(Undefined)), (Preferences::Absent, None));
    assert_eq!(find(preferences(text("all"))), (Preferences::Other, None));
    assert_eq!(find(preferences(Throws)), (Preferences::Other, None));
    assert_eq!(find(preferences(object(&[("C0004", Bool(true))]))), (Preferences::Object, Some(Value::Bool(true))));
    assert_eq!(find(preferences(List(vec![]))), (Preferences::Object, Some(Value::Undefined)));
}

fn fake() -> impl Strategy<Value = Fake> {
    let leaf = prop_oneof![
        Just(Undefined),
        Just(Null),
        any::<bool>().prop_map(Bool),
        any::<f64>().prop_map(Number),
        ".{0,8}".prop_map(Text),
        Just(Opaque(Kind::Symbol)),
        Just(Throws),
        Just(Revoked),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(List),
            prop::collection::vec((prop_oneof![Just("account".to_string()), Just("events".to_string()), ".{0,4}".prop_map(String::from)], inner), 0..6).prop_map(Object),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Any value reads without panicking, at any depth, and the settings read
    /// from it parse or give an error.
    #[test]
    fn reading_anything_never_panics(js in fake(), depth in 0u32..4) {
        let _ = read(&js, depth);
        let _ = Settings::parse(&read_settings(&js)).map_err(|e| e.message());
        let path = [text("context"), text("consent"), text("categoryPreferences")];
        let _ = preferences_at(&js, [&path[0], &path[1], &path[2]]);
    }
}
