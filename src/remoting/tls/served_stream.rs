//! The read half of a served connection, plain or TLS, as the server loop needs it: an
//! `AsyncRead`, plus "read what has already arrived, without waiting" for a stopping server.

use std::io::Read;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

/// A connection's read half.
pub trait ServedRead: AsyncRead + Unpin + Send + 'static {
    /// Bytes that already arrived, without waiting: `WouldBlock` when there are none.
    fn read_arrived(&mut self, buf: &mut [u8]) -> std::io::Result<usize>;
}

impl ServedRead for OwnedReadHalf {
    /// Asks the socket directly, not the reactor: a request that arrived just before the stop
    /// must not be missed because its readiness event is handled after it.
    fn read_arrived(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let socket = socket2::SockRef::from(self.as_ref());
        (&*socket).read(buf)
    }
}

impl ServedRead for tokio::io::ReadHalf<TlsStream<TcpStream>> {
    /// Decrypts what the TLS layer can without waiting (one poll with a no-op waker).
    fn read_arrived(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut read = ReadBuf::new(buf);
        match std::pin::Pin::new(self).poll_read(&mut cx, &mut read) {
            Poll::Ready(Ok(())) => Ok(read.filled().len()),
            Poll::Ready(Err(e)) => Err(e),
            Poll::Pending => Err(std::io::ErrorKind::WouldBlock.into()),
        }
    }
}
