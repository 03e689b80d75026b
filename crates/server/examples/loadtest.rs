//! A bounded load test of the API on loopback: the server runs in this
//! process over a copy-free store file, and `--clients` clients each keep
//! one HTTP/1.1 connection open and send requests one after another for
//! `--seconds`, cycling through the API's read routes. Prints requests,
//! errors (anything but 200, or a broken connection), requests per second
//! and p50 / p99 / max latency.
//!
//! ```sh
//! cargo run --release -- ingest data/samples --db /tmp/load.db
//! cargo run --release -p pulse-server --example loadtest -- /tmp/load.db 200 30
//! ```

use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The requests each client cycles through.
const PATHS: [&str; 6] = [
    "/api/health",
    "/api/events?limit=20",
    "/api/events?root=19&limit=50",
    "/api/events?from=2024-01&to=2024-12&limit=100",
    "/api/aggregate?by=month&group=root",
    "/api/alerts",
];

/// Send one GET on an open connection and read the whole response: its
/// status, or an error when the connection breaks.
async fn get(conn: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<u16> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    conn.get_mut().write_all(request.as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    conn.read_exact(&mut body).await?;
    Ok(status)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or(
        "usage: loadtest DB [CLIENTS] [SECONDS]  (DB: an SQLite file or a postgres:// URL)",
    )?;
    let clients: usize = args.next().map_or(Ok(200), |s| s.parse())?;
    let seconds: u64 = args.next().map_or(Ok(30), |s| s.parse())?;
    if !pulse_store::is_postgres_url(&db) && !std::path::Path::new(&db).exists() {
        return Err(format!("{db}: no such database").into());
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = pulse_server::router(&db);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..clients {
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut conn = match TcpStream::connect(addr).await {
                Ok(s) => BufReader::new(s),
                Err(_) => return (latencies, 1),
            };
            let mut i = c;
            while Instant::now() < deadline {
                let t = Instant::now();
                match get(&mut conn, PATHS[i % PATHS.len()]).await {
                    Ok(200) => latencies.push(t.elapsed()),
                    Ok(_) => errors += 1,
                    Err(_) => {
                        errors += 1;
                        match TcpStream::connect(addr).await {
                            Ok(s) => conn = BufReader::new(s),
                            Err(_) => break,
                        }
                    }
                }
                i += 1;
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        all.extend(l);
        errors += e;
    }
    all.sort_unstable();
    let at = |q: f64| {
        let i = ((all.len() as f64 - 1.0) * q).round() as usize;
        all.get(i).map_or(0.0, |d| d.as_secs_f64() * 1e3)
    };
    println!(
        "{clients} clients, {seconds} s, {} ok, {errors} errors, {:.0} requests/s, \
         latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        all.len(),
        all.len() as f64 / seconds as f64,
        at(0.5),
        at(0.99),
        at(1.0),
    );
    if errors > 0 {
        return Err(format!("{errors} requests failed").into());
    }
    Ok(())
}
