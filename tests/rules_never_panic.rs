//! Property tests: arbitrary settings and events never panic, and every
//! command produced is well formed (non-empty type, finite amount, id a
//! non-empty string or a finite number).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Prefs, Props, track, identify};
use convertro::rules::{Native, allows, NoPreferences, Preferences, is_order_completed, normalize_event_name, parse_float, Command, Id, Settings, Skip, Value, DEFAULT_TAG_HOST};
use proptest::prelude::*;

/// Strings weighted towards the ones the rules care about.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Order Completed".to_string()),
        Just("completed_order".to_string()),
        Just("signedUp".to_string()),
        "[ _.-]{0,2}(order|completed|signed|up|Order|UP)[ _.-]{0,2}(order|completed|Completed|up|Up)?[ _]?",
        "(id|order_id|orderId|ORDER-ID|total|Total|revenue|repeat|tagUrl|account|events|key|value)",
        ".{0,12}",
        any::<String>(),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Undefined),
        Just(Value::Null),
        Just(Value::Unreadable),
        Just(Value::Other("a symbol")),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(Value::Number),
        prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(0.0), Just(-0.0), Just(1e308)].prop_map(Value::Number),
        "[$ ]{0,2}[+-]?[0-9]{0,4}[.]?[0-9]{0,3}([eE][+-]?[0-9]{0,4})?[a-z$]{0,2}".prop_map(Value::String),
        name().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::List),
            prop::collection::vec((name(), inner), 0..6).prop_map(Value::Map),
        ]
    })
}

fn settings_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![Just("account"), Just("events"), Just("hybridAttributionModel"), Just("tagUrl"), Just("nonce"), Just("consentSettings"), Just("other")];
    let value = prop_oneof![
        Just(Value::String("acme".into())),
        Just(Value::Bool(true)),
        "(https?://|/|//|javascript:)[a-z./\\\\]{0,12}".prop_map(Value::String),
        value(),
    ];
    prop_oneof![value.clone(), prop::collection::vec((key.prop_map(String::from), value), 0..6).prop_map(Value::Map)]
}

fn well_formed(settings: &Settings, command: &Command) -> bool {
    let id_ok = |id: &Id| match id {
        Id::Text(s) => !s.is_empty(),
        Id::Number(n) => n.is_finite(),
    };
    match command {
        Command::TrackUser { user_id } => id_ok(user_id),
        Command::TrackEvent { kind, id, amount } => {
            !kind.name(settings).is_empty() && id.as_ref().is_none_or(id_ok) && amount.is_none_or(f64::is_finite)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn settings_never_panic_and_valid_ones_are_safe(value in settings_value()) {
        if let Ok(settings) = Settings::parse(&value) {
            prop_assert!(!settings.account().is_empty());
            let url = settings.tag_url();
            prop_assert!(url.starts_with(DEFAULT_TAG_HOST) || url.to_ascii_lowercase().starts_with("http") || (url.starts_with('/') && !url.starts_with("//")));
            prop_assert!(!url.contains('\\'));
        } else if let Err(error) = Settings::parse(&value) {
            prop_assert!(error.message().starts_with("Convertro: "));
        }
    }

    #[test]
    fn events_never_panic_and_commands_are_well_formed(
        hybrid in any::<bool>(),
        mapping in prop::collection::vec((name(), name()), 0..5),
        event in name(),
        props in prop::collection::vec((name(), scalar()), 0..12),
        broken in prop::option::of(prop_oneof![Just(Skip::NoProperties), Just(Skip::PropertiesUnreadable)]),
    ) {
        let events = Value::Map(mapping.into_iter().map(|(k, v)| (k, Value::String(v))).collect());
        let entries = vec![("account".into(), Value::String("a".into())), ("hybridAttributionModel".into(), Value::Bool(hybrid)), ("events".into(), events)];
        let Ok(settings) = Settings::parse(&Value::Map(entries)) else { return Ok(()) };
        let mut record = Props { entries: props, broken, reads: 0 };
        let out = track(&settings, &event, &mut record, &mut NoPreferences);
        for command in &out.commands {
            prop_assert!(well_formed(&settings, command), "{command:?}");
        }
        if is_order_completed(&event) {
            prop_assert!(out.commands.len() <= 2);
        }
    }

    #[test]
    fn consent_never_panics_and_only_true_grants(
        categories in prop::collection::vec(name(), 0..5),
        kind in prop_oneof![Just(Preferences::Absent), Just(Preferences::Object), Just(Preferences::Other)],
        values in prop::collection::vec((name(), value()), 0..6),
    ) {
        let entries = vec![
            ("account".into(), Value::String("a".into())),
            ("consentSettings".into(), Value::Map(vec![("categories".into(), Value::List(categories.iter().cloned().map(Value::String).collect()))])),
        ];
        let Ok(settings) = Settings::parse(&Value::Map(entries)) else { return Ok(()) };
        let mut prefs = Prefs::object(&settings, &[]);
        prefs.kind = kind;
        prefs.values = values;
        let allowed = allows(settings.categories(), &mut prefs.clone());
        let all_true = settings.categories().iter().all(|c| prefs.values.iter().find(|(k, _)| k == c).is_some_and(|(_, v)| *v == Value::Bool(true)));
        let expected = settings.categories().is_empty() || kind == Preferences::Absent || (kind == Preferences::Object && all_true);
        prop_assert_eq!(allowed, expected);
    }

    #[test]
    fn identify_never_panics(user_id in scalar()) {
        let settings = Settings::parse(&Value::Map(vec![("account".into(), Value::String("a".into()))])).unwrap();
        if let Ok(command) = identify(&settings, &user_id, &mut NoPreferences) {
            let ok = match &command {
                Command::TrackUser { user_id: Id::Text(s) } => !s.is_empty(),
                Command::TrackUser { user_id: Id::Number(n) } => n.is_finite(),
                Command::TrackEvent { .. } => false,
            };
            prop_assert!(ok, "{:?}", command);
        }
    }

    #[test]
    fn text_rules_never_panic(s in any::<String>()) {
        let normal = normalize_event_name(&s, &Native);
        // (Not idempotent, as to-no-case is not: "\u{212a}é" gives "ké", and that "k".)
        prop_assert!(!normal.bytes().any(|b| b.is_ascii_uppercase()));
        let _ = parse_float(&s);
        let _ = is_order_completed(&s);
    }
}
