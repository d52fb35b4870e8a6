//! Streams over paged list operations. Generated list builders (`.stream()`) describe how to
//! ask for one page and how to read its items; this module does the paging.
use crate::runtime::{BoxFuture, Request, Response};
use crate::{Client, Error};
use futures_core::Stream;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Page size when the caller sets no `limit`: JumpCloud's maximum for most list operations.
const DEFAULT_PAGE_SIZE: i64 = 100;

/// Where the next page starts.
enum Cursor {
    /// `skip`/`limit` paging: the next offset.
    Offset(i64),
    /// Token paging: the token the last page returned (`None` for the first page).
    Token(Option<String>),
}

/// Builds the request for one page: `(skip, limit)` or `(token, _)`.
type MakeRequest<'a> = Box<dyn FnMut(&PageRequest) -> Request + Send + 'a>;

/// Reads one page's items and, for token paging, the next token.
pub type DecodePage<T> = fn(Response) -> Result<(Vec<T>, Option<String>), Error>;

/// A page as received: its items, the next token, and `x-total-count`.
type Page<T> = (Vec<T>, Option<String>, Option<u64>);

/// What a page request asks for, handed to the generated request builder.
#[derive(Debug, Clone)]
pub enum PageRequest {
    Offset { skip: i64, limit: i64 },
    Token(Option<String>),
}

/// Every item of a list operation, fetched page by page as the stream is read. Implements
/// [`futures_core::Stream`]; [`Paginated::all`] collects everything without extra crates.
///
/// Offset paging stops at a page shorter than the page size (unless `x-total-count` says more
/// items exist) or at `x-total-count`; token paging stops when no next token comes back.
#[must_use = "a stream does nothing until it is read"]
pub struct Paginated<'a, T> {
    client: &'a Client,
    make_request: MakeRequest<'a>,
    decode: DecodePage<T>,
    cursor: Cursor,
    page_size: i64,
    /// The `limit` of the page last asked for (a cap may ask for less than a page).
    last_limit: i64,
    max_items: Option<usize>,
    yielded: usize,
    total_count: Option<u64>,
    pages: usize,
    buffer: VecDeque<T>,
    in_flight: Option<BoxFuture<'a, Result<Page<T>, Error>>>,
    finished: bool,
}

impl<'a, T: Send + 'a> Paginated<'a, T> {
    #[doc(hidden)]
    pub fn offset(
        client: &'a Client,
        start: Option<i64>,
        page_size: Option<i64>,
        make_request: impl FnMut(&PageRequest) -> Request + Send + 'a,
        decode: DecodePage<T>,
    ) -> Self {
        let page_size = page_size.filter(|&n| n > 0).unwrap_or(DEFAULT_PAGE_SIZE);
        Self::new(
            client,
            Cursor::Offset(start.unwrap_or(0)),
            page_size,
            make_request,
            decode,
        )
    }

    #[doc(hidden)]
    pub fn token(
        client: &'a Client,
        make_request: impl FnMut(&PageRequest) -> Request + Send + 'a,
        decode: DecodePage<T>,
    ) -> Self {
        Self::new(
            client,
            Cursor::Token(None),
            DEFAULT_PAGE_SIZE,
            make_request,
            decode,
        )
    }

    fn new(
        client: &'a Client,
        cursor: Cursor,
        page_size: i64,
        make_request: impl FnMut(&PageRequest) -> Request + Send + 'a,
        decode: DecodePage<T>,
    ) -> Self {
        Paginated {
            client,
            make_request: Box::new(make_request),
            decode,
            cursor,
            page_size,
            last_limit: page_size,
            max_items: None,
            yielded: 0,
            total_count: None,
            pages: 0,
            buffer: VecDeque::new(),
            in_flight: None,
            finished: false,
        }
    }

    /// Stops after `max_items` items, fetching no page beyond what they need.
    pub fn max_items(mut self, max_items: usize) -> Self {
        self.max_items = Some(max_items);
        self
    }

    /// The `x-total-count` the server reported, once a page has arrived.
    pub fn total_count(&self) -> Option<u64> {
        self.total_count
    }

    /// Pages requested so far.
    pub fn pages_fetched(&self) -> usize {
        self.pages
    }

    /// Reads every item (up to `max_items`) into a `Vec`.
    pub async fn all(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            items.push(item?);
        }
        Ok(items)
    }

    fn start_page(&mut self) {
        let request = match &self.cursor {
            Cursor::Offset(skip) => {
                // Ask for no more than the cap still needs.
                let wanted = self.max_items.map(|max| (max - self.yielded) as i64);
                let limit = wanted.map_or(self.page_size, |w| w.clamp(1, self.page_size));
                self.last_limit = limit;
                PageRequest::Offset { skip: *skip, limit }
            }
            Cursor::Token(token) => PageRequest::Token(token.clone()),
        };
        let request = (self.make_request)(&request);
        let (client, decode) = (self.client, self.decode);
        self.pages += 1;
        self.in_flight = Some(Box::pin(async move {
            let response = request.send(client).await?;
            let total = response
                .header("x-total-count")
                .and_then(|value| value.trim().parse::<u64>().ok());
            let (items, next) = decode(response)?;
            Ok((items, next, total))
        }));
    }

    /// Takes a page in: buffers its items and decides whether another page follows.
    fn accept_page(&mut self, items: Vec<T>, next: Option<String>, total: Option<u64>) {
        if total.is_some() {
            self.total_count = total;
        }
        let received = items.len() as i64;
        self.buffer.extend(items);
        match &mut self.cursor {
            Cursor::Offset(skip) => {
                *skip += received;
                let more_by_count = self.total_count.map(|total| (*skip as u64) < total);
                let full_page = received >= self.last_limit;
                self.finished = received == 0 || !more_by_count.unwrap_or(full_page);
            }
            Cursor::Token(token) => {
                *token = next.filter(|t| !t.is_empty());
                self.finished = token.is_none();
            }
        }
    }
}

// Items are only ever moved, never pinned in place, so the stream can move freely.
impl<T> Unpin for Paginated<'_, T> {}

impl<'a, T: Send + 'a> Stream for Paginated<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.max_items.is_some_and(|max| this.yielded >= max) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            if this.in_flight.is_none() {
                this.start_page();
            }
            let Some(page) = this.in_flight.as_mut() else {
                return Poll::Ready(None);
            };
            match page.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    this.in_flight = None;
                    match result {
                        Ok((items, next, total)) => this.accept_page(items, next, total),
                        Err(error) => {
                            this.finished = true;
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                }
            }
        }
    }
}

/// The numeric types list operations use for `limit` and `skip` (JumpCloud's document uses
/// integers and, for a few operations, strings).
pub trait PageNumber {
    fn to_page_number(&self) -> Option<i64>;
    fn from_page_number(value: i64) -> Self;
}

impl PageNumber for i64 {
    fn to_page_number(&self) -> Option<i64> {
        Some(*self)
    }
    fn from_page_number(value: i64) -> Self {
        value
    }
}

impl PageNumber for i32 {
    fn to_page_number(&self) -> Option<i64> {
        Some(i64::from(*self))
    }
    fn from_page_number(value: i64) -> Self {
        i32::try_from(value).unwrap_or(i32::MAX)
    }
}

impl PageNumber for String {
    fn to_page_number(&self) -> Option<i64> {
        self.trim().parse().ok()
    }
    fn from_page_number(value: i64) -> Self {
        value.to_string()
    }
}

/// A builder's `limit` or `skip`, as a page number.
pub fn page_number<N: PageNumber>(value: &Option<N>) -> Option<i64> {
    value.as_ref().and_then(PageNumber::to_page_number)
}
