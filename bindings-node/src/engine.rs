//! `Engine`: finmark on one storage. Every method that touches storage returns a Promise and
//! runs on napi's tokio runtime; `reloadRules` is synchronous.

use crate::error::{Result, from_napi, promise, to_napi};
use crate::event::{Rejected, array_json};
use crate::mirror;
use crate::rules::Match;
use crate::storage::{EventPage, EventQuery, FieldCount, Instant};
use napi::Env;
use napi::bindgen_prelude::{Array, Buffer, Either, PromiseRaw};
use serde::Deserialize;

/// Options of `Engine.open`: where the rules come from.
#[napi_derive::napi(object, object_to_js = false)]
pub struct EngineOptions {
    /// Sigma rule files or directories.
    pub rules: Option<Vec<String>>,
    /// Sigma rules as YAML texts.
    pub rules_yaml: Option<Vec<String>>,
    /// Processing pipelines: builtin names (`windows`, `webserver`, ...) or pipeline files.
    pub pipelines: Option<Vec<String>>,
    /// Fail to open when any rule is rejected, instead of skipping it.
    pub strict_rules: Option<bool>,
}

impl From<EngineOptions> for finmark::RuleOptions {
    fn from(options: EngineOptions) -> Self {
        finmark::RuleOptions {
            rules: options
                .rules
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            rules_yaml: options.rules_yaml.unwrap_or_default(),
            pipelines: options.pipelines.unwrap_or_default(),
            strict_rules: options.strict_rules.unwrap_or_default(),
        }
    }
}

/// What one ingest call did.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestReport {
    /// Events stored now.
    pub accepted: u32,
    /// Valid events whose id was already stored (re-sent), not stored again.
    pub duplicates: u32,
    /// Records that were not valid events, with their line and reason.
    pub rejected: Vec<Rejected>,
    /// Rule matches in the events stored now.
    pub matches: Vec<Match>,
}

/// finmark on one storage: ingests batches of events, matches them against the loaded Sigma
/// rules, stores events and detections, and answers queries.
///
/// ```js
/// const engine = await Engine.open('sqlite://finmark.db', { rules: ['rules/'] })
/// const report = await engine.ingest([{ 'user.name': 'alice', 'event.outcome': 'failure' }])
/// const page = await engine.events({ where: { 'user.name': 'alice' }, limit: 10 })
/// await engine.close()
/// ```
#[napi_derive::napi]
pub struct Engine {
    inner: finmark::Engine,
}

#[napi_derive::napi]
impl Engine {
    /// Opens an engine on a storage URL: `memory://`, `sqlite://PATH` (created if missing) or
    /// `postgres://USER@HOST:PORT/DB`, with the rules and pipelines `options` name.
    ///
    /// Rejects with `INVALID_QUERY` for a malformed URL, `STORAGE` when the storage cannot be
    /// opened, `NOT_FOUND` for a pipeline that is neither shipped nor a file, `INVALID_RULE`
    /// for a malformed pipeline file (or any rejected rule with `strictRules`).
    #[napi(catch_unwind)]
    pub fn open<'env>(
        env: &'env Env,
        url: String,
        options: Option<EngineOptions>,
    ) -> Result<PromiseRaw<'env, Engine>> {
        let options = options.map(finmark::RuleOptions::from).unwrap_or_default();
        promise(
            env,
            async move {
                finmark::Engine::builder(url)
                    .rule_options(&options)?
                    .open()
                    .await
            },
            |inner| Ok(Engine { inner }),
        )
    }

    /// Matches and stores an array of event objects in one transaction. Idempotent by event
    /// id: events already stored count as `duplicates`. An element that is not an object is
    /// listed in `rejected` (line = index + 1); the others are still stored.
    #[napi(catch_unwind, ts_args_type = "events: Array<Record<string, unknown>>")]
    pub fn ingest<'env>(
        &self,
        env: &'env Env,
        events: Array,
    ) -> Result<PromiseRaw<'env, IngestReport>> {
        let json = array_json(env, events).map_err(from_napi)?;
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.ingest_json(json.as_bytes()).await },
            |report| mirror(&report),
        )
    }

    /// Parses JSON (NDJSON, a JSON array, one object, concatenated or Windows-event JSON) and
    /// stores every valid event; malformed records are listed in `rejected` with their line.
    ///
    /// A `Buffer` is read in place, without a copy: do not modify it until the Promise settles.
    #[napi(catch_unwind)]
    pub fn ingest_json<'env>(
        &self,
        env: &'env Env,
        data: Either<Buffer, String>,
    ) -> Result<PromiseRaw<'env, IngestReport>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                match &data {
                    Either::A(buffer) => engine.ingest_json(buffer).await,
                    Either::B(text) => engine.ingest_json(text.as_bytes()).await,
                }
            },
            |report| mirror(&report),
        )
    }

    /// Stored events matching `query`, newest first, one page at a time: pass the page's
    /// `next_cursor` as `cursor` for the next one.
    #[napi(catch_unwind)]
    pub fn events<'env>(
        &self,
        env: &'env Env,
        query: Option<EventQuery>,
    ) -> Result<PromiseRaw<'env, EventPage>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.events(&EventQuery::into_core(query)?).await },
            |page| mirror(&page),
        )
    }

    /// How many stored events matching `query` have each value of `field`, most frequent
    /// first; `query.limit` caps the number of values.
    #[napi(catch_unwind)]
    pub fn count_by<'env>(
        &self,
        env: &'env Env,
        field: String,
        query: Option<EventQuery>,
    ) -> Result<PromiseRaw<'env, Vec<FieldCount>>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move {
                engine
                    .count_by(&field, &EventQuery::into_core(query)?)
                    .await
            },
            |counts| mirror(&counts),
        )
    }

    /// Stored detections for events in the query's time range, newest first; `where` filters
    /// on `rule_id`, `level`, `severity` or `event_id`.
    #[napi(catch_unwind)]
    pub fn detections<'env>(
        &self,
        env: &'env Env,
        query: Option<EventQuery>,
    ) -> Result<PromiseRaw<'env, Vec<Match>>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.detections(&EventQuery::into_core(query)?).await },
            |matches| mirror(&matches),
        )
    }

    /// Deletes events (and their detections) older than `cutoff`; resolves to how many
    /// events were deleted.
    #[napi(catch_unwind, ts_args_type = "cutoff: Instant")]
    pub fn purge_before<'env>(
        &self,
        env: &'env Env,
        cutoff: Instant,
    ) -> Result<PromiseRaw<'env, i64>> {
        let engine = self.inner.clone();
        promise(
            env,
            async move { engine.purge_before(cutoff.to_time()?).await },
            |deleted| {
                i64::try_from(deleted)
                    .map_err(|_| finmark::Error::internal("purged event count out of range"))
            },
        )
    }

    /// Replaces the rules atomically: a batch being ingested finishes with the rules it
    /// started with. `rules` is either rule files and directories (compiled after
    /// `pipelines`), or the options object `Engine.open` takes (`rules`, `rulesYaml`,
    /// `pipelines`, `strictRules`); `pipelines` given beside an options object are applied
    /// after its own.
    ///
    /// Throws `NOT_FOUND` for a pipeline that is neither shipped nor a file, `INVALID_RULE` for
    /// a malformed pipeline file or, with `strictRules`, a rejected rule; the old rules stay in
    /// use.
    #[napi(
        catch_unwind,
        ts_args_type = "rules: Array<string> | EngineOptions, pipelines?: Array<string> | undefined | null"
    )]
    pub fn reload_rules(
        &self,
        rules: Either<Vec<String>, EngineOptions>,
        pipelines: Option<Vec<String>>,
    ) -> Result<()> {
        let mut options = finmark::RuleOptions::from(match rules {
            Either::A(paths) => EngineOptions {
                rules: Some(paths),
                rules_yaml: None,
                pipelines: None,
                strict_rules: None,
            },
            Either::B(options) => options,
        });
        options.pipelines.extend(pipelines.unwrap_or_default());
        let rules = options.build().map_err(to_napi)?;
        self.inner.reload_rules(rules).map_err(to_napi)?;
        Ok(())
    }

    /// Closes the storage; later calls reject with `STORAGE`.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn close<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let engine = self.inner.clone();
        promise(env, async move { engine.close().await }, Ok)
    }
}
