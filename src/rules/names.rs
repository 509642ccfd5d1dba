//! Event names: recognising Order Completed, and matching names against the
//! `events` setting exactly as Segment's integration matches them.

use alloc::string::String;
use alloc::vec::Vec;

use super::amount::is_js_whitespace;
use super::engine::Engine;

/// Whether `name` is Order Completed (or spec v1 Completed Order).
///
/// Any ASCII letter case; the two words separated by one space, one
/// underscore or nothing; optionally one leading and one trailing space or
/// underscore. `order_completed`, `OrderCompleted` and `ORDER COMPLETED`
/// match; `Order Completed Refund` and `Order  Completed` do not.
pub fn is_order_completed(name: &str) -> bool {
    /// The whole names that match, lower-cased, after trimming.
    const SPELLINGS: [&[u8]; 6] = [b"order completed", b"order_completed", b"ordercompleted", b"completed order", b"completed_order", b"completedorder"];
    let bytes = name.as_bytes();
    let edge = |b: Option<&u8>| usize::from(matches!(b, Some(b' ' | b'_')));
    let start = edge(bytes.first());
    let end = bytes.len().saturating_sub(edge(bytes.last())).max(start);
    let Some(trimmed) = bytes.get(start..end) else { return false };
    SPELLINGS.iter().any(|spelling| trimmed.eq_ignore_ascii_case(spelling))
}

/// An event name as the `events` mapping compares it: exactly what
/// `to-no-case` 0.1.3 makes of it, the normaliser Segment's
/// `@segment/analytics.js-integration` 3.3.3 applies to both the event name
/// and each mapping key before comparing them.
///
/// - A name with whitespace (JavaScript's `\s`) is only lower-cased:
///   `Signed Up` → `signed up`, `' Signed Up'` → `' signed up'` (no trimming).
/// - Otherwise a name with a separator (anything but an ASCII letter or
///   digit: `_`, punctuation, any non-ASCII character) has every run of
///   separators before a letter or digit made one space and a trailing run
///   dropped, then is lower-cased: `signed_up` and `Order/Refunded` →
///   `signed up`, `order refunded`; `_x` → `' x'`. A name made only of
///   separators stays as it is, lower-cased.
/// - Otherwise (ASCII letters and digits only) a space goes before every
///   upper-case letter that follows another character, then it is
///   lower-cased: `signedUp` → `signed up`, `Step2Done` → `step2 done`,
///   `SignedUP` → `signed u p`.
///
/// `engine` lower-cases text that is not ASCII, as JavaScript does.
pub fn normalize_event_name(name: &str, engine: &impl Engine) -> String {
    String::from_utf8(normal_bytes(name, engine)).unwrap_or_default()
}

/// [`normalize_event_name`]'s bytes (still UTF-8), as the `events` mapping
/// keeps and compares them.
pub(crate) fn normal_bytes(name: &str, engine: &impl Engine) -> Vec<u8> {
    let mode = if name.chars().any(is_js_whitespace) {
        Split::Never
    } else if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Split::AtCapitals
    } else {
        Split::AtSeparators
    };
    let out = split(name, mode, engine);
    // A name of separators only stays as it is.
    if out.is_empty() {
        split(name, Split::Never, engine)
    } else {
        out
    }
}

/// Where [`split`] puts spaces.
#[derive(Clone, Copy, PartialEq)]
enum Split {
    /// Nowhere: the name is only lower-cased.
    Never,
    /// One for each run of separators (anything but an ASCII letter or
    /// digit) before a letter or digit; a trailing run is dropped.
    AtSeparators,
    /// Before every capital but a first (`(.)([A-Z]+)`).
    AtCapitals,
}

/// The name lower-cased, with spaces put in as `mode` says: ASCII here,
/// anything else lower-cased by the engine.
fn split(name: &str, mode: Split, engine: &impl Engine) -> Vec<u8> {
    if mode == Split::Never && !name.is_ascii() {
        return engine.to_lower_case(name).into_bytes();
    }
    let mut out = Vec::with_capacity(name.len() + 8);
    let mut separated = false;
    for (at, b) in name.bytes().enumerate() {
        if mode == Split::AtSeparators && !b.is_ascii_alphanumeric() {
            separated = true;
            continue;
        }
        if separated || (mode == Split::AtCapitals && at > 0 && b.is_ascii_uppercase()) {
            out.push(b' ');
        }
        separated = false;
        out.push(b.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_completed_spellings() {
        for name in [
            "Order Completed", "order completed", "ORDER COMPLETED", "order_completed", "OrderCompleted",
            "orderCompleted", "Completed Order", "completed_order", "CompletedOrder", " Order Completed",
            "Order Completed ", "_order_completed_", " order_completed_", "oRdEr CoMpLeTeD",
        ] {
            assert!(is_order_completed(name), "{name:?} should be Order Completed");
        }
    }

    #[test]
    fn not_order_completed() {
        for name in [
            "", "Order", "Completed", "Order Completed Refund", "Order  Completed", "Order-Completed",
            "Order.Completed", "  Order Completed", "Order Completed__", "Order Complete", "Orders Completed",
            "Order Completedx", "xOrder Completed", "Order _Completed", "Order Updated", "Ordér Completed",
        ] {
            assert!(!is_order_completed(name), "{name:?} should not be Order Completed");
        }
    }

    #[test]
    fn order_completed_never_panics_on_multibyte_text() {
        for name in ["é", "ordér", "Order Complétéd", "🛒🛒🛒🛒🛒", "order✓completed", " ✓"] {
            assert!(!is_order_completed(name));
        }
    }

    fn normal(name: &str) -> String {
        normalize_event_name(name, &crate::rules::Native)
    }

    #[test]
    fn names_normalise_like_to_no_case() {
        for name in ["Signed Up", "signed_up", "signedUp", "SIGNED UP", "signed-up", "signed.up", "SignedUp", "signed__-Up"] {
            assert_eq!(normal(name), "signed up", "{name:?}");
        }
    }

    #[test]
    fn the_corners_segment_decides_differently() {
        // Issue 16's rows 1-3: punctuation runs, a digit before a capital, no trimming.
        assert_eq!(normal("Order/Refunded"), normal("ORDER_REFUNDED"));
        assert_eq!(normal("Step2Done"), normal("step2_done"));
        assert_eq!(normal("Step2Done"), "step2 done");
        for name in ["SignedUP", " Signed Up", "Signed Up_", "Signed  Up"] {
            assert_ne!(normal(name), normal("Signed Up"), "{name:?}");
        }
        assert_eq!(normal("SignedUP"), "signed u p");
        assert_eq!(normal("Signed Up_"), "signed up_");
        assert_eq!(normal("_x"), " x");
        assert_eq!(normal("x_"), "x");
    }

    #[test]
    fn normalisation_edge_cases() {
        assert_eq!(normal(""), "");
        assert_eq!(normal("___"), "___");
        assert_eq!(normal("ÄÖ"), "äö");
        assert_eq!(normal("ViewedHTMLPage"), "viewed h t m l page");
        assert_eq!(normal("Größe Gekauft"), "größe gekauft");
        assert_eq!(normal("GrößeGekauft"), "gr egekauft");
        assert_eq!(normal("a:b"), "a b");
        assert_eq!(normal("a\u{feff}B"), "a\u{feff}b");
        assert_eq!(normal("a\u{85}B"), "a b");
        assert_eq!(normal("ΣΑΣ ΣΑΣ"), "σας σας");
    }
}
