//! End-to-end tests of the ingest stage, on fictional news written for them.

use pulse_ingest::{
    article_id, clean_lines, discover, html_to_text, read_bytes, read_input, Article, Format,
    IngestError, Input, ReadOptions,
};
use std::fs;
use std::path::{Path, PathBuf};

fn opts() -> ReadOptions {
    ReadOptions::default()
}

fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create dirs");
    }
    fs::write(&path, content).expect("write file");
    path
}

/// The single article an input must hold.
fn one(result: Result<Vec<Result<Article, IngestError>>, IngestError>) -> Article {
    let mut articles = result.expect("input reads");
    assert_eq!(articles.len(), 1, "expected one article: {articles:?}");
    articles.remove(0).expect("article reads")
}

const DUMP: &str = "The Harbour Ledger

Ferry Workers Agree New Contract After Week-Long Strike

Recent Features

The Harbour Ledger

Ferry Workers Agree New Contract After Week-Long Strike

Crossings to Marrow Island resume on Monday after union members backed the offer.

Ferry Workers Agree New Contract After Week-Long Strike

The vote, held in the Saltport union hall, passed by 212 to 41, the union's secretary Orla Brenn said on Friday.

\"We got the rest days we asked for,\" she told reporters outside the hall.

The operator, Bluewake Lines, said timetables would return to normal within two days.
";

#[test]
fn text_dump_loses_page_furniture() {
    let article = one(read_bytes(
        "dump.txt",
        DUMP.as_bytes(),
        Some(Format::Text),
        &opts(),
    ));
    assert_eq!(
        article.title.as_deref(),
        Some("Ferry Workers Agree New Contract After Week-Long Strike")
    );
    assert_eq!(
        article.text,
        "Crossings to Marrow Island resume on Monday after union members backed the offer.\n\n\
         The vote, held in the Saltport union hall, passed by 212 to 41, the union's secretary \
         Orla Brenn said on Friday.\n\n\
         \"We got the rest days we asked for,\" she told reporters outside the hall.\n\n\
         The operator, Bluewake Lines, said timetables would return to normal within two days."
    );
    assert!(!article.text.contains("Harbour Ledger"));
    assert!(!article.text.contains("Recent Features"));
    assert_eq!(article.source, "dump.txt");
    assert_eq!(article.id, article_id(&article.text));
    assert_eq!(article.url, None);
}

#[test]
fn plain_text_file_with_title_and_default_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "storm.txt",
        "Gale Closes Northern Pass\r\n\r\nSnow drifts shut the Kell road on Tuesday.\r\nCrews expect to reopen it by Thursday.  \r\n",
    );
    let options = ReadOptions {
        published: Some("2031-01-14".into()),
        ..ReadOptions::default()
    };
    let article = one(read_input(&Input::File(path.clone()), &options));
    assert_eq!(article.title.as_deref(), Some("Gale Closes Northern Pass"));
    assert_eq!(
        article.text,
        "Snow drifts shut the Kell road on Tuesday.\nCrews expect to reopen it by Thursday."
    );
    assert_eq!(article.published.as_deref(), Some("2031-01-14"));
    assert_eq!(article.source, path.display().to_string());
}

#[test]
fn text_without_title_keeps_first_line() {
    let article = one(read_bytes(
        "a.txt",
        b"The council met on Monday.\n\nIt approved the budget.",
        Some(Format::Text),
        &opts(),
    ));
    assert_eq!(article.title, None);
    assert_eq!(
        article.text,
        "The council met on Monday.\n\nIt approved the budget."
    );
}

#[test]
fn bad_default_date_is_refused() {
    let options = ReadOptions {
        published: Some("14/01/2031".into()),
        ..ReadOptions::default()
    };
    match read_bytes("a.txt", b"Some text.", Some(Format::Text), &options) {
        Err(IngestError::BadDate { input, value }) => {
            assert_eq!(input, "a.txt");
            assert_eq!(value, "14/01/2031");
        }
        other => panic!("expected BadDate, got {other:?}"),
    }
    let options = ReadOptions {
        published: Some("2031-02-30".into()),
        ..ReadOptions::default()
    };
    assert!(matches!(
        read_input(&Input::Stdin, &options),
        Err(IngestError::BadDate { .. })
    ));
}

const PAGE: &str = r##"<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Lantern Festival Draws Record Crowd | Riverside Gazette</title>
<style>body { color: red; } .x::after { content: "STYLE TEXT"; }</style>
<script>var tracking = "SCRIPT TEXT";</script>
</head>
<body class="page has-sidebar">
<header class="site-header"><a href="/">Riverside Gazette</a><p>Your local news since 1911</p></header>
<nav><ul><li><a href="/a">Home</a></li><li><a href="/b">Politics</a></li><li><a href="/c">Sport</a></li></ul></nav>
<div class="cookie-banner"><p>We use cookies to improve your visit.</p></div>
<main>
<article>
  <div class="article-header"><h1>Lantern Festival Draws Record Crowd</h1><p>By Tomas Elgin</p></div>
  <h1>Lantern Festival Draws Record Crowd</h1>
  <div class="share-bar"><button>Share</button><a href="#">Tweet</a> <span>Share this</span></div>
  <p>More than 40,000 people lined the Orrin river on Saturday night for the town&#39;s lantern festival, organisers said.</p>
  <p>The crowd was the largest since the festival began in 1987, and <a href="/police">police</a> reported no serious incidents.</p>
  <figure><img src="x.jpg" alt="lanterns"><figcaption>Lanterns on the water. Photo: staff</figcaption></figure>
  <p>Stalls sold out of paper lanterns by early evening &amp; a second batch was trucked in from Dunmere.</p>
  <p>Lantern Festival Draws Record Crowd</p>
  <blockquote>“It was the best night of the year,” said stallholder Mira Quell.</blockquote>
  <ul><li>Next festival: 2032</li><li>Entry remains free</li></ul>
  <div class="related-articles"><h3>Related</h3><p><a href="/1">Harvest fair returns</a></p></div>
  <div id="comments"><p>Great night! — Reader</p></div>
  <div class="shadow-box">Organisers thanked volunteers<br>who cleaned the banks on Sunday.</div>
</article>
</main>
<aside><p>Most read: Bridge repairs delayed again for months and months.</p></aside>
<footer><p>© Riverside Gazette. All rights reserved.</p></footer>
<noscript>Enable JavaScript</noscript>
</body></html>"##;

#[test]
fn html_page_is_cleaned() {
    let extracted = html_to_text(PAGE);
    assert_eq!(
        extracted.title.as_deref(),
        Some("Lantern Festival Draws Record Crowd")
    );
    assert_eq!(
        extracted.text,
        "More than 40,000 people lined the Orrin river on Saturday night for the town's lantern festival, organisers said.\n\n\
         The crowd was the largest since the festival began in 1987, and police reported no serious incidents.\n\n\
         Stalls sold out of paper lanterns by early evening & a second batch was trucked in from Dunmere.\n\n\
         “It was the best night of the year,” said stallholder Mira Quell.\n\n\
         Next festival: 2032\n\n\
         Entry remains free\n\n\
         Organisers thanked volunteers\n\n\
         who cleaned the banks on Sunday."
    );
    for junk in [
        "STYLE",
        "SCRIPT",
        "Politics",
        "cookies",
        "Share",
        "Tweet",
        "Photo",
        "Harvest",
        "Reader",
        "Most read",
        "rights",
        "JavaScript",
        "Tomas Elgin",
    ] {
        assert!(!extracted.text.contains(junk), "{junk:?} left in the text");
    }
}

#[test]
fn html_file_reads_as_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "page.HTM", PAGE);
    let article = one(read_input(&Input::File(path), &opts()));
    assert_eq!(
        article.title.as_deref(),
        Some("Lantern Festival Draws Record Crowd")
    );
    assert!(article.text.starts_with("More than 40,000 people"));
}

#[test]
fn html_title_sources() {
    let og = r#"<html><head><meta property="og:title" content="  Dam  Opens Early "><title>Other | Site</title></head>
        <body><h1>Third</h1><p>The dam opened a week early.</p></body></html>"#;
    assert_eq!(html_to_text(og).title.as_deref(), Some("Dam Opens Early"));
    let h1 = "<html><body><h1>Bridge Reopens</h1><p>Traffic flows again.</p></body></html>";
    let extracted = html_to_text(h1);
    assert_eq!(extracted.title.as_deref(), Some("Bridge Reopens"));
    assert_eq!(extracted.text, "Traffic flows again.");
    let none = "<p>Just a line.</p>";
    assert_eq!(html_to_text(none).title, None);
}

#[test]
fn body_used_when_article_holds_little_text() {
    let html = r#"<html><body>
        <article><p>Short teaser.</p></article>
        <div><p>The main story runs here, in a plain div, with a long first paragraph of text.</p>
        <p>And a second paragraph that carries on with the same story for a while longer.</p></div>
        </body></html>"#;
    let text = html_to_text(html).text;
    assert!(text.contains("Short teaser."));
    assert!(text.contains("The main story runs here"));
}

#[test]
fn whole_page_in_a_form_is_kept() {
    let html = r#"<html><body><form id="aspnetForm"><div class="content">
        <p>The orchard harvest in Vell County came in a third above last year.</p>
        <p>Growers credited a mild spring and late frosts that never came.</p>
        </div></form></body></html>"#;
    let text = html_to_text(html).text;
    assert!(text.contains("orchard harvest"), "{text:?}");
}

#[test]
fn malformed_html_does_not_panic() {
    let cases: Vec<String> = vec![
        "<html><body><p>Unclosed <b>bold <i>italic <div>block".into(),
        "<p>Truncated para<a href=\"x".into(),
        "</p></div></body>stray closers only".into(),
        "<<<>>><!-- unterminated comment".into(),
        "<table><tr><td>cell<td>cell2<tr><p>odd".into(),
        "<svg><title>Icon</title></svg><p>After icon</p>".into(),
        "<meta charset=\"><p>x".into(),
        format!("{}deep{}", "<div>".repeat(5_000), "</div>".repeat(10)),
        format!("{}x", "<b>".repeat(5_000)),
        String::new(),
        "\u{0}\u{1}\u{fffd}".into(),
    ];
    for html in &cases {
        let _ = html_to_text(html);
        let _ = read_bytes("m.html", html.as_bytes(), Some(Format::Html), &opts());
    }
    let text = html_to_text("<html><body><p>Unclosed <b>bold <i>italic <div>block").text;
    assert_eq!(text, "Unclosed bold italic\n\nblock");
    assert_eq!(
        html_to_text("<svg><title>Icon</title></svg><p>After icon</p>").title,
        None
    );
}

const JSONL: &str = r#"{"id": "ignored", "text": "Rain ended the drought in Coldwater on Sunday.", "url": "https://example.test/rain", "title": "Drought Ends", "published": "2031-05-04"}

{"text": "Second story with a timestamp.", "published": "2031-05-05T22:10:00Z"}
this is not json
{"title": "No body here"}
{"text": "Bad date here.", "published": "May the fourth"}
   
["an", "array"]
{"html": "<html><head><title>Mill Fire | Post</title></head><body><nav>Menu</nav><p>A fire gutted the old mill.</p></body></html>"}
{"text": "   "}
{"text": 42}
{"text": "Offset date kept as written.", "published": "2031-05-06T00:30:00+09:00", "url": null}
"#;

#[test]
fn jsonl_records_and_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "feed.jsonl", JSONL);
    let name = path.display().to_string();
    let options = ReadOptions {
        published: Some("2031-01-01".into()),
        ..ReadOptions::default()
    };
    let articles = read_input(&Input::File(path), &options).expect("input reads");
    assert_eq!(articles.len(), 10, "{articles:#?}");

    let first = articles[0].as_ref().expect("line 1");
    assert_eq!(first.source, format!("{name}:1"));
    assert_eq!(first.title.as_deref(), Some("Drought Ends"));
    assert_eq!(first.url.as_deref(), Some("https://example.test/rain"));
    assert_eq!(first.published.as_deref(), Some("2031-05-04"));
    assert_eq!(first.text, "Rain ended the drought in Coldwater on Sunday.");
    assert_eq!(
        first.id,
        article_id("Rain ended the drought in Coldwater on Sunday.")
    );

    let second = articles[1].as_ref().expect("line 3");
    assert_eq!(second.source, format!("{name}:3"));
    assert_eq!(second.published.as_deref(), Some("2031-05-05"));

    let bad = |i: usize, line: usize, needle: &str| match &articles[i] {
        Err(IngestError::BadRecord { input, reason }) => {
            assert_eq!(input, &format!("{name}:{line}"));
            assert!(reason.contains(needle), "{reason:?} lacks {needle:?}");
        }
        other => panic!("line {line}: expected BadRecord, got {other:?}"),
    };
    bad(2, 4, "not valid JSON");
    bad(3, 5, "missing text or html");
    bad(4, 6, "May the fourth");
    bad(5, 8, "not a JSON object");

    let html = articles[6].as_ref().expect("line 9");
    assert_eq!(html.title.as_deref(), Some("Mill Fire"));
    assert_eq!(html.text, "A fire gutted the old mill.");
    assert_eq!(html.published.as_deref(), Some("2031-01-01"));

    bad(7, 10, "missing text or html");
    bad(8, 11, "must be a string");

    let last = articles[9].as_ref().expect("line 12");
    assert_eq!(last.published.as_deref(), Some("2031-05-06"));
    assert_eq!(last.url, None);

    // The error message names the input and line.
    let message = articles[2].as_ref().expect_err("line 4").to_string();
    assert!(message.starts_with(&format!("{name}:4: ")), "{message}");
}

#[test]
fn stdin_style_sniffing() {
    let jsonl = one(read_bytes(
        "<stdin>",
        b"\n  {\"text\": \"Sniffed as JSON Lines.\"}\n",
        None,
        &opts(),
    ));
    assert_eq!(jsonl.source, "<stdin>:2");
    assert_eq!(jsonl.text, "Sniffed as JSON Lines.");

    let html = one(read_bytes(
        "<stdin>",
        b"  <!doctype html><html><body><nav>Menu</nav><p>Sniffed as HTML.</p></body></html>",
        None,
        &opts(),
    ));
    assert_eq!(html.text, "Sniffed as HTML.");

    let text = one(read_bytes(
        "<stdin>",
        b"<< Sniffed as text >> because no tag follows.",
        None,
        &opts(),
    ));
    assert_eq!(text.text, "<< Sniffed as text >> because no tag follows.");

    let text = one(read_bytes("<stdin>", b"Plain words here.", None, &opts()));
    assert_eq!(text.source, "<stdin>");
}

#[test]
fn hint_from_a_path() {
    let bytes = b"{\"text\": \"Looks like JSON.\"}";
    // The extension decides: .txt reads the braces as text.
    let text = one(read_bytes("n.txt", bytes, Path::new("n.txt"), &opts()));
    assert_eq!(text.text, "{\"text\": \"Looks like JSON.\"}");
    // An unknown extension sniffs.
    let json = one(read_bytes("n.dat", bytes, Path::new("n.dat"), &opts()));
    assert_eq!(json.text, "Looks like JSON.");
    let json = one(read_bytes("n", bytes, Format::JsonLines, &opts()));
    assert_eq!(json.text, "Looks like JSON.");
}

#[test]
fn unknown_extension_is_sniffed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "feed.dat",
        "{\"text\": \"From a .dat file.\"}\n",
    );
    let article = one(read_input(&Input::File(path), &opts()));
    assert_eq!(article.text, "From a .dat file.");
}

#[test]
fn windows_1252_text_is_decoded() {
    // “Curly” quotes, an em dash and é in Windows-1252.
    let mut bytes = b"Mayor\x92s Caf\xe9 Plan\r\n\r\n".to_vec();
    bytes.extend_from_slice(
        b"The mayor said \x93the caf\xe9 stays open\x94 \x97 and the crowd cheered.\r\n",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "cafe.txt", &bytes);
    let article = one(read_input(&Input::File(path), &opts()));
    assert_eq!(
        article.title.as_deref(),
        Some("Mayor\u{2019}s Caf\u{e9} Plan")
    );
    assert_eq!(
        article.text,
        "The mayor said \u{201c}the caf\u{e9} stays open\u{201d} \u{2014} and the crowd cheered."
    );
}

#[test]
fn html_meta_charset_is_honoured() {
    let mut bytes = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-15\"></head><body><p>Price: 5 \xa4, said the clerk at the caf\xe9.</p></body></html>".to_vec();
    bytes.push(b'\n');
    let article = one(read_bytes("p.html", &bytes, Some(Format::Html), &opts()));
    assert_eq!(
        article.text,
        "Price: 5 \u{20ac}, said the clerk at the caf\u{e9}."
    );
}

#[test]
fn utf16_with_bom_is_decoded() {
    let mut bytes = vec![0xfe, 0xff];
    for unit in "Tide Tables Published\n\nHigh water at 06:12.".encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    let article = one(read_bytes("t.txt", &bytes, None, &opts()));
    assert_eq!(article.title.as_deref(), Some("Tide Tables Published"));
    assert_eq!(article.text, "High water at 06:12.");
}

#[test]
fn empty_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = write(dir.path(), "empty.txt", "");
    assert!(matches!(
        read_input(&Input::File(empty), &opts()),
        Err(IngestError::Empty { .. })
    ));
    let blank = write(dir.path(), "blank.txt", " \n\r\n\t\n");
    match read_input(&Input::File(blank.clone()), &opts()) {
        Err(IngestError::Empty { input }) => assert_eq!(input, blank.display().to_string()),
        other => panic!("expected Empty, got {other:?}"),
    }
    // A page with nothing but clutter gives an empty article.
    let clutter = "<html><body><nav>Home</nav><footer>About</footer></body></html>";
    let articles =
        read_bytes("c.html", clutter.as_bytes(), Some(Format::Html), &opts()).expect("input reads");
    assert!(matches!(
        articles.as_slice(),
        [Err(IngestError::Empty { .. })]
    ));
}

#[test]
fn binary_junk_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let path = write(dir.path(), "junk.txt", &junk);
    match read_input(&Input::File(path.clone()), &opts()) {
        Err(IngestError::Binary { input }) => assert_eq!(input, path.display().to_string()),
        other => panic!("expected Binary, got {other:?}"),
    }
    // No NUL, but many control bytes.
    let controls: Vec<u8> = b"abc\x01\x02\x03\x04\x05\x06".repeat(100);
    assert!(matches!(
        read_bytes("c.txt", &controls, None, &opts()),
        Err(IngestError::Binary { .. })
    ));
    // A PNG-like header.
    assert!(matches!(
        read_bytes("<stdin>", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", None, &opts()),
        Err(IngestError::Binary { .. })
    ));
}

#[test]
fn too_large_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "big.txt", "word ".repeat(100));
    let options = ReadOptions {
        max_bytes: 100,
        ..ReadOptions::default()
    };
    match read_input(&Input::File(path), &options) {
        Err(IngestError::TooLarge { size, limit, .. }) => {
            assert_eq!(size, 500);
            assert_eq!(limit, 100);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(matches!(
        read_bytes("<stdin>", &[b'a'; 101], None, &options),
        Err(IngestError::TooLarge { .. })
    ));
    assert!(read_bytes("<stdin>", &[b'a'; 100], None, &options).is_ok());
}

#[test]
fn unreadable_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.txt");
    match read_input(&Input::File(missing.clone()), &opts()) {
        Err(err @ IngestError::Io { .. }) => {
            assert!(err.to_string().contains("missing.txt"), "{err}");
        }
        other => panic!("expected Io, got {other:?}"),
    }
    // A directory is not a readable article.
    assert!(matches!(
        read_input(&Input::File(dir.path().to_path_buf()), &opts()),
        Err(IngestError::Io { .. })
    ));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = write(dir.path(), "locked.txt", "Secret text.");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
        // Root can read anything; only check when the file really is unreadable.
        if fs::read(&locked).is_err() {
            assert!(matches!(
                read_input(&Input::File(locked.clone()), &opts()),
                Err(IngestError::Io { .. })
            ));
        }
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).expect("chmod");
    }
}

#[test]
fn ids_are_stable() {
    let a = one(read_bytes(
        "a.txt",
        b"Wind farm approved.\n\nWork starts in June.",
        None,
        &opts(),
    ));
    let b = one(read_bytes(
        "b.txt",
        b"\n\n  Wind farm approved.  \r\n\r\n\r\nWork starts in June.\n\n",
        None,
        &opts(),
    ));
    assert_eq!(a.id, b.id);
    assert_eq!(a.text, b.text);
    assert_eq!(article_id("x"), article_id("x"));
    assert_eq!(article_id("  x \n"), article_id("x"));
    assert_ne!(article_id("x"), article_id("y"));
    assert_eq!(article_id("x").len(), 16);
}

#[test]
fn clean_lines_examples() {
    let text = "Valley Times\n\nBus Fares Frozen\n\nAdvertisement\n\nValley Times\n\n\
                Bus Fares Frozen\n\nFares stay at 2031 levels.\n\nFares stay at 2031 levels.\n\n\
                Follow Us\n\nThe freeze costs the council little.";
    assert_eq!(
        clean_lines(text, Some("Bus Fares Frozen")),
        "Fares stay at 2031 levels.\n\nThe freeze costs the council little."
    );
    // Repeated long sentences are kept once; a lone short line is kept.
    assert_eq!(
        clean_lines(
            "Breaking\n\nA long sentence repeats.\n\nA long sentence repeats.",
            None
        ),
        "Breaking\n\nA long sentence repeats."
    );
}

#[test]
fn discover_walks_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "b.txt", "b");
    write(root, "a.HTML", "a");
    write(root, "notes.md", "skipped");
    write(root, "nested/deeper/c.jsonl", "{}");
    write(root, "nested/d.ndjson", "{}");
    write(root, "nested/e.Text", "e");
    write(root, "nested/f.htm", "f");
    write(root, ".hidden.txt", "hidden");
    write(root, ".git/objects/x.txt", "hidden dir");
    write(root, "nested/.cache/y.txt", "hidden dir");
    let odd = write(root, "odd.dat", "named directly");

    let (inputs, errors) = discover(&[
        root.to_path_buf(),
        PathBuf::from("-"),
        odd.clone(),
        root.join("nope.txt"),
    ]);
    assert_eq!(errors.len(), 1);
    match &errors[0] {
        IngestError::Io { input, .. } => assert!(input.ends_with("nope.txt")),
        other => panic!("expected Io, got {other:?}"),
    }
    let expected: Vec<Input> = [
        "a.HTML",
        "b.txt",
        "nested/d.ndjson",
        "nested/deeper/c.jsonl",
        "nested/e.Text",
        "nested/f.htm",
    ]
    .iter()
    .map(|rel| Input::File(root.join(rel)))
    .chain([Input::Stdin, Input::File(odd)])
    .collect();
    assert_eq!(inputs, expected);
    assert_eq!(Input::Stdin.name(), "<stdin>");
}

#[cfg(unix)]
#[test]
fn discover_survives_symlink_loops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "sub/a.txt", "a");
    std::os::unix::fs::symlink(root, root.join("sub/loop")).expect("symlink");
    let (inputs, errors) = discover(&[root.to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(inputs, vec![Input::File(root.join("sub/a.txt"))]);
}

#[test]
fn discover_handles_ten_thousand_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for d in 0..100 {
        let sub = root.join(format!("d{d:03}"));
        fs::create_dir(&sub).expect("mkdir");
        for f in 0..100 {
            fs::write(sub.join(format!("f{f:03}.txt")), "x").expect("write");
        }
    }
    // And a deep chain of directories, to show the walk does not recurse.
    let mut deep = root.join("deep");
    for _ in 0..200 {
        deep = deep.join("d");
    }
    fs::create_dir_all(&deep).expect("mkdir deep");
    fs::write(deep.join("bottom.txt"), "x").expect("write");

    let (inputs, errors) = discover(&[root.to_path_buf()]);
    assert!(errors.is_empty());
    assert_eq!(inputs.len(), 10_001);
    let mut sorted = inputs.clone();
    sorted.sort_by_key(|i| match i {
        Input::File(p) => p.clone(),
        Input::Stdin => PathBuf::new(),
    });
    assert_eq!(inputs, sorted);
    assert_eq!(inputs[0], Input::File(root.join("d000/f000.txt")));
}
