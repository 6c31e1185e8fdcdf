//! Response bodies in pieces small enough that no connection's write buffer grows
//! past a fixed size, however large the body.

use actix_web::body::MessageBody;
use actix_web::web;

/// What each connection's write buffer may grow to. actix keeps a connection's buffer
/// while the connection stays open (up to 128 KiB), and the buffer grows by doubling,
/// from 8 KiB, whenever what it must hold does not fit. With actix's defaults and
/// whole bodies, 256 keep-alive connections under load held 64–128 KiB each, 20 MiB
/// in all, and still growing after an hour.
///
/// The bytes crate reuses the space of bytes already written only once they are at
/// least as many as the bytes still waiting; until then, adding to the buffer may
/// move it to one twice as large. After a partial write (the socket took only part
/// of the buffer), the buffer must therefore find room for the bytes written but not
/// yet reclaimed (fewer than those waiting), the bytes waiting, and what is added.
/// actix adds a piece of a body only while fewer than [`WRITE_BUFFER`] bytes wait,
/// so the buffer never needs more than `2 × WRITE_BUFFER + PIECE`: this. A response
/// head goes into an empty buffer when the client waits for each response before it
/// sends the next request, as browsers and wrk do; behind a pipelining client it can
/// follow a last piece, and that connection's buffer may reach 32 KiB.
///
/// A larger sum (a 14 KiB flush threshold with 2 KiB pieces can reach 30 KiB) shows
/// in heaptrack as buffers drifting towards 32 KiB, one partial write at a time: the
/// slow growth of a soak's memory.
const BUFFER_CAP: usize = 16 << 10;

/// actix writes the buffer to the socket once this many bytes wait (its default is
/// 32 KiB): in practice after each piece, which is one write a piece.
pub(crate) const WRITE_BUFFER: usize = 1 << 10;

/// Bodies, and each chunk of a streamed one, are handed to actix in pieces of at
/// most this many bytes: actix copies what it is given into the connection's write
/// buffer, so a large body given whole would grow the buffer to its size. Most
/// reports and the page's files fit in one.
const PIECE: usize = BUFFER_CAP - 2 * WRITE_BUFFER;

/// `body` in pieces of at most [`PIECE`] bytes, shared rather than copied.
pub(crate) fn pieces(mut body: web::Bytes) -> impl Iterator<Item = web::Bytes> {
    std::iter::from_fn(move || (!body.is_empty()).then(|| body.split_to(PIECE.min(body.len()))))
}

/// A whole body with its Content-Length, in pieces of at most [`PIECE`] bytes (see
/// [`BUFFER_CAP`]); a body that fits in one goes as it is.
pub(crate) fn in_pieces(body: web::Bytes) -> actix_web::body::BoxBody {
    if body.len() <= PIECE {
        return body.boxed();
    }
    let len = body.len() as u64;
    let stream = futures_util::stream::iter(pieces(body).map(Ok::<_, std::convert::Infallible>));
    actix_web::body::SizedStream::new(len, stream).boxed()
}
