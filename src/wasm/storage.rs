//! Where the outbox goes when the page does: `localStorage`, through
//! web-sys's `Storage`, under one versioned key per account
//! ([`outbox::storage_key`]). What is stored and when is decided by
//! [`rules::outbox`](crate::rules::outbox); this only reads, writes and
//! removes, and reports a failure (no storage, a throwing getter, a full
//! quota) as `Err`.

use alloc::string::String;
use alloc::vec::Vec;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::Storage;

use super::bridge;
use crate::rules::outbox::{self, Entry, Sized};

/// One account's outbox in `localStorage`.
pub struct Stash {
    storage: Storage,
    key: String,
}

impl Stash {
    /// `localStorage`, when the page may use it (not in a sandboxed frame,
    /// with storage allowed).
    pub fn open(account: &str) -> Result<Stash, ()> {
        match bridge::global().local_storage() {
            Ok(Some(storage)) => Ok(Stash { storage, key: outbox::storage_key(account) }),
            _ => Err(()),
        }
    }

    /// What is stored, parsed (undefined when nothing or not JSON).
    pub fn read(&self) -> Result<JsValue, ()> {
        match self.storage.get_item(&self.key) {
            Ok(Some(text)) if outbox::readable(text.len()) => Ok(bridge::parse(&text)),
            // Too long to be ours: read as what is not a list (dropped, and said so).
            Ok(Some(_)) => Ok(JsValue::TRUE),
            Ok(None) => Ok(JsValue::UNDEFINED),
            Err(_) => Err(()),
        }
    }

    /// Reads what is stored and removes it, in one synchronous step, so that
    /// another tab does not take it too.
    pub fn take(&self) -> Result<JsValue, ()> {
        let stored = self.read()?;
        self.storage.remove_item(&self.key).map_err(drop)?;
        Ok(stored)
    }

    /// Stores `entries` (as `JSON.stringify` of `[{ id, at, command }]`),
    /// or removes the key when there are none.
    pub fn write(&self, entries: Vec<Entry<JsValue>>) -> Result<(), ()> {
        if entries.is_empty() {
            return self.storage.remove_item(&self.key).map_err(drop);
        }
        let list = Array::new();
        for entry in &entries {
            list.push(&object(entry));
        }
        let text = bridge::stringify(&list).ok_or(())?;
        self.storage.set_item(&self.key, &text).map_err(drop)
    }
}

/// `{ id, at, command }`, as an entry is stored.
fn object(entry: &Entry<JsValue>) -> JsValue {
    bridge::entry(entry.id, entry.at, &entry.command)
}

/// An entry with its serialized length; `None` when it cannot be
/// serialized (a value `JSON.stringify` refuses is left out).
pub fn sized(entry: Entry<JsValue>) -> Option<Sized<JsValue>> {
    Some(Sized { chars: bridge::size(&object(&entry))? as usize, entry })
}

/// The well-formed, unexpired entries of what was stored, parsed, with
/// their sizes, ready to be merged with this page's ([`outbox::merge`]).
pub fn stored(parsed: &JsValue, now: f64) -> Vec<Sized<JsValue>> {
    outbox::stored(&bridge::stored(parsed), now)
        .entries
        .into_iter()
        .filter_map(|stored| sized(Entry { command: bridge::stored_command(parsed, stored.index), id: stored.id, at: stored.at }))
        .collect()
}
