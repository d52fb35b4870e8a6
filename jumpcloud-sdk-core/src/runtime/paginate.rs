//! Streams over paged list operations. A generated list builder's `.stream()` says only where
//! its page position goes (`skip`/`limit` or the token) and where a page's items are; this
//! module does the paging, through the builder's [`Operation`] implementation. What does not
//! depend on the item type lives in `Pager`, compiled once rather than per operation.
use super::call::Operation;
use super::request::{BoxFuture, Request};
use super::response::Response;
use crate::client::Client;
use crate::error::Error;
use futures_core::Stream;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Page size when the caller sets no `limit`: JumpCloud's maximum for most list operations.
const DEFAULT_PAGE_SIZE: i64 = 100;

/// Where the next page starts.
enum Cursor {
    /// `skip`/`limit` paging: the next offset.
    Offset(i64),
    /// Token paging: the token the last page returned (`None` for the first page).
    Token(Option<String>),
}

/// What a page request asks for.
enum PageRequest {
    Offset { skip: i64, limit: i64 },
    Token(Option<String>),
}

/// A page as received: its items, the next token, and `x-total-count`.
type Page<T> = (Vec<T>, Option<String>, Option<u64>);

/// A page's items and, for token paging, the next token.
type Items<T> = (Vec<T>, Option<String>);

/// A list operation's pages: the request for one, and a page's items.
trait Pages<T>: Send {
    fn request(&self, page: PageRequest) -> Request;
    fn read(&self, response: Response) -> Result<Items<T>, Error>;
}

/// The builder's `skip` and `limit`.
type OffsetFields<B, S, L> = fn(&mut B) -> (&mut Option<S>, &mut Option<L>);

/// Offset paging over builder `B`, whose response body `O` holds the items.
struct OffsetPages<B, S, L, O, T> {
    builder: B,
    fields: OffsetFields<B, S, L>,
    items: fn(O) -> Vec<T>,
}

impl<B, S, L, O, T> Pages<T> for OffsetPages<B, S, L, O, T>
where
    B: Operation<Output = O> + Clone + Send,
    S: PageNumber,
    L: PageNumber,
{
    fn request(&self, page: PageRequest) -> Request {
        let mut builder = self.builder.clone();
        if let PageRequest::Offset { skip, limit } = page {
            let (skip_field, limit_field) = (self.fields)(&mut builder);
            *skip_field = Some(S::from_page_number(skip));
            *limit_field = Some(L::from_page_number(limit));
        }
        builder.request()
    }

    fn read(&self, response: Response) -> Result<Items<T>, Error> {
        B::decode(response).map(|body| ((self.items)(body), None))
    }
}

/// Token paging over builder `B`: `token` is its page-token parameter, `page` reads the items
/// and the next token from the response body `O`.
struct TokenPages<B, O, T> {
    builder: B,
    token: fn(&mut B) -> &mut Option<String>,
    page: fn(O) -> Items<T>,
}

impl<B, O, T> Pages<T> for TokenPages<B, O, T>
where
    B: Operation<Output = O> + Clone + Send,
{
    fn request(&self, page: PageRequest) -> Request {
        let mut builder = self.builder.clone();
        if let PageRequest::Token(token) = page {
            *(self.token)(&mut builder) = token;
        }
        builder.request()
    }

    fn read(&self, response: Response) -> Result<Items<T>, Error> {
        B::decode(response).map(self.page)
    }
}

/// The paging state, whatever the items are: where the next page starts, the cap, what has
/// been fetched and yielded, and the page in flight.
struct Pager<'a> {
    client: &'a Client,
    cursor: Cursor,
    page_size: i64,
    /// The `limit` of the page last asked for (a cap may ask for less than a page).
    last_limit: i64,
    max_items: Option<usize>,
    yielded: usize,
    total_count: Option<u64>,
    fetched: usize,
    in_flight: Option<BoxFuture<'a, Result<Response, Error>>>,
    finished: bool,
}

impl<'a> Pager<'a> {
    fn new(client: &'a Client, cursor: Cursor, page_size: i64) -> Self {
        Pager {
            client,
            cursor,
            page_size,
            last_limit: page_size,
            max_items: None,
            yielded: 0,
            total_count: None,
            fetched: 0,
            in_flight: None,
            finished: false,
        }
    }

    /// Offset paging from `skip` (default 0), `limit` items a page (default 100).
    fn offset(client: &'a Client, skip: Option<i64>, limit: Option<i64>) -> Self {
        let page_size = limit.filter(|&n| n > 0).unwrap_or(DEFAULT_PAGE_SIZE);
        Self::new(client, Cursor::Offset(skip.unwrap_or(0)), page_size)
    }

    /// Token paging from `start` (the first page when `None`).
    fn token(client: &'a Client, start: Option<String>) -> Self {
        Self::new(client, Cursor::Token(start), DEFAULT_PAGE_SIZE)
    }

    fn capped(&self) -> bool {
        self.max_items.is_some_and(|max| self.yielded >= max)
    }

    /// What the next page asks for.
    fn next_page(&mut self) -> PageRequest {
        self.fetched += 1;
        match &self.cursor {
            Cursor::Offset(skip) => {
                // Ask for no more than the cap still needs.
                let wanted = self.max_items.map(|max| (max - self.yielded) as i64);
                let limit = wanted.map_or(self.page_size, |w| w.clamp(1, self.page_size));
                self.last_limit = limit;
                PageRequest::Offset { skip: *skip, limit }
            }
            Cursor::Token(token) => PageRequest::Token(token.clone()),
        }
    }

    /// Polls the page in flight (`None` when there is none) for its response, and reads that
    /// response's page with `pages`.
    fn poll_page<T>(
        &mut self,
        cx: &mut Context<'_>,
        pages: &dyn Pages<T>,
    ) -> Poll<Option<Result<Page<T>, Error>>> {
        let Some(response) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let response = ready!(response.as_mut().poll(cx));
        self.in_flight = None;
        Poll::Ready(Some(response.and_then(|response| {
            let total = total_count(&response);
            let (items, next) = pages.read(response)?;
            Ok((items, next, total))
        })))
    }

    /// Takes a page of `received` items in and decides whether another page follows.
    fn accept_page(&mut self, received: usize, next: Option<String>, total: Option<u64>) {
        if total.is_some() {
            self.total_count = total;
        }
        let received = received as i64;
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

/// The `x-total-count` a response reports.
fn total_count(response: &Response) -> Option<u64> {
    response
        .header("x-total-count")
        .and_then(|value| value.trim().parse::<u64>().ok())
}

/// Every item of a list operation, fetched page by page as the stream is read. Implements
/// [`futures_core::Stream`], and without extra crates: [`next`](Self::next) for one item,
/// [`next_page`](Self::next_page) for a page, [`all`](Self::all) to collect,
/// [`try_for_each`](Self::try_for_each), [`max_items`](Self::max_items) to stop early.
///
/// ```no_run
/// # async fn run(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
/// let mut groups = client.user_groups().list_all().limit(50).stream().max_items(500);
/// while let Some(page) = groups.next_page().await {
///     println!("a page of {} groups", page?.len());
/// }
/// # Ok(())
/// # }
/// ```
///
/// Offset paging stops at a page shorter than the page size (unless `x-total-count` says more
/// items exist) or at `x-total-count`; token paging stops when no next token comes back.
#[must_use = "a stream does nothing until it is read"]
pub struct Paginated<'a, T> {
    pager: Pager<'a>,
    pages: Box<dyn Pages<T> + 'a>,
    buffer: VecDeque<T>,
}

impl<'a, T: Send + 'a> Paginated<'a, T> {
    /// Offset paging from `builder`'s `skip` (default 0), `limit` items a page (default 100),
    /// calling `client`. `fields` reaches the builder's `skip` and `limit`; `items` takes a
    /// page's items from its body.
    #[doc(hidden)]
    pub fn offset<B, S, L>(
        client: &'a Client,
        mut builder: B,
        fields: OffsetFields<B, S, L>,
        items: fn(B::Output) -> Vec<T>,
    ) -> Self
    where
        B: Operation + Clone + Send + 'a,
        S: PageNumber + 'a,
        L: PageNumber + 'a,
    {
        let (skip, limit) = fields(&mut builder);
        let (skip, limit) = (page_number(skip), page_number(limit));
        let pager = Pager::offset(client, skip, limit);
        let pages = OffsetPages {
            builder,
            fields,
            items,
        };
        Self::new(pager, Box::new(pages))
    }

    /// Token paging from `builder`'s page token (the first page when unset), calling `client`:
    /// `token` reaches `builder`'s page-token parameter, `page`
    /// takes a page's items and next token from its body.
    #[doc(hidden)]
    pub fn token<B>(
        client: &'a Client,
        mut builder: B,
        token: fn(&mut B) -> &mut Option<String>,
        page: fn(B::Output) -> Items<T>,
    ) -> Self
    where
        B: Operation + Clone + Send + 'a,
    {
        // A token the caller set resumes from that page.
        let pager = Pager::token(client, token(&mut builder).clone());
        let pages = TokenPages {
            builder,
            token,
            page,
        };
        Self::new(pager, Box::new(pages))
    }

    fn new(pager: Pager<'a>, pages: Box<dyn Pages<T> + 'a>) -> Self {
        Paginated {
            pager,
            pages,
            buffer: VecDeque::new(),
        }
    }

    /// Stops after `max_items` items, fetching no page beyond what they need.
    pub fn max_items(mut self, max_items: usize) -> Self {
        self.pager.max_items = Some(max_items);
        self
    }

    /// The `x-total-count` the server reported, once a page has arrived.
    pub fn total_count(&self) -> Option<u64> {
        self.pager.total_count
    }

    /// Pages requested so far.
    pub fn pages_fetched(&self) -> usize {
        self.pager.fetched
    }

    /// Reads every item (up to `max_items`) into a `Vec`.
    pub async fn all(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// The next item, fetching the next page when the last one is used up; `None` at the end.
    /// (The same as `StreamExt::next`, without importing it.)
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The rest of the current page's items, or the next page's when none are left: a page
    /// at a time instead of an item at a time (`max_items` still applies). `None` at the end.
    pub async fn next_page(&mut self) -> Option<Result<Vec<T>, Error>> {
        let first = match self.next().await? {
            Ok(item) => item,
            Err(error) => return Some(Err(error)),
        };
        let mut page = vec![first];
        while !self.pager.capped() {
            let Some(item) = self.buffer.pop_front() else {
                break;
            };
            self.pager.yielded += 1;
            page.push(item);
        }
        Some(Ok(page))
    }

    /// Calls `f` with each item in turn, stopping at the first error (a page that fails, or
    /// `f`'s own).
    pub async fn try_for_each<F>(mut self, mut f: F) -> Result<(), Error>
    where
        F: FnMut(T) -> Result<(), Error>,
    {
        while let Some(item) = self.next().await {
            f(item?)?;
        }
        Ok(())
    }
}

// Items are only ever moved, never pinned in place, so the stream can move freely.
impl<T> Unpin for Paginated<'_, T> {}

impl<'a, T: Send + 'a> Stream for Paginated<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.pager.capped() {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                this.pager.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if this.pager.finished {
                return Poll::Ready(None);
            }
            if this.pager.in_flight.is_none() {
                let request = this.pages.request(this.pager.next_page());
                this.pager.in_flight = Some(request.send(this.pager.client));
            }
            let Some(page) = ready!(this.pager.poll_page(cx, &*this.pages)) else {
                return Poll::Ready(None);
            };
            match page {
                Ok((items, next, total)) => {
                    this.pager.accept_page(items.len(), next, total);
                    this.buffer.extend(items);
                }
                Err(error) => {
                    this.pager.finished = true;
                    return Poll::Ready(Some(Err(error)));
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
fn page_number<N: PageNumber>(value: &Option<N>) -> Option<i64> {
    value.as_ref().and_then(PageNumber::to_page_number)
}
