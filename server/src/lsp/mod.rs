//! The LSP layer: the only module that knows LSP types and the wire. Handlers convert positions
//! to byte offsets, call `analysis`/`lint`, and convert the results back.

pub mod configuration;
pub mod convert;
pub mod documents;
pub mod rpc;
pub mod server;
pub mod settings;

pub use server::Server;

pub(crate) use crate::lock;

/// Serves LSP over any pair of byte streams (stdio in production, a socket pair in tests)
/// until the client says `exit` or closes its end. Blocks the calling thread, which must have
/// entered a tokio runtime (`Runtime::enter`) and must not be one of its workers: the handlers
/// run on that runtime's blocking pool. True when the client asked for `shutdown` first (LSP:
/// the exit code is 0 then, 1 otherwise).
pub fn serve(input: impl std::io::Read, output: impl std::io::Write + Send + 'static) -> bool {
    let (sender, outgoing) = tokio::sync::mpsc::unbounded_channel();
    let client = rpc::Client::new(sender);
    let server = Server::new(client.clone());
    rpc::serve(input, output, client, outgoing, server).was_shut_down()
}

/// Serves LSP on stdin and stdout; true after a clean `shutdown`.
pub fn serve_stdio() -> bool {
    widen_pipes();
    serve(stdio::Input::new(), stdio::Output::new())
}

/// Standard input and output without the standard library's buffers and locks: the server
/// reads and writes through its own buffers, and a message leaves in one `writev`.
mod stdio {
    use std::io::{IoSlice, Read, Write};

    #[cfg(unix)]
    fn raw(fd: i32) -> std::mem::ManuallyDrop<std::fs::File> {
        use std::os::fd::FromRawFd;
        // SAFETY: fds 0 and 1 are open for the whole process; ManuallyDrop never closes them.
        std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) })
    }

    pub struct Input {
        #[cfg(unix)]
        file: std::mem::ManuallyDrop<std::fs::File>,
        #[cfg(not(unix))]
        stdin: std::io::Stdin,
    }

    impl Input {
        pub fn new() -> Input {
            Input {
                #[cfg(unix)]
                file: raw(0),
                #[cfg(not(unix))]
                stdin: std::io::stdin(),
            }
        }
    }

    impl Read for Input {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            #[cfg(unix)]
            return (&*self.file).read(buf);
            #[cfg(not(unix))]
            return self.stdin.read(buf);
        }
    }

    pub struct Output {
        #[cfg(unix)]
        file: std::mem::ManuallyDrop<std::fs::File>,
        #[cfg(not(unix))]
        stdout: std::io::Stdout,
    }

    impl Output {
        pub fn new() -> Output {
            Output {
                #[cfg(unix)]
                file: raw(1),
                #[cfg(not(unix))]
                stdout: std::io::stdout(),
            }
        }
    }

    impl Write for Output {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            #[cfg(unix)]
            return (&*self.file).write(buf);
            #[cfg(not(unix))]
            return self.stdout.write(buf);
        }

        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
            #[cfg(unix)]
            return (&*self.file).write_vectored(bufs);
            #[cfg(not(unix))]
            return self.stdout.write_vectored(bufs);
        }

        fn flush(&mut self) -> std::io::Result<()> {
            #[cfg(unix)]
            return Ok(());
            #[cfg(not(unix))]
            return self.stdout.flush();
        }
    }
}

/// Editors talk to us over pipes of 64 KiB. A document-symbol answer for a large file is
/// about a megabyte, which then crosses in a ping-pong of small writes and reads; a 1 MiB pipe
/// (the most Linux gives an unprivileged process) carries it in one or two. Errors are fine:
/// stdio may not be a pipe at all.
fn widen_pipes() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    for fd in [0, 1] {
        // SAFETY: F_SETPIPE_SZ only resizes the kernel buffer of an open pipe; on anything
        // else it fails with EBADF or EINVAL and changes nothing.
        unsafe {
            libc::fcntl(fd, libc::F_SETPIPE_SZ, 1 << 20);
        }
    }
}
