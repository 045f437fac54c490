//! FDC3 contexts and errors: what the bus accepts, and what it answers when not.

use serde::Serialize;
use serde_json::Value;

/// Largest context the bus carries, serialised.
pub const MAX_CONTEXT_BYTES: usize = 64 * 1024;

/// FDC3 error names, as the SDK rejects promises with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Fdc3Error {
    MalformedContext,
    NoChannelFound,
    AccessDenied,
    CreationFailed,
    NoAppsFound,
    UserCancelled,
    TargetAppUnavailable,
    AppNotFound,
    UnknownEventType,
    AppTimeout,
    TargetInstanceUnavailable,
    IntentDeliveryFailed,
    NoResultReturned,
    IntentHandlerRejected,
    /// Not FDC3: a request the bus does not know.
    UnknownOperation,
}

impl Fdc3Error {
    pub fn as_str(self) -> &'static str {
        match self {
            Fdc3Error::MalformedContext => "MalformedContext",
            Fdc3Error::NoChannelFound => "NoChannelFound",
            Fdc3Error::AccessDenied => "AccessDenied",
            Fdc3Error::CreationFailed => "CreationFailed",
            Fdc3Error::NoAppsFound => "NoAppsFound",
            Fdc3Error::UserCancelled => "UserCancelled",
            Fdc3Error::TargetAppUnavailable => "TargetAppUnavailable",
            Fdc3Error::AppNotFound => "AppNotFound",
            Fdc3Error::UnknownEventType => "UnknownEventType",
            Fdc3Error::AppTimeout => "AppTimeout",
            Fdc3Error::TargetInstanceUnavailable => "TargetInstanceUnavailable",
            Fdc3Error::IntentDeliveryFailed => "IntentDeliveryFailed",
            Fdc3Error::NoResultReturned => "NoResultReturned",
            Fdc3Error::IntentHandlerRejected => "IntentHandlerRejected",
            Fdc3Error::UnknownOperation => "UnknownOperation",
        }
    }
}

/// A context is an object with a string `type`, at most 64 KiB serialised.
pub fn validate(context: &Value) -> Result<&str, Fdc3Error> {
    let ty = context
        .as_object()
        .and_then(|o| o.get("type"))
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or(Fdc3Error::MalformedContext)?;
    // Size check without allocating the whole text.
    let mut counter = ByteCounter(0);
    serde_json::to_writer(&mut counter, context).map_err(|_| Fdc3Error::MalformedContext)?;
    if counter.0 > MAX_CONTEXT_BYTES {
        return Err(Fdc3Error::MalformedContext);
    }
    Ok(ty)
}

struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        if self.0 > MAX_CONTEXT_BYTES {
            return Err(std::io::Error::other("too large"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn contexts_need_a_string_type_and_a_bounded_size() {
        assert_eq!(
            validate(&json!({"type": "fdc3.instrument", "id": {"ticker": "AAPL"}})),
            Ok("fdc3.instrument")
        );
        for bad in [
            json!("fdc3.instrument"),
            json!({}),
            json!({"type": 3}),
            json!({"type": ""}),
            json!([1]),
        ] {
            assert_eq!(validate(&bad), Err(Fdc3Error::MalformedContext), "{bad}");
        }
        let big = json!({"type": "x", "blob": "a".repeat(MAX_CONTEXT_BYTES)});
        assert_eq!(validate(&big), Err(Fdc3Error::MalformedContext));
        let fits = json!({"type": "x", "blob": "a".repeat(MAX_CONTEXT_BYTES - 100)});
        assert!(validate(&fits).is_ok());
    }
}
