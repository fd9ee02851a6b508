// See sync_push.hpp. The flow of one chunk:
//   open a transaction -> for each op: decode its payload, gather facts,
//   recompute and check (flags) -> claim the op id (duplicate? stop) ->
//   write its effects -> after the last op: stock levels (rows locked in
//   product order, so chunks never deadlock on them; stock counts computed
//   under those locks), oversell flags, the
//   till's receipt sequence, flag rows -> commit.
// Here: grants checked before the transaction, chunking, one-by-one redo,
// retries. The chunk and the per-op-kind appliers: sync_push_chunk.hpp.
#include "service/sync_push.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <nlohmann/json.hpp>

#include "db/errors.hpp"
#include "log/log.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/payloads.hpp"
#include "salespider/shared/text.hpp"
#include "service/push_unstorable.hpp"
#include "service/sync_push_chunk.hpp"

namespace salespider::service::sync {
namespace {

using nlohmann::json;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The approval an op carries (sales, refunds and voids may), read before the
// transaction so the approver's grant can be checked outside it.
std::optional<Approval> approval_of(const Op& op) {
  if (op.payload.find("\"approval\"") == std::string::npos) return std::nullopt;
  switch (op.kind) {
    case OpKind::sale:
      if (auto p = decode_sale_payload(op.payload)) return p->approval;
      break;
    case OpKind::refund:
      if (auto p = decode_refund_payload(op.payload)) return p->approval;
      break;
    case OpKind::void_sale:
      if (auto p = decode_void_payload(op.payload)) return p->approval;
      break;
    default:
      break;
  }
  return std::nullopt;
}

// What the server measured of the till when a push arrives: the op times
// are judged on the server's clock and against the till's push history.
struct ArrivalFacts {
  std::int64_t skew_ms = 0;  // the till's clock minus the server's
  std::optional<std::int64_t> acked_until_ms;
};

ArrivalFacts arrival_of(db::Pool& pool, const auth::TillPrincipal& till, const PushContext& ctx) {
  ArrivalFacts a;
  if (ctx.replaying_history) return a;
  const auto known = db::till_arrival(pool, till.till_id);
  // This push's X-Till-Time when it sent one, else the skew last measured.
  a.skew_ms = ctx.till_clock_ms ? *ctx.till_clock_ms - ctx.now_ms : known.clock_skew_ms.value_or(0);
  a.acked_until_ms = known.acked_until_ms;
  return a;
}

OpChecks check_op(const GrantCheckFn& grants, const Op& op, const std::string& till_id, std::int64_t now_ms,
                  const ArrivalFacts& arrival, const SyncOptions& options) {
  OpChecks c;
  const std::int64_t judged_at = op.created_at - arrival.skew_ms;
  c.judged_at_ms = judged_at;
  c.grant = grants(GrantQuery{op.grant, till_id, op.user_id, judged_at, now_ms, arrival.acked_until_ms});
  c.approval = approval_of(op);
  if (c.approval)
    c.approver =
        grants(GrantQuery{c.approval->grant, till_id, c.approval->user_id, judged_at, now_ms, arrival.acked_until_ms});
  // The till had already pushed everything it made before acked_until: an
  // op dated earlier that turns up now was dated back.
  if (arrival.acked_until_ms && judged_at < *arrival.acked_until_ms - options.backdate_slack_ms) {
    c.arrival.push_back({"backdated", json{{"created_at_ms", op.created_at},
                                           {"judged_at_ms", judged_at},
                                           {"skew_ms", arrival.skew_ms},
                                           {"acked_until_ms", *arrival.acked_until_ms}}});
  }
  // Dated after it arrived, on the till's own (measured) clock: no wrong
  // clock explains that, unless the clock was turned back between the sale
  // and its push; either way a manager looks.
  if (judged_at > now_ms + options.future_slack_ms) {
    c.arrival.push_back({"future_dated", json{{"created_at_ms", op.created_at},
                                              {"judged_at_ms", judged_at},
                                              {"skew_ms", arrival.skew_ms},
                                              {"server_clock_ms", now_ms}}});
  }
  return c;
}

// What to do with one op: apply it, or store a rejection decided earlier.
struct Work {
  const Op* op = nullptr;
  OpChecks checks;
  std::size_t result_index = 0;
  std::optional<std::pair<std::string, std::string>> reject;  // code, message
  std::string stored_kind;                                     // for ops the decoder refused
};

// A decoder-refused op, as an Op we can store (kind "unknown" when unreadable).
std::optional<Op> stored_form(const RejectedOp& r, const PushBatch& batch, const json* raw_ops, std::int64_t now_ms,
                              std::string& kind) {
  if (!is_uuid(r.op_id)) return std::nullopt;
  kind = "unknown";
  Op op;
  op.op_id = r.op_id;
  op.till_id = batch.till_id;
  op.kind = OpKind::sale;
  op.created_at = now_ms;
  op.payload = "{}";
  if (raw_ops && r.index < raw_ops->size()) {
    const json& raw = (*raw_ops)[r.index];
    // Kept whole when PostgreSQL can store it; too large (cutting JSON text
    // would leave invalid JSON) or holding a NUL: its safe form instead.
    op.payload = json{{"op", raw}}.dump(-1, ' ', false, json::error_handler_t::replace);
    if (op.payload.size() > kMaxPayloadBytes)
      op.payload = safe_payload(op.payload, "too_large", kMaxPayloadBytes);
    else if (holds_nul(op.payload))
      op.payload = safe_payload(op.payload, "nul", kMaxPayloadBytes);
    if (raw.is_object()) {
      if (auto u = raw.find("user_id"); u != raw.end() && u->is_string())
        op.user_id = clip(without_nul(u->get<std::string>()), 64);
      if (auto k = raw.find("kind"); k != raw.end() && k->is_string() && parse_op_kind(k->get<std::string>()))
        kind = k->get<std::string>();
      if (auto c = raw.find("created_at"); c != raw.end() && c->is_number_integer()) {
        const auto v = c->get<std::int64_t>();
        if (v >= 0 && v <= kMaxTimestampMs) op.created_at = v;
      }
    }
  }
  return op;
}

}  // namespace

void note_till_clock(db::Pool& pool, const auth::TillPrincipal& till, std::int64_t till_clock_ms,
                     std::int64_t now_ms) {
  db::record_till_clock(pool, till.store_id, till.till_id, till_clock_ms - now_ms);
}

PushService::PushService(db::Pool& pool, GrantCheckFn grants, SyncOptions options)
    : pool_(pool), grants_(std::move(grants)), options_(options) {}

namespace {

// The till's contact for this push, written by the transaction that
// commits the push's last op (or on its own when no transaction does).
struct Contact {
  db::TillReport report;
  bool written = false;
};

// Runs works[begin, end) as one transaction, taking no more ops once it is
// older than options.chunk_ms. Returns how many ops it committed, or nullopt
// (rolled back) when an op hit a data error, so the caller redoes them one by one.
// When it commits the last of `works` it also records `contact`, so a push
// costs one commit, not one for its ops and one for the contact.
std::optional<std::size_t> run_chunk(db::Pool& pool, const auth::TillPrincipal& till, const PushContext& ctx,
                                     const SyncOptions& options, std::vector<OpResult>& results,
                                     const std::vector<Work>& works, std::size_t begin, std::size_t end,
                                     std::string* first_error,
                                     std::optional<std::pair<std::string, std::string>>* late_reject,
                                     Contact* contact) {
  db::PushTx tx(pool);
  Chunk chunk(tx, till, ctx, options, results, Mode::claim_new);
  const auto started = steady_ms();
  std::size_t i = begin;
  try {
    // Every sale's facts in one query each, not one per sale.
    std::vector<std::pair<const Op*, std::int64_t>> sales;
    for (std::size_t k = begin; k < end; ++k)
      if (!works[k].reject && works[k].op->kind == OpKind::sale) sales.emplace_back(works[k].op, works[k].checks.judged_at_ms);
    if (!sales.empty()) chunk.prefetch_sales(sales);
    for (; i < end && (i == begin || steady_ms() - started < options.chunk_ms); ++i) {
      const auto& w = works[i];
      if (w.reject) {
        chunk.store_rejected(*w.op, w.reject->first, w.reject->second, w.result_index, w.stored_kind);
      } else {
        chunk.apply(*w.op, w.checks, w.result_index);
      }
    }
    chunk.finish();
    const bool last = contact && !contact->written && i == works.size();
    if (last) tx.till_contact(till.store_id, till.till_id, contact->report);
    tx.commit();
    if (last) contact->written = true;
    return i - begin;
  } catch (const RejectAfterClaim& r) {
    if (late_reject) *late_reject = std::make_pair(r.code, r.message);
    return std::nullopt;
  } catch (const std::exception& e) {
    if (!db::is_data_error(e)) throw;
    if (first_error) *first_error = e.what();
    return std::nullopt;
  }
}

}  // namespace

PushResponse PushService::push(const auth::TillPrincipal& till, const PushBatch& batch, const PushContext& ctx,
                               const std::string& raw_body) {
  PushResponse response;
  const std::size_t total = batch.ops.size() + batch.rejected.size();
  response.results.resize(total);

  // Results keep the batch's order: decoded ops and refused ones interleave.
  json raw;
  const json* raw_ops = nullptr;
  if (!batch.rejected.empty() && !raw_body.empty()) {
    raw = json::parse(raw_body, nullptr, false);
    if (raw.is_object() && raw.contains("ops") && raw["ops"].is_array()) raw_ops = &raw["ops"];
  }
  const ArrivalFacts arrival = arrival_of(pool_, till, ctx);
  // A till that does not say it has more waiting has sent everything it
  // made before this push: later arrivals dated before it are back-dated.
  std::optional<Contact> contact;
  if (!ctx.on_behalf) {
    contact.emplace();
    contact->report = ctx.report;
    // Written in the ops' transaction now: a version PostgreSQL would refuse
    // must not roll the ops back (it is a report, not a fact), so it is left out.
    if (!is_valid_utf8(contact->report.app_version) || holds_nul(contact->report.app_version))
      contact->report.app_version.clear();
    if (!ctx.replaying_history && (!ctx.report.outbox_depth || *ctx.report.outbox_depth <= static_cast<std::int64_t>(total)))
      contact->report.acked_until_ms = ctx.now_ms;
  }
  Contact* const contact_ptr = contact ? &*contact : nullptr;
  std::vector<Op> refused_ops;
  refused_ops.reserve(batch.rejected.size());
  std::deque<Op> safe_ops;  // stable addresses: works point into it
  std::vector<Work> works;
  {
    std::size_t op = 0;
    for (std::size_t slot = 0, rej = 0; slot < total; ++slot) {
      if (rej < batch.rejected.size() && batch.rejected[rej].index == slot) {
        const auto& r = batch.rejected[rej++];
        response.results[slot] = reject_with(r.op_id, r.error);
        std::string kind;
        if (auto stored = stored_form(r, batch, raw_ops, ctx.now_ms, kind)) {
          refused_ops.push_back(std::move(*stored));
          Work w;
          w.stored_kind = kind;
          w.op = &refused_ops.back();
          w.result_index = slot;
          w.reject = std::make_pair(response.results[slot].code, response.results[slot].message);
          works.push_back(std::move(w));
        }
        continue;
      }
      const Op& o = batch.ops[op++];
      Work w;
      w.op = &o;
      w.result_index = slot;
      if (auto part = unstorable_part(o)) {
        // Stored in a safe form and rejected: a 5xx would block the till's queue.
        safe_ops.push_back(safe_form(o, "nul"));
        w.op = &safe_ops.back();
        w.reject = std::make_pair(std::string(kUnstorableCode), unstorable_message(*part));
        works.push_back(std::move(w));
        continue;
      }
      // Grants are checked before any transaction opens: the check may use a
      // connection of its own, and a push must never hold two.
      w.checks = check_op(grants_, o, till.till_id, ctx.now_ms, arrival, options_);
      works.push_back(std::move(w));
    }
  }

  // Chunks: up to chunk_ops ops, closed early when a transaction grows old.
  std::size_t next = 0;
  while (next < works.size()) {
    const std::size_t end = std::min(works.size(), next + std::max<std::size_t>(1, options_.chunk_ops));
    std::string error;
    if (end - next > 1) {
      if (auto done = run_chunk(pool_, till, ctx, options_, response.results, works, next, end, &error, nullptr,
                                contact_ptr)) {
        next += *done;
        continue;
      }
    }
    // One op per transaction: a failing op is stored as rejected on its own.
    for (std::size_t i = next; i < end; ++i) {
      Work& w = works[i];
      for (int attempt = 0;; ++attempt) {
        std::optional<std::pair<std::string, std::string>> late;
        std::string op_error;
        if (run_chunk(pool_, till, ctx, options_, response.results, works, i, i + 1, &op_error, &late, contact_ptr))
          break;
        if (late) {
          w.reject = late;
          continue;
        }
        if (w.reject && w.reject->first == kUnstorableCode)
          throw db::Unavailable("cannot store a rejected op: " + op_error);
        if (w.reject) {
          // Even the rejection would not store (PostgreSQL refused something
          // in it): store its safe form, so the queue moves on.
          log::warn("a rejected op could not be stored; storing its safe form",
                    {{"op_id", w.op->op_id}, {"what", op_error}});
          safe_ops.push_back(safe_form(*w.op, "refused"));
          w.op = &safe_ops.back();
          w.reject = std::make_pair(std::string(kUnstorableCode), unstorable_message("payload"));
          continue;
        }
        log::warn("an op could not be recorded; storing it as rejected",
                  {{"op_id", w.op->op_id}, {"attempt", attempt}, {"what", op_error}});
        if (attempt + 1 < options_.conflict_retries &&
            (op_error.find("deadlock") != std::string::npos || op_error.find("serializ") != std::string::npos))
          continue;
        w.reject = std::make_pair(std::string("storage_error"),
                                  std::string("the server could not record this op; a manager can retry it"));
      }
    }
    next = end;
  }

  // No op to commit (an empty push): the contact on its own.
  if (contact && !contact->written) db::record_till_contact(pool_, till.store_id, till.till_id, true, contact->report);
  return response;
}

namespace {
db::SyncAuditRow retry_audit(const std::string& store_id, const std::string& op_id, const std::optional<std::string>& by,
                         const std::string& via, const OpResult& result) {
  return db::SyncAuditRow{store_id, by, std::nullopt, "op.retried", "op", op_id,
                      json{{"status", std::string(to_string(result.status))},
                           {"code", result.code},
                           {"message", result.message},
                           {"via", via}}
                          .dump()};
}
}  // namespace

OpResult PushService::retry(const std::string& store_id, const std::string& op_id,
                            const std::optional<std::string>& by_user, std::int64_t now_ms, const std::string& via) {
  // Read the envelope, check the grant outside any transaction, then redo.
  std::optional<db::PushTx::StoredEnvelope> env;
  {
    db::PushTx tx(pool_);
    env = tx.envelope(store_id, op_id);
  }
  if (!env) return rejected(op_id, "not_found", "no such op");
  if (env->status != "rejected" || env->resolved)
    return rejected(op_id, "conflict", "only unresolved rejected ops can be retried");
  auto kind = parse_op_kind(env->kind);
  if (!kind) return rejected(op_id, "unknown_op_kind", "the op's kind is unknown: it cannot be retried");
  Op op;
  op.op_id = op_id;
  op.till_id = env->till_id;
  op.kind = *kind;
  op.created_at = env->created_at_ms;
  op.user_id = env->op_user_id;
  op.grant = env->grant;
  op.payload = env->payload;
  auth::TillPrincipal till{env->till_id, store_id, env->till_code, ""};
  // The op was judged against the till's push history when it arrived; a
  // retry judges it without that history, on the till's clock corrected by
  // the skew last measured for it (a slow till's op must not turn
  // not_yet_valid on retry), and never as future-dated.
  ArrivalFacts arrival;
  arrival.skew_ms = db::till_arrival(pool_, op.till_id).clock_skew_ms.value_or(0);
  auto checks = check_op(grants_, op, op.till_id, now_ms, arrival, options_);
  checks.arrival.clear();
  PushContext ctx;
  ctx.now_ms = now_ms;
  std::vector<OpResult> results(1);
  try {
    db::PushTx tx(pool_);
    if (!tx.envelope(store_id, op_id)) return rejected(op_id, "not_found", "no such op");
    Chunk chunk(tx, till, ctx, options_, results, Mode::reclaim_rejected, by_user);
    chunk.apply(op, checks, 0);
    chunk.finish();
    tx.audit(retry_audit(store_id, op_id, by_user, via, results[0]));
    tx.commit();
  } catch (const RejectAfterClaim& r) {
    db::PushTx tx(pool_);
    if (!tx.envelope(store_id, op_id)) return rejected(op_id, "not_found", "no such op");
    Chunk chunk(tx, till, ctx, options_, results, Mode::reclaim_rejected, by_user);
    chunk.store_rejected(op, r.code, r.message, 0);
    tx.audit(retry_audit(store_id, op_id, by_user, via, results[0]));
    tx.commit();
  }
  return results[0];
}

}  // namespace salespider::service::sync
