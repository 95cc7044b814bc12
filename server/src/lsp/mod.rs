//! The LSP layer: the only module that knows tower-lsp-server and LSP types. Handlers convert
//! positions to byte offsets, call `analysis`/`lint`, and convert the results back.

pub mod convert;
pub mod documents;
pub mod server;
pub mod settings;

use tower_lsp_server::{LspService, Server as Transport};

pub use server::Server;

/// Serves LSP over any pair of byte streams (stdio in production, a duplex in tests).
pub async fn serve<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let (service, socket) = LspService::new(Server::new);
    Transport::new(input, output, socket).serve(service).await;
}

/// Serves LSP on stdin and stdout.
pub async fn serve_stdio() {
    serve(tokio::io::stdin(), tokio::io::stdout()).await;
}
