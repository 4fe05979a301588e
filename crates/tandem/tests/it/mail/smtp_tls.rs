//! Sending over TLS to a real server (aiosmtpd with a certificate from a test CA): STARTTLS and
//! TLS from the first byte, each with a login, reach the server; an unknown CA, a wrong password
//! and a refused recipient are errors that say so, permanent where retrying cannot help.

use tandem_app::mail::{SmtpAccount, SmtpSecurity, SmtpSender};

use super::smtp_sink::{LOGIN, SmtpSink};

const RAW: &[u8] = b"From: care@harbor.example\r\nTo: nora@example.net\r\nSubject: Over TLS\r\n\r\nHello.\r\n";

fn account(sink: &SmtpSink, security: SmtpSecurity, trust_test_ca: bool, password: &str) -> SmtpAccount {
    let (starttls, tls) = sink.tls_ports.expect("a sink with TLS");
    SmtpAccount {
        host: "localhost".to_owned(),
        port: if security == SmtpSecurity::Tls { tls } else { starttls },
        security,
        username: LOGIN.0.to_owned(),
        password: password.to_owned(),
        ca_file: if trust_test_ca { sink.ca_file() } else { std::path::PathBuf::new() },
    }
}

async fn send(account: &SmtpAccount, to: &str) -> Result<(), tandem_app::mail::SendError> {
    SmtpSender::new(account).expect("an SMTP transport").send("care@harbor.example", &[to], RAW).await
}

#[tokio::test]
async fn starttls_and_tls_with_a_login_deliver_and_bad_trust_or_login_do_not() {
    let sink = SmtpSink::start_with_tls();
    for security in [SmtpSecurity::Starttls, SmtpSecurity::Tls] {
        send(&account(&sink, security, true, LOGIN.1), "nora@example.net")
            .await
            .unwrap_or_else(|error| panic!("{security:?} with the test CA and the login: {error}"));
    }
    let delivered = sink.delivered();
    assert_eq!(delivered.len(), 2, "one message over each kind of TLS");
    assert!(delivered.iter().all(|email| String::from_utf8_lossy(&email.raw).contains("Subject: Over TLS")));

    // The public roots do not know the test CA: refused before anything is said.
    let error = send(&account(&sink, SmtpSecurity::Starttls, false, LOGIN.1), "nora@example.net").await.unwrap_err();
    assert!(error.message.to_lowercase().contains("certificate"), "{}", error.message);
    let error = send(&account(&sink, SmtpSecurity::Tls, false, LOGIN.1), "nora@example.net").await.unwrap_err();
    assert!(error.message.to_lowercase().contains("certificate"), "{}", error.message);
    // A wrong password is refused for good (535), as is a recipient the server does not know (550).
    let error = send(&account(&sink, SmtpSecurity::Starttls, true, "wrong"), "nora@example.net").await.unwrap_err();
    assert!(error.permanent && error.message.contains("535"), "{error:?}");
    let error = send(&account(&sink, SmtpSecurity::Tls, true, LOGIN.1), "ann@reject.example").await.unwrap_err();
    assert!(error.permanent && error.message.contains("550"), "{error:?}");
    // A busy one only for now (451): the outbox tries again.
    let error = send(&account(&sink, SmtpSecurity::Tls, true, LOGIN.1), "bob@later.example").await.unwrap_err();
    assert!(!error.permanent && error.message.contains("451"), "{error:?}");
    assert_eq!(sink.delivered().len(), 2, "nothing more was delivered");
}
