// OpRecorder; see op_recorder.hpp.
#include "effects/op_recorder.hpp"

#include <salespider/shared/i18n.hpp>

#include <string>
#include <utility>

namespace salespider::effects {

namespace {

// A full quota (IndexedDB's QuotaExceededError) is the one storage failure
// the person at the till can act on: it is said plainly, and that the op
// was not recorded while everything recorded before it is kept.
store::Status plain(const store::Status& status) {
  if (status || status.error().context.find("QuotaExceededError") == std::string::npos) return status;
  return store::StoreError{store::StoreErrc::storage_failed,
                           i18n::tr("storage is full: free space on this device or install the app; "
                                    "everything recorded before is kept")};
}

}  // namespace

store::Status OpRecorder::record(OpKind kind, std::string payload, const state::AppState& s,
                                 RecordedFn done) {
  return record(kind, std::move(payload), s, std::move(done), Options{});
}

store::Status OpRecorder::record(OpKind kind, std::string payload, const state::AppState& s, RecordedFn done,
                                 Options options) {
  store::Store* st = ctx_.store();
  if (!st || !ctx_.identity || !s.user || !ctx_.session)
    return store::StoreError{store::StoreErrc::invalid_op, "nobody is signed in on an enrolled till"};
  store::OpInput op;
  op.op_id = options.op_id.empty() ? ctx_.ids.next().to_string() : std::move(options.op_id);
  op.till_id = ctx_.identity->till_id;
  op.kind = std::string(to_string(kind));
  op.created_at = options.created_at != 0 ? options.created_at : ctx_.now_ms();
  op.user_id = s.user->id;
  op.grant = ctx_.session->grant;
  op.payload = std::move(payload);
  op.takes_receipt = options.takes_receipt;
  store::Result<store::RecordTicket> ticket =
      st->record_op(std::move(op),
                    [this, done = std::move(done)](const store::Status& status, const store::JournalRecord&) {
                      done(plain(status));
                      if (status && ctx_.sync) ctx_.sync->poke();
                      ctx_.storage.publish();
                    });
  ctx_.storage.publish();
  if (!ticket) return ticket.error();
  return {};
}

}  // namespace salespider::effects
