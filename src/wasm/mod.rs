//! The binding layer: the `Destination` class that `js/index.js` wraps into an
//! analytics.js plugin. It reads from JS values what the rules ask for and
//! carries out the commands they return; it holds no rules of its own.
//!
//! The event path goes through `safe.js`, the binding's page-facing half:
//! one call per step of the rules (the event's name, its properties' keys,
//! one property, one command), because a crossing between wasm and JS costs
//! more than the rules themselves. Its functions never throw: an exception
//! thrown through wasm frames would skip Rust's clean-up, and wasm-bindgen's
//! `catch` imports leak a table slot for each exception they catch.

use alloc::vec::Vec;

mod js;
mod read;
mod tag;

use js_sys::{Function, Map};
use wasm_bindgen::prelude::*;

use crate::rules::{self, Command, Id, Kind, Settings, Skip, Target};

/// One configured Convertro destination.
#[wasm_bindgen]
pub struct Destination {
    settings: Settings,
    /// The mapped Convertro types as JS strings, made once, in mapping order.
    types: Vec<JsValue>,
    names: Names,
    /// What each event name seen is to Convertro: 0 nothing, 1 an order,
    /// 2 + g the mapped group g.
    seen_names: Map,
    /// The fields found for each list of property keys seen.
    seen_keys: Map,
}

/// Fixed strings, made into JS strings once rather than per event.
struct Names {
    sale: JsValue,
    sale_new: JsValue,
    sale_repeat: JsValue,
    track_event: JsValue,
    /// Each [`Skip`]'s debug line, made into a JS string on first use.
    skips: [core::cell::OnceCell<JsValue>; Skip::ALL.len()],
}

#[wasm_bindgen]
impl Destination {
    /// Validates the settings; throws an `Error` naming the bad setting.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: &JsValue) -> Result<Destination, JsError> {
        let settings = Settings::parse(&read::settings(settings)).map_err(|e| JsError::new(&e.message()))?;
        let types = settings.events().types().iter().map(|t| JsValue::from_str(t)).collect();
        let names = Names {
            sale: JsValue::from_str(Kind::Sale.name(&settings)),
            sale_new: JsValue::from_str(Kind::SaleNew.name(&settings)),
            sale_repeat: JsValue::from_str(Kind::SaleRepeat.name(&settings)),
            track_event: JsValue::from_str("trackEvent"),
            skips: Default::default(),
        };
        Ok(Destination { settings, types, names, seen_names: Map::new(), seen_keys: Map::new() })
    }

    /// Whether Convertro's tag has loaded (`window.$CVO.trackEvent` is a function).
    #[wasm_bindgen(js_name = isLoaded)]
    pub fn is_loaded(&self) -> bool {
        tag::is_loaded(&self.names.track_event)
    }

    /// Makes the `$CVO` queue and injects the tag; calls `resolve()` when
    /// the tag has loaded and `reject(error)` when it failed. The JS wrapper
    /// makes the promise, and calls this once however often `load` is called.
    pub fn load(&self, resolve: &Function, reject: &Function) {
        tag::load(&self.settings, &self.names.track_event, resolve, reject)
    }

    /// identify → `trackUser`.
    pub fn identify(&self, ctx: &JsValue) {
        let kind = js::identify(ctx);
        if kind == js::answers::NO_EVENT {
            return self.log(ctx, Skip::NoEvent);
        }
        if let Err(skip) = rules::identify(&read::held(kind as u32)) {
            return self.log(ctx, skip);
        }
        // The one command identify gives: trackUser with the userId as read.
        let sent = js::track_user();
        if sent & js::sent::TRAITS_UNREADABLE != 0 {
            self.log(ctx, Skip::TraitsUnreadable);
        }
        if sent & js::sent::PUSH_FAILED != 0 {
            self.push_failed(ctx);
        }
    }

    /// track → `trackEvent`s, for Order Completed and mapped events.
    pub fn track(&self, ctx: &JsValue) {
        let code = js::track(ctx, &self.seen_names);
        let target = if code >= 0.0 {
            decode_target(code)
        } else {
            match code as i32 {
                js::answers::NO_EVENT => return self.log(ctx, Skip::NoEvent),
                js::answers::NOT_TEXT => return self.log(ctx, Skip::NameNotText),
                js::answers::UNKNOWN => {
                    let target = rules::target(&self.settings, &js::text().unwrap_or_default());
                    js::remember(&self.seen_names, encode_target(target), read::MEMO_CAPACITY);
                    target
                }
                _ => None,
            }
        };
        let Some(target) = target else { return };
        let mut properties = read::Properties::of(&self.seen_keys);
        let track = rules::track_target(&self.settings, target, &mut properties, &|s| js_sys::parse_float(s));
        if let Some(skip) = track.skipped {
            self.log(ctx, skip);
        }
        for command in &track.commands {
            if let Command::TrackEvent { kind, id, amount } = command {
                let id = match id {
                    // The string as read: no round trip through UTF-8.
                    Some(Id::Text(text)) => track.id_key.and_then(|key| properties.original(key)).cloned().unwrap_or_else(|| JsValue::from_str(text)),
                    Some(Id::Number(n)) => js::number_to_string(*n).into(),
                    None => JsValue::UNDEFINED,
                };
                if !js::track_event(self.kind(*kind), &id, *amount) {
                    self.push_failed(ctx);
                }
            }
        }
    }
}

impl Destination {
    fn kind(&self, kind: Kind) -> &JsValue {
        match kind {
            Kind::Sale => &self.names.sale,
            Kind::SaleNew => &self.names.sale_new,
            Kind::SaleRepeat => &self.names.sale_repeat,
            Kind::Mapped(index) => self.types.get(index).unwrap_or(&self.names.sale),
        }
    }

    /// `ctx.log('debug', …)`, when the context has a log method.
    fn log(&self, ctx: &JsValue, skip: Skip) {
        let message = self.names.skips.get(skip as usize).map(|cell| cell.get_or_init(|| JsValue::from_str(skip.message())));
        js::log(ctx, message.unwrap_or(&JsValue::UNDEFINED));
    }

    fn push_failed(&self, ctx: &JsValue) {
        js::log(ctx, &JsValue::from_str("Convertro: window.$CVO.push failed (is $CVO an array or Convertro's queue?); command dropped."));
    }
}

/// A [`Target`] as the number [`Destination::seen_names`] keeps.
fn encode_target(target: Option<Target>) -> f64 {
    match target {
        None => 0.0,
        Some(Target::Order) => 1.0,
        Some(Target::Mapped(group)) => 2.0 + group as f64,
    }
}

fn decode_target(code: f64) -> Option<Target> {
    match code as usize {
        0 => None,
        1 => Some(Target::Order),
        n => Some(Target::Mapped(n - 2)),
    }
}
