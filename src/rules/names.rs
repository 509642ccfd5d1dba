//! Event names: recognising Order Completed, and matching names against the
//! `events` setting the way Segment matches them.

use alloc::string::String;
use alloc::vec::Vec;

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

/// An event name as the `events` mapping compares it: ASCII letters
/// lower-cased, and every run of spaces, `_`, `-`, `.` and every camelCase
/// boundary (a lower-case letter followed by an upper-case one) turned into a
/// single space, trimmed. `Signed Up`, `signed_up`, `signedUp` and
/// `SIGNED UP` all become `signed up`.
///
/// Letters outside ASCII keep their case: folding them would need Unicode
/// tables that outweigh the rest of the module.
pub fn normalize_event_name(name: &str) -> String {
    let mut out = Vec::with_capacity(name.len());
    normalize_into(name, &mut out);
    // Only ASCII bytes are changed, dropped or inserted: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// [`normalize_event_name`] into a reusable buffer, byte by byte: bytes of
/// non-ASCII characters are copied unchanged.
pub(crate) fn normalize_into(name: &str, out: &mut Vec<u8>) {
    out.clear();
    let mut gap = false;
    let mut after_lower = false;
    for b in name.bytes() {
        if matches!(b, b'_' | b'-' | b'.') || b.is_ascii_whitespace() {
            gap = !out.is_empty();
            after_lower = false;
            continue;
        }
        if gap || (after_lower && b.is_ascii_uppercase()) {
            out.push(b' ');
            gap = false;
        }
        after_lower = b.is_ascii_lowercase();
        out.push(b.to_ascii_lowercase());
    }
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

    #[test]
    fn names_normalise_like_segment() {
        for name in ["Signed Up", "signed_up", "signedUp", "SIGNED UP", "signed-up", "signed.up", "  Signed   Up ", "SignedUp", "signed__-Up"] {
            assert_eq!(normalize_event_name(name), "signed up", "{name:?}");
        }
    }

    #[test]
    fn normalisation_edge_cases() {
        assert_eq!(normalize_event_name(""), "");
        assert_eq!(normalize_event_name("___"), "");
        assert_eq!(normalize_event_name("Step1Done"), "step1done");
        assert_eq!(normalize_event_name("ViewedHTMLPage"), "viewed htmlpage");
        assert_eq!(normalize_event_name("Größe Gekauft"), "größe gekauft");
        assert_eq!(normalize_event_name("a:b"), "a:b");
    }
}
