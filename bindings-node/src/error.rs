//! The one place where a finmark [`ErrorKind`](finmark::ErrorKind) becomes a JavaScript error.
//!
//! Every error the binding throws or rejects with is an `Error` whose `code` is the kind's
//! stable code (`'INVALID_QUERY'`, `'STORAGE'`, ...) and whose `message` is the core's message,
//! which names what was wrong and where. Errors napi-rs raises itself for arguments of the
//! wrong JavaScript type keep napi-rs's codes (`'InvalidArg'`, `'NumberExpected'`, ...).

use napi::Env;
use napi::bindgen_prelude::{JsError, PromiseRaw, ToNapiValue};
use std::future::Future;

/// The result of a synchronous binding call; its error is thrown with its status as `code`.
pub type Result<T> = napi::Result<T, String>;

/// A core error as a napi-rs error whose status becomes the JavaScript `code`.
pub fn to_napi(e: finmark::Error) -> napi::Error<String> {
    napi::Error::new(e.kind().code().to_owned(), e.message().to_owned())
}

/// A napi-rs error met while calling into JavaScript, as a binding error: its code is kept, and
/// a pending JavaScript exception (such as `JSON.stringify`'s `TypeError`) is thrown as it is.
pub fn from_napi(e: napi::Error) -> napi::Error<String> {
    napi::Error::new(e.status.as_ref().to_owned(), e.reason)
}

/// Runs `work` on napi's tokio runtime and returns a Promise of its result converted by
/// `finish` on the JavaScript thread; a core error rejects the Promise with the kind's `code`.
pub fn promise<'env, T, V>(
    env: &'env Env,
    work: impl Future<Output = finmark::Result<T>> + Send + 'static,
    finish: impl FnOnce(T) -> finmark::Result<V> + 'static,
) -> Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue,
{
    env.spawn_future_with_callback(async move { Ok(work.await) }, move |env, outcome| {
        outcome.and_then(finish).map_err(|e| rejection(env, e))
    })
    .map_err(from_napi)
}

/// A core error as a rejection reason: napi-rs settles Promises with `napi::Error`s whose code
/// is a fixed status, so the `Error` object is built here with the kind's code and handed
/// over as the rejection value itself.
fn rejection(env: &Env, e: finmark::Error) -> napi::Error {
    napi::Error::from(JsError::from(to_napi(e)).into_unknown(*env))
}
