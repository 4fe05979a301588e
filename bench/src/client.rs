//! A small HTTP/1 client for Tandem's JSON API over loopback: keep-alive connections from
//! hyper-util's pool, a bearer token per call, and a timeout so a stuck request counts as an error
//! instead of stalling a run.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode, header};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    http: HyperClient<HttpConnector, Full<Bytes>>,
    timeout: Duration,
}

/// An answer: the status and the body bytes.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> anyhow::Result<Value> {
        Ok(serde_json::from_slice(&self.body)?)
    }
}

impl Client {
    /// `base` is like `http://127.0.0.1:8080` (no trailing slash).
    pub fn new(base: &str) -> Client {
        let http = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(30))
            .build(HttpConnector::new());
        Client { base: base.trim_end_matches('/').to_owned(), http, timeout: Duration::from_secs(30) }
    }

    pub async fn get(&self, token: Option<&str>, path: &str) -> anyhow::Result<Answer> {
        self.send(Method::GET, token, path, None).await
    }

    /// A web page, as a browser signed in with this session token would ask for it.
    pub async fn page(&self, session: &str, path: &str) -> anyhow::Result<Answer> {
        let request = Request::builder()
            .uri(format!("{}{path}", self.base))
            .header(header::COOKIE, format!("tandem_session={session}"))
            .body(Full::new(Bytes::new()))?;
        self.exchange(request).await
    }

    pub async fn post(&self, token: &str, path: &str, body: &Value) -> anyhow::Result<Answer> {
        self.send(Method::POST, Some(token), path, Some(serde_json::to_vec(body)?)).await
    }

    async fn send(
        &self,
        method: Method,
        token: Option<&str>,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> anyhow::Result<Answer> {
        let mut request = Request::builder().method(method).uri(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request.body(Full::new(Bytes::from(body.unwrap_or_default())))?;
        self.exchange(request).await
    }

    async fn exchange(&self, request: Request<Full<Bytes>>) -> anyhow::Result<Answer> {
        let exchange = async {
            let response = self.http.request(request).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            anyhow::Ok(Answer { status, body })
        };
        tokio::time::timeout(self.timeout, exchange).await.map_err(|_| anyhow::anyhow!("timed out"))?
    }
}
