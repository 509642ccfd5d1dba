//! Where the outbox goes when the page does: `localStorage`, through
//! web-sys's `Storage`, under one versioned key per account
//! ([`outbox::storage_key`]). What is stored and when is decided by
//! [`rules::outbox`](crate::rules::outbox); this only reads, writes and
//! removes, and reports a failure (no storage, a throwing getter, a full
//! quota) as `Err`.

use alloc::string::String;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use web_sys::Storage;

use super::bridge;
use crate::rules::outbox;

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

    /// Stores the entry objects in `list` (as `JSON.stringify` of it), or
    /// removes the key when there are none.
    pub fn write(&self, list: &Array) -> Result<(), ()> {
        if list.length() == 0 {
            return self.storage.remove_item(&self.key).map_err(drop);
        }
        let text = bridge::stringify(list).ok_or(())?;
        self.storage.set_item(&self.key, &text).map_err(drop)
    }
}
