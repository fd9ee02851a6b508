// OpRecorder; see op_recorder.hpp.
#include "effects/op_recorder.hpp"

#include <utility>

namespace salespider::effects {

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
                      done(status);
                      if (status && ctx_.sync) ctx_.sync->poke();
                      ctx_.storage.publish();
                    });
  ctx_.storage.publish();
  if (!ticket) return ticket.error();
  return {};
}

}  // namespace salespider::effects
