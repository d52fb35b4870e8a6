//! What generated request builders share: the [`Operation`] trait each implements (its request
//! and response decoding), the [`Call`] future their `.send()` and `.await` return, and
//! the `operation!` macro that gives each builder `options`, `send` and `IntoFuture`.
use super::download::Download;
use super::request::{BoxFuture, Request};
use super::response::Response;
use crate::client::Client;
use crate::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// One operation's request builder, as the runtime sees it: the request it builds and how its
/// response is read. Every generated builder implements it; the runtime sends and pages through
/// it, so no builder carries code of its own for that.
#[doc(hidden)]
pub trait Operation {
    /// What a successful call resolves to.
    type Output;
    /// The request as the builder's parameters stand (it can be built again, for pages).
    fn request(&self) -> Request;
    /// Reads a response by its status: the success type, or [`Error::Api`].
    fn decode(response: Response) -> Result<Self::Output, Error>;
}

/// A call in flight: the response on its way, then decoded into `T`.
///
/// Every request builder's `.send()` returns one, and awaiting the builder awaits one. It is
/// `Send` and `Unpin`; dropping it aborts the call (the attempt in flight is cancelled and no
/// retry follows).
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T> {
    state: State<'a, T>,
}

enum State<'a, T> {
    /// A response read whole, then decoded.
    Buffered {
        response: BoxFuture<'a, Result<Response, Error>>,
        decode: fn(Response) -> Result<T, Error>,
    },
    /// A value the future makes itself (a download).
    Direct(BoxFuture<'a, Result<T, Error>>),
}

impl<'a, T> Call<'a, T> {
    /// Starts a call: `request` is sent when the call is first polled, and its response read
    /// by `decode`.
    #[doc(hidden)]
    pub fn new(
        client: &'a Client,
        request: Request,
        decode: fn(Response) -> Result<T, Error>,
    ) -> Self {
        Call {
            state: State::Buffered {
                response: request.send(client),
                decode,
            },
        }
    }

    /// The call `operation` makes as its parameters stand: every builder's `send`, through
    /// one generic function rather than a body of its own to type check.
    #[doc(hidden)]
    #[inline]
    pub fn of<O: Operation<Output = T>>(client: &'a Client, operation: &O) -> Self {
        Self::new(client, operation.request(), O::decode)
    }
}

impl<'a> Call<'a, Download> {
    /// Starts a download: `request` is sent when the call is first polled, and a success's
    /// body left to stream; other statuses are read by `decode`.
    #[doc(hidden)]
    pub fn download(
        client: &'a Client,
        request: Request,
        decode: fn(Response) -> Result<bytes::Bytes, Error>,
    ) -> Self {
        Call {
            state: State::Direct(request.download(client, decode)),
        }
    }

    /// [`Call::of`] for an operation whose success body is a file.
    #[doc(hidden)]
    #[inline]
    pub fn download_of<O: Operation<Output = bytes::Bytes>>(
        client: &'a Client,
        operation: &O,
    ) -> Self {
        Self::download(client, operation.request(), O::decode)
    }
}

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.state {
            State::Buffered { response, decode } => {
                let decode = *decode;
                // Matched out rather than `map` and `and_then`, which are two more functions
                // per output type in a debug build.
                match response.as_mut().poll(cx) {
                    Poll::Ready(Ok(response)) => Poll::Ready(decode(response)),
                    Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
                    Poll::Pending => Poll::Pending,
                }
            }
            State::Direct(future) => future.as_mut().poll(cx),
        }
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

/// Gives a request builder (which implements [`Operation`]) what every builder has: the
/// `options` setter, `send`, and `IntoFuture`, so `client.users().get(id).await` sends. All of
/// it resolves to [`Call`], one future type for every operation. Every method here is
/// `#[inline]`, like the builders' `request` and `decode`: an operation's code (and the serde
/// code for its types) is compiled by the crate that calls it, not by the SDK.
#[macro_export]
#[doc(hidden)]
macro_rules! operation {
    // An operation whose success body is a file: `.download()` streams it.
    ($builder:ident => $output:ty, download) => {
        $crate::operation!($builder => $output);

        impl<'a> $builder<'a> {
            /// Sends the request and resolves once the response's status and headers are in,
            /// to a [`Download`]($crate::Download): the body as a stream of chunks, with its
            /// media type and file name, never held whole (awaiting the builder buffers it).
            #[inline]
            pub fn download(self) -> $crate::Call<'a, $crate::Download> {
                $crate::Call::download_of(self.client, &self)
            }
        }
    };
    ($builder:ident => $output:ty) => {
        impl<'a> $builder<'a> {
            /// Per-call settings (timeout, retries, `x-org-id`) for this call only.
            // Inline like the rest: a by-value builder method the SDK compiled itself would
            // compile the builder's drop glue, and through it every body model's (half of the
            // SDK's LLVM IR when this one was not).
            #[inline]
            pub fn options(mut self, options: $crate::CallOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and decodes the response (awaiting the builder does the
            /// same). Dropping the returned future aborts the call.
            #[inline]
            pub fn send(self) -> $crate::Call<'a, $output> {
                $crate::Call::of(self.client, &self)
            }
        }

        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = $crate::Result<$output>;
            type IntoFuture = $crate::Call<'a, $output>;
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_and_unpin<T: Send + Unpin>(_: &T) {}

    #[test]
    fn a_call_is_send_and_unpin_whatever_it_returns() {
        let client = Client::builder().api_key("k").build().expect("client");
        let request = Request::new(
            crate::Service::ALL[0],
            "op",
            reqwest::Method::GET,
            "/a",
            &[],
        );
        // A type that is neither `Send` nor `Unpin` still makes a `Send + Unpin` call.
        let call: Call<'_, (std::rc::Rc<()>, std::marker::PhantomPinned)> =
            Call::new(&client, request, |_| unreachable!("never polled"));
        send_and_unpin(&call);
    }
}
