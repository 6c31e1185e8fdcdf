//! The TCP connector behind awc, which tells a body cut before its last chunk from
//! one that ended.
//!
//! awc ends a chunked body quietly when the connection closes early: its payload
//! stream yields `None` both after the last chunk and at end of stream. The chunked
//! decoder asks the connection for more bytes only while the body is unfinished, so
//! a read that finds the end of stream before the body ended means the body was
//! cut. Each connection here is a [`Watched`] stream that notes such a read.
//!
//! awc gives a connector the request's URI and address, nothing of the fetch that
//! asked, so each hop names its connection in the URI's user info (`wca-N@host`,
//! never sent: awc writes the path as the request target and the host as `Host`;
//! URLs with user info of their own are refused by the guard). The connector hands
//! hop `N` its flag through [`Connections`].

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_rt::net::{ActixStream, Ready, TcpStream};
use actix_service::Service;
use actix_tls::connect::{ConnectError, ConnectInfo, Connection};
use awc::http::Uri;
use futures_util::future::LocalBoxFuture;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Whether a connection's read found the end of stream.
pub(crate) type Ended = Rc<Cell<bool>>;

/// The flags of connections being opened, by hop number (one worker's).
#[derive(Debug, Clone, Default)]
pub(crate) struct Connections {
    next: Rc<Cell<u64>>,
    waiting: Rc<RefCell<BTreeMap<u64, Ended>>>,
}

impl Connections {
    /// The next hop: the name its connection goes by, and the flag that connection
    /// will set. The name is forgotten when the hop is dropped.
    pub(crate) fn open(&self) -> Hop {
        let n = self.next.get();
        self.next.set(n.wrapping_add(1));
        let ended = Ended::default();
        self.waiting.borrow_mut().insert(n, ended.clone());
        Hop {
            connections: self.clone(),
            n,
            name: format!("wca-{n}"),
            ended,
        }
    }

    fn take(&self, uri: &Uri) -> Option<Ended> {
        let authority = uri.authority()?.as_str();
        let (user, _) = authority.split_once('@')?;
        self.waiting.borrow_mut().remove(&number(user)?)
    }
}

/// One request's connection being opened; see [`Connections::open`].
pub(crate) struct Hop {
    connections: Connections,
    n: u64,
    name: String,
    ended: Ended,
}

impl Hop {
    /// The user info that names this hop's connection.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The flag of this hop's connection.
    pub(crate) fn ended(&self) -> Ended {
        self.ended.clone()
    }
}

impl Drop for Hop {
    fn drop(&mut self) {
        self.connections.waiting.borrow_mut().remove(&self.n);
    }
}

fn number(name: &str) -> Option<u64> {
    name.strip_prefix("wca-")?.parse().ok()
}

/// Connects to the one address awc was given (the fetcher always gives it one it
/// checked), with `TCP_NODELAY`, as awc's own connector does.
#[derive(Clone)]
pub(crate) struct Connector {
    pub(crate) connections: Connections,
}

impl Service<ConnectInfo<Uri>> for Connector {
    type Response = Connection<Uri, Watched>;
    type Error = ConnectError;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    actix_service::always_ready!();

    fn call(&self, req: ConnectInfo<Uri>) -> Self::Future {
        let ended = self.connections.take(req.request()).unwrap_or_default();
        let addr = req.addrs().next();
        let uri = req.request().clone();
        Box::pin(async move {
            let addr = addr.ok_or(ConnectError::Unresolved)?;
            let stream = TcpStream::connect(addr).await.map_err(ConnectError::Io)?;
            let _ = stream.set_nodelay(true);
            Ok(Connection::new(uri, Watched { stream, ended }))
        })
    }
}

/// A TCP stream that notes a read that found the end of stream.
#[derive(Debug)]
pub(crate) struct Watched {
    stream: TcpStream,
    ended: Ended,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let asked = buf.remaining() > 0;
        let poll = Pin::new(&mut self.stream).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = poll
            && asked
            && buf.filled().len() == before
        {
            self.ended.set(true);
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

impl ActixStream for Watched {
    fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<Ready>> {
        ActixStream::poll_read_ready(&self.stream, cx)
    }

    fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<Ready>> {
        ActixStream::poll_write_ready(&self.stream, cx)
    }
}
