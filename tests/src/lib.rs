//! Helpers for the end-to-end tests: the corpus, the real binary, and an LSP client that
//! speaks to the server over any byte stream.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// The repository root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

/// `../shared/corpus`, beside the repository.
pub fn corpus() -> PathBuf {
    workspace().join("../shared/corpus")
}

/// Every corpus Dockerfile, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus().join("dockerfiles"))
        .expect("the corpus is in ../shared/corpus")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    files.sort();
    // Every corpus test loops over these: an empty or moved corpus must fail, not pass.
    assert!(
        files.len() > 1000,
        "expected the 1,031-file corpus in ../shared/corpus/dockerfiles, found {} files",
        files.len()
    );
    files
}

/// Reads a file as the CLI does (invalid UTF-8 replaced).
pub fn read_lossy(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).expect("readable")).into_owned()
}

/// The `dockerfile-ls` binary of this profile, built on first use.
pub fn binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let release = !cfg!(debug_assertions);
            let mut command = std::process::Command::new(cargo);
            command.current_dir(workspace()).args([
                "build",
                "-q",
                // The workspace's feature set, as `cargo test --workspace` builds it: with
                // `-p` alone cargo compiles tokio and the server crate a second time.
                "--workspace",
                "--bin",
                "dockerfile-ls",
            ]);
            if release {
                command.arg("--release");
            }
            let status = command.status().expect("cargo runs");
            assert!(status.success(), "building dockerfile-ls failed");
            let target = std::env::var("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|_| workspace().join("target"));
            target
                .join(if release { "release" } else { "debug" })
                .join("dockerfile-ls")
        })
        .clone()
}

/// Runs the binary with `args` in `directory`, as a user would from a shell.
pub fn run_cli(args: &[&str], directory: &Path) -> std::process::Output {
    std::process::Command::new(binary())
        .args(args)
        .current_dir(directory)
        .output()
        .expect("the binary runs")
}

/// Runs the binary with `args`, feeding `input` on its standard input.
pub fn run_cli_with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = std::process::Command::new(binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("input written");
    child.wait_with_output().expect("the binary ends")
}

/// Writes one framed JSON-RPC message.
pub async fn write_message(writer: &mut (impl AsyncWrite + Unpin), message: &Value) {
    let body = serde_json::to_vec(message).expect("json");
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    writer
        .write_all(header.as_bytes())
        .await
        .expect("write header");
    writer.write_all(&body).await.expect("write body");
    writer.flush().await.expect("flush");
}

/// Reads one framed JSON-RPC message; `None` at the end of the stream. Panics on anything that
/// is not a well-formed frame (the stream must carry nothing else).
pub async fn read_message(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.expect("read header") == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        let (name, value) = line
            .trim_end()
            .split_once(": ")
            .unwrap_or_else(|| panic!("not a header: {line:?}"));
        if name.eq_ignore_ascii_case("Content-Length") {
            length = Some(value.parse::<usize>().expect("length"));
        }
    }
    let mut body = vec![0; length.expect("Content-Length")];
    reader.read_exact(&mut body).await.expect("read body");
    Some(serde_json::from_slice(&body).unwrap_or_else(|error| panic!("bad JSON body: {error}")))
}

/// Starts the server in this process, on its own thread over a socket pair, serving on the
/// current tokio runtime; returns the client's ends.
pub fn in_process_server() -> (
    tokio::net::unix::OwnedReadHalf,
    tokio::net::unix::OwnedWriteHalf,
) {
    let (client, server) = std::os::unix::net::UnixStream::pair().expect("socket pair");
    let server_output = server.try_clone().expect("socket clone");
    let runtime = tokio::runtime::Handle::current();
    std::thread::spawn(move || {
        let _entered = runtime.enter();
        dockerfile_ls::lsp::serve(server, server_output);
    });
    client.set_nonblocking(true).expect("non-blocking socket");
    tokio::net::UnixStream::from_std(client)
        .expect("tokio socket")
        .into_split()
}

/// A scripted LSP client.
pub struct Client {
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Messages read but not yet asked for.
    backlog: Vec<Value>,
    next_id: i64,
    /// Answers to `workspace/configuration` requests from the server.
    pub configuration: Value,
}

pub const TIMEOUT: Duration = Duration::from_secs(10);

impl Client {
    pub fn new(
        reader: impl AsyncRead + Unpin + Send + 'static,
        writer: impl AsyncWrite + Unpin + Send + 'static,
    ) -> Client {
        let (sender, incoming) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(reader);
            while let Some(message) = read_message(&mut reader).await {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            writer: Box::new(writer),
            incoming,
            backlog: Vec::new(),
            next_id: 1,
            configuration: Value::Null,
        }
    }

    /// A client talking to an in-process server.
    pub fn in_process() -> Client {
        let (client_read, client_write) = in_process_server();
        Client::new(client_read, client_write)
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        write_message(
            &mut self.writer,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        )
        .await;
    }

    /// Sends a request and waits for its response (answering server requests meanwhile).
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        write_message(
            &mut self.writer,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
        .await;
        let response = self
            .wait_for(|message| {
                message.get("id") == Some(&json!(id)) && message.get("method").is_none()
            })
            .await;
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// Waits for a message matching `wanted`, answering requests from the server on the way.
    pub async fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(index);
        }
        loop {
            let message = tokio::time::timeout(TIMEOUT, self.incoming.recv())
                .await
                .expect("timed out waiting for the server")
                .expect("the server closed the stream");
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer(&message).await;
                if !wanted(&message) {
                    continue;
                }
            }
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    async fn answer(&mut self, request: &Value) {
        let result = match request["method"].as_str() {
            Some("workspace/configuration") => {
                let items = request["params"]["items"]
                    .as_array()
                    .map(Vec::len)
                    .unwrap_or(1);
                Value::Array(vec![self.configuration.clone(); items])
            }
            _ => Value::Null,
        };
        write_message(
            &mut self.writer,
            &json!({"jsonrpc": "2.0", "id": request["id"].clone(), "result": result}),
        )
        .await;
    }

    /// The next `publishDiagnostics` for `uri`.
    pub async fn diagnostics(&mut self, uri: &str) -> Value {
        let uri = uri.to_string();
        self.wait_for(move |message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri.as_str()
        })
        .await["params"]
            .clone()
    }

    /// The `publishDiagnostics` for `uri` at `version` (earlier ones are skipped).
    pub async fn diagnostics_at(&mut self, uri: &str, version: i64) -> Value {
        let uri = uri.to_string();
        self.wait_for(move |message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri.as_str()
                && message["params"]["version"] == version
        })
        .await["params"]
            .clone()
    }

    /// Waits a moment and returns every message that arrived meanwhile.
    pub async fn drain(&mut self, wait: Duration) -> Vec<Value> {
        tokio::time::sleep(wait).await;
        while let Ok(message) = self.incoming.try_recv() {
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer(&message).await;
            }
            self.backlog.push(message);
        }
        std::mem::take(&mut self.backlog)
    }

    /// initialize + initialized with the given client capabilities.
    pub async fn initialize(&mut self, capabilities: Value) -> Value {
        let result = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": version, "text": text}}),
        )
        .await;
    }

    /// One range change: replace `[start, end)` (line, character) with `text`.
    pub async fn change(
        &mut self,
        uri: &str,
        version: i64,
        start: (u32, u32),
        end: (u32, u32),
        text: &str,
    ) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}}, "text": text}]
            }),
        )
        .await;
    }

    pub async fn shutdown(&mut self) {
        self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }
}

/// Client capabilities like Neovim 0.11's in what matters here: UTF-8 positions offered, pull
/// diagnostics declared.
pub fn neovim_like() -> Value {
    json!({
        "general": {"positionEncodings": ["utf-8", "utf-16", "utf-32"]},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}, "publishDiagnostics": {"versionSupport": true}},
        "workspace": {"configuration": true}
    })
}

/// `neovim_like` with Neovim 0.11's code-action capabilities: edits resolved lazily
/// (`codeAction/resolve`), literal actions of the kinds it names.
pub fn neovim_like_with_code_actions() -> Value {
    let mut capabilities = neovim_like();
    capabilities["textDocument"]["codeAction"] = json!({
        "isPreferredSupport": true,
        "dataSupport": true,
        "resolveSupport": {"properties": ["edit", "command"]},
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
            "", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
            "source", "source.organizeImports"
        ]}}
    });
    capabilities
}

/// Client capabilities like VS Code's: UTF-16 only, push diagnostics.
pub fn push_utf16() -> Value {
    json!({
        "textDocument": {"publishDiagnostics": {"versionSupport": true, "tagSupport": {"valueSet": [1, 2]}}},
        "workspace": {"configuration": true}
    })
}

/// `push_utf16` for a client that resolves code-action edits lazily (`codeAction/resolve`),
/// as VS Code, Neovim 0.11 and Helix do.
pub fn push_utf16_lazy_code_actions() -> Value {
    let mut capabilities = push_utf16();
    capabilities["textDocument"]["codeAction"] = json!({
        "dataSupport": true,
        "resolveSupport": {"properties": ["edit"]},
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "refactor", "source"]}}
    });
    capabilities
}

/// The string `field` of every element of a JSON array (titles of actions, names of symbols).
pub fn strings<'a>(array: &'a Value, field: &str) -> Vec<&'a str> {
    array
        .as_array()
        .expect("an array")
        .iter()
        .map(|element| element[field].as_str().expect("a string field"))
        .collect()
}
