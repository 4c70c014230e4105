//! The real binary: `comptoir serve` answers over TCP and shuts down gracefully on SIGTERM.

use crate::helpers::{TestApp, copy_dir, fixtures};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Reads the server's log (on another thread) until it says where it listens.
fn listening_address(stderr: std::process::ChildStderr) -> (String, mpsc::Receiver<String>) {
    let (lines, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = receiver
            .recv_timeout(left)
            .expect("the server logs where it listens within 30 s");
        if let Some(at) = line.find("serving on http://") {
            return (
                line[at + "serving on http://".len()..].trim().to_owned(),
                receiver,
            );
        }
    }
}

fn get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn serve_answers_and_stops_gracefully_on_sigterm() {
    let app = TestApp::with_content(|content| copy_dir(&fixtures().join("valid"), content));
    let mut child = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .args(["serve", "--addr", "127.0.0.1:0", "--content"])
        .arg(&app.content)
        .arg("--data")
        .arg(&app.data)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start comptoir serve");
    let (address, log) = listening_address(child.stderr.take().expect("stderr"));
    let answer = get(&address, "/boutiques/fromagerie-des-ecoles/");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.200}");
    assert!(answer.contains("Fromagerie des Écoles"));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("poll") {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "a graceful stop exits with success: {exit}");
    // The log ends when the process has exited and the reader thread has seen it all.
    let rest: Vec<String> =
        std::iter::from_fn(|| log.recv_timeout(Duration::from_secs(10)).ok()).collect();
    assert!(rest.iter().any(|l| l.contains("shutting down")), "{rest:?}");
}
