//! A real IMAP server for the tests: Debian's Dovecot, started on 127.0.0.1 with its own
//! configuration in a temporary directory (plain IMAP and IMAPS with a certificate made here),
//! one account whose Maildir the test fills, stopped when dropped. Without Dovecot the tests
//! fail loudly: `scripts/test` installs `dovecot-imapd`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tandem_app::mail::{ImapAccount, ImapSecurity};

pub const USER: &str = "care";
pub const PASSWORD: &str = "care-secret";

pub struct Dovecot {
    child: Child,
    dir: tempfile::TempDir,
    pub plain_port: u16,
    pub tls_port: u16,
    owner: (u32, u32),
}

fn binary() -> PathBuf {
    let candidates = [PathBuf::from("/usr/sbin/dovecot"), PathBuf::from("/usr/local/sbin/dovecot")];
    candidates.into_iter().find(|path| path.is_file()).unwrap_or_else(|| {
        panic!("dovecot is not installed: these tests need a real IMAP server (apt-get install dovecot-imapd; scripts/test does it)")
    })
}

pub(super) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The uid and gid of Dovecot's own `dovecot` user, which the mail processes run as (Dovecot
/// refuses to give mail access as root).
fn dovecot_user() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").expect("reading /etc/passwd");
    let line =
        passwd.lines().find(|line| line.starts_with("dovecot:")).expect("the dovecot user (dovecot-core creates it)");
    let fields: Vec<&str> = line.split(':').collect();
    (fields[2].parse().unwrap(), fields[3].parse().unwrap())
}

impl Dovecot {
    pub fn start() -> Dovecot {
        let binary = binary();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        make_certificate(root);
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        let (plain_port, tls_port) = (free_port(), free_port());
        std::fs::write(root.join("dovecot.conf"), config(root, plain_port, tls_port)).unwrap();
        let owner = dovecot_user();
        let dovecot = Dovecot { child: spawn(&binary, root), dir, plain_port, tls_port, owner };
        dovecot.wait_until_listening();
        dovecot
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("home").join(USER).join("Maildir")
    }

    /// Delivers a message straight into the account's Maildir, as a local MTA would.
    pub fn add_message(&self, name: &str, raw: &[u8]) {
        let maildir = self.maildir();
        for sub in ["new", "cur", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let path = maildir.join("new").join(name);
        std::fs::write(&path, raw).unwrap();
        let mut dir = Some(path.as_path());
        while let Some(current) = dir.filter(|current| current.starts_with(self.dir.path().join("home"))) {
            std::os::unix::fs::chown(current, Some(self.owner.0), Some(self.owner.1)).unwrap();
            dir = current.parent();
        }
    }

    pub fn account(&self, mailbox: &str, security: ImapSecurity, trust_our_ca: bool) -> ImapAccount {
        ImapAccount {
            mailbox: mailbox.to_owned(),
            host: "localhost".to_owned(),
            port: if security == ImapSecurity::Tls { self.tls_port } else { self.plain_port },
            security,
            username: USER.to_owned(),
            password: PASSWORD.to_owned(),
            folder: "INBOX".to_owned(),
            ca_file: trust_our_ca.then(|| self.dir.path().join("ca.pem")),
        }
    }

    fn wait_until_listening(&self) {
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.plain_port)).is_ok()
                && std::net::TcpStream::connect(("127.0.0.1", self.tls_port)).is_ok()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default();
        panic!("dovecot did not start listening within 10 s; its log:\n{log}");
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its login and mail processes too.
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default();
            eprintln!("dovecot's log:\n{log}");
        }
    }
}

fn spawn(binary: &Path, root: &Path) -> Child {
    Command::new(binary)
        .arg("-F")
        .arg("-c")
        .arg(root.join("dovecot.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting dovecot")
}

/// A test CA (`ca.pem`) and a certificate for `localhost` it signed (`cert.pem`, `key.pem`), made
/// with the openssl command line (rustls rightly refuses a self-signed CA as the server's own).
pub(super) fn make_certificate(root: &Path) {
    std::fs::write(root.join("leaf.ext"), "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n").unwrap();
    let steps: [&[&str]; 3] = [
        &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Tandem test CA"],
        &["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "key.pem", "-out", "leaf.csr"],
        &["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2", "-days", "1"],
    ];
    let extra: [&[&str]; 3] =
        [&["-keyout", "ca.key", "-out", "ca.pem"], &[], &["-extfile", "leaf.ext", "-out", "cert.pem"]];
    for (step, extra) in steps.iter().zip(extra) {
        let status = Command::new("openssl")
            .args(*step)
            .args(extra)
            .current_dir(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("running openssl (the openssl package)");
        assert!(status.success(), "openssl {step:?} failed making the test certificates");
    }
}

fn config(root: &Path, plain_port: u16, tls_port: u16) -> String {
    let root = root.display();
    format!(
        "base_dir = {root}/run\nstate_dir = {root}/state\nlog_path = {root}/dovecot.log\n\
         protocols = imap\nlisten = 127.0.0.1\nssl = yes\nssl_cert = <{root}/cert.pem\nssl_key = <{root}/key.pem\n\
         disable_plaintext_auth = no\nauth_mechanisms = plain\nfirst_valid_uid = 1\n\
         default_internal_user = dovecot\ndefault_internal_group = dovecot\ndefault_login_user = dovenull\n\
         mail_location = maildir:{root}/home/%u/Maildir\n\
         passdb {{\n  driver = passwd-file\n  args = {root}/passwd\n}}\n\
         userdb {{\n  driver = static\n  args = uid=dovecot gid=dovecot home={root}/home/%u\n}}\n\
         service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {plain_port}\n  }}\n\
         \x20 inet_listener imaps {{\n    address = 127.0.0.1\n    port = {tls_port}\n    ssl = yes\n  }}\n}}\n\
         service anvil {{\n  chroot =\n}}\n"
    )
}
