//! Checks against BuildKit's real parser (PyPI `dockerfile`, installed by
//! `.ci/install-buildkit-oracle`): fixes keep files parseable and keep every word, and random
//! Dockerfiles lower exactly as BuildKit parses them.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use dockerfile_ls_tests::{binary, corpus_files, workspace};
use serde_json::{Value, json};

/// The Python that can `import dockerfile`; a missing install fails loudly.
fn oracle_python() -> PathBuf {
    let python = std::env::var("DOCKERFILE_LS_BUILDKIT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/opt/dockerfile-ls/buildkit-venv/bin/python"));
    let works = Command::new(&python)
        .args(["-c", "import dockerfile"])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        works,
        "BuildKit's parser is not installed at {}: run .ci/install-buildkit-oracle",
        python.display()
    );
    python
}

fn oracle(command: &str, request: &Value) -> Value {
    let mut child = Command::new(oracle_python())
        .arg(workspace().join("tests/buildkit/oracle.py"))
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    let body = serde_json::to_vec(request).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "oracle.py {command} failed");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn check_fix_keeps_every_corpus_file_parseable_and_every_word() {
    let directory = tempfile::tempdir().unwrap();
    let mut copies = Vec::new();
    for path in corpus_files() {
        let copy = directory.path().join(path.file_name().unwrap());
        std::fs::copy(&path, &copy).unwrap();
        copies.push((path, copy));
    }
    let output = Command::new(binary())
        .args(["check", "--fix", "--fail-level", "none", "--format", "json"])
        .args(copies.iter().map(|(_, copy)| copy))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let changed: Vec<(String, String)> = copies
        .iter()
        .filter(|(original, copy)| std::fs::read(original).unwrap() != std::fs::read(copy).unwrap())
        .map(|(original, copy)| (original.display().to_string(), copy.display().to_string()))
        .collect();
    // Files BuildKit itself rejects stay out of the comparison.
    let request: Vec<Value> = changed
        .iter()
        .map(|(original, copy)| json!([original, copy]))
        .collect();
    let problems = oracle("verify", &Value::Array(request));
    // And the shell in every RUN still parses: a merge must not create `; &&` or an open group.
    let broken_scripts = |path: &str| {
        let source = dockerfile_ls::syntax::SourceFile::parse(&dockerfile_ls_tests::read_lossy(
            std::path::Path::new(path),
        ));
        (0..source.instructions().len())
            .flat_map(|index| source.scripts(index).to_vec())
            .filter(|script| script.script.syntax.has_error)
            .count()
    };
    let broken: Vec<&String> = changed
        .iter()
        .filter(|(original, copy)| broken_scripts(copy) > broken_scripts(original))
        .map(|(original, _)| original)
        .collect();
    assert!(
        broken.is_empty(),
        "fixes that broke the shell of a RUN: {broken:?}"
    );
    eprintln!(
        "check --fix changed {} of {} corpus files; BuildKit parses all of them with every word kept",
        changed.len(),
        copies.len()
    );
    assert!(
        changed.len() > 100,
        "expected --fix to change many corpus files"
    );
    assert_eq!(
        problems,
        json!([]),
        "fixed files BuildKit rejects or that lost words"
    );
    // A second run finds nothing left to fix.
    let before: Vec<Vec<u8>> = copies
        .iter()
        .map(|(_, copy)| std::fs::read(copy).unwrap())
        .collect();
    Command::new(binary())
        .args(["check", "--fix", "--fail-level", "none"])
        .args(copies.iter().map(|(_, copy)| copy))
        .output()
        .unwrap();
    let after: Vec<Vec<u8>> = copies
        .iter()
        .map(|(_, copy)| std::fs::read(copy).unwrap())
        .collect();
    assert!(
        before == after,
        "--fix is not stable: a second run changed files"
    );
}

/// A small deterministic random source (xorshift).
struct Random(u64);

impl Random {
    fn below(&mut self, limit: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % limit as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const KEYWORDS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "ENV",
    "LABEL",
    "ARG",
    "COPY",
    "ADD",
    "ONBUILD",
    "HEALTHCHECK",
    "SHELL",
    "EXPOSE",
    "USER",
    "WORKDIR",
    "VOLUME",
    "STOPSIGNAL",
    "MAINTAINER",
    "ENTRYPOINT",
    "run",
    "from",
    "Env",
    "FOO",
    "onbuild",
];

// `${X/a/b}` and the `check` directive are left out on purpose: the oracle is BuildKit
// v0.12.5, which knows neither; dockerfile-ls follows current BuildKit there.
const TOKENS: &[&str] = &[
    "a",
    "b=c",
    "\"x y\"",
    "'q r'",
    "\\",
    "`",
    "\\\\",
    "$X",
    "${Y:-z}",
    "${",
    "<<EOF",
    "<<-EOF",
    "<<\"EOF\"",
    "<<'E O'",
    "2<<EOF",
    "<<",
    "--mount=type=cache,target=/x",
    "--from=b",
    "--",
    "--chown=\"u g\"",
    "[\"a\",\"b\"]",
    "[\"a\",1]",
    "[ ]",
    "[",
    "\"",
    "'",
    "#",
    "# c",
    "=",
    "a=b",
    "x\ty",
    "é",
    "😀",
    "\u{a0}",
    "界",
    "&&",
    "||",
    ";",
    "|",
    "\\ ",
    "` ",
    "NONE",
    "CMD",
    "AS",
    "as",
    "{\"a\":1}",
    "[\"\\u0041\"]",
    "1e999",
    "--a=à",
    "\u{b}",
    "\u{c}",
    "a\rb",
    "<<$E",
    "<<${E}",
    "<<E$X",
    "\"<<EOF\"",
    "<<E\"O\"F",
    "3<<-EOF",
    "<<EOF>f",
    "${X:?}",
    "${X:?msg}",
    "$$",
    "\\\"",
    "\\'",
    "ᚠ",
    "\u{2028}",
    "[\"a\\\"b\"]",
    "[\"a\",\"b\"] x",
    "[\"\\ud800\"]",
    "[\"a\tb\"]",
    "[null]",
    "[[]]",
    "[{}]",
    "[true]",
    "[\"x\",]",
    "-x",
    "---a",
    "--a b",
    "\"--a\"",
];

const WHOLE_LINES: &[&str] = &[
    "",
    " ",
    "\t",
    "# comment",
    "  # x",
    "#",
    "# escape=`",
    "# escape=\\",
    "# syntax=foo",
    "#escape = `",
    "# foo=bar",
];

fn random_line(random: &mut Random) -> String {
    let roll = random.below(100);
    if roll < 8 {
        return random.pick(WHOLE_LINES).to_string();
    }
    if roll < 13 {
        return random
            .pick(&["EOF", "EOF", "\tEOF", "E O", "EOF ", "eof"])
            .to_string();
    }
    let mut parts = Vec::new();
    if random.below(10) < 9 {
        parts.push(random.pick(KEYWORDS));
    }
    for _ in 0..random.below(7) {
        parts.push(random.pick(TOKENS));
    }
    let separator = random.pick(&[" ", " ", " ", "  ", "\t", ""]);
    let mut line = parts.join(separator);
    if random.below(4) == 0 {
        line.push_str(random.pick(&[" \\", "\\", " `", "\\ \t", " \\\\"]));
    }
    if random.below(20) == 0 {
        line.insert_str(0, "  ");
    }
    line
}

fn random_dockerfile(random: &mut Random) -> String {
    let lines: Vec<String> = (0..1 + random.below(12))
        .map(|_| random_line(random))
        .collect();
    let newline = if random.below(7) == 0 { "\r\n" } else { "\n" };
    let mut text = lines.join(newline);
    if random.below(10) < 7 {
        text.push_str(newline);
    }
    if random.below(30) == 0 {
        text.insert(0, '\u{feff}');
    }
    text
}

#[test]
fn random_dockerfiles_lower_exactly_as_buildkit_parses_them() {
    let mut random = Random(0x5eed_d0c4_e2f1_1e50);
    let texts: Vec<String> = (0..4000).map(|_| random_dockerfile(&mut random)).collect();
    let expected = oracle("parse", &json!(texts));
    let mut compared = 0;
    let mut differences = Vec::new();
    for (text, expected) in texts.iter().zip(expected.as_array().unwrap()) {
        if expected.get("skip").is_some() {
            continue;
        }
        compared += 1;
        let file = dockerfile_ls::syntax::lower::lower(text);
        let ours = dockerfile_ls::buildkit_json::to_json(text, &file);
        let same = if expected["ok"] == json!(true) {
            ours["ok"] == json!(true) && ours["instructions"] == expected["instructions"]
        } else {
            ours["ok"] == json!(false)
        };
        if !same && differences.len() < 5 {
            differences.push(format!(
                "{text:?}\n  buildkit {expected}\n  ours     {ours}"
            ));
        }
    }
    eprintln!("{compared} random Dockerfiles compared with BuildKit's parser");
    assert!(compared > 3500);
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
