//! `braid native-host`: the browser extension's native messaging host.
//!
//! The browser starts it (through the manifest `braid register` installs) with the caller's
//! origin on the command line, and talks over stdin/stdout: each message is a 32-bit
//! little-endian length, then that many bytes of UTF-8 JSON. A request
//! `{"action":"download","urls":[…],"referrer":"…","cookies":{URL:"a=1; b=2"},"start":true}`
//! hands the URLs to the running window over the single-instance channel, or starts the
//! window and then hands them over; the reply is `{"ok":true}` or
//! `{"ok":false,"error":"…"}`. `{"action":"ping"}` answers with the version, so the
//! extension can tell Braid is installed. The referrer and each link's cookies (what the
//! browser would send to that link) become the link's [`SiteHeaders`]: sent to its own origin
//! only, never to other mirrors.
//!
//! What comes in is written by web pages, so nothing is trusted: a frame over
//! [`MAX_FRAME`] ends the conversation (after an answer), bad JSON and unknown actions get
//! `ok:false`, and only http(s) URLs are passed on. The window then treats them like any
//! pasted link: probed, shown in the add dialog or queued, saved in the download folder.
//! No path, no `file:` URL, no other scheme ever reaches it from here.

use std::io::{self, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::engine::SiteHeaders;
use crate::platform::instance::{self, HandOff};

/// Largest message taken from the browser (Chromium allows up to 64 MiB; a request for
/// a few hundred links needs a few KiB).
pub const MAX_FRAME: usize = 1 << 20;

/// Most URLs in one request.
pub const MAX_URLS: usize = 500;

/// Longest URL taken.
pub const MAX_URL_LEN: usize = 8 * 1024;

/// How long a window that was started may take to claim the instance socket.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// How long a started window must live on after claiming it to count as open.
const SETTLE: Duration = Duration::from_millis(1500);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the browser passes: the extension's origin (Chromium), or the manifest's path
    /// and the add-on's id (Firefox). Only shown in errors.
    #[arg(hide = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub caller: Vec<String>,
}

/// Whether the command line is a browser starting its messaging host: Chromium passes
/// `chrome-extension://ID/`, Firefox the manifest's path and the add-on's id. The
/// manifests point at the binary itself, so this is how `braid` knows to be the host.
pub fn invoked_by_browser(args: &[String]) -> bool {
    match args {
        [origin, ..] if origin.starts_with("chrome-extension://") => true,
        [manifest, addon, ..] => {
            Path::new(manifest).file_name().and_then(|n| n.to_str())
                == Some(crate::platform::native_messaging::MANIFEST_FILE)
                && addon == crate::platform::native_messaging::FIREFOX_ADDON_ID
        }
        _ => false,
    }
}

/// Runs the host on stdin/stdout until the browser closes the pipe.
pub fn run(_args: &Args) -> i32 {
    let delivery = Window {
        runtime_dir: crate::platform::paths::runtime_dir(),
    };
    match serve(io::stdin().lock(), io::stdout().lock(), &delivery) {
        Ok(()) => 0,
        Err(e) => {
            // stderr goes to the browser's log; stdout is the protocol.
            eprintln!("braid native-host: {e}");
            1
        }
    }
}

/// A checked download request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub urls: Vec<String>,
    /// The referrer and cookies for links that came with some, by link.
    pub sites: BTreeMap<String, SiteHeaders>,
    /// Queue without asking.
    pub start: bool,
}

impl Download {
    fn hand_off(&self) -> HandOff {
        HandOff {
            start: self.start,
            sources: self.urls.clone(),
            sites: self.sites.clone(),
        }
    }
}

/// Where checked requests go: the running window in real use, a recorder in tests.
pub trait Deliver {
    fn deliver(&self, download: &Download) -> Result<(), String>;
}

/// Answers framed requests from `input` on `output` until `input` ends. Returns an error
/// (after answering, where it can) for a frame it cannot read past: too long or cut off.
pub fn serve(
    mut input: impl Read,
    mut output: impl Write,
    deliver: &dyn Deliver,
) -> io::Result<()> {
    loop {
        let mut length = [0u8; 4];
        match read_full(&mut input, &mut length)? {
            0 => return Ok(()),
            4 => {}
            _ => return Err(io::Error::other("the message length was cut off")),
        }
        let length = u32::from_le_bytes(length) as usize;
        if length > MAX_FRAME {
            reply(
                &mut output,
                &refuse(format!(
                    "message too long: {length} bytes, at most {MAX_FRAME}"
                )),
            )?;
            return Err(io::Error::other(format!(
                "a message of {length} bytes, more than {MAX_FRAME}"
            )));
        }
        let mut body = vec![0u8; length];
        if read_full(&mut input, &mut body)? < length {
            return Err(io::Error::other("the message was cut off"));
        }
        let answer = match check(&body) {
            Ok(Request::Ping) => json!({"ok": true, "version": env!("CARGO_PKG_VERSION")}),
            Ok(Request::Download(download)) => match deliver.deliver(&download) {
                Ok(()) => json!({"ok": true}),
                Err(e) => refuse(e),
            },
            Err(e) => refuse(e),
        };
        reply(&mut output, &answer)?;
    }
}

enum Request {
    Ping,
    Download(Download),
}

/// Reads and checks one request; the error says what was wrong, for the extension.
fn check(body: &[u8]) -> Result<Request, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the message is not JSON: {e}"))?;
    let Value::Object(fields) = value else {
        return Err("the message is not a JSON object".into());
    };
    match fields.get("action").and_then(Value::as_str) {
        Some("ping") => Ok(Request::Ping),
        Some("download") => {
            let urls = match fields.get("urls") {
                Some(Value::Array(urls)) if !urls.is_empty() => urls,
                _ => return Err("'urls' must be a non-empty list of links".into()),
            };
            if urls.len() > MAX_URLS {
                return Err(format!(
                    "too many links: {}, at most {MAX_URLS}",
                    urls.len()
                ));
            }
            let urls = urls
                .iter()
                .map(|url| match url.as_str() {
                    Some(url) => web_link(url),
                    None => Err("'urls' must hold strings".into()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let referrer = match fields.get("referrer") {
                None | Some(Value::Null) => None,
                Some(Value::String(page)) => web_link(page).ok(),
                Some(_) => return Err("'referrer' must be a string".into()),
            };
            let cookies = cookies(fields.get("cookies"), &urls)?;
            let mut sites = BTreeMap::new();
            for url in &urls {
                let cookie = cookies.get(url).map(String::as_str);
                match SiteHeaders::for_link(url, referrer.as_deref(), cookie) {
                    Ok(Some(site)) => {
                        sites.insert(url.clone(), site);
                    }
                    Ok(None) => {}
                    Err(e) => return Err(format!("the cookies for {}: {e}", shorten(url))),
                }
            }
            let start = match fields.get("start") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(start)) => *start,
                Some(_) => return Err("'start' must be true or false".into()),
            };
            Ok(Request::Download(Download { urls, sites, start }))
        }
        Some(other) => Err(format!("unknown action '{}'", shorten(other))),
        None => Err("the message has no 'action'".into()),
    }
}

/// The `cookies` field: for links among `urls` (as the browser wrote them, or as they
/// read after checking), the `Cookie` header the browser would send them.
fn cookies(field: Option<&Value>, urls: &[String]) -> Result<BTreeMap<String, String>, String> {
    let fields = match field {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(fields)) => fields,
        Some(_) => return Err("'cookies' must be an object of links and cookie headers".into()),
    };
    let mut cookies = BTreeMap::new();
    for (link, header) in fields {
        let link = web_link(link)?;
        if !urls.contains(&link) {
            return Err(format!(
                "cookies for a link not in 'urls': {}",
                shorten(&link)
            ));
        }
        let Value::String(header) = header else {
            return Err("the cookies of a link must be a string".into());
        };
        cookies.insert(link, header.clone());
    }
    Ok(cookies)
}

/// Accepts an absolute http(s) URL with a host; anything else is refused by name.
fn web_link(text: &str) -> Result<String, String> {
    if text.len() > MAX_URL_LEN {
        return Err(format!("a link longer than {MAX_URL_LEN} characters"));
    }
    let refused = || format!("not an http(s) link: {}", shorten(text));
    let url = url::Url::parse(text).map_err(|_| refused())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(refused());
    }
    Ok(url.to_string())
}

fn shorten(text: &str) -> String {
    let short: String = text.chars().take(80).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

fn refuse(error: impl Into<String>) -> Value {
    json!({"ok": false, "error": error.into()})
}

fn reply(output: &mut impl Write, answer: &Value) -> io::Result<()> {
    let body = serde_json::to_vec(answer).map_err(io::Error::other)?;
    output.write_all(&(body.len() as u32).to_le_bytes())?;
    output.write_all(&body)?;
    output.flush()
}

/// Reads until `buffer` is full or the input ends; returns how much was read.
fn read_full(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The real delivery: the running window, or a window started for it.
struct Window {
    runtime_dir: std::path::PathBuf,
}

impl Deliver for Window {
    fn deliver(&self, download: &Download) -> Result<(), String> {
        let args = download.hand_off().to_args();
        let not_taken = |e: io::Error| format!("the running Braid did not take the links: {e}");
        match instance::hand_to_running(&self.runtime_dir, &args) {
            Ok(true) => Ok(()),
            Ok(false) => {
                // The links go over the socket once the window is up, not on its
                // command line, where other users could read the cookies.
                start_window(&self.runtime_dir)?;
                match instance::hand_to_running_within(&self.runtime_dir, &args, START_TIMEOUT) {
                    Ok(true) => Ok(()),
                    Ok(false) => Err("the Braid window closed before it took the links".into()),
                    Err(e) => Err(not_taken(e)),
                }
            }
            Err(e) => Err(not_taken(e)),
        }
    }
}

/// Starts the window, detached from the browser, and waits until it has claimed the
/// instance socket (or failed).
fn start_window(runtime_dir: &Path) -> Result<(), String> {
    let program = std::env::current_exe().map_err(|e| format!("cannot find Braid: {e}"))?;
    let started = std::time::SystemTime::now() - Duration::from_secs(1);
    let mut command = std::process::Command::new(program);
    command
        // stdout is the browser's pipe: the window must not write into it.
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    #[cfg(unix)]
    {
        // Its own process group: the browser ending the host must not end the window.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("Braid could not be started: {e}"))?;
    let deadline = Instant::now() + START_TIMEOUT;
    let mut settled = None;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            let mut said = String::new();
            if let Some(mut stderr) = child.stderr.take() {
                let _ = stderr.read_to_string(&mut said);
            }
            let said = said.lines().last().unwrap_or("").trim().to_owned();
            return Err(format!("the Braid window did not open ({status}): {said}"));
        }
        // Claimed, and still alive a moment later: a window that cannot open (no
        // display) ends right after claiming the socket.
        let claimed = instance::claimed_since(runtime_dir, started);
        if claimed && settled.get_or_insert_with(Instant::now).elapsed() >= SETTLE {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "the Braid window did not start within {} s",
                START_TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[derive(Default)]
    struct Recorder(RefCell<Vec<Download>>);

    impl Deliver for Recorder {
        fn deliver(&self, download: &Download) -> Result<(), String> {
            self.0.borrow_mut().push(download.clone());
            Ok(())
        }
    }

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = (body.len() as u32).to_le_bytes().to_vec();
        out.extend_from_slice(body);
        out
    }

    fn replies(mut output: &[u8]) -> Vec<Value> {
        let mut all = Vec::new();
        while output.len() >= 4 {
            let n = u32::from_le_bytes(output[..4].try_into().unwrap()) as usize;
            all.push(serde_json::from_slice(&output[4..4 + n]).unwrap());
            output = &output[4 + n..];
        }
        all
    }

    fn talk(input: Vec<u8>) -> (io::Result<()>, Vec<Value>, Vec<Download>) {
        let recorder = Recorder::default();
        let mut output = Vec::new();
        let result = serve(input.as_slice(), &mut output, &recorder);
        (result, replies(&output), recorder.0.into_inner())
    }

    #[test]
    fn requests_are_answered_one_by_one_and_only_web_links_pass() {
        let mut input = frame(br#"{"action":"ping"}"#);
        input.extend(frame(
            br#"{"action":"download","urls":["https://example.org/a.meta4"],"referrer":"https://example.org/","start":true}"#,
        ));
        for bad in [
            r#"{"action":"download","urls":["file:///etc/passwd"]}"#.as_bytes(),
            br#"{"action":"download","urls":["/home/user/.ssh/id_rsa"]}"#,
            br#"{"action":"download","urls":["javascript:alert(1)"]}"#,
            br#"{"action":"download","urls":["https://"]}"#,
            br#"{"action":"download","urls":[]}"#,
            br#"{"action":"download","urls":[7]}"#,
            br#"{"action":"download","urls":["https://a/"],"start":"yes"}"#,
            br#"{"action":"delete","path":"/"}"#,
            br#"{"urls":["https://a/"]}"#,
            b"[1,2,3]",
            b"not json at all",
            b"\xff\xfe",
        ] {
            input.extend(frame(bad));
        }
        let (result, answers, delivered) = talk(input);
        result.unwrap();
        assert_eq!(answers.len(), 14, "{answers:?}");
        assert_eq!(answers[0]["ok"], true);
        assert_eq!(answers[0]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(answers[1], json!({"ok": true}));
        for answer in &answers[2..] {
            assert_eq!(answer["ok"], false, "{answer}");
            assert!(answer["error"].as_str().is_some_and(|e| !e.is_empty()));
        }
        assert_eq!(
            answers[2]["error"],
            "not an http(s) link: file:///etc/passwd"
        );
        assert_eq!(answers[9]["error"], "unknown action 'delete'");
        assert_eq!(
            delivered,
            [Download {
                urls: vec!["https://example.org/a.meta4".into()],
                sites: [(
                    "https://example.org/a.meta4".to_owned(),
                    SiteHeaders::for_link(
                        "https://example.org/a.meta4",
                        Some("https://example.org/"),
                        None
                    )
                    .unwrap()
                    .unwrap()
                )]
                .into(),
                start: true,
            }]
        );
    }

    #[test]
    fn cookies_are_taken_for_the_requests_own_links_only() {
        let request = |cookies: Value| {
            let body = json!({
                "action": "download",
                "urls": ["https://dl.example/a.iso", "https://cdn.example/b.iso"],
                "referrer": "https://dl.example/page",
                "cookies": cookies,
            });
            let (result, answers, delivered) = talk(frame(body.to_string().as_bytes()));
            result.unwrap();
            (answers[0].clone(), delivered)
        };
        let (answer, delivered) = request(json!({"https://dl.example/a.iso": "s=1; t=2"}));
        assert_eq!(answer, json!({"ok": true}));
        let sites = &delivered[0].sites;
        let own = &sites["https://dl.example/a.iso"];
        assert!(own.has_cookies());
        assert_eq!(own.referrer(), Some("https://dl.example/page"));
        let other = &sites["https://cdn.example/b.iso"];
        assert!(!other.has_cookies(), "no cookies were given for it");
        assert_eq!(
            other.referrer(),
            Some("https://dl.example/"),
            "the page's origin only"
        );
        for (bad, why) in [
            (json!({"https://evil.example/": "s=1"}), "not in 'urls'"),
            (
                json!({"https://dl.example/a.iso": "s=1\r\nHost: evil"}),
                "a header cannot",
            ),
            (json!({"https://dl.example/a.iso": 5}), "must be a string"),
            (json!(["s=1"]), "must be an object"),
        ] {
            let (answer, delivered) = request(bad);
            assert_eq!(answer["ok"], false);
            assert!(answer["error"].as_str().unwrap().contains(why), "{answer}");
            assert!(delivered.is_empty());
        }
    }

    #[test]
    fn an_oversized_frame_is_refused_without_reading_it() {
        let mut input = ((MAX_FRAME + 1) as u32).to_le_bytes().to_vec();
        input.extend(b"{}");
        let (result, answers, delivered) = talk(input);
        assert!(result.is_err());
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0]["ok"], false);
        assert!(answers[0]["error"].as_str().unwrap().contains("too long"));
        assert!(delivered.is_empty());
        // The largest length the protocol can say is refused the same way.
        let (result, answers, _) = talk(u32::MAX.to_le_bytes().to_vec());
        assert!(result.is_err() && answers[0]["ok"] == false);
    }

    #[test]
    fn cut_off_input_ends_cleanly_and_an_empty_one_is_a_goodbye() {
        assert!(talk(Vec::new()).0.is_ok());
        assert!(talk(vec![5, 0]).0.is_err());
        let mut cut = 100u32.to_le_bytes().to_vec();
        cut.extend(b"{\"action\":");
        let (result, answers, _) = talk(cut);
        assert!(result.is_err() && answers.is_empty());
    }

    #[test]
    fn browsers_are_recognised_by_what_they_pass() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(invoked_by_browser(&args(&["chrome-extension://abc/"])));
        assert!(invoked_by_browser(&args(&[
            "/home/u/.mozilla/native-messaging-hosts/io.github.braid.json",
            crate::platform::native_messaging::FIREFOX_ADDON_ID,
        ])));
        assert!(!invoked_by_browser(&args(&["x.meta4", "y.meta4"])));
        assert!(!invoked_by_browser(&args(&[
            "/tmp/io.github.braid.json",
            "someone-else@example.org"
        ])));
        assert!(!invoked_by_browser(&args(&[])));
    }
}
