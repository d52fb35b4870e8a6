//! How requests prove who sends them: an API key, or a device's System Context signature.
//! Secrets stay here; nothing in this module prints them.
//!
//! What holds a secret, and for how long:
//! - the builder's copy of the API key and of the private key's PEM text: `Zeroizing`, wiped
//!   when `ClientBuilder::build` has read them (or when the builder is dropped);
//! - the private key's DER bytes: wiped as soon as the key pair is made from them;
//! - the key pair (`ring::signature::RsaKeyPair`) and the API key's sensitive `HeaderValue`:
//!   for the life of the client (its last clone). ring keeps its key limbs in memory of its
//!   own and offers no wiping, and a `HeaderValue` is shared bytes; both are freed, not wiped;
//! - each request's copy of the API key or signature, in reqwest's and hyper's buffers, for
//!   the length of the attempt.
use crate::error::Error;
use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, DATE};
use reqwest::{Method, RequestBuilder, Url};
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;
use std::fmt;
use std::time::SystemTime;
use zeroize::Zeroizing;

pub(crate) enum Auth {
    /// `x-api-key: <key>`, a sensitive header value.
    ApiKey(HeaderValue),
    /// JumpCloud's System Context API: the device signs each request with its agent key.
    SystemContext(Box<SystemContext>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Auth::SystemContext(context) => f
                .debug_struct("SystemContext")
                .field("key_id", &context.key_id)
                .field("private_key", &"<redacted>")
                .finish(),
        }
    }
}

impl Auth {
    pub(crate) fn api_key(key: &str) -> Result<Self, Error> {
        let mut value = HeaderValue::from_str(key)
            .map_err(|_| Error::Config("the API key is not a valid header value".into()))?;
        value.set_sensitive(true);
        Ok(Auth::ApiKey(value))
    }

    pub(crate) fn system_context(system_key: &str, private_key_pem: &[u8]) -> Result<Self, Error> {
        SystemContext::new(system_key, private_key_pem)
            .map(|context| Auth::SystemContext(Box::new(context)))
    }

    /// Adds the credentials to one attempt; a signature covers this attempt's request line
    /// and a fresh `Date`. They replace any value the caller gave the same headers (some
    /// System Context operations declare `Authorization` and `Date` parameters).
    pub(crate) fn apply(
        &self,
        builder: RequestBuilder,
        method: &Method,
        url: &Url,
    ) -> Result<RequestBuilder, Error> {
        let mut headers = HeaderMap::with_capacity(2);
        match self {
            Auth::ApiKey(key) => {
                headers.insert(HeaderName::from_static("x-api-key"), key.clone());
            }
            Auth::SystemContext(context) => {
                let date = httpdate::fmt_http_date(SystemTime::now());
                let authorization = context.authorization(method, url, &date)?;
                headers.insert(AUTHORIZATION, authorization);
                headers.insert(
                    DATE,
                    HeaderValue::from_str(&date).expect("an HTTP date is a valid header value"),
                );
            }
        }
        // `headers` replaces same-named headers; `header` would add a second one.
        Ok(builder.headers(headers))
    }
}

pub(crate) struct SystemContext {
    /// `system/<systemKey>`.
    key_id: String,
    key: RsaKeyPair,
}

impl SystemContext {
    fn new(system_key: &str, private_key_pem: &[u8]) -> Result<Self, Error> {
        let valid_key_id = !system_key.is_empty()
            && system_key
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\');
        if !valid_key_id {
            return Err(Error::Config(
                "the system key must be visible ASCII without quotes".into(),
            ));
        }
        // The key's text never goes into an error: only what kind of problem it has. Its DER
        // bytes are wiped as soon as ring has read them.
        let der = PrivateKeyDer::from_pem_slice(private_key_pem).map_err(|_| {
            Error::Config("the System Context private key is not a PEM private key".into())
        })?;
        let der = Zeroizing::new(der);
        let key = match &*der {
            PrivateKeyDer::Pkcs1(pkcs1) => RsaKeyPair::from_der(pkcs1.secret_pkcs1_der()),
            PrivateKeyDer::Pkcs8(pkcs8) => RsaKeyPair::from_pkcs8(pkcs8.secret_pkcs8_der()),
            _ => {
                return Err(Error::Config(
                    "the System Context private key must be an RSA key".into(),
                ))
            }
        }
        .map_err(|rejected| {
            Error::Config(format!(
                "the System Context private key is not a usable RSA key ({rejected})"
            ))
        })?;
        Ok(SystemContext {
            key_id: format!("system/{system_key}"),
            key,
        })
    }

    /// `Signature keyId="system/<key>",headers="request-line date",algorithm="rsa-sha256",
    /// signature="<base64>"`, signing `"<METHOD> <path?query> HTTP/1.1\ndate: <date>"`: the
    /// request line as sent (method in capitals, the full path from the host, as JumpCloud's
    /// examples sign it) and the `Date` header.
    fn authorization(&self, method: &Method, url: &Url, date: &str) -> Result<HeaderValue, Error> {
        let target = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let signed = format!("{} {target} HTTP/1.1\ndate: {date}", method.as_str());
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                signed.as_bytes(),
                &mut signature,
            )
            .map_err(|_| Error::InvalidRequest("cannot sign the request".into()))?;
        let signature = base64::engine::general_purpose::STANDARD.encode(signature);
        let mut value = HeaderValue::from_str(&format!(
            "Signature keyId=\"{}\",headers=\"request-line date\",algorithm=\"rsa-sha256\",signature=\"{signature}\"",
            self.key_id
        ))
        .map_err(|_| Error::InvalidRequest("the signature is not a valid header value".into()))?;
        value.set_sensitive(true);
        Ok(value)
    }
}
