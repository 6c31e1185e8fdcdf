//! The `wca` command line, run as a real process.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use wca_testkit::data;

fn wca(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wca"));
    c.args(args);
    c
}

fn run_with_stdin(mut cmd: Command, input: impl FnOnce(&mut dyn Write) + Send + 'static) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn wca");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || input(&mut stdin));
    let out = child.wait_with_output().expect("wait for wca");
    feeder.join().expect("feeder thread");
    out
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wca-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The classic word-frequency benchmark (benhoyt/countwords): the King James Bible
/// ten times, streamed through stdin, must give its expected output byte for byte.
#[test]
fn freq_reproduces_the_countwords_benchmark() {
    let bible = std::fs::read(data("countwords/kjvbible.txt")).expect("KJV copy in tests/data");
    let expected = std::fs::read(data("countwords/kjvbible_x10_expected_output.txt")).unwrap();
    let out = run_with_stdin(
        wca(&["freq", "--tokenizer", "whitespace", "--fold", "ascii"]),
        move |w| {
            for _ in 0..10 {
                w.write_all(&bible).unwrap();
            }
        },
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout == expected,
        "wca freq output differs from countwords' expected output"
    );
}

/// A large text file is read by several threads and the parts joined: the report
/// and `freq`'s list are those of one thread, and of standard input, byte for byte;
/// with HTML, or past the exact budget, the file is read in one piece.
#[test]
fn files_read_in_parts_report_what_one_thread_reports() {
    let bible = std::fs::read(data("countwords/kjvbible.txt")).unwrap();
    let mut text = bible.repeat(2);
    text.extend_from_slice(b"\xff\xfe broken \xe2\x82 end \r\n");
    let txt = temp_file("parts.txt", &text);
    let html = temp_file(
        "parts.html",
        &[b"<!doctype html><pre>".as_slice(), &bible].concat(),
    );
    let run = |args: &[&str], stdin: Option<Vec<u8>>| {
        let out = match stdin {
            Some(bytes) => run_with_stdin(wca(args), move |w| w.write_all(&bytes).unwrap()),
            None => wca(args).output().unwrap(),
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    for (file, extra) in [
        (&txt, &[][..]),
        (&txt, &["--tokenizer", "whitespace", "--fold", "none"][..]),
        (&txt, &["--max-distinct", "1024"][..]),
        (&html, &[][..]),
    ] {
        let path = file.to_str().unwrap();
        let with = |threads: &str| {
            let mut args = vec!["analyze", "--json", "--threads", threads];
            args.extend_from_slice(extra);
            args.push(path);
            run(&args, None)
        };
        let one = with("1");
        for threads in ["2", "3"] {
            assert!(
                with(threads) == one,
                "{path} {extra:?} with {threads} threads"
            );
        }
        // The parts really were read apart, and joined where counting stays exact.
        let mut args = vec!["analyze", "--threads", "2"];
        args.extend_from_slice(extra);
        args.push(path);
        let trace = wca(&args).env("WCA_TRACE_PARTS", "1").output().unwrap();
        let trace = String::from_utf8_lossy(&trace.stderr);
        let want = match (file == &html, extra.contains(&"--max-distinct")) {
            (true, _) => "",
            (false, true) => "read in 2 parts, not joined",
            (false, false) => "read in 2 parts, joined",
        };
        assert!(
            if want.is_empty() {
                trace.is_empty()
            } else {
                trace.contains(want)
            },
            "{path} {extra:?}: {trace}"
        );
        let mut args = vec!["analyze", "--json"];
        args.extend_from_slice(extra);
        args.push("-");
        let piped = run(&args, Some(std::fs::read(file).unwrap()));
        let json = |b: &[u8]| {
            let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
            // Standard input has no name to take a Content-Type from.
            v["input"]["format"] = serde_json::Value::Null;
            v["input"]["encoding_source"] = serde_json::Value::Null;
            v
        };
        assert_eq!(json(&piped), json(&one), "{path} {extra:?} from a pipe");
    }
    let freq = |threads: &str| {
        run(
            &[
                "freq",
                "--threads",
                threads,
                "--tokenizer",
                "whitespace",
                txt.to_str().unwrap(),
            ],
            None,
        )
    };
    assert!(freq("2") == freq("1"), "freq in parts");
}

#[test]
fn a_missing_file_exits_2_with_one_line_naming_it() {
    let out = wca(&["analyze", "no/such/file.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no/such/file.txt"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn json_report_does_not_depend_on_the_read_size() {
    let text =
        "Dr. Smith arrived at 7 a.m. and left.\n\nCafé – naïve don’t 中文。\u{1f600} ".as_bytes();
    let mut bytes = text.to_vec();
    bytes.extend_from_slice(b"\xff \xe2\x82 end");
    let file = temp_file("mixed.txt", &bytes);
    let report = |chunk: &str| {
        let out = wca(&[
            "analyze",
            "--json",
            "--chunk-size",
            chunk,
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let whole = report("65536");
    for chunk in ["1", "2", "3", "7"] {
        assert!(
            report(chunk) == whole,
            "chunk size {chunk} changed the report"
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&whole).unwrap();
    assert_eq!(json["schema_version"], 7);
    assert_eq!(json["input"]["bytes"], bytes.len());
    assert_eq!(json["input"]["invalid_sequences"], 2);
    assert_eq!(json["counts"]["sentences"], 3);
}

#[test]
fn binary_input_is_analyzed_not_crashed_on() {
    let mut bytes = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push(x as u8);
    }
    let file = temp_file("random.bin", &bytes);
    let out = wca(&["analyze", "--json", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["input"]["invalid_sequences"].as_u64().unwrap() > 1000);
    assert_eq!(json["input"]["bytes"], 200_000);
}

#[test]
fn words_prints_what_the_analyzer_counts() {
    let out = run_with_stdin(wca(&["words"]), |w| {
        w.write_all("The CAT’s e.g. 3.14 — done".as_bytes())
            .unwrap()
    });
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "the\ncat's\ne.g\n3.14\ndone\n"
    );
}

#[test]
fn words_of_html_are_those_of_its_visible_text() {
    let page = temp_file(
        "words.html",
        b"<html itemscope itemtype=http://schema.org/WebPage><title>Cheap flights</title>\
          <p>Hello <b>wor</b>ld</p><script>var x</script>",
    );
    let out = wca(&["words", page.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "hello\nworld\n");
    // As text, the markup is words.
    let out = wca(&["words", "--format", "text", page.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("html\nitemscope\n")
    );
}

#[test]
fn text_prints_what_the_analyzer_reads() {
    let prose = "A sentence of the article, long enough and with commas, to be its text. ";
    let page = format!(
        "<title>T</title><nav class=menu><a href=/>Home</a></nav>\
         <div class=post><p>{prose}{prose}</p><p>Line one<br>line   two\n  and {prose}</p>\
         <p>{prose}{prose}{prose}{prose}</p></div><div class=footer>Legal</div>"
    );
    let file = temp_file("text.html", page.as_bytes());
    let out = wca(&["text", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let p = prose.trim_end();
    assert_eq!(
        text,
        format!(
            "Home\n\n{prose}{p}\n\nLine one\nline two and {p}\n\n{prose}{prose}{prose}{p}\n\nLegal\n"
        )
    );
    let out = wca(&["text", "--main-only", file.to_str().unwrap()])
        .output()
        .unwrap();
    let main = String::from_utf8(out.stdout).unwrap();
    assert!(main.starts_with(prose), "{main}");
    assert!(!main.contains("Home") && !main.contains("Legal"), "{main}");
    // Its words are those `wca words` prints, and plain text passes as it is.
    let words = wca(&["words", "--main-only", file.to_str().unwrap()])
        .output()
        .unwrap();
    let of_text = run_with_stdin(wca(&["words", "--format", "text"]), move |w| {
        w.write_all(main.as_bytes()).unwrap()
    });
    assert_eq!(words.stdout, of_text.stdout);
    let out = run_with_stdin(wca(&["text"]), |w| w.write_all(b"plain\n  text ").unwrap());
    assert_eq!(out.stdout, b"plain\n  text ");
    let missing = wca(&["text", "/no/such/file"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn freq_limit_and_stopword_file() {
    let stop = temp_file("stop.txt", b"the\n  a \n\n");
    let out = run_with_stdin(
        wca(&[
            "freq",
            "--limit",
            "2",
            "--stopwords",
            stop.to_str().unwrap(),
        ]),
        |w| w.write_all(b"b a the b c c c").unwrap(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // freq lists every word; stopwords only filter the report's filtered lists.
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "c 3\nb 2\n");

    let out = run_with_stdin(
        wca(&["analyze", "--json", "--stopwords", stop.to_str().unwrap()]),
        |w| w.write_all(b"b a the b c c c").unwrap(),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let filtered: Vec<&str> = json["frequencies"]["words"]["top_filtered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["term"].as_str().unwrap())
        .collect();
    assert_eq!(filtered, ["c", "b"]);
    assert_eq!(json["frequencies"]["stopwords"], "custom");
}

#[test]
fn several_files_give_one_report_each() {
    let a = temp_file("a.txt", b"one two");
    let b = temp_file("b.txt", b"three");
    let out = wca(&[
        "analyze",
        "--json",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["report"]["counts"]["words"], 2);
    assert_eq!(json[1]["report"]["counts"]["words"], 1);
    assert!(json[1]["source"].as_str().unwrap().ends_with("b.txt"));

    let out = wca(&["analyze", a.to_str().unwrap()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("words        2"), "{text}");
}

#[test]
fn bad_options_are_clear_errors() {
    let out = run_with_stdin(wca(&["analyze", "--top", "0"]), |_| {});
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`top`"));
    let out = wca(&["analyze", "--tokenizer", "bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "clap's usage error");
}

/// What a page says reaches the terminal as text: its control characters and
/// bidirectional overrides are escaped, not obeyed.
#[test]
fn the_summary_escapes_what_could_drive_a_terminal() {
    let page = temp_file(
        "hostile.html",
        "<title>\u{1b}[2J\u{1b}]0;pwned\u{7}Title</title><h1>abc\u{202e}fed</h1>\
         <p>word\u{9b}31m and more words</p>"
            .as_bytes(),
    );
    let out = wca(&["analyze", page.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}[2J"), "{text}");
    assert!(text.contains("abc\\u{202e}fed"), "{text}");
    // The JSON report keeps the text as it is: escaping is the terminal's need.
    let out = wca(&["analyze", "--json", page.to_str().unwrap()])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["page"]["structure"]["title"]
            .as_str()
            .unwrap()
            .contains('\u{1b}')
    );
}

#[test]
fn html_files_are_detected_and_summarized() {
    let page = temp_file("page.html", b"<html lang=en><title>T</title><main><h1>Head line</h1><p>Body text.</p></main><nav>menu</nav>");
    let out = wca(&["analyze", "--json", page.to_str().unwrap()])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["input"]["format"], "html");
    assert_eq!(json["page"]["structure"]["title"], "T");
    assert_eq!(json["page"]["region_words"]["main"], 4);
    // The title is the page's name, not its text.
    assert_eq!(json["counts"]["words"], 5);

    let out = wca(&["analyze", "--main-only", page.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("words        4"), "{text}");
    assert!(text.contains("h1 Head line"), "{text}");

    let out = wca(&[
        "analyze",
        "--json",
        "--format",
        "text",
        page.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["input"]["format"], "text");
}
