//! Events → Convertro commands: identify, Order Completed and mapped events.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{settings, text, Props, track, identify};
use convertro::rules::{NoPreferences, Command, Id, ConvertroType, Settings, Skip, Value};

/// (type, id, amount) of each trackEvent, as Convertro would receive them.
fn sent(settings: &Settings, name: &str, props: &mut Props) -> Vec<(String, Option<Id>, Option<f64>)> {
    track(settings, name, props, &mut NoPreferences)
        .commands
        .into_iter()
        .map(|command| match command {
            Command::TrackEvent { kind, id, amount } => (kind.name(settings).to_string(), id, amount),
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

fn order(props: &[(&str, Value)]) -> Vec<(String, Option<Id>, Option<f64>)> {
    sent(&settings(&[]), "Order Completed", &mut Props::new(props))
}

fn sale(kind: &str, id: &str, amount: Option<f64>) -> (String, Option<Id>, Option<f64>) {
    (kind.to_string(), Some(Id::Text(id.into())), amount)
}

#[test]
fn identify_needs_a_user_id() {
    assert_eq!(identify(&settings(&[]), &text("u1"), &mut NoPreferences), Ok(Command::TrackUser { user_id: Id::Text("u1".into()) }));
    assert_eq!(identify(&settings(&[]), &Value::Number(42.0), &mut NoPreferences), Ok(Command::TrackUser { user_id: Id::Number(42.0) }));
    assert_eq!(identify(&settings(&[]), &Value::Number(0.0), &mut NoPreferences), Ok(Command::TrackUser { user_id: Id::Number(0.0) }));
    for bad in [text(""), Value::Undefined, Value::Null, Value::Number(f64::NAN), Value::Number(f64::INFINITY), Value::Bool(true), Value::Other("an object"), Value::Unreadable] {
        assert_eq!(identify(&settings(&[]), &bad, &mut NoPreferences), Err(Skip::NoUserId), "{bad:?}");
    }
}

#[test]
fn order_completed_sends_a_sale_with_id_and_amount() {
    assert_eq!(order(&[("order_id", text("o-1")), ("total", Value::Number(50.99))]), [sale("sale", "o-1", Some(50.99))]);
}

#[test]
fn order_id_prefers_id_then_order_id_and_must_be_usable() {
    assert_eq!(order(&[("orderId", text("b")), ("id", text("a"))]), [sale("sale", "a", None)]);
    assert_eq!(order(&[("id", text("")), ("orderId", text("b"))]), [sale("sale", "b", None)]);
    assert_eq!(order(&[("id", Value::Null), ("order_id", Value::Number(12345.0))]), [("sale".into(), Some(Id::Number(12345.0)), None)]);
    // The first truthy one is picked, as Segment's facade picks it: 0, '',
    // false, NaN and null are passed over; a picked value that is not an id
    // sends nothing.
    assert_eq!(order(&[("id", Value::Number(0.0)), ("orderId", text("o-1"))]), [sale("sale", "o-1", None)]);
    assert_eq!(order(&[("id", Value::Bool(false)), ("orderId", text("c"))]), [sale("sale", "c", None)]);
    assert_eq!(order(&[("id", Value::Number(f64::NAN)), ("orderId", text("c"))]), [sale("sale", "c", None)]);
    assert_eq!(order(&[("ID", Value::Bool(true)), ("Order-ID", text("c"))]), []);
    assert_eq!(order(&[("orderId", Value::Number(0.0)), ("total", Value::Number(10.0))]), []);
    // The first key naming a property is the one read, even if unusable.
    assert_eq!(order(&[("order_id", Value::Other("an object")), ("orderId", text("d"))]), []);
    assert_eq!(order(&[("order_id", Value::Null), ("orderId", text("d"))]), []);
}

#[test]
fn order_without_a_usable_id_sends_nothing_and_says_why() {
    for props in [vec![], vec![("total", Value::Number(5.0))], vec![("id", Value::Number(f64::NAN))], vec![("orderId", Value::Other("an object"))], vec![("id", Value::Bool(false))]] {
        let out = track(&settings(&[]), "Order Completed", &mut Props::new(&props), &mut NoPreferences);
        assert!(out.commands.is_empty(), "{props:?}");
        assert_eq!(out.skipped, Some(Skip::NoOrderId));
    }
}

#[test]
fn amount_is_total_then_revenue_when_usable() {
    let id = ("id", text("o"));
    assert_eq!(order(&[id.clone(), ("revenue", Value::Number(10.0)), ("total", Value::Number(12.0))])[0].2, Some(12.0));
    assert_eq!(order(&[id.clone(), ("total", Value::Number(0.0)), ("revenue", Value::Number(10.0))])[0].2, Some(0.0));
    assert_eq!(order(&[id.clone(), ("total", text("abc")), ("revenue", text("$9.50"))])[0].2, Some(9.5));
    assert_eq!(order(&[id.clone(), ("total", text("$50.99"))])[0].2, Some(50.99));
    assert_eq!(order(&[id.clone(), ("total", Value::Null), ("revenue", Value::Number(f64::INFINITY))])[0].2, None);
    assert_eq!(order(&[id.clone(), ("Total", text("1e400"))])[0].2, None);
}

#[test]
fn repeat_chooses_the_sale_type() {
    let with = |repeat: Value| order(&[("id", text("o")), ("repeat", repeat)]).into_iter().map(|s| s.0).collect::<Vec<_>>();
    assert_eq!(with(Value::Bool(true)), ["sale.repeat"]);
    assert_eq!(with(Value::Bool(false)), ["sale.new"]);
    for other in [Value::Undefined, Value::Null, text("true"), Value::Number(1.0)] {
        assert_eq!(with(other), ["sale"]);
    }
}

#[test]
fn hybrid_model_adds_a_sale_after_a_known_repeat() {
    let hybrid = settings(&[("hybridAttributionModel", Value::Bool(true))]);
    let with = |repeat: Value| {
        sent(&hybrid, "Order Completed", &mut Props::new(&[("id", text("o")), ("total", Value::Number(3.0)), ("repeat", repeat)]))
    };
    assert_eq!(with(Value::Bool(true)), [sale("sale.repeat", "o", Some(3.0)), sale("sale", "o", Some(3.0))]);
    assert_eq!(with(Value::Bool(false)), [sale("sale.new", "o", Some(3.0)), sale("sale", "o", Some(3.0))]);
    assert_eq!(with(text("true")), [sale("sale", "o", Some(3.0))]);
    assert_eq!(with(Value::Undefined), [sale("sale", "o", Some(3.0))]);
}

#[test]
fn order_completed_spellings_are_recognised_and_mapping_does_not_apply() {
    let mapped = settings(&[("events", Value::Map(vec![("Order Completed".into(), text("custom"))]))]);
    for name in ["order_completed", "OrderCompleted", "ORDER COMPLETED", "Completed Order", " order completed_"] {
        let out = sent(&mapped, name, &mut Props::new(&[("id", text("o"))]));
        assert_eq!(out, [sale("sale", "o", None)], "{name}");
    }
    assert_eq!(sent(&settings(&[]), "Order Completed Refund", &mut Props::new(&[("id", text("o"))])), []);
}

#[test]
fn mapped_events_send_each_type_with_id_and_amount_when_present() {
    let entry = |k: &str, v: &str| Value::Map(vec![("key".into(), text(k)), ("value".into(), text(v))]);
    let mapped = settings(&[("events", Value::List(vec![entry("Signed Up", "signup"), entry("Lead", "lead"), entry("signed-up", "reg")]))]);
    assert_eq!(
        sent(&mapped, "signedUp", &mut Props::new(&[("revenue", text("$5")), ("orderId", Value::Number(7.0))])),
        [("signup".into(), Some(Id::Number(7.0)), Some(5.0)), ("reg".into(), Some(Id::Number(7.0)), Some(5.0))]
    );
    assert_eq!(sent(&mapped, "lead", &mut Props::new(&[])), [("lead".into(), None, None)]);
    // As Segment's to-no-case normalises it, "LEAD" is "l e a d": not mapped.
    assert_eq!(sent(&mapped, "LEAD", &mut Props::new(&[])), []);
    assert_eq!(sent(&mapped, "Unmapped", &mut Props::new(&[("id", text("x"))])), []);
}

#[test]
fn unmapped_events_read_no_properties() {
    let mut props = Props::broken(Skip::PropertiesUnreadable);
    let out = track(&settings(&[]), "Product Viewed", &mut props, &mut NoPreferences);
    assert_eq!(out.commands, []);
    assert_eq!(out.skipped, None);
}

#[test]
fn only_the_values_the_rules_need_are_read() {
    let mut props = Props::new(&[("a", text("x")), ("id", text("o")), ("total", Value::Number(1.0)), ("b", text("y")), ("repeat", Value::Bool(true))]);
    track(&settings(&[]), "Order Completed", &mut props, &mut NoPreferences);
    assert_eq!(props.reads, 3, "id, total and repeat");
}

#[test]
fn unreadable_properties_send_mapped_types_alone_and_no_order() {
    let mapped = settings(&[("events", Value::List(vec![text("Lead")]))]);
    for skip in [Skip::PropertiesUnreadable, Skip::NoProperties] {
        let out = track(&mapped, "lead", &mut Props::broken(skip), &mut NoPreferences);
        assert_eq!(out.commands, [Command::TrackEvent { kind: ConvertroType::Mapped(0), id: None, amount: None }]);
        assert_eq!(out.skipped, Some(skip));
        let out = track(&mapped, "Order Completed", &mut Props::broken(skip), &mut NoPreferences);
        assert_eq!((out.commands.len(), out.skipped), (0, Some(skip)));
    }
}

#[test]
fn a_throwing_value_is_skipped_and_reported() {
    let out = track(&settings(&[]), "Order Completed", &mut Props::new(&[("id", Value::Unreadable), ("order_id", text("b"))]), &mut NoPreferences);
    assert_eq!(out.commands, [Command::TrackEvent { kind: ConvertroType::Sale, id: Some(Id::Text("b".into())), amount: None }]);
    assert_eq!(out.skipped, Some(Skip::ValueUnreadable));
    let out = track(&settings(&[]), "Order Completed", &mut Props::new(&[("id", text("a")), ("total", Value::Unreadable), ("revenue", Value::Number(5.0))]), &mut NoPreferences);
    assert_eq!(out.commands, [Command::TrackEvent { kind: ConvertroType::Sale, id: Some(Id::Text("a".into())), amount: Some(5.0) }]);
    assert_eq!(out.skipped, Some(Skip::ValueUnreadable));
    assert!(out.skipped.unwrap().message().contains("treated as absent"));
}

#[test]
fn every_skip_has_a_message_naming_convertro() {
    for (index, skip) in Skip::ALL.into_iter().enumerate() {
        assert!(skip.message().starts_with("Convertro: "), "{skip:?}");
        assert_eq!(skip as usize, index, "Skip::ALL is in declaration order");
    }
}
