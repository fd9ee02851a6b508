// See till_handover.hpp.
#include "service/till_handover.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "db/sync_push.hpp"
#include "db/tills.hpp"
#include "salespider/shared/codec.hpp"
#include "salespider/shared/i18n.hpp"
#include "service/audit_entry.hpp"

namespace salespider::service::sync {
namespace {

using nlohmann::json;
using i18n::N_;

// Ops per push when importing: the size of a till's own pushes, well under
// the protocol's batch limits.
constexpr std::size_t kImportBatchOps = 100;

Failure refused(const char* why) { return fail(Problem::forbidden, why, "till_id"); }

// Results -> the import's counts (a duplicate of a rejected op says so).
void count(const PushResponse& r, ImportReport& out) {
  for (const auto& res : r.results) {
    if (res.status != OpStatus::duplicate) ++out.fresh;
    const bool rejected = res.status == OpStatus::rejected ||
                          (res.status == OpStatus::duplicate && res.message.rfind("original: rejected", 0) == 0);
    if (rejected)
      ++out.rejected;
    else
      ++out.applied;
  }
}

// One exported journal record -> the op as a till would push it. The
// journal keeps the payload as an object and leaves out an empty grant.
json wire_op(const json& record) {
  json op = json::object();
  for (const char* key : {"op_id", "till_id", "kind", "created_at", "user_id", "grant", "payload"})
    if (auto it = record.find(key); it != record.end()) op[key] = *it;
  if (!op.contains("grant")) op["grant"] = "";
  return op;
}

}  // namespace

Outcome<PushResponse> push_handover(db::Pool& pool, PushService& push, const auth::TillPrincipal& by,
                                    const PushBatch& batch, const PushContext& ctx, const std::string& raw_body) {
  if (batch.till_id == by.till_id)
    return fail(Problem::bad_request, N_("till_id: a hand-over carries another till's ops; push your own to /api/v1/sync/push"),
                "till_id");
  const auto facts = db::check_handover(pool, by.store_id, batch.till_id, by.till_id);
  switch (facts.check) {
    case db::HandoverCheck::ok:
      break;
    case db::HandoverCheck::no_such_till:
      return refused(N_("hand-over refused: no such till in this store"));
    case db::HandoverCheck::not_retired:
      return refused(N_("hand-over refused: that till is not retired; it pushes its own ops"));
    case db::HandoverCheck::enrolled_before:
      return refused(N_("hand-over refused: this till was enrolled before that till was retired"));
    case db::HandoverCheck::not_by_manager:
      return refused(N_("hand-over refused: this till was not enrolled by a manager or owner"));
    case db::HandoverCheck::taken_by_other:
      return refused(N_("hand-over refused: another till already took over that till's ops"));
  }
  const auth::TillPrincipal from{facts.from.id, facts.from.store_id, facts.from.code, facts.from.name};
  PushContext on_behalf = ctx;
  on_behalf.on_behalf = true;
  auto response = push.push(from, batch, on_behalf, raw_body);
  ImportReport counts;
  count(response, counts);
  auth::Actor actor{facts.by_user, by.till_id, "", "", "sync"};
  db::record_handover(pool,
                      db::HandoverRow{by.store_id, from.till_id, by.till_id, facts.by_user,
                                      static_cast<std::int64_t>(response.results.size()), counts.fresh},
                      audit_entry(by.store_id, actor, "till.handover"));
  // The pushing till did make contact (its own pull records the rest).
  db::TillReport report = ctx.report;
  db::record_till_contact(pool, by.store_id, by.till_id, true, report);
  return response;
}

Outcome<ImportReport> import_export_file(db::Pool& pool, PushService& push, const std::string& store_id,
                                         const std::string& file_text, const auth::Actor& actor,
                                         const std::string& operator_name, std::int64_t now_ms) {
  const json file = json::parse(file_text, nullptr, false);
  if (file.is_discarded() || !file.is_object())
    return fail(Problem::invalid, "the file is not JSON: expected a till's export (salespider-pending-ops)");
  if (file.value("format", std::string()) != "salespider-pending-ops")
    return fail(Problem::invalid, "not a till's export file: \"format\" must be \"salespider-pending-ops\"");
  if (!file.contains("version") || !file["version"].is_number_integer() || file["version"].get<std::int64_t>() != 1)
    return fail(Problem::invalid, "unsupported export file version: this server reads version 1");
  if (!file.contains("ops") || !file["ops"].is_array()) return fail(Problem::invalid, "the file has no \"ops\" list");
  const json& records = file["ops"];
  if (file.contains("count") && file["count"].is_number_integer() &&
      file["count"].get<std::int64_t>() != static_cast<std::int64_t>(records.size()))
    return fail(Problem::invalid, "the file looks cut: \"count\" says {count} ops, the list has {n}", "",
                {{"count", std::to_string(file["count"].get<std::int64_t>())},
                 {"n", std::to_string(records.size())}});

  // Every op decoded before anything is recorded: per till, in batches.
  std::map<std::string, std::vector<json>> by_till;
  std::vector<std::string> till_order;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    if (!r.is_object() || !r.contains("till_id") || !r["till_id"].is_string())
      return fail(Problem::invalid, "ops[{i}]: not an op with a till_id", "", {{"i", std::to_string(i)}});
    const auto till = r["till_id"].get<std::string>();
    if (!by_till.count(till)) till_order.push_back(till);
    by_till[till].push_back(wire_op(r));
  }
  struct Planned {
    auth::TillPrincipal till;
    std::vector<PushBatch> batches;
    std::int64_t ops = 0;
  };
  std::vector<Planned> plan;
  for (const auto& till_id : till_order) {
    auto row = db::find_till(pool, store_id, till_id);
    if (!row || row->id != till_id)
      return fail(Problem::invalid, "the file has ops of till {till}, which is not a till of this store", "",
                  {{"till", till_id}});
    Planned p{{row->id, row->store_id, row->code, row->name}, {}, 0};
    const auto& ops = by_till[till_id];
    for (std::size_t begin = 0; begin < ops.size(); begin += kImportBatchOps) {
      json body = {{"protocol_version", kProtocolVersion}, {"till_id", till_id}, {"ops", json::array()}};
      for (std::size_t i = begin; i < std::min(ops.size(), begin + kImportBatchOps); ++i) body["ops"].push_back(ops[i]);
      auto batch = decode_push_batch(body.dump());
      if (!batch) return fail(Problem::invalid, "till {code}: {detail}", "", {{"code", row->code}, {"detail", batch.error().context}});
      if (!batch->rejected.empty()) {
        const auto& r = batch->rejected.front();
        return fail(Problem::invalid, "till {code}, op {op}: {detail}", "",
                    {{"code", row->code}, {"op", r.op_id.empty() ? "?" : r.op_id}, {"detail", r.error.context}});
      }
      p.ops += static_cast<std::int64_t>(batch->ops.size());
      p.batches.push_back(std::move(*batch));
    }
    plan.push_back(std::move(p));
  }

  ImportReport out;
  out.ops = static_cast<std::int64_t>(records.size());
  for (const auto& p : plan) {
    ImportReport mine;
    for (const auto& batch : p.batches) {
      PushContext ctx;
      ctx.now_ms = now_ms;
      ctx.on_behalf = true;
      count(push.push(p.till, batch, ctx), mine);
    }
    auto audit = audit_entry(store_id, actor, "ops.import");
    audit.detail["till_code"] = p.till.till_code;
    audit.detail["applied"] = mine.applied;
    audit.detail["rejected"] = mine.rejected;
    if (!operator_name.empty()) audit.detail["operator"] = operator_name;
    if (file.contains("exported_at") && file["exported_at"].is_string()) audit.detail["exported_at"] = file["exported_at"];
    db::record_handover(pool, db::HandoverRow{store_id, p.till.till_id, std::nullopt, actor.user_id, p.ops, mine.fresh},
                        std::move(audit));
    out.applied += mine.applied;
    out.fresh += mine.fresh;
    out.rejected += mine.rejected;
    out.tills.push_back(p.till.till_code);
  }
  return out;
}

}  // namespace salespider::service::sync
