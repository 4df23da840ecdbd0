//! A small but real SMTP server for tests, on 127.0.0.1: it speaks the SMTP dialogue
//! (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and keeps what it
//! receives. Stopping it closes the port, which is how tests take "the mail server" down.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// One delivered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The value of a header, if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_lowercase());
        self.data
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }
}

pub struct SmtpServer {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl SmtpServer {
    /// Listens on a free port.
    pub async fn start() -> SmtpServer {
        Self::start_on("127.0.0.1:0".parse().expect("addr")).await
    }

    /// Listens on `addr` (to come back up on the port a client already knows).
    pub async fn start_on(addr: SocketAddr) -> SmtpServer {
        Self::start_with(addr, Arc::new(Mutex::new(Vec::new()))).await
    }

    async fn start_with(addr: SocketAddr, received: Arc<Mutex<Vec<Received>>>) -> SmtpServer {
        let listener = TcpListener::bind(addr).await.expect("bind SMTP");
        let addr = listener.local_addr().expect("local addr");
        let store = received.clone();
        let task = tokio::spawn(async move {
            let mut sessions = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                sessions.spawn(session(stream, store.clone()));
            }
        });
        SmtpServer {
            addr,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until at least `n` messages have arrived, or the timeout.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let got = self.messages();
            if got.len() >= n || tokio::time::Instant::now() >= deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Closes the port (and every open session).
    pub fn stop(self) {
        self.task.abort();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn session(stream: TcpStream, store: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let reply = |s: &str| format!("{s}\r\n");
    if write
        .write_all(reply("220 localhost test ESMTP").as_bytes())
        .await
        .is_err()
    {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_uppercase();
        let answer = if upper.starts_with("EHLO") {
            "250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8".to_owned()
        } else if upper.starts_with("HELO") {
            "250 localhost".to_owned()
        } else if upper.starts_with("MAIL FROM:") {
            from = line[10..]
                .trim()
                .trim_matches(['<', '>'])
                .split(' ')
                .next()
                .unwrap_or("")
                .trim_matches(['<', '>'])
                .to_owned();
            to.clear();
            "250 OK".to_owned()
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
            "250 OK".to_owned()
        } else if upper == "DATA" {
            if write
                .write_all(reply("354 End data with <CR><LF>.<CR><LF>").as_bytes())
                .await
                .is_err()
            {
                return;
            }
            let mut data = String::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                data.push_str(
                    l.strip_prefix('.')
                        .filter(|_| l.starts_with(".."))
                        .unwrap_or(&l),
                );
                data.push('\n');
            }
            store
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(Received {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
            "250 OK: queued".to_owned()
        } else if upper == "RSET" {
            from.clear();
            to.clear();
            "250 OK".to_owned()
        } else if upper == "NOOP" {
            "250 OK".to_owned()
        } else if upper == "QUIT" {
            let _ = write.write_all(reply("221 Bye").as_bytes()).await;
            return;
        } else {
            "502 Command not implemented".to_owned()
        };
        if write.write_all(reply(&answer).as_bytes()).await.is_err() {
            return;
        }
    }
}
