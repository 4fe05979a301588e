//! A real SMTP server for the tests: `smtp_sink.py` (aiosmtpd from Debian's python3-aiosmtpd)
//! on 127.0.0.1, keeping every message it accepts as a file, stopped when dropped. Without it the
//! tests fail loudly: `scripts/test` installs `python3-aiosmtpd`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tandem_app::mail::{SmtpAccount, SmtpSecurity};

use super::dovecot::free_port;

/// Debian's interpreter, which is the one that sees Debian's python3-aiosmtpd (a python3 earlier
/// on PATH may be another installation).
const PYTHON: &str = "/usr/bin/python3";

pub struct SmtpSink {
    child: Child,
    dir: tempfile::TempDir,
    /// Plain SMTP, no login.
    pub port: u16,
    /// With [`SmtpSink::start_with_tls`]: STARTTLS required, then TLS from the first byte; both
    /// with a certificate for `localhost` from a test CA, and the login tandem / secret.
    pub tls_ports: Option<(u16, u16)>,
}

pub const LOGIN: (&str, &str) = ("tandem", "secret");

/// One message as the server received it.
#[derive(Debug)]
pub struct Delivered {
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    pub raw: Vec<u8>,
}

impl Delivered {
    /// The message parsed back with the same parser inbound mail goes through.
    pub fn parsed(&self) -> tandem_mail::Inbound {
        tandem_mail::parse(&self.raw).expect("a message Tandem sent parses")
    }

    /// The value of the first header with this name (unfolded), if any.
    pub fn header(&self, name: &str) -> Option<String> {
        let text = String::from_utf8_lossy(&self.raw);
        let head = text.split("\r\n\r\n").next().unwrap_or_default().replace("\r\n ", " ").replace("\r\n\t", " ");
        let prefix = format!("{}:", name.to_lowercase());
        head.split("\r\n")
            .find(|line| line.to_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].trim().to_owned())
    }
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        Self::spawn(false)
    }

    pub fn start_with_tls() -> SmtpSink {
        Self::spawn(true)
    }

    fn spawn(tls: bool) -> SmtpSink {
        let available =
            Command::new(PYTHON).args(["-c", "import aiosmtpd"]).status().is_ok_and(|status| status.success());
        assert!(
            available,
            "{PYTHON} cannot import aiosmtpd: these tests need a real SMTP server (apt-get install python3-aiosmtpd; scripts/test does it)"
        );
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/mail/smtp_sink.py");
        let mut command = Command::new(PYTHON);
        command.arg(script).arg(dir.path()).arg(port.to_string());
        let tls_ports = tls.then(|| {
            let certificates = dir.path().join("certificates");
            std::fs::create_dir(&certificates).unwrap();
            super::dovecot::make_certificate(&certificates);
            let ports = (free_port(), free_port());
            command.args([ports.0.to_string(), ports.1.to_string()]);
            command.arg(certificates.join("cert.pem")).arg(certificates.join("key.pem"));
            ports
        });
        let child = command.stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("starting the SMTP sink");
        let sink = SmtpSink { child, dir, port, tls_ports };
        sink.wait_until_listening();
        sink
    }

    /// The test CA that signed the TLS servers' certificate.
    pub fn ca_file(&self) -> std::path::PathBuf {
        self.dir.path().join("certificates").join("ca.pem")
    }

    /// The account Tandem sends through: plain SMTP on loopback, as for a local relay.
    pub fn account(&self) -> SmtpAccount {
        SmtpAccount {
            host: "127.0.0.1".to_owned(),
            port: self.port,
            security: SmtpSecurity::Plain,
            username: String::new(),
            password: String::new(),
            ca_file: std::path::PathBuf::new(),
        }
    }

    /// Every message received so far, in order.
    pub fn delivered(&self) -> Vec<Delivered> {
        let mut names: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|entry| entry.ok().map(|entry| entry.file_name().to_string_lossy().into_owned()))
            .filter(|name| name.ends_with(".eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|name| {
                let envelope =
                    std::fs::read_to_string(self.dir.path().join(name.replace(".eml", ".envelope"))).unwrap();
                let mut lines = envelope.lines().map(str::to_owned);
                Delivered {
                    envelope_from: lines.next().unwrap_or_default(),
                    envelope_to: lines.collect(),
                    raw: std::fs::read(self.dir.path().join(name)).unwrap(),
                }
            })
            .collect()
    }

    fn wait_until_listening(&self) {
        let mut ports = vec![self.port];
        ports.extend(self.tls_ports.iter().flat_map(|(starttls, tls)| [*starttls, *tls]));
        for _ in 0..100 {
            if ports.iter().all(|port| std::net::TcpStream::connect(("127.0.0.1", *port)).is_ok()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the SMTP sink did not start listening on port {} within 10 s", self.port);
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
