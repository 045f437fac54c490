//! The one error every shell command answers with: a stable `code` the page
//! can act on, a `message` for the person, and, when the server refused, its
//! HTTP status and error envelope.

use serde::Serialize;
use tessera_layouts::api::ErrorBody;
use tessera_layouts::client::ClientError;

use crate::bus::context::Fdc3Error;
use crate::local_server::LocalServerError;
use crate::signin::SignInError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message} ({code})")]
pub struct ShellError {
    /// Machine-readable: the server's code (`stale_version`, `not_found`…),
    /// `unavailable` (the server did not answer), `no_token`, `sign_in`
    /// (a sign-in problem), an FDC3 error name, or `error`.
    pub code: String,
    /// What to show the person.
    pub message: String,
    /// The HTTP status the server refused with (0: it was not reached).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The server's error envelope, when it refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<ErrorBody>>,
}

impl ShellError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            status: None,
            details: None,
        }
    }

    /// A failure with nothing more specific to say than its message.
    pub fn other(message: impl std::fmt::Display) -> Self {
        Self::new("error", message.to_string())
    }
}

impl From<ClientError> for ShellError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Refused { status, body } => Self {
                code: body.code.clone(),
                message: body.message.clone(),
                status: Some(status),
                details: Some(Box::new(body)),
            },
            ClientError::NoToken => Self::new("no_token", e.to_string()),
            ClientError::BadUrl { .. } => Self::new("error", e.to_string()),
            ClientError::Unreachable { .. } | ClientError::Decode { .. } => Self {
                status: Some(0),
                ..Self::new("unavailable", e.to_string())
            },
        }
    }
}

impl From<Fdc3Error> for ShellError {
    fn from(e: Fdc3Error) -> Self {
        Self::new(e.as_str(), e.as_str())
    }
}

impl From<SignInError> for ShellError {
    fn from(e: SignInError) -> Self {
        let code = match e {
            SignInError::Unreachable { .. } => "unavailable",
            _ => "sign_in",
        };
        Self::new(code, e.to_string())
    }
}

impl From<LocalServerError> for ShellError {
    fn from(e: LocalServerError) -> Self {
        Self::new("local_server", e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_keeps_the_servers_code_status_and_envelope() {
        let body = ErrorBody {
            code: "stale_version".into(),
            message: "someone saved version 4".into(),
            field: None,
            current_version: Some(4),
        };
        let e = ShellError::from(ClientError::Refused {
            status: 409,
            body: body.clone(),
        });
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({
                "code": "stale_version",
                "message": "someone saved version 4",
                "status": 409,
                "details": {"code": "stale_version", "message": "someone saved version 4", "current_version": 4},
            })
        );
    }

    #[test]
    fn other_failures_have_a_code_and_a_message_only() {
        let e = ShellError::from(Fdc3Error::NoChannelFound);
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "NoChannelFound", "message": "NoChannelFound"})
        );
        let e = ShellError::from(SignInError::EmptyToken);
        assert_eq!(e.code, "sign_in");
        assert!(e.message.starts_with("paste your token"), "{}", e.message);
    }
}
