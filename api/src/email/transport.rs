//! Where mail goes: an SMTP server (`SMTP_URL`: `smtp://` plain, `smtp+starttls://`,
//! `smtps://`, optional `user:password@`), or `.eml` files in `MAIL_DIR`.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("SMTP_URL {0:?} is not usable: {1}")]
    Url(String, String),
    #[error("MAIL_DIR {0}: {1}")]
    Dir(String, std::io::Error),
}

/// Rewrites `smtp+starttls://…` to lettre's `smtp://…?tls=required`.
pub fn lettre_url(url: &str) -> String {
    match url.strip_prefix("smtp+starttls://") {
        Some(rest) => {
            let sep = if rest.contains('?') { '&' } else { '?' };
            format!("smtp://{rest}{sep}tls=required")
        }
        None => url.to_owned(),
    }
}

impl Transport {
    pub fn from_config(
        smtp_url: Option<&str>,
        mail_dir: &std::path::Path,
    ) -> Result<Transport, TransportError> {
        match smtp_url {
            Some(url) => {
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&lettre_url(url))
                    .map_err(|e| TransportError::Url(url.to_owned(), e.to_string()))?;
                Ok(Transport::Smtp(
                    builder.timeout(Some(Duration::from_secs(10))).build(),
                ))
            }
            None => {
                std::fs::create_dir_all(mail_dir)
                    .map_err(|e| TransportError::Dir(mail_dir.display().to_string(), e))?;
                Ok(Transport::Files(
                    AsyncFileTransport::new(mail_dir),
                    mail_dir.to_path_buf(),
                ))
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP".to_owned(),
            Transport::Files(_, dir) => format!(".eml files in {}", dir.display()),
        }
    }

    /// Sends one message; the error is a readable string to keep with the row.
    pub async fn send(
        &self,
        from: &str,
        to: &str,
        subject: &str,
        body: &str,
        message_id: &str,
    ) -> Result<(), String> {
        let from: Mailbox = from.parse().map_err(|e| format!("sender {from:?}: {e}"))?;
        let to: Mailbox = to.parse().map_err(|e| format!("recipient {to:?}: {e}"))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<{message_id}>")))
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| format!("building the message: {e}"))?;
        match self {
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Files(t, _) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starttls_urls_become_lettre_urls() {
        assert_eq!(
            lettre_url("smtp+starttls://u:p@mail.example.fi:587"),
            "smtp://u:p@mail.example.fi:587?tls=required"
        );
        assert_eq!(
            lettre_url("smtps://mail.example.fi"),
            "smtps://mail.example.fi"
        );
        assert_eq!(lettre_url("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }

    #[test]
    fn every_scheme_builds_a_transport() {
        let dir = std::env::temp_dir();
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp+starttls://u:p@mail.example.fi:587",
            "smtps://mail.example.fi",
        ] {
            assert!(Transport::from_config(Some(url), &dir).is_ok(), "{url}");
        }
        assert!(Transport::from_config(Some("http://x"), &dir).is_err());
    }
}
