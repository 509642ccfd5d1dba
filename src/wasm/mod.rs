//! The binding layer: the `Destination` class that `js/index.js` wraps into an
//! analytics.js plugin. It reads from JS values what the rules ask for and
//! carries out the commands they return; it holds no rules of its own.
//!
//! Every JS call on the event path that can run page code (getters,
//! proxies, `$CVO.push`, `ctx.log`) goes through `safe.js`, whose functions
//! never throw: an exception thrown through wasm frames would skip Rust's
//! clean-up, and wasm-bindgen's `catch` imports leak a table slot for each
//! exception they catch.

use alloc::vec::Vec;

mod js;
mod read;
mod tag;

use js_sys::{Array, Function, Object};
use wasm_bindgen::prelude::*;

use crate::rules::{self, Command, Id, Kind, Settings, Skip, Target};
use js::Payload;

/// One configured Convertro destination.
#[wasm_bindgen]
pub struct Destination {
    settings: Settings,
    /// The mapped Convertro types as JS strings, made once, in mapping order.
    types: Vec<JsValue>,
    names: Names,
    /// What each event name seen is to Convertro: 0 nothing, 1 an order,
    /// 2 + g the mapped group g.
    seen_names: read::Memo,
    /// The fields found for each list of property keys seen.
    seen_keys: read::Memo,
}

/// Fixed strings, made into JS strings once rather than per event.
struct Names {
    sale: JsValue,
    sale_new: JsValue,
    sale_repeat: JsValue,
    track_event: JsValue,
    track_user: JsValue,
    /// The separator for joining property keys.
    nul: JsValue,
    /// Each [`Skip`]'s debug line, made into a JS string on first use.
    skips: [core::cell::OnceCell<JsValue>; Skip::ALL.len()],
    /// Keys read from identify events.
    user_id: JsValue,
    traits: JsValue,
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
            track_user: JsValue::from_str("trackUser"),
            nul: JsValue::from_str("\0"),
            user_id: JsValue::from_str("userId"),
            traits: JsValue::from_str("traits"),
            skips: Default::default(),
        };
        Ok(Destination { settings, types, names, seen_names: read::Memo::new(), seen_keys: read::Memo::new() })
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
        let Some(event) = read::event(ctx) else { return self.log(ctx, Skip::NoEvent) };
        let user_id = js::get(&event, &self.names.user_id).unwrap_or(JsValue::UNDEFINED);
        let command = match rules::identify(&read::scalar(&user_id)) {
            Ok(command) => command,
            Err(skip) => return self.log(ctx, skip),
        };
        if let Command::TrackUser { .. } = command {
            let traits = js::get(&event, &self.names.traits).ok();
            let traits = match traits.as_ref().and_then(read::copy) {
                Some(traits) => traits,
                None => {
                    self.log(ctx, Skip::TraitsUnreadable);
                    Object::new()
                }
            };
            js::set_id(&traits, &user_id);
            self.push(ctx, &self.names.track_user, &traits);
        }
    }

    /// track → `trackEvent`s, for Order Completed and mapped events.
    pub fn track(&self, ctx: &JsValue) {
        let Some(event) = read::event(ctx) else { return self.log(ctx, Skip::NoEvent) };
        let name = js::name(&event).unwrap_or(JsValue::UNDEFINED);
        if js::kind(&name) != js::kinds::STRING {
            return self.log(ctx, Skip::NameNotText);
        }
        let target = match self.seen_names.get(&name) {
            Some(code) => decode_target(code),
            None => {
                let target = rules::target(&self.settings, &name.as_string().unwrap_or_default());
                self.seen_names.remember(&name, encode_target(target));
                target
            }
        };
        let Some(target) = target else { return };
        let mut properties = read::Properties::of(&event, &self.names.nul, &self.seen_keys);
        let track = rules::track_target(&self.settings, target, &mut properties, &|s| js_sys::parse_float(s));
        if let Some(skip) = track.skipped {
            self.log(ctx, skip);
        }
        for command in &track.commands {
            if let Command::TrackEvent { kind, id, amount } = command {
                let payload: Payload = Object::new().unchecked_into();
                let id = id.as_ref().map(|id| match id {
                    // The string as read: no round trip through UTF-8.
                    Id::Text(text) => track.id_key.and_then(|key| properties.original(key)).cloned().unwrap_or_else(|| JsValue::from_str(text)),
                    Id::Number(n) => js::number_to_string(*n).into(),
                });
                payload.set_type(self.kind(*kind));
                if let Some(id) = id {
                    payload.set_id(&id);
                }
                if let Some(amount) = amount {
                    payload.set_amount(*amount);
                }
                self.push(ctx, &self.names.track_event, &payload);
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

    /// `window.$CVO.push([name, payload])`, making the queue first if needed.
    fn push(&self, ctx: &JsValue, name: &JsValue, payload: &JsValue) {
        // `new Array` and two pushes: V8's `Array.of` is several times slower.
        let command = Array::new();
        command.push(name);
        command.push(payload);
        if !tag::queue().is_some_and(|queue| js::push(&queue, &command)) {
            js::log(ctx, &JsValue::from_str("Convertro: window.$CVO.push failed (is $CVO an array or Convertro's queue?); command dropped."));
        }
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


