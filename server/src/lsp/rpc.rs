//! JSON-RPC 2.0 over LSP's base protocol (`Content-Length` framed messages), written for this
//! server: requests are parsed from the message bytes straight into their typed parameters and
//! results are serialised straight into the outgoing bytes, with no `serde_json::Value` tree in
//! between. On a 10,000-line file that tree cost more than the analysis (a document-symbol
//! answer is ~1 MB of JSON); see ARCHITECTURE.md.
//!
//! This module knows framing, ids and error codes; which methods exist is `server.rs`'s business.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::io::{BufRead, BufReader, IoSlice, Read, Write};

use tokio::sync::{mpsc, oneshot};

/// A JSON-RPC error reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Error {
    pub code: i64,
    pub message: Cow<'static, str>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
    pub const REQUEST_FAILED: i64 = -32803;
    pub const REQUEST_CANCELLED: i64 = -32800;

    pub fn new(code: i64, message: impl Into<Cow<'static, str>>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }

    pub fn internal_error() -> Error {
        Error::new(Error::INTERNAL_ERROR, "Internal error")
    }

    /// LSP's RequestFailed: the request was valid but cannot be done, for the given reason.
    pub fn request_failed(message: String) -> Error {
        Error::new(Error::REQUEST_FAILED, message)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// Serialised JSON, shared between the response cache and the writer.
pub type Bytes = Arc<Vec<u8>>;

/// A handler's serialised result, as the reply and the response cache share it. Small results
/// are plain bytes; large ones (a 10,000-line file's outline is 1.2 MB of JSON) are packed:
/// compressed while they are serialised, about a seventh of their size, in blocks the writer
/// expands one at a time into a small buffer as it writes them. So a large answer is never
/// whole in memory, neither when first given nor when kept for repeats.
#[derive(Clone)]
pub enum Serialised {
    Plain(Bytes),
    Packed(Arc<Packed>),
}

impl Serialised {
    /// Serialises `result`: plain up to [`Packed::BLOCK`] bytes, packed beyond.
    pub fn of<R: Serialize>(result: &R) -> Result<Serialised> {
        let mut packer = Packer {
            buffer: Vec::with_capacity(256),
            blocks: Vec::new(),
            len: 0,
        };
        match serde_json::to_writer(&mut packer, result) {
            Ok(()) => Ok(packer.finish()),
            Err(error) => {
                tracing::error!("cannot serialise a result: {error}");
                Err(Error::internal_error())
            }
        }
    }

    /// Already serialised bytes, as they are.
    pub fn plain(bytes: impl Into<Vec<u8>>) -> Serialised {
        Serialised::Plain(Arc::new(bytes.into()))
    }

    /// The JSON in one piece (for tests and logs).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Serialised::Plain(bytes) => bytes.to_vec(),
            Serialised::Packed(packed) => {
                let mut bytes = Vec::with_capacity(packed.len);
                // Writing into a Vec fails only if a block does not expand, which ours do.
                let _ = packed.write_to(&mut bytes, &mut Vec::new());
                bytes
            }
        }
    }
}

/// Bytes as LZ4 blocks of [`Packed::BLOCK`] bytes each (the last may be shorter).
pub struct Packed {
    len: usize,
    blocks: Vec<Box<[u8]>>,
}

impl Packed {
    const BLOCK: usize = 64 * 1024;

    /// Writes the bytes out, expanding one block at a time into `buffer`.
    fn write_to(&self, output: &mut impl Write, buffer: &mut Vec<u8>) -> std::io::Result<()> {
        buffer.resize(Packed::BLOCK, 0);
        for block in &self.blocks {
            let expanded = lz4_flex::block::decompress_into(block, buffer)
                .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?;
            output.write_all(&buffer[..expanded])?;
        }
        Ok(())
    }
}

/// Collects serialised bytes into a buffer of at most one block, compressing each full block.
struct Packer {
    buffer: Vec<u8>,
    blocks: Vec<Box<[u8]>>,
    len: usize,
}

impl Packer {
    fn pack_buffer(&mut self) {
        self.blocks
            .push(lz4_flex::block::compress(&self.buffer).into_boxed_slice());
        self.buffer.clear();
    }

    fn finish(mut self) -> Serialised {
        if self.blocks.is_empty() {
            self.buffer.shrink_to_fit();
            return Serialised::Plain(Arc::new(self.buffer));
        }
        if !self.buffer.is_empty() {
            self.pack_buffer();
        }
        Serialised::Packed(Arc::new(Packed {
            len: self.len,
            blocks: self.blocks,
        }))
    }
}

impl Write for Packer {
    fn write(&mut self, mut bytes: &[u8]) -> std::io::Result<usize> {
        let written = bytes.len();
        self.len += written;
        while !bytes.is_empty() {
            // A block is packed once the next byte would not fit, so a result of exactly one
            // block stays plain.
            if self.buffer.len() == Packed::BLOCK {
                self.pack_buffer();
            }
            let taken = bytes.len().min(Packed::BLOCK - self.buffer.len());
            self.buffer.extend_from_slice(&bytes[..taken]);
            bytes = &bytes[taken..];
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A request id exactly as the client wrote it (a number or a string), echoed in the reply.
pub type Id = Box<RawValue>;

/// An outgoing message body, in pieces so that a cached answer is written without a copy.
pub struct Outgoing {
    parts: Vec<Part>,
}

enum Part {
    Static(&'static [u8]),
    Owned(Vec<u8>),
    Shared(Bytes),
    Packed(Arc<Packed>),
}

impl Part {
    /// The bytes of a part held as they are; None for a packed one.
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Part::Static(bytes) => Some(bytes),
            Part::Owned(bytes) => Some(bytes),
            Part::Shared(bytes) => Some(bytes),
            Part::Packed(_) => None,
        }
    }

    fn len(&self) -> usize {
        match self {
            Part::Packed(packed) => packed.len,
            other => other.bytes().map_or(0, <[u8]>::len),
        }
    }
}

impl Outgoing {
    fn len(&self) -> usize {
        self.parts.iter().map(Part::len).sum()
    }

    /// The body in one piece (for tests and logs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.len());
        // Writing into a Vec cannot fail.
        let _ = write_parts(&mut bytes, &[], &self.parts, &mut Vec::new());
        bytes
    }

    /// `{"jsonrpc":"2.0","id":<id>,"result":<result>}` around an already serialised result.
    pub fn result(id: &RawValue, result: Serialised) -> Outgoing {
        Outgoing {
            parts: vec![
                Part::Owned(format!(r#"{{"jsonrpc":"2.0","id":{},"result":"#, id.get()).into()),
                match result {
                    Serialised::Plain(bytes) => Part::Shared(bytes),
                    Serialised::Packed(packed) => Part::Packed(packed),
                },
                Part::Static(b"}"),
            ],
        }
    }

    pub fn error(id: Option<&RawValue>, error: &Error) -> Outgoing {
        #[derive(Serialize)]
        struct Reply<'a> {
            jsonrpc: &'static str,
            id: Option<&'a RawValue>,
            error: &'a Error,
        }
        Outgoing::owned(&Reply {
            jsonrpc: "2.0",
            id,
            error,
        })
    }

    /// A message in one piece. Our own types always serialise (no maps with non-string keys);
    /// should one not, the message is logged and left unsent (`Client::send` drops it).
    fn owned(message: &impl Serialize) -> Outgoing {
        Outgoing::owned_sized(message, 256)
    }

    fn owned_sized(message: &impl Serialize, size: usize) -> Outgoing {
        let mut body = Vec::with_capacity(size);
        let parts = match serde_json::to_writer(&mut body, message) {
            Ok(()) => vec![Part::Owned(body)],
            Err(error) => {
                tracing::error!("cannot serialise a message: {error}");
                Vec::new()
            }
        };
        Outgoing { parts }
    }
}

/// Parses a request's or notification's parameters (absent parameters read as `null`).
pub fn params<P: DeserializeOwned>(params: Option<&RawValue>) -> Result<P> {
    let text = params.map_or("null", RawValue::get);
    serde_json::from_str(text)
        .map_err(|error| Error::new(Error::INVALID_PARAMS, format!("invalid params: {error}")))
}

type Reply = std::result::Result<Box<RawValue>, serde_json::Value>;

/// The server's handle to the client: notifications and requests to it, replies to its requests.
#[derive(Clone)]
pub struct Client {
    out: mpsc::UnboundedSender<Outgoing>,
    pending: Arc<Mutex<HashMap<i64, oneshot::Sender<Reply>>>>,
    next_id: Arc<AtomicI64>,
}

impl Client {
    /// A client whose messages go to `out`.
    pub fn new(out: mpsc::UnboundedSender<Outgoing>) -> Client {
        Client {
            out,
            pending: Arc::default(),
            next_id: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Queues a message; after the connection is gone there is no one to tell.
    pub fn send(&self, message: Outgoing) {
        if !message.parts.is_empty() {
            let _ = self.out.send(message);
        }
    }

    /// Tells the writer to stop after what is queued (an empty message is the mark).
    fn send_close(&self) {
        let _ = self.out.send(Outgoing { parts: Vec::new() });
    }

    pub fn notify<P: Serialize>(&self, method: &str, params: &P) {
        self.notify_sized(method, params, 256);
    }

    /// `notify` for a message of about `size` bytes, written into a buffer of that size
    /// rather than one grown by doubling (each growth a copy, each smaller buffer left in
    /// the heap: the diagnostics of a large file are published on every keystroke).
    pub fn notify_sized<P: Serialize>(&self, method: &str, params: &P, size: usize) {
        #[derive(Serialize)]
        struct Notification<'a, P> {
            jsonrpc: &'static str,
            method: &'a str,
            params: &'a P,
        }
        self.send(Outgoing::owned_sized(
            &Notification {
                jsonrpc: "2.0",
                method,
                params,
            },
            size,
        ));
    }

    /// Sends a request to the client and waits for its answer.
    pub async fn request<P: Serialize, R: DeserializeOwned>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<R> {
        #[derive(Serialize)]
        struct Request<'a, P> {
            jsonrpc: &'static str,
            id: i64,
            method: &'a str,
            params: &'a P,
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = oneshot::channel();
        super::lock(&self.pending).insert(id, sender);
        self.send(Outgoing::owned(&Request {
            jsonrpc: "2.0",
            id,
            method,
            params,
        }));
        match receiver.await {
            Ok(Ok(result)) => serde_json::from_str(result.get()).map_err(|error| {
                Error::new(
                    Error::PARSE_ERROR,
                    format!("{method}: unexpected answer: {error}"),
                )
            }),
            Ok(Err(error)) => Err(Error::new(
                Error::REQUEST_FAILED,
                format!("{method} failed: {error}"),
            )),
            Err(_) => Err(Error::new(
                Error::INTERNAL_ERROR,
                format!("{method}: the connection closed before an answer"),
            )),
        }
    }

    /// Hands the client's answer to the request waiting for it.
    fn answer(&self, id: &RawValue, reply: Reply) {
        let waiting = serde_json::from_str::<i64>(id.get())
            .ok()
            .and_then(|id| super::lock(&self.pending).remove(&id));
        match waiting {
            Some(sender) => {
                let _ = sender.send(reply);
            }
            None => tracing::warn!("answer to an unknown request {}", id.get()),
        }
    }
}

/// One incoming message, borrowed from its bytes.
#[derive(Deserialize)]
struct Incoming<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    params: Option<&'a RawValue>,
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// What the server does with the messages the connection reads.
pub trait Handler {
    /// A request. Reply through `Client::send` (now or later, from any thread).
    fn request(&mut self, id: Id, method: &str, params: Option<&RawValue>);
    /// A notification. Returns false when the connection must end (`exit`).
    fn notification(&mut self, method: &str, params: Option<&RawValue>) -> bool;
    /// A request whose answer may be known already from exactly these parameter bytes (see
    /// `request_parts`): true when it was answered, without parsing the parameters.
    fn answer_known(&mut self, _id: &RawValue, _method: &str, _params: &str) -> bool {
        false
    }
}

/// Messages above this size get a buffer of their own, freed once they are handled.
const LARGE_MESSAGE: usize = 64 * 1024;

/// Reads framed messages from `input` and hands them to `handler` in order, on the calling
/// thread, while a writer thread sends the queued outgoing messages to `output`. Returns at
/// `exit` or at the end of input, once what was queued is written, giving the handler back.
///
/// Plain blocking I/O on two threads: a message is one `writev`, however many pieces it has,
/// and no read or write waits for a hop through an async runtime's blocking pool. Handlers may
/// spawn on the tokio runtime the caller has entered.
pub fn serve<H: Handler>(
    input: impl Read,
    output: impl Write + Send + 'static,
    client: Client,
    outgoing: mpsc::UnboundedReceiver<Outgoing>,
    mut handler: H,
) -> H {
    let writer = std::thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write(output, outgoing));
    let mut input = BufReader::with_capacity(64 * 1024, input);
    let mut body = Vec::new();
    loop {
        match read_frame(&mut input, &mut body) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                tracing::error!("cannot read from the client: {error}");
                break;
            }
        }
        if !dispatch(&body, &client, &mut handler) {
            break;
        }
        // A whole document or a file's worth of diagnostics comes now and then; its buffer
        // is not kept for the small messages in between.
        if body.capacity() > LARGE_MESSAGE {
            body = Vec::new();
        }
    }
    // What is queued now is still written; answers finished later are not.
    client.send_close();
    match writer {
        Ok(writer) => {
            let _ = writer.join();
        }
        Err(error) => tracing::error!("cannot start the writer thread: {error}"),
    }
    handler
}

/// One message's body into `body`; false at a clean end of input.
fn read_frame(input: &mut impl BufRead, body: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return if length.is_none() {
                Ok(false)
            } else {
                Err(std::io::ErrorKind::UnexpectedEof.into())
            };
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() {
                break;
            }
            continue;
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = Some(value.trim().parse::<usize>().map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("bad Content-Length: {header:?}"),
                    )
                })?);
            }
            Some(_) => {}
            None => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("not a header: {header:?}"),
                ));
            }
        }
    }
    body.clear();
    body.resize(length.unwrap_or(0), 0);
    input.read_exact(body)?;
    Ok(true)
}

/// The id, method and parameter text of a request written in the usual member order
/// (`jsonrpc`, `id`, `method`, then `params` last), found without reading the parameters;
/// None for any other shape. The parameter text is *not* checked to be JSON: it is only fit
/// for looking up an answer given before to exactly these bytes (which were JSON then, so
/// they are now, and they were the whole of `params`).
///
/// A client repeats requests with the same parameters (a code-action request for the whole
/// file carries every diagnostic back, hundreds of kilobytes); parsing them twice, for the
/// envelope and for the parameters, cost more than answering from the cache.
pub fn request_parts(body: &[u8]) -> Option<(&str, &str, &str)> {
    let text = std::str::from_utf8(body).ok()?;
    let json_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let mut rest = text.trim_start_matches(json_space).strip_prefix('{')?;
    let (mut id, mut method) = (None, None);
    loop {
        let quoted = rest.trim_start_matches(json_space).strip_prefix('"')?;
        let end = quoted.find('"')?;
        let key = &quoted[..end];
        rest = quoted[end + 1..]
            .trim_start_matches(json_space)
            .strip_prefix(':')?
            .trim_start_matches(json_space);
        if key == "params" {
            let params = rest
                .trim_end_matches(json_space)
                .strip_suffix('}')?
                .trim_end_matches(json_space);
            return Some((id?, method?, params));
        }
        // The members before `params` hold plain values: a string without escapes, or a
        // number.
        let length = match rest.strip_prefix('"') {
            Some(inner) => inner.find(['"', '\\'])? + 2,
            None => rest.find(|c: char| c == ',' || json_space(c))?,
        };
        let value = &rest[..length];
        if value.ends_with('\\') {
            return None;
        }
        match key {
            "id" => id = Some(value),
            "method" => method = Some(value.strip_prefix('"')?.strip_suffix('"')?),
            "jsonrpc" => {}
            _ => return None,
        }
        rest = rest[length..]
            .trim_start_matches(json_space)
            .strip_prefix(',')?;
    }
}

/// Routes one message; false when the connection must end.
fn dispatch(body: &[u8], client: &Client, handler: &mut impl Handler) -> bool {
    if let Some((id, method, params)) = request_parts(body)
        && let Ok(id) = RawValue::from_string(id.to_owned())
        && handler.answer_known(&id, method, params)
    {
        return true;
    }
    let message: Incoming = match serde_json::from_slice(body) {
        Ok(message) => message,
        Err(error) => {
            tracing::error!("a message that is not JSON-RPC: {error}");
            client.send(Outgoing::error(
                None,
                &Error::new(Error::PARSE_ERROR, format!("parse error: {error}")),
            ));
            return true;
        }
    };
    match (message.method, message.id) {
        (Some(method), Some(id)) => {
            handler.request(id.to_owned(), &method, message.params);
            true
        }
        (Some(method), None) => handler.notification(&method, message.params),
        (None, Some(id)) => {
            let reply = match (message.result, message.error) {
                (_, Some(error)) => Err(error),
                (Some(result), None) => Ok(result.to_owned()),
                (None, None) => Ok(RawValue::NULL.to_owned()),
            };
            client.answer(id, reply);
            true
        }
        (None, None) => {
            client.send(Outgoing::error(
                None,
                &Error::new(Error::INVALID_REQUEST, "neither a request nor a response"),
            ));
            true
        }
    }
}

/// Writes queued messages until the close mark, flushing whenever the queue runs dry. Each
/// message is one vectored write (no buffer: a large answer is not copied again), unless it
/// holds a packed answer, which is expanded into `expanded` a block at a time.
fn write(mut output: impl Write, mut outgoing: mpsc::UnboundedReceiver<Outgoing>) {
    let mut expanded = Vec::new();
    while let Some(mut message) = outgoing.blocking_recv() {
        loop {
            if message.parts.is_empty() {
                // The close mark.
                let _ = output.flush();
                return;
            }
            if let Err(error) = write_one(&mut output, &message, &mut expanded) {
                tracing::error!("cannot write to the client: {error}");
                return;
            }
            match outgoing.try_recv() {
                Ok(next) => message = next,
                Err(_) => break,
            }
        }
        if let Err(error) = output.flush() {
            tracing::error!("cannot write to the client: {error}");
            return;
        }
    }
    let _ = output.flush();
}

/// The header and every piece of `message`, gathered into as few writes as the output takes.
fn write_one(
    output: &mut impl Write,
    message: &Outgoing,
    expanded: &mut Vec<u8>,
) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", message.len());
    write_parts(output, header.as_bytes(), &message.parts, expanded)
}

/// Writes `prefix` and `parts` in order: each run of parts held as bytes in one vectored
/// write, a packed part block by block.
fn write_parts(
    output: &mut impl Write,
    prefix: &[u8],
    parts: &[Part],
    expanded: &mut Vec<u8>,
) -> std::io::Result<()> {
    let mut prefix = Some(prefix);
    let mut rest = parts;
    loop {
        let held = rest
            .iter()
            .position(|part| part.bytes().is_none())
            .unwrap_or(rest.len());
        let (plain, after) = rest.split_at(held);
        let mut slices: Vec<IoSlice> = prefix
            .take()
            .into_iter()
            .chain(plain.iter().filter_map(Part::bytes))
            .map(IoSlice::new)
            .collect();
        write_all_vectored(output, &mut slices)?;
        let Some((packed, tail)) = after.split_first() else {
            return Ok(());
        };
        if let Part::Packed(packed) = packed {
            packed.write_to(output, expanded)?;
        }
        rest = tail;
    }
}

fn write_all_vectored(output: &mut impl Write, slices: &mut [IoSlice]) -> std::io::Result<()> {
    let mut slices = slices;
    while !slices.is_empty() {
        match output.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut slices, written),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_parts_are_found_only_in_the_usual_shape() {
        let body = br#"{"jsonrpc":"2.0","id":7,"method":"textDocument/codeAction","params":{"a":[1,"}"],"b":{}}}"#;
        assert_eq!(
            request_parts(body),
            Some(("7", "textDocument/codeAction", r#"{"a":[1,"}"],"b":{}}"#))
        );
        let spaced = b"{ \"jsonrpc\" : \"2.0\" ,\n \"id\" : \"x-1\", \"method\":\"m\", \"params\" : [1] \r\n}";
        assert_eq!(request_parts(spaced), Some((r#""x-1""#, "m", "[1]")));
        for other in [
            // Parameters first, a notification, an escaped method, an unknown member, a
            // response.
            &br#"{"params":{},"jsonrpc":"2.0","id":1,"method":"m"}"#[..],
            br#"{"jsonrpc":"2.0","method":"m","params":{}}"#,
            br#"{"jsonrpc":"2.0","id":1,"method":"m\u0041","params":{}}"#,
            br#"{"jsonrpc":"2.0","id":1,"extra":true,"method":"m","params":{}}"#,
            br#"{"jsonrpc":"2.0","id":1,"result":{}}"#,
            b"[1]",
        ] {
            assert_eq!(
                request_parts(other),
                None,
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }

    #[test]
    fn a_cached_result_is_framed_around_the_clients_id() {
        let id = RawValue::from_string(r#""a-1""#.into()).unwrap();
        let message = Outgoing::result(&id, Serialised::plain(b"[1,2]".to_vec()));
        let bytes = message.to_bytes();
        assert_eq!(bytes.len(), message.len());
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"jsonrpc": "2.0", "id": "a-1", "result": [1, 2]})
        );
    }

    /// The message as the writer puts it on the wire.
    fn written(message: &Outgoing) -> Vec<u8> {
        let mut output = Vec::new();
        write_one(&mut output, message, &mut Vec::new()).unwrap();
        output
    }

    #[test]
    fn a_large_result_is_packed_and_written_byte_for_byte_as_serialised() {
        // Several blocks and a short last one, of JSON that repeats like an outline does.
        let names: Vec<String> = (0..20_000).map(|n| format!("symbol {n}")).collect();
        let json = serde_json::to_vec(&names).unwrap();
        assert!(json.len() > 2 * Packed::BLOCK && !json.len().is_multiple_of(Packed::BLOCK));
        let serialised = Serialised::of(&names).unwrap();
        let Serialised::Packed(packed) = &serialised else {
            panic!("a large result is packed");
        };
        assert_eq!(packed.len, json.len());
        let stored: usize = packed.blocks.iter().map(|block| block.len()).sum();
        assert!(stored < json.len() / 3, "{stored} of {}", json.len());
        let id = RawValue::from_string("7".into()).unwrap();
        let expected = written(&Outgoing::result(&id, Serialised::plain(json)));
        assert_eq!(
            written(&Outgoing::result(&id, serialised.clone())),
            expected
        );
        let body = Outgoing::result(&id, serialised).to_bytes();
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        assert!(expected.starts_with(header.as_bytes()));
        assert!(expected.ends_with(&body));
    }

    #[test]
    fn results_up_to_one_block_stay_plain() {
        // A JSON string of exactly one block (quotes included), and one byte more.
        let exact = "x".repeat(Packed::BLOCK - 2);
        assert!(
            matches!(Serialised::of(&exact), Ok(Serialised::Plain(bytes)) if bytes.len() == Packed::BLOCK)
        );
        let over = "x".repeat(Packed::BLOCK - 1);
        let Ok(Serialised::Packed(packed)) = Serialised::of(&over) else {
            panic!("one byte over a block is packed");
        };
        assert_eq!((packed.len, packed.blocks.len()), (Packed::BLOCK + 1, 2));
        let mut expanded = Vec::new();
        packed.write_to(&mut expanded, &mut Vec::new()).unwrap();
        assert_eq!(expanded, serde_json::to_vec(&over).unwrap());
    }

    #[test]
    fn params_that_do_not_fit_are_invalid_params() {
        let raw = RawValue::from_string(r#"{"textDocument": 3}"#.into()).unwrap();
        let error = params::<ls_types::DocumentSymbolParams>(Some(&raw)).unwrap_err();
        assert_eq!(error.code, Error::INVALID_PARAMS);
        assert_eq!(params::<()>(None), Ok(()));
    }
}
